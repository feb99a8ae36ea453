"""Command-line entry point ``c6lab``: run the analyses, manage the corpus.

One module per sub-command (:mod:`.run`, :mod:`.corpus`); the corpus folder and the
environment are resolved in :mod:`.common` and nowhere below.

A mistake in the input (a bad corpus, a bad value, a missing file) is reported in a line or
a few, without a traceback; an unexpected exception is a bug and is reported as an internal
error, with its traceback only under ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from ..errors import CorpusError
from . import corpus, label, run

EXIT_INPUT, EXIT_USAGE, EXIT_NOTEBOOK, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 1, 2, 3, 4, 130, 141


def _add_debug(parser: argparse.ArgumentParser, top: bool = False) -> None:
    """``--debug`` before or after the sub-command (``c6lab --debug run`` = ``c6lab run --debug``)."""
    parser.add_argument("--debug", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="on an internal error show the traceback; keep the unfinished folder of a failed run")
    for action in parser._actions:  # the sub-commands' parsers, at every level
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                _add_debug(child)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="c6lab", description="Text-as-data analyses of C6 commentary.",
                                     epilog=run.EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="{run,corpus,label}")
    run.add_parser(sub)
    corpus.add_parsers(sub)
    label.add_parsers(sub)
    _add_debug(parser, top=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        return args.handler(args)
    except CorpusError as exc:
        print(f"c6lab: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("c6lab: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into a program that stopped reading (| head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a file that is missing, unreadable or unwritable: not a bug
        if debug:
            traceback.print_exc()
        print(f"c6lab: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:
        if debug:
            traceback.print_exc()
        first = (str(exc).strip().splitlines() or [""])[0]
        print(f"c6lab: internal error: {type(exc).__name__}: {first}"
              + ("" if debug else " (run with --debug for the traceback)"), file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
