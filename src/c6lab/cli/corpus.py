"""``c6lab corpus ...``: create, add to, check and describe a corpus folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import corpus_arg, corpus_root

ADD_EPILOG = """examples:
  c6lab corpus add article.txt --outlet "Kabar" --title "Kyrgyz view of C6" \\
      --published 2025-12-01 --speaker "Edil Osmonbetov=KG"
  c6lab corpus add interview.txt --outlet AnewZ --title "" --id anewz_interview_2

The text is copied byte for byte into raw/; segments (paragraphs, quotes, paraphrases),
their kinds and speakers are a proposal to review in segments.csv. New speakers whose
country is not given with --speaker get "??", which `c6lab corpus validate` reports
until you fill it in.
"""




def add_parsers(sub) -> None:
    corpus = sub.add_parser("corpus", help="add an article, validate, show statistics, suggest phrases",
                            description="Manage a corpus folder.")
    csub = corpus.add_subparsers(dest="corpus_command", required=True,
                                 metavar="{add,validate,stats,suggest-phrases}")
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
    corpus_arg(add)
    val = csub.add_parser("validate", help="check the whole corpus and list every problem",
                          description="Check every table and raw file; print every problem with its "
                          "file, row and field. Exit status 1 if there is any.",
                          epilog="example:\n  c6lab corpus validate --corpus ~/my_corpus",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    corpus_arg(val)
    stats = csub.add_parser("stats", help="articles, speakers and words per speaker",
                            description="Print what the corpus holds.",
                            epilog="example:\n  c6lab corpus stats",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    corpus_arg(stats)
    sug = csub.add_parser("suggest-phrases", help="propose multi-word expressions for lexicons/phrases.txt",
                          description="Count two- and three-word sequences within sentences of the corpus "
                          "(stopwords kept inside, not at the edges) and rank them by NLTK's likelihood "
                          "ratio. Nothing is written: copy the lines you accept into the corpus's "
                          "lexicons/phrases.txt.",
                          epilog="example:\n  c6lab corpus suggest-phrases --corpus ~/my_corpus --min-count 2",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    sug.add_argument("--min-count", type=int, default=3, help="occurrences a candidate needs (default 3)")
    sug.add_argument("--top-n", type=int, default=30, help="how many to list (default 30)")
    sug.add_argument("--kinds", default="", metavar="K1,K2",
                     help="segment kinds searched, comma-separated (default: all but boilerplate and unrelated)")
    corpus_arg(sug)
    for name, handler in {"add": add_command, "validate": validate_command, "stats": stats_command,
                          "suggest-phrases": suggest_command}.items():
        csub.choices[name].set_defaults(handler=handler)


def add_command(args) -> int:
    from ..corpus.ingest import add_article, parse_speaker_options

    result = add_article(args.file, outlet=args.outlet, title=args.title, url=args.url,
                         published=args.published, speakers=parse_speaker_options(args.speaker),
                         article_id=args.article_id, corpus=corpus_root(args))
    print(result.summary())
    return 0


def validate_command(args) -> int:
    from .. import open_corpus, validate_corpus

    root = corpus_root(args)
    problems = validate_corpus(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    corpus = open_corpus(root)
    df = corpus.segments
    print(f"corpus OK: {df['article_id'].nunique()} articles, {len(df)} segments, "
          f"{df.loc[df['speaker_id'] != '', 'speaker_id'].nunique()} speakers (version {corpus.version})")
    origin = corpus.lexicons.origin()
    own = [f for f, o in origin.items() if o == "corpus"]
    default = [f for f, o in origin.items() if o == "default"]
    print(f"word lists from the corpus (lexicons/): {', '.join(own) or 'none'}")
    print(f"word lists from the c6lab defaults: {', '.join(default) or 'none'}")
    return 0


def stats_command(args) -> int:
    import pandas as pd

    from .. import dfm, open_corpus, word_counts

    corpus = open_corpus(corpus_root(args))
    df = corpus.segments
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print("Segments by kind and article:")
        print(df.pivot_table(index="kind", columns="article_id", values="segment_id",
                             aggfunc="count", fill_value=0).to_string())
        counts = dfm(corpus.select(["quote", "paraphrase"]), corpus.lexicons)
        print("\nWords per speaker (quotes and paraphrases):")
        print(word_counts(counts, group_by=["country", "speaker"]).to_string(index=False))
    return 0


def suggest_command(args) -> int:
    import pandas as pd

    from .. import KINDS, open_corpus
    from ..collocations import suggest_phrases

    corpus = open_corpus(corpus_root(args))
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()] or [
        k for k in KINDS if k not in ("boilerplate", "unrelated")]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        print(f"c6lab corpus suggest-phrases: --kinds {','.join(unknown)}: not a kind "
              f"(kinds: {', '.join(KINDS)})", file=sys.stderr)
        return 2
    table = suggest_phrases(corpus.select(kinds)["text"], corpus.lexicons, min_count=args.min_count,
                            top_n=args.top_n)
    if table.empty:
        print(f"no candidate occurs {args.min_count} times or more; try --min-count 2")
        return 0
    with pd.option_context("display.width", 120):
        print(table.round(2).to_string(index=False))
    print(f"\nAdd the lines you accept to {corpus.root / 'lexicons' / 'phrases.txt'} "
          "(copy the package default there first if the corpus has none).")
    return 0
