"""Where the project's data lives.

The default corpus is the repository's ``corpus/`` folder (two levels above this
package in the ``src`` layout). ``C6LAB_CORPUS`` overrides it, so an installed copy of
the package, or a student's own corpus, can be used without editing code.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def default_corpus_root() -> Path:
    """Return the corpus folder used when no ``root`` is given."""
    env = os.environ.get("C6LAB_CORPUS")
    return Path(env).resolve() if env else REPO_ROOT / "corpus"


def default_lexicon_dir() -> Path:
    """Return the folder of editable word lists (``corpus/lexicons``)."""
    return default_corpus_root() / "lexicons"


def default_results_dir() -> Path:
    """Return the folder derived tables and figures are written to."""
    env = os.environ.get("C6LAB_RESULTS")
    return Path(env).resolve() if env else REPO_ROOT / "results"
