"""``c6lab run``: execute the notebooks and build the report."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from .common import corpus_arg, corpus_root, results_dir, scheduler_address

EXIT_STATUS = """exit status:
  0    done
  1    the input is wrong (corpus, file, parameter, folder), another run is writing the same
       output, the corpus changed during the run, or a file could not be written (disk full);
       c6lab run then has replaced nothing
  2    the command line cannot be read (unknown option, missing value)
  3    c6lab run: a notebook failed; the previous output is left as it was
  4    internal error (a bug): `c6lab --debug ...` shows its traceback
  130  interrupted (Ctrl-C); c6lab run then leaves the previous output as it was
"""

RUN_EPILOG = """examples:
  c6lab run                                   every notebook, bundled corpus
  c6lab run --only 01_keywords -p group_by=outlet
  c6lab run -p k_max=4 -p "kinds=[quote]"
  c6lab run --corpus ~/my_corpus              a corpus of your own (its word lists too)
  c6lab run --corpus ~/my_corpus --out ~/run1 results, notebooks and report under ~/run1
  c6lab run --in-place                        refresh the outputs stored in notebooks/ (for nbval)
  c6lab run --excel-safe                      tables safe to open in a spreadsheet (see below)

output: a run writes into a fresh folder beside its output folder and replaces the old output
whole at the end, so the output holds exactly the last run's files; a failed, interrupted or
killed run changes nothing (the next run removes what a killed one left beside the folder).
All notebooks run on one corpus: --corpus (or $C6LAB_CORPUS, resolved here against the current
folder); a run whose corpus changes while it runs stops and replaces nothing.
  --out OUT     OUT/results (tables, figures), OUT/notebooks (executed copies and HTML),
                OUT/report.html, OUT/manifest.json (parameters, corpus version, packages, times)
  (default)     build/ of the repository (notebooks/, report.html, manifest.json) and results/
                (or $C6LAB_RESULTS)

values of -p: a plain value (4, 0.5, true, outlet, "a, b"), a list [quote, paraphrase], or for
topic_labels a mapping {w1 w2 w3: label}; nothing else (no YAML tags, no nesting, no control
characters, at most 10000 characters). A value reaches the notebooks as data, never as code.
The corpus is given with --corpus only (-p corpus_root is refused), the output with --out.

--excel-safe: a text cell that begins with = + - @ (or a tab or CR) gets an apostrophe in front,
so that a spreadsheet shows it as text instead of evaluating it; numbers stay numbers. Without
it the tables are written as they are (for pandas, R, ...). results/README.md says which.

"""


def add_parser(sub) -> None:
    from ..parameters import help_text

    run = sub.add_parser("run", help="execute every notebook and build build/report.html",
                         description="Execute every notebook in notebooks/ in order into build/notebooks/, "
                         "write results/ (CSV and figures) and build/report.html. The corpus, the parameters "
                         "and the output folder are checked before any notebook starts.",
                         epilog=RUN_EPILOG + help_text() + "\n\n" + EXIT_STATUS,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--only", action="append", default=[], metavar="NAME",
                     help="run only this notebook (e.g. 01_keywords); repeatable")
    run.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                     help="set a notebook parameter (listed below); repeatable")
    run.add_argument("--in-place", action="store_true",
                     help="also store the fresh outputs in the committed notebooks (no -p, --corpus or --out)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--excel-safe", action="store_true",
                     help="prefix text cells beginning with = + - @ with an apostrophe in the result tables")
    run.add_argument("--out", metavar="DIR", type=Path, default=None,
                     help="write results, executed notebooks, report and manifest under DIR, replacing "
                     "an earlier run there (default: results/ and build/ of the repository)")
    dask = run.add_mutually_exclusive_group()
    dask.add_argument("--scheduler", metavar="ADDRESS", default=None,
                      help="tokenise, count and score as Dask partitions on this scheduler, e.g. tcp://host:8786 "
                      "(default: $C6LAB_DASK_SCHEDULER, else one process); results are identical")
    dask.add_argument("--workers", metavar="N", type=int, default=None,
                      help="start a Dask LocalCluster of N worker processes on this machine for the run")
    corpus_arg(run)
    run.set_defaults(handler=run_command)


@contextmanager
def _dask_engine(args):
    """The Dask engine of the run, checked before any notebook starts (None: one process)."""
    address = None if args.workers else scheduler_address(args.scheduler)
    if not args.workers and address is None:
        yield None
        return
    from ..parallel import Engine

    with Engine(address, workers=args.workers) as engine:
        engine.check_versions()  # a worker with other library versions could give other numbers
        yield engine


def _err(message: str) -> None:
    print(f"c6lab run: {message}", file=sys.stderr)


def run_command(args) -> int:
    from .. import runner
    from ..corpus import bundled_corpus_root
    from ..parallel.engine import VersionMismatch
    from ..parameters import ParameterError, parse_assignments
    from ..paths import REPO_ROOT

    debug = getattr(args, "debug", False)
    if args.workers is not None and args.workers < 1:
        _err(f"--workers {args.workers}: give at least 1")
        return 1
    root = corpus_root(args)
    if args.in_place and root != bundled_corpus_root().resolve():
        _err(f"--in-place refreshes the outputs stored for the bundled corpus, not for {root} "
             "(give no --corpus and unset $C6LAB_CORPUS)")
        return 1
    try:
        notebooks = runner.notebook_paths(REPO_ROOT / "notebooks", args.only)
        values = parse_assignments(args.parameter, [p.stem for p in notebooks])
        with _dask_engine(args) as engine:
            results = results_dir() if args.out is None else None  # $C6LAB_RESULTS, read in cli.common
            result = runner.run(only=args.only, parameters=values, corpus=root, out=args.out, results_dir=results,
                                in_place=args.in_place, progress_bar=not args.no_progress, keep_partial=debug,
                                excel_safe=args.excel_safe, scheduler=engine.address if engine else None)
    except VersionMismatch as exc:
        _err(str(exc))
        return 1
    except ParameterError as exc:
        _err(str(exc))
        return 1
    except runner.CorpusInvalid as exc:
        _err(str(exc))
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except runner.NotebookFailed as exc:
        _err(f"{exc}; nothing was replaced" + ("" if debug else " (--debug keeps the unfinished run)"))
        if exc.details:
            print(exc.details if sys.stderr.isatty() else runner.strip_ansi(exc.details), file=sys.stderr)
        return 3
    except runner.RunError as exc:
        _err(str(exc))
        return 1
    except OSError as exc:  # a full disk, a folder that cannot be written: the old output stays
        if debug:
            raise
        _err(f"{exc}; nothing was replaced")
        return 1
    print(f"c6lab run: {len(result.executed)} notebook(s) executed; report: {result.report}; "
          f"results: {result.results_dir}")
    return 0
