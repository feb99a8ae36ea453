"""Loaded first by `make test` (``-p tests.pytest_startup``), in the main process and each worker.

nbval's plugin imports nbformat, which imports jsonschema, which imports the optional
``rfc3987_syntax`` when it is installed (jupyterlab's dependencies install it): that module
compiles 39 Lark grammars at import, about 2.5 s in every pytest process, for jsonschema's
"iri" format checks. Nothing in the tests uses them (nbformat validates without a format
checker), so the import is refused here: jsonschema then goes without those two checks. The
kernels the tests start are separate processes and unaffected.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # None: "import rfc3987_syntax" raises ImportError
