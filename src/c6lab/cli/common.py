"""Helpers shared by the sub-commands: the one place the command line reads the environment.

``$C6LAB_CORPUS``, ``$C6LAB_RESULTS`` and ``$C6LAB_DASK_SCHEDULER`` are looked up here (in
``os.environ``, handed to :mod:`c6lab.paths`); everything the commands call is given the result.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..paths import resolve_corpus_root, resolve_results_dir, resolve_scheduler


def corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", metavar="DIR", type=Path, default=None,
                   help="corpus folder (default: $C6LAB_CORPUS, else the bundled corpus/)")


def corpus_root(args) -> Path:
    """``--corpus``, else ``$C6LAB_CORPUS``, else the bundled corpus (absolute)."""
    return resolve_corpus_root(args.corpus, os.environ)


def results_dir() -> Path:
    """``$C6LAB_RESULTS``, else ``results/`` of the repository (absolute)."""
    return resolve_results_dir(None, os.environ)


def scheduler_address(given: str | None) -> str | None:
    """``--scheduler``, else ``$C6LAB_DASK_SCHEDULER``, else None (one process)."""
    return resolve_scheduler(given, os.environ)
