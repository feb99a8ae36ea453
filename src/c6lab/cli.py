"""Command-line entry point ``c6lab``: run the analyses, manage the corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import CorpusError

RUN_EPILOG = """examples:
  c6lab run                                   every notebook, bundled corpus
  c6lab run --only 01_keywords -p group_by=outlet
  c6lab run -p k_max=4 -p "kinds=[quote]"
  c6lab run --corpus ~/my_corpus              a corpus of your own
  c6lab run --in-place                        refresh the outputs stored in notebooks/ (for nbval)
"""

ADD_EPILOG = """examples:
  c6lab corpus add article.txt --outlet "Kabar" --title "Kyrgyz view of C6" \\
      --published 2025-12-01 --speaker "Edil Osmonbetov=KG"
  c6lab corpus add interview.txt --outlet AnewZ --title "" --id anewz_interview_2

The text is copied byte for byte into raw/; segments (paragraphs, quotes, paraphrases),
their kinds and speakers are a proposal to review in segments.csv. New speakers whose
country is not given with --speaker get "??", which `c6lab corpus validate` reports
until you fill it in.
"""


def _corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", metavar="DIR", type=Path, default=None,
                   help="corpus folder (default: the repository's corpus/ or $C6LAB_CORPUS)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="c6lab", description="Text-as-data analyses of C6 commentary.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{run,corpus}")

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
    _corpus_arg(run)

    corpus = sub.add_parser("corpus", help="add an article, validate, show statistics",
                            description="Manage a corpus folder.")
    csub = corpus.add_subparsers(dest="corpus_command", required=True, metavar="{add,validate,stats}")
    add = csub.add_parser("add", help="add a text file as a new article",
                          description="Add a plain UTF-8 text file to the corpus as a new article.",
                          epilog=ADD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add.add_argument("file", type=Path, help="the article as a plain UTF-8 text file")
    add.add_argument("--outlet", required=True, help="publishing outlet, e.g. Caliber.Az")
    add.add_argument("--title", required=True, help="the article's title (\"\" if unknown)")
    add.add_argument("--url", default="", help="address of the article, if known")
    add.add_argument("--published", default="", help="date as YYYY, YYYY-MM or YYYY-MM-DD, if known")
    add.add_argument("--speaker", action="append", default=[], metavar='"NAME=CC"',
                     help="country (ISO 3166 alpha-2) of a speaker in the text; repeatable")
    add.add_argument("--id", dest="article_id", default=None, help="article id (default: from outlet and title)")
    _corpus_arg(add)
    val = csub.add_parser("validate", help="check the whole corpus and list every problem",
                          description="Check every table and raw file; print every problem with its "
                          "file, row and field. Exit status 1 if there is any.",
                          epilog="example:\n  c6lab corpus validate --corpus ~/my_corpus",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    _corpus_arg(val)
    stats = csub.add_parser("stats", help="articles, speakers and words per speaker",
                            description="Print what the corpus holds.",
                            epilog="example:\n  c6lab corpus stats",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    _corpus_arg(stats)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        return {"add": _add, "validate": _validate, "stats": _stats}[args.corpus_command](args)
    except CorpusError as exc:
        print(f"c6lab: {exc}", file=sys.stderr)
        return 1


def _run(args) -> int:
    from . import runner

    try:
        params = runner.parse_parameters(args.parameter)
        executed = runner.run_notebooks(only=args.only, parameters=params, corpus=args.corpus,
                                        in_place=args.in_place, progress_bar=not args.no_progress)
        report = runner.build_report(executed, corpus=args.corpus)
    except runner.RunError as exc:
        print(f"c6lab run: {exc}", file=sys.stderr)
        return 1
    print(f"c6lab run: {len(executed)} notebook(s) executed; report: {report}")
    return 0


def _add(args) -> int:
    from .ingest import add_article, parse_speaker_options

    result = add_article(args.file, outlet=args.outlet, title=args.title, url=args.url,
                         published=args.published, speakers=parse_speaker_options(args.speaker),
                         article_id=args.article_id, corpus=args.corpus)
    print(result.summary())
    return 0


def _validate(args) -> int:
    from . import load_corpus, validate_corpus

    problems = validate_corpus(args.corpus)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    df = load_corpus(args.corpus)
    print(f"corpus OK: {df['article_id'].nunique()} articles, {len(df)} segments, "
          f"{df.loc[df['speaker_id'] != '', 'speaker_id'].nunique()} speakers")
    return 0


def _stats(args) -> int:
    import pandas as pd

    from . import load_corpus, word_counts

    df = load_corpus(args.corpus)
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print("Segments by kind and article:")
        print(df.pivot_table(index="kind", columns="article_id", values="segment_id",
                             aggfunc="count", fill_value=0).to_string())
        speech = df[df["kind"].isin(["quote", "paraphrase"])]
        print("\nWords per speaker (quotes and paraphrases):")
        print(word_counts(speech, by=["country", "speaker"]).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
