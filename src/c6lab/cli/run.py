"""``c6lab run``: execute the notebooks and build the report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import corpus_arg, corpus_root

RUN_EPILOG = """examples:
  c6lab run                                   every notebook, bundled corpus
  c6lab run --only 01_keywords -p group_by=outlet
  c6lab run -p k_max=4 -p "kinds=[quote]"
  c6lab run --corpus ~/my_corpus              a corpus of your own (its word lists too)
  c6lab run --corpus ~/my_corpus --out ~/run1 results, notebooks and report under ~/run1
  c6lab run --in-place                        refresh the outputs stored in notebooks/ (for nbval)
"""



def add_parser(sub) -> None:
    run = sub.add_parser("run", help="execute every notebook and build build/report.html",
                         description="Execute every notebook in notebooks/ in order into build/notebooks/, "
                         "write results/ (CSV and figures) and build/report.html.",
                         epilog=RUN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--only", action="append", default=[], metavar="NAME",
                     help="run only this notebook (e.g. 01_keywords); repeatable")
    run.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                     help="set a notebook parameter (value read as YAML); repeatable")
    run.add_argument("--in-place", action="store_true",
                     help="also store the fresh outputs in the committed notebooks")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--out", metavar="DIR", type=Path, default=None,
                     help="write results, executed notebooks and the report under DIR "
                     "(default: results/ and build/ of the repository)")
    corpus_arg(run)
    run.set_defaults(handler=run_command)


def run_command(args) -> int:
    from .. import runner
    from ..corpus import bundled_corpus_root

    root = corpus_root(args)
    try:
        params = runner.parse_parameters(args.parameter)
        # the bundled corpus is the notebooks' own default; any other is passed explicitly
        corpus = None if root == bundled_corpus_root().resolve() else root
        build_dir = None
        if args.out is not None:
            out = args.out.expanduser().resolve()
            if "results_dir" in params:
                raise runner.RunError("give either --out or -p results_dir, not both")
            params["results_dir"] = str(out / "results")
            build_dir = out
        executed = runner.run_notebooks(only=args.only, parameters=params, corpus=corpus,
                                        in_place=args.in_place, progress_bar=not args.no_progress,
                                        build_dir=build_dir)
        report = runner.build_report(executed, corpus=root, build_dir=build_dir)
    except runner.RunError as exc:
        print(f"c6lab run: {exc}", file=sys.stderr)
        return 1
    print(f"c6lab run: {len(executed)} notebook(s) executed; report: {report}")
    return 0
