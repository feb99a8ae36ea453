"""Where a run's corpus and results live: resolved once, at the edge.

Only the command line (:mod:`c6lab.cli`) and the notebooks' parameters cells call these
functions; everything below them is handed the folders explicitly. ``C6LAB_CORPUS`` and
``C6LAB_RESULTS`` (and ``C6LAB_DASK_SCHEDULER``) are read here and nowhere else.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .corpus.location import bundled_corpus_root

REPO_ROOT = Path(__file__).resolve().parents[2]


def resolve_corpus_root(corpus_root: str | Path | None = None) -> Path:
    """The corpus folder of a run: the argument, else ``$C6LAB_CORPUS``, else the bundled corpus.

    Returned as an absolute path, so it means the same folder in every notebook kernel.
    """
    if corpus_root is None or str(corpus_root) == "":
        corpus_root = os.environ.get("C6LAB_CORPUS") or bundled_corpus_root()
    return Path(corpus_root).expanduser().resolve()


def resolve_results_dir(results_dir: str | Path | None = None) -> Path:
    """The results folder of a run: the argument, else ``$C6LAB_RESULTS``, else ``results/``."""
    if results_dir is None or str(results_dir) == "":
        results_dir = os.environ.get("C6LAB_RESULTS") or REPO_ROOT / "results"
    return Path(results_dir).expanduser().resolve()


def resolve_scheduler(scheduler: str | None = None) -> str | None:
    """The Dask scheduler of a run: the argument, else ``$C6LAB_DASK_SCHEDULER``, else ``None``.

    ``None`` means one process (:class:`c6lab.parallel.Engine` with no scheduler); the
    results are the same either way.
    """
    if scheduler is None or str(scheduler).strip() == "":
        scheduler = os.environ.get("C6LAB_DASK_SCHEDULER") or None
    return scheduler.strip() if scheduler else None


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
