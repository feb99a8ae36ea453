"""Helpers shared by the sub-commands: the one place the corpus folder is resolved."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..paths import resolve_corpus_root


def corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", metavar="DIR", type=Path, default=None,
                   help="corpus folder (default: $C6LAB_CORPUS, else the bundled corpus/)")


def corpus_root(args) -> Path:
    # the one place where the default corpus and $C6LAB_CORPUS are resolved
    return resolve_corpus_root(args.corpus)
