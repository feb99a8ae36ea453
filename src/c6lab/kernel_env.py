"""The environment of the processes a run starts: written here, for the kernels and Dask workers.

Nothing here reads configuration: :func:`environment` sets values for child processes and
puts back what was there before (which is the only reason it looks at ``os.environ``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


@contextmanager
def environment(keep: Iterable[str] = (), **values: str) -> Iterator[None]:
    """Set ``values`` in the environment meanwhile; afterwards these and the names in ``keep``
    are as they were.

    The one place that writes the environment: :func:`c6lab.runner.run` hands the kernels it
    starts their corpus, results folder and Dask scheduler this way, and a Dask
    ``LocalCluster``, which writes its workers' settings (``OMP_NUM_THREADS=1`` ...) into the
    starting process, is started inside it so later kernels do not inherit them.
    """
    names = set(keep) | set(values)
    before = {k: os.environ.get(k) for k in names}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            elif os.environ.get(k) != v:
                os.environ[k] = v
