"""Where a run's corpus and results live: resolved once, at the edge.

Only the command line (:mod:`c6lab.cli`) and the notebooks' parameters cells call these
functions; everything below them is handed the folders explicitly. ``C6LAB_CORPUS`` and
``C6LAB_RESULTS`` (and ``C6LAB_DASK_SCHEDULER``) are read here and nowhere else.
"""

from __future__ import annotations

import os
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
