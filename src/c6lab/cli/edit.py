"""``c6lab corpus init|add|show|review|remove``: the commands that create or change a corpus."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import CorpusError, Problem
from .common import corpus_root


def init_command(args) -> int:
    from ..corpus.create import init_corpus

    root = init_corpus(args.directory)
    print(f"made an empty corpus in {root}; add articles with: c6lab corpus add FILE... --corpus {root}")
    return 0


def _entries(args) -> list[dict]:
    from ..corpus.ingest import parse_speaker_options, read_manifest

    if not args.files and args.manifest is None:
        raise CorpusError([Problem("c6lab corpus add", None, None, "give one or more FILEs or --manifest FILE.csv")])
    single = [o for o, v in (("--title", args.title), ("--id", args.article_id), ("--url", args.url)) if v]
    if single and len(args.files) + (args.manifest is not None) > 1:
        raise CorpusError([Problem("c6lab corpus add", None, single[0],
                                   f"{', '.join(single)} name one article: give a single FILE, or use a manifest")])
    hints = parse_speaker_options(args.speaker)
    common = {"outlet": args.outlet, "published": args.published, "speakers": hints}
    entries = [{"file": f, **common, "title": args.title, "url": args.url, "article_id": args.article_id}
               for f in args.files]
    if args.manifest is not None:
        for entry in read_manifest(args.manifest):
            entry["outlet"] = entry["outlet"] or args.outlet
            entry["published"] = entry["published"] or args.published
            entry["speakers"] = {**hints, **entry["speakers"]}
            entries.append(entry)
    return entries


def add_command(args) -> int:
    from ..corpus.ingest import add_articles

    entries = _entries(args)
    results = add_articles(entries, corpus=corpus_root(args), progress=len(entries) > 1 and not args.no_progress,
                           max_bytes=args.max_bytes, lock_timeout=args.lock_timeout)
    failed = 0
    for file, result in results:
        if isinstance(result, CorpusError):
            failed += 1
            for problem in result.problems:
                print(f"c6lab corpus add: {file}: not added: {problem}", file=sys.stderr)
        else:
            print(result.summary())
    if len(results) > 1:
        print(f"{len(results) - failed} of {len(results)} file(s) added" + (f"; {failed} not added (above)"
                                                                           if failed else ""))
    return 1 if failed else 0


def show_command(args) -> int:
    import pandas as pd

    from ..corpus.review import show_article

    table = show_article(corpus_root(args), args.article)
    with pd.option_context("display.width", 160, "display.max_colwidth", 70, "display.max_rows", 1000):
        print(table.to_string(index=False))
    n = int((table["reviewed"] == "no").sum())
    print(f"{len(table)} segments, {n} not reviewed" + (f": c6lab corpus review {args.article}" if n else ""))
    return 0


def review_command(args) -> int:
    from ..corpus.review import apply_review, review_text
    from ..io import atomic_write_bytes

    root = corpus_root(args)
    if args.apply is not None:
        if not args.apply.is_file():
            raise CorpusError([Problem(str(args.apply), None, None, "review file not found")])
        table = apply_review(root, args.article, args.apply)
        print(f"applied {args.apply}: {len(table)} segments of {args.article}, all reviewed")
        return 0
    out = args.out or Path(f"{args.article}.review.txt")
    if out.exists():
        raise CorpusError([Problem(str(out), None, None, "exists: give another --out (an edited review file "
                                   "is never overwritten)")])
    atomic_write_bytes(out, review_text(root, args.article).encode("utf-8"))
    print(f"wrote {out}: edit the header lines, then c6lab corpus review {args.article} --apply {out}")
    return 0


def remove_command(args) -> int:
    from ..corpus.review import remove_article

    deleted = remove_article(corpus_root(args), args.article)
    print(f"removed {args.article} (deleted {', '.join(deleted) or 'no file'})")
    return 0
