"""``c6lab label ...``: draw mentions to label, compare two coders, adopt labels into a corpus."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from .common import corpus_arg, corpus_root

SAMPLE_EPILOG = """examples:
  c6lab label sample --n 60 --out round1.tsv
  c6lab label sample --n 60 --out round1.tsv --corpus ~/my_corpus --random-state 7

Writes FILE.tsv (one row per mention, tab-separated UTF-8, with empty `label` and `note`
columns to fill in) and FILE.instructions.md (the coding rules) beside it. Give each coder a
copy. Mentions already in annotations/power_sentiment_gold.csv are left out unless
--include-labelled.
"""

AGREEMENT_EPILOG = """example:
  c6lab label agreement round1_ana.tsv round1_ben.tsv --out disagreements.csv

Joins the files on mention_id; only mentions labelled in both count.
"""

ADOPT_EPILOG = """example:
  c6lab label adopt round1_final.tsv --coder ana+ben --corpus ~/my_corpus

Every labelled row needs a `note` (it becomes the gold file's `reason`); rows with an empty
label are skipped. Nothing is written if any row has a problem.
"""


def add_parsers(sub) -> None:
    label = sub.add_parser("label", help="hand labels: draw a sample, inter-coder agreement, adopt labels",
                           description="Hand labels of the stance toward the powers, for the tone validation "
                           "(docs/labelling.md).")
    lsub = label.add_subparsers(dest="label_command", required=True, metavar="{sample,agreement,adopt}")
    fmt = argparse.RawDescriptionHelpFormatter
    sample = lsub.add_parser("sample", help="draw mentions stratified by power x group into a TSV to fill in",
                             description="Draw N mentions of the powers, stratified by power x group (the "
                             "speaker's country): one per stratum where N allows, the rest in proportion.",
                             epilog=SAMPLE_EPILOG, formatter_class=fmt)
    sample.add_argument("--n", type=int, required=True, help="how many mentions to draw")
    sample.add_argument("--out", type=Path, required=True, metavar="FILE.tsv", help="the file to write")
    sample.add_argument("--random-state", type=int, default=0, metavar="S", help="seed of the draw (default 0)")
    sample.add_argument("--include-labelled", action="store_true",
                        help="also draw mentions that already have an adopted label")
    sample.add_argument("--force", action="store_true", help="replace FILE.tsv and its instructions if they exist")
    corpus_arg(sample)
    agree = lsub.add_parser("agreement", help="percent agreement, Cohen's kappa, Krippendorff's alpha",
                            description="Compare two coders' files: n, percent agreement, Cohen's kappa "
                            "(scikit-learn), Krippendorff's alpha (nominal, NLTK), and the disagreements.",
                            epilog=AGREEMENT_EPILOG, formatter_class=fmt)
    agree.add_argument("file_a", type=Path, metavar="A.tsv")
    agree.add_argument("file_b", type=Path, metavar="B.tsv")
    agree.add_argument("--out", type=Path, default=None, metavar="FILE.csv", help="write the disagreements here")
    adopt = lsub.add_parser("adopt", help="bring filled-in labels into annotations/power_sentiment_gold.csv",
                            description="Add the labels of FILE.tsv to the corpus's hand labels with the "
                            "coder recorded.", epilog=ADOPT_EPILOG, formatter_class=fmt)
    adopt.add_argument("file", type=Path, metavar="FILE.tsv")
    adopt.add_argument("--coder", required=True, metavar="ID", help="who labelled (or adjudicated) the file")
    adopt.add_argument("--replace", action="store_true", help="replace labels of mentions labelled already")
    corpus_arg(adopt)
    handlers = {"sample": sample_command, "agreement": agreement_command, "adopt": adopt_command}
    for name, handler in handlers.items():
        lsub.choices[name].set_defaults(handler=handler)


def sample_command(args) -> int:
    from .. import open_corpus
    from ..errors import CorpusError, Problem
    from ..sentiment import labelling

    if args.n < 1:
        raise CorpusError([Problem("--n", None, None, f"must be at least 1, got {args.n}")])
    corpus = open_corpus(corpus_root(args))
    sample = labelling.draw_sample(corpus, args.n, random_state=args.random_state,
                                   include_labelled=args.include_labelled)
    if sample.empty:
        raise CorpusError([Problem(str(corpus.root), None, None, "no mention left to label"
                                   + ("" if args.include_labelled else " (all are labelled; "
                                      "--include-labelled draws from them too)"))])
    out, notes = labelling.write_sample(sample, args.out, force=args.force)
    print(f"{len(sample)} of {sample.attrs['n_available']} mentions drawn from {sample.attrs['strata']} "
          f"power x group strata -> {out}")
    print(f"coding instructions -> {notes}")
    return 0


def _figure(x: float) -> str:
    return "undefined (one label only)" if math.isnan(x) else f"{x:.3f}"


def agreement_command(args) -> int:
    import pandas as pd

    from ..io import atomic_write_bytes
    from ..sentiment import labelling

    r = labelling.agreement(args.file_a, args.file_b)
    print(f"n (labelled in both)      {r.n}")
    print(f"percent agreement         {100 * r.percent_agreement:.1f}%")
    print(f"Cohen's kappa             {_figure(r.cohen_kappa)}  (scikit-learn)")
    print(f"Krippendorff's alpha      {_figure(r.krippendorff_alpha)}  (nominal, NLTK)")
    if r.only_a or r.only_b:
        print(f"labelled in one file only {r.only_a} in {args.file_a.name}, {r.only_b} in {args.file_b.name}")
    dis = r.disagreements
    print(f"disagreements             {len(dis)}")
    if len(dis):
        with pd.option_context("display.width", 200, "display.max_colwidth", labelling.CLIP):
            print(dis[["mention_id", "power", "label_a", "label_b", "sentence"]].to_string(index=False))
    if args.out is not None:
        atomic_write_bytes(args.out, dis.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        print(f"disagreements -> {args.out}")
    return 0


def adopt_command(args) -> int:
    from .. import open_corpus
    from ..sentiment import labelling

    corpus = open_corpus(corpus_root(args))
    r = labelling.adopt(corpus, args.file, args.coder, replace=args.replace)
    print(f"{r['added']} label(s) added, {r['replaced']} replaced, {r['skipped']} row(s) without a label "
          f"skipped; {r['total']} labels in {r['path']}")
    return 0
