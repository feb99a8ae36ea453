"""Command-line entry point ``c6lab``: run the analyses, manage the corpus.

One module per sub-command (:mod:`.run`, :mod:`.corpus`); the corpus folder and the
environment are resolved in :mod:`.common` and nowhere below.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import CorpusError
from . import corpus, run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="c6lab", description="Text-as-data analyses of C6 commentary.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{run,corpus}")
    run.add_parser(sub)
    corpus.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CorpusError as exc:
        print(f"c6lab: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
