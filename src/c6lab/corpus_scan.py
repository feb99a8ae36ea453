"""One pass over a corpus for the report and the explorer, in bounded memory.

:func:`scan_corpus` reads every segment once, article by article, and keeps only what the
pages show: totals (articles, segments, unreviewed), tokens per speaker, a bounded number
of concordance lines per wanted word, the texts and metadata of the segments asked for,
and the first ``max_articles`` articles in full. It takes a :class:`c6lab.Corpus` (the
segment table already in memory) or a corpus folder, which is then streamed from its
tables and raw texts without building the segment table (a 20,000-article folder is read
in a fraction of the memory :func:`c6lab.open_corpus` needs).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pandas as pd

from .corpus.validate import UNKNOWN_COUNTRY
from .errors import CorpusError, Problem
from .text import normalize

#: the segment fields the pages use (``text`` only while the segment is being read)
FIELDS = ("segment_id", "article_id", "char_start", "char_end", "kind", "speaker", "country", "reviewed")
ARTICLE_FIELDS = ("article_id", "outlet", "title", "published", "url")
BATCH = 2000  # speech segments tokenised per Tokenizer.pipe call
CONTEXT = 300  # characters of a concordance line's sentence kept either side of the word


@dataclass
class Scan:
    """What one pass over a corpus keeps (see :func:`scan_corpus`)."""

    n_articles: int = 0
    n_segments: int = 0
    n_unreviewed: int = 0
    articles: list[dict] = field(default_factory=list)  # the first max_articles, with "text"
    segments: list[dict] = field(default_factory=list)  # theirs, plus the segments asked for
    speakers: dict[str, list] = field(default_factory=dict)  # speaker -> [country, tokens], first seen order
    lines: dict[str, dict[str, list]] = field(default_factory=dict)  # group -> word -> lines
    texts: dict[str, str] = field(default_factory=dict)  # segment_id -> normalised text, those asked for
    kept: set[str] = field(default_factory=set, repr=False)  # ids in segments

    def keep_segment(self, seg: tuple) -> None:
        if seg[0] not in self.kept:
            self.kept.add(seg[0])
            self.segments.append(dict(zip(FIELDS, seg)))


def _folder_articles(root: Path, group_by: str) -> Iterator[tuple[dict, callable, list[tuple]]]:
    """A corpus folder article by article: (article row, raw text reader, segments with text)."""
    def rows(name):
        path = root / name
        if not path.is_file():
            raise CorpusError([Problem(name, None, None, "missing: is this a corpus folder?")])
        with open(path, newline="", encoding="utf-8") as fh:
            yield from csv.DictReader(fh)

    speakers = {r["speaker_id"]: r for r in rows("speakers.csv")}
    articles = {r["article_id"]: r for r in rows("articles.csv")}
    by_article: dict[str, list[tuple]] = defaultdict(list)
    intern = sys.intern  # kinds, ids and speakers repeat: one string each
    with open(root / "segments.csv", newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        head = next(reader, [])
        at = {c: head.index(c) for c in ("article_id", "segment_id", "char_start", "char_end", "kind",
                                          "speaker_id", "reviewed", "note") if c in head}
        cols = [at.get(c) for c in ("article_id", "segment_id", "char_start", "char_end", "kind", "speaker_id",
                                    "reviewed", "note")]
        for i, r in enumerate(reader, start=2):
            aid, seg_id, start, end, kind, spk, reviewed, note = (r[c] if c is not None else "" for c in cols)
            if aid not in articles:
                raise CorpusError([Problem("segments.csv", i, "article_id", f"unknown article {aid!r}")])
            by_article[intern(aid)].append((seg_id, int(start), int(end), intern(kind), intern(spk),
                                            reviewed != "no", note))
    # per speaker, the fields a segment takes from it ("??": no country group)
    people = {k: {"speaker_id": k, "speaker": v.get("name", ""), "affiliation": v.get("affiliation", ""),
                  "country": "" if v.get("country") == UNKNOWN_COUNTRY else v.get("country", "")}
              for k, v in speakers.items()}
    nobody = {"speaker_id": "", "speaker": "", "affiliation": "", "country": ""}
    from_article = group_by in ("outlet", "title", "published", "raw_file")
    if group_by not in (*FIELDS, "speaker_id", "affiliation", "note") and not from_article:
        raise ValueError(f"group_by={group_by!r}: not a segment column a corpus folder gives; "
                         "pass the opened Corpus instead")
    for aid, art in articles.items():
        try:
            raw = (root / art["raw_file"]).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError([Problem(art["raw_file"], None, None, f"cannot read: {exc}")]) from None
        segs = []
        for seg_id, start, end, kind, spk_id, reviewed, note in sorted(by_article.pop(aid, []), key=lambda s: s[1]):
            person = people.get(spk_id) or {**nobody, "speaker_id": spk_id}
            row = (seg_id, aid, start, end, kind, person["speaker"], person["country"], reviewed)
            group = (art[group_by] if from_article else note if group_by == "note"
                     else row[FIELDS.index(group_by)] if group_by in FIELDS else person[group_by])
            segs.append((*row, group, raw[start:end]))
        yield art, (lambda raw=raw: raw), segs


def _corpus_articles(corpus, group_by: str) -> Iterator[tuple[dict, callable, list[tuple]]]:
    """A :class:`Corpus` article by article (its segment table is in memory already)."""
    segs = corpus.segments
    positions = segs.groupby("article_id", sort=False).indices
    frame = pd.DataFrame({**{f"c{i}": segs[c] for i, c in enumerate(FIELDS)}, "group": segs[group_by],
                          "text": segs["text"]})
    for art in corpus.articles.to_dict("records"):
        idx = positions.get(art["article_id"], [])
        rows = list(frame.iloc[idx].itertuples(index=False, name=None)) if len(idx) else []
        yield art, (lambda aid=art["article_id"]: corpus.raw_text(aid)), rows


def scan_corpus(corpus, *, kinds=("quote", "paraphrase"), group_by: str = "country",
                wanted: dict[str, dict[str, int]] | None = None, max_lines: int = 20,
                segment_ids: set[str] = frozenset(), max_articles: int = 100) -> Scan:
    """Read every segment of ``corpus`` once and keep what the report and the explorer show.

    Parameters
    ----------
    corpus : Corpus or path
        An opened corpus, or a corpus folder (streamed; it is not validated again: the
        run that wrote the results did that).
    kinds : sequence of str
        The speech: its segments are tokenised (tokens per speaker, concordance lines).
    group_by : str
        The segment column the keyword groups come from.
    wanted : dict, optional
        ``group -> {word: n}``: concordance lines wanted, at most ``min(n, max_lines)``
        per word, the first in corpus order.
    max_lines : int
        Lines kept per group and word.
    segment_ids : set of str
        Segments whose metadata and normalised text are kept wherever they are.
    max_articles : int
        Articles kept in full (raw text and every segment), the first in corpus order.

    Examples
    --------
    >>> from c6lab import open_corpus
    >>> s = scan_corpus(open_corpus(), wanted={"KG": {"china": 2}}, max_lines=1)
    >>> s.n_articles, s.n_segments, len(s.lines["KG"]["china"]), s.speakers["Edil Osmonbetov"]
    (2, 99, 1, ['KG', 289])
    """
    lexicons = corpus.lexicons if hasattr(corpus, "lexicons") else None
    if lexicons is None:
        from .lexicons import Lexicons

        corpus = Path(corpus)
        lexicons = Lexicons.from_dir(corpus / "lexicons")
        articles = _folder_articles(corpus, group_by)
    else:
        articles = _corpus_articles(corpus, group_by)
    tok, split = lexicons.tokenizer, lexicons.sentence_splitter
    # words still short of lines, per group; a word leaves when it has its lines
    need = {str(g): {w: min(int(n), max_lines) for w, n in words.items() if min(int(n), max_lines) > 0}
            for g, words in (wanted or {}).items()}
    scan = Scan(lines={g: {} for g in need})
    kinds = set(kinds)

    def speech() -> Iterator[dict]:
        for art, raw, segs in articles:
            scan.n_articles += 1
            keep = scan.n_articles <= max_articles
            if keep:
                scan.articles.append({**{k: art.get(k, "") for k in ARTICLE_FIELDS}, "text": raw()})
            scan.n_segments += len(segs)
            for seg in segs:  # a tuple: FIELDS, then the group, then the text
                scan.n_unreviewed += not seg[7]
                if keep or seg[0] in segment_ids:
                    scan.keep_segment(seg)
                    if seg[0] in segment_ids:
                        scan.texts[seg[0]] = normalize(seg[9])
                if seg[4] in kinds:
                    yield seg

    stream = speech()
    while batch := list(islice(stream, BATCH)):
        for seg, toks in zip(batch, tok.pipe([s[9] for s in batch]), strict=True):
            entry = scan.speakers.setdefault(seg[5], [seg[6], 0])
            entry[1] += len(toks)
            pending = need.get(str(seg[8]))
            if pending and not pending.keys().isdisjoint(toks):
                _add_lines(scan, seg, str(seg[8]), pending, tok, split)
    return scan


def _add_lines(scan: Scan, seg: tuple, group: str, pending: dict, tok, split) -> None:
    """Concordance lines of ``seg`` for the words still pending: whole sentences, the word marked."""
    norm, toks = tok.spans(seg[9])
    spans = split.spans(norm)
    for t in toks:
        if t.token not in pending:
            continue
        lines = scan.lines[group].setdefault(t.token, [])
        a, b = next(((a, b) for a, b in spans if a <= t.start < b), (0, len(norm)))
        left, right = norm[a:t.start], norm[t.end:b]
        # a run-on "sentence" (a table, a list without stops) keeps CONTEXT characters a side
        left = left if len(left) <= CONTEXT else "…" + left[-CONTEXT:]
        right = right if len(right) <= CONTEXT else right[:CONTEXT] + "…"
        lines.append([seg[0], left, norm[t.start:t.end], right])
        if len(lines) >= pending[t.token]:
            del pending[t.token]
    # the line's speaker and article are shown beside it, also when its article is not embedded
    scan.keep_segment(seg)


__all__ = ["Scan", "scan_corpus"]
