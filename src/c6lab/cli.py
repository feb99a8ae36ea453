"""Command-line entry point ``c6lab``."""

from __future__ import annotations

import argparse
import sys

from . import runner


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="c6lab",
        description="Run the c6lab analyses.",
        epilog="Example: c6lab run --only 00_corpus",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute every notebook in notebooks/ in order",
                         description="Execute every notebook in notebooks/ in order, writing "
                         "executed copies to build/notebooks/ and tables/figures to results/.",
                         epilog="Examples:\n  c6lab run\n  c6lab run --only 01_keywords",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--only", action="append", default=[], metavar="NAME",
                     help="run only this notebook (name without .ipynb); repeatable")
    run.add_argument("--in-place", action="store_true",
                     help="also overwrite the committed notebooks with their fresh outputs")
    args = parser.parse_args(argv)
    if args.command == "run":
        return runner.run_notebooks(only=args.only, in_place=args.in_place)
    return 2


if __name__ == "__main__":
    sys.exit(main())
