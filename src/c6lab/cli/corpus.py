"""``c6lab corpus ...``: create, add to, check and describe a corpus folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import edit
from .common import corpus_arg, corpus_root

ADD_EPILOG = """examples:
  c6lab corpus add article.txt --corpus ~/my_corpus --outlet Kabar --speaker "Edil Osmonbetov=KG"
  c6lab corpus add pages/*.html --corpus ~/my_corpus       outlet, title, date from each page
  c6lab corpus add --manifest files.csv --corpus ~/my_corpus

Text files are copied byte for byte into raw/; a saved web page (.html/.htm) is kept verbatim
beside the article text extracted from it (trafilatura; nothing is downloaded). The title
defaults to the page's title, or the first line of a text file. Segments (paragraphs,
quotes, paraphrases), their kinds and speakers are a proposal, marked unreviewed: see them
with `c6lab corpus show ARTICLE`, correct them with `c6lab corpus review ARTICLE`. A manifest
is a CSV with the columns file (required), outlet, title, date, url, speakers ("Name=CC; Name=CC")
and id. Each file is added all-or-nothing; a file that cannot be added is reported by name and
the others still go in (exit status 1 if any failed). A file must be a regular file of at most
--max-bytes (devices, FIFOs and links to them are refused unread); a .txt that holds an HTML page
is imported as a page, with a note. Changes to a corpus take its lock (.c6lab.lock) and commit in
one atomic step: a concurrent change waits up to --lock-timeout seconds.
"""

REVIEW_EPILOG = """examples:
  c6lab corpus review kabar_kyrgyz_view --corpus ~/my_corpus              writes kabar_kyrgyz_view.review.txt
  c6lab corpus review kabar_kyrgyz_view --corpus ~/my_corpus --apply kabar_kyrgyz_view.review.txt

In the review file every segment starts with a header line "## kind | speaker | country".
Edit the header lines, or move one to another place in the text to move a boundary (start a
new line there); do not change the text itself. --apply checks the text is unchanged,
recomputes the offsets and marks the article's segments reviewed.
"""


def add_parsers(sub) -> None:
    corpus = sub.add_parser("corpus", help="create a corpus, add and review articles, validate, describe",
                            description="Manage a corpus folder.")
    csub = corpus.add_subparsers(dest="corpus_command", required=True,
                                 metavar="{init,add,show,review,remove,validate,stats,suggest-phrases}")
    init = csub.add_parser("init", help="make an empty corpus folder to add your own articles to",
                           description="Create DIR as an empty, valid corpus: tables with headers, raw/, "
                           "annotations/, a README, and lexicons/ with copies of the default word lists.",
                           epilog="example:\n  c6lab corpus init ~/my_corpus",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    init.add_argument("directory", type=Path, metavar="DIR", help="a new (or empty) folder")
    add = csub.add_parser("add", help="add text files or saved web pages as new articles",
                          description="Add plain UTF-8 text files or saved web pages to a corpus as new "
                          "articles, with proposed segments.",
                          epilog=ADD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add.add_argument("files", type=Path, nargs="*", metavar="FILE", help="text (.txt) or web page (.html) files")
    add.add_argument("--manifest", type=Path, default=None, metavar="FILE.csv",
                     help="CSV listing the files to add with their outlet, title, date, url, speakers, id")
    add.add_argument("--outlet", default=None, help="publishing outlet, e.g. Caliber.Az (for every FILE)")
    add.add_argument("--title", default=None,
                     help="the article's title (one FILE only; default: the page title or first line)")
    add.add_argument("--url", default="", help="address of the article, if known (one FILE only)")
    add.add_argument("--published", default="", help="date as YYYY, YYYY-MM or YYYY-MM-DD (for every FILE)")
    add.add_argument("--speaker", action="append", default=[], metavar='"NAME=CC"',
                     help="country (ISO 3166 alpha-2) of a speaker in the text; repeatable")
    add.add_argument("--id", dest="article_id", default=None,
                     help="article id (one FILE only; default: from outlet and title)")
    add.add_argument("--no-progress", action="store_true", help="no progress bar")
    add.add_argument("--max-bytes", type=int, default=20_000_000, metavar="N",
                     help="largest file accepted, in bytes (default 20000000; devices and FIFOs are always refused)")
    add.add_argument("--lock-timeout", type=float, default=60.0, metavar="SECONDS",
                     help="how long to wait while another change to the corpus finishes (default 60)")
    corpus_arg(add)
    show = csub.add_parser("show", help="list an article's segments",
                           description="Print the segments of one article: kind, speaker, country, "
                           "whether reviewed, and the first words.",
                           epilog="example:\n  c6lab corpus show caliberaz_c6_experts",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    show.add_argument("article", help="article id (see articles.csv)")
    corpus_arg(show)
    review = csub.add_parser("review", help="review an article's segments in a text file, without offsets",
                             description="Write ARTICLE's text cut into its segments under header lines, "
                             "to edit; or apply an edited file.",
                             epilog=REVIEW_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    review.add_argument("article", help="article id (see articles.csv)")
    review.add_argument("--apply", type=Path, default=None, metavar="FILE", help="apply an edited review file")
    review.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="where to write the review file (default: ARTICLE.review.txt here)")
    corpus_arg(review)
    remove = csub.add_parser("remove", help="take an article out of the corpus",
                             description="Remove ARTICLE's row, segments and raw files in one change "
                             "(speakers stay).",
                             epilog="example:\n  c6lab corpus remove kabar_kyrgyz_view --corpus ~/my_corpus",
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    remove.add_argument("article", help="article id (see articles.csv)")
    corpus_arg(remove)
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
    handlers = {"init": edit.init_command, "add": edit.add_command, "show": edit.show_command,
                "review": edit.review_command, "remove": edit.remove_command, "validate": validate_command,
                "stats": stats_command, "suggest-phrases": suggest_command}
    for name, handler in handlers.items():
        csub.choices[name].set_defaults(handler=handler)


def validate_command(args) -> int:
    from .. import open_corpus, validate_corpus
    from ..corpus.validate import review_items
    from ..errors import escape

    root = corpus_root(args)
    problems = validate_corpus(root)
    for p in problems:  # one line each: names and values are printed with escapes
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    corpus = open_corpus(root)
    df = corpus.segments
    if corpus.articles.empty:
        print(f"corpus OK: no articles yet (version {corpus.version}); add some with: "
              f"c6lab corpus add FILE... --corpus {escape(str(root))}")
    else:
        print(f"corpus OK: {len(corpus.articles)} articles, {len(df)} segments, "
              f"{df.loc[df['speaker_id'] != '', 'speaker_id'].nunique()} speakers (version {corpus.version})")
    origin = corpus.lexicons.origin()
    own = [f for f, o in origin.items() if o == "corpus"]
    default = [f for f, o in origin.items() if o == "default"]
    print(f"word lists from the corpus (lexicons/): {', '.join(own) or 'none'}")
    print(f"word lists from the c6lab defaults: {', '.join(default) or 'none'}")
    for item in review_items(root):
        print(f"to review: {item}")
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
        print("\nWords per speaker (quotes and paraphrases; country empty = not known yet):")
        print(word_counts(counts, group_by=["country", "speaker"]).to_string(index=False))
        status = corpus.review_status()
        n = int(status["n_unreviewed"].sum())
        print(f"\n{n} of {len(df)} segments are unreviewed proposals"
              + (":\n" + status[status["n_unreviewed"] > 0].to_string(index=False) if n else "."))
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
