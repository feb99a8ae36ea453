"""Where a run's corpus and results live: resolved once, at the edge.

Only the command line (:mod:`c6lab.cli.common`) and the notebooks' first cells call these
functions, and they hand them the environment to look in (``os.environ``): nothing in the
library reads ``C6LAB_CORPUS``, ``C6LAB_RESULTS`` or ``C6LAB_DASK_SCHEDULER`` itself;
everything below is handed the folders explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .corpus.location import bundled_corpus_root

REPO_ROOT = Path(__file__).resolve().parents[2]


def resolve_corpus_root(corpus_root: str | Path | None, environ: Mapping[str, str]) -> Path:
    """The corpus folder of a run: the argument, else ``environ["C6LAB_CORPUS"]``, else the bundled corpus.

    Returned as an absolute path, so it means the same folder in every notebook kernel.

    Examples
    --------
    >>> resolve_corpus_root(None, {"C6LAB_CORPUS": "/data/mine"}).as_posix()
    '/data/mine'
    >>> resolve_corpus_root(None, {}) == bundled_corpus_root().resolve()
    True
    """
    if corpus_root is None or str(corpus_root) == "":
        corpus_root = environ.get("C6LAB_CORPUS") or bundled_corpus_root()
    return Path(corpus_root).expanduser().resolve()


def resolve_results_dir(results_dir: str | Path | None, environ: Mapping[str, str]) -> Path:
    """The results folder of a run: the argument, else ``environ["C6LAB_RESULTS"]``, else ``results/``."""
    if results_dir is None or str(results_dir) == "":
        results_dir = environ.get("C6LAB_RESULTS") or REPO_ROOT / "results"
    return Path(results_dir).expanduser().resolve()


def resolve_scheduler(scheduler: str | None, environ: Mapping[str, str]) -> str | None:
    """The Dask scheduler of a run: the argument, else ``environ["C6LAB_DASK_SCHEDULER"]``, else ``None``.

    ``None`` means one process (:class:`c6lab.parallel.Engine` with no scheduler); the
    results are the same either way.
    """
    if scheduler is None or str(scheduler).strip() == "":
        scheduler = environ.get("C6LAB_DASK_SCHEDULER") or None
    return scheduler.strip() if scheduler else None
