"""Reviewing an article's segments without character offsets, and taking an article out.

``c6lab corpus review ARTICLE`` writes the article's text cut into its segments, each under
a header line::

    ## quote | Aida Karimova | UZ
    “Transit through the Caspian is now our priority,” she said.

The reviewer edits header lines (kind, speaker, country), and moves a boundary by moving a
header line to another place in the text (a new line may be started anywhere: the line
break before a header line is not part of the text). :func:`apply_review` checks that the
text itself is unchanged, recomputes the offsets and marks every segment of the article
reviewed. White space at a boundary belongs to the segment before it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import CorpusError, Problem
from .attribution import slug
from .change import problems_of, read_table
from .model import open_corpus
from .transaction import DEFAULT_LOCK_TIMEOUT, corpus_transaction
from .validate import KINDS, SPEAKER_KINDS, UNKNOWN_COUNTRY, country_problem, known_countries

HEADER = re.compile(r"^## (.*)$")
_COUNTRY = re.compile(r"[A-Z]{2}")
INSTRUCTIONS = """\
# Review of article {aid} ({n} segments). These "# " lines are comments.
# Each segment is a header line "## kind | speaker name | country" followed by its text.
# kinds: {kinds}; speaker and country only for quote and paraphrase (country: ISO 3166
# alpha-2, e.g. UZ, or ?? if unknown). Edit the header lines; to move a boundary, move a
# header line (start a new line where the segment should begin). Do not change the text.
# Then: c6lab corpus review {aid} --apply THIS_FILE
"""


def _get_article(corpus, article_id: str) -> pd.DataFrame:
    segs = corpus.segments[corpus.segments["article_id"] == article_id]
    if segs.empty:
        known = ", ".join(corpus.articles["article_id"]) or "none yet"
        raise CorpusError([Problem("articles.csv", None, "article_id",
                                   f"no article {article_id!r} in this corpus (articles: {known})")])
    return segs


def show_article(root: str | Path, article_id: str, width: int = 60) -> pd.DataFrame:
    """One row per segment of an article: ``segment_id, kind, speaker, country, reviewed, text``
    (the first ``width`` characters of the normalised text)."""
    from ..text import normalize

    corpus = open_corpus(root)
    segs = _get_article(corpus, article_id)
    countries = dict(zip(corpus.speakers["speaker_id"], corpus.speakers["country"])) if len(corpus.speakers) else {}
    out = segs[["segment_id", "kind", "speaker"]].copy()
    out["country"] = [countries.get(s, "") for s in segs["speaker_id"]]
    out["reviewed"] = segs["reviewed"].map({True: "yes", False: "no"})
    out["text"] = [_clip(normalize(t), width) for t in segs["text"]]
    return out.reset_index(drop=True)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def review_text(root: str | Path, article_id: str) -> str:
    """The review file of an article (see the module description)."""
    corpus = open_corpus(root)
    segs = _get_article(corpus, article_id)
    countries = dict(zip(corpus.speakers["speaker_id"], corpus.speakers["country"]))
    parts = [INSTRUCTIONS.format(aid=article_id, n=len(segs), kinds=", ".join(KINDS))]
    for seg in segs.itertuples(index=False):
        head = seg.kind if seg.kind not in SPEAKER_KINDS else (
            f"{seg.kind} | {seg.speaker} | {countries.get(seg.speaker_id, UNKNOWN_COUNTRY)}")
        parts.append(f"## {head}\n{seg.text.rstrip(chr(10))}\n")
    return "".join(parts)


def _parse(review: str, label: str) -> list[tuple[int, str, str, str, str]]:
    """``(header line number, kind, speaker, country, body)`` per block."""
    blocks: list[list] = []
    for no, line in enumerate(review.split("\n"), start=1):
        m = HEADER.match(line)
        if m:
            fields = [f.strip() for f in m.group(1).split("|")]
            blocks.append([no, fields, []])
        elif not blocks:
            # comments ("# ...") only before the first header: after it, every line is text
            if line.strip() and not line.startswith("#"):
                raise CorpusError([Problem(label, no, None, "text before the first '## kind' header line")])
        else:
            blocks[-1][2].append(line)
    out = []
    for no, fields, body in blocks:
        kind = fields[0]
        if kind not in KINDS:
            raise CorpusError([Problem(label, no, "kind", f"{kind!r} is not one of {', '.join(KINDS)}")])
        speaker = fields[1] if len(fields) > 1 else ""
        country = fields[2] if len(fields) > 2 else ""
        if kind in SPEAKER_KINDS:
            if not speaker:
                raise CorpusError([Problem(label, no, "speaker", f"a {kind} needs a speaker: "
                                           f"'## {kind} | Full Name | CC'")])
            if country != UNKNOWN_COUNTRY and not _COUNTRY.fullmatch(country):
                raise CorpusError([Problem(label, no, "country", f"{country!r} is not an ISO 3166 alpha-2 "
                                           "code (e.g. UZ) or ??")])
        elif speaker or country:
            raise CorpusError([Problem(label, no, "speaker", f"a {kind} segment has no speaker")])
        out.append((no, kind, speaker, country, "\n".join(body)))
    if not out:
        raise CorpusError([Problem(label, None, None, "no '## kind' header line: not a review file")])
    return out


def _match(body: str, raw: str, pos: int) -> tuple[int, int]:
    """Walk ``body`` along ``raw`` from ``pos``; return (end in raw, -1) or (pos reached, bad index).

    A run of white space matches a run of white space of any length (a header line that
    was there, or a line the reviewer started, adds line breaks the text does not have),
    and a run holding a line break may stand where the text has none; any other
    difference is a change to the text.
    """
    i, j = 0, pos
    while i < len(body):
        if body[i].isspace():
            start_i, start_j = i, j
            while i < len(body) and body[i].isspace():
                i += 1
            while j < len(raw) and raw[j].isspace():
                j += 1
            if j == start_j and "\n" not in body[start_i:i]:
                return start_j, start_i  # white space the text does not have
        elif j < len(raw) and raw[j] == body[i]:
            i, j = i + 1, j + 1
        else:
            return j, i
    return j, -1


def _offsets(blocks, raw: str, label: str) -> list[tuple[int, int]]:
    """Align the blocks' text with the raw text; white space at a boundary goes before it."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for no, _, _, _, body in blocks:
        lead_lines = body[: len(body) - len(body.lstrip())].count("\n")  # blank lines after the header
        body = body.strip()
        if not body:
            raise CorpusError([Problem(label, no, None, "this segment has no text (two header lines in a row?)")])
        while pos < len(raw) and raw[pos].isspace():
            pos += 1
        if spans:
            spans[-1] = (spans[-1][0], pos)
        end, bad = _match(body, raw, pos)
        if bad >= 0:
            line = no + 1 + lead_lines + body[:bad].count("\n")
            raise CorpusError([Problem(label, line, None,
                                       f"the text differs from the article here ({body[bad:bad + 30]!r} where "
                                       f"the article has {raw[end:end + 30]!r}); only header lines may change")])
        spans.append((0 if not spans else pos, end))
        pos = end
    if raw[pos:].strip():
        raise CorpusError([Problem(label, blocks[-1][0], None, f"the article goes on after the last segment "
                                   f"({raw[pos:pos + 30]!r}): text was deleted")])
    spans[-1] = (spans[-1][0], len(raw))
    return spans


def apply_review(root: str | Path, article_id: str, review_file: str | Path,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> pd.DataFrame:
    """Apply an edited review file: new offsets, kinds, speakers; every segment reviewed.

    A speaker named in a header who is not in ``speakers.csv`` is added with the country
    given; the country of a known speaker is set to the one given. Refuses, naming the
    line, any change to the text, an unknown kind or an invalid country. Returns the
    article's segments as :func:`show_article` does.
    """
    root = Path(root)
    review_file = Path(review_file)
    blocks = _parse(review_file.read_text(encoding="utf-8"), str(review_file))
    known = known_countries(root)  # ISO 3166-1 and the corpus's extra_countries.csv
    bad = [Problem(str(review_file), no, "country", why) for no, kind, _, country, _ in blocks
           if kind in SPEAKER_KINDS and (why := country_problem(country, known))]
    if bad:
        raise CorpusError(bad)
    with corpus_transaction(root, "review", lock_timeout=lock_timeout) as tx:  # read-modify-write: locked
        problems = problems_of(root)
        if problems:
            raise CorpusError(problems)
        corpus = open_corpus(root)
        segs = _get_article(corpus, article_id)
        raw = corpus.raw_text(article_id)
        spans = _offsets(blocks, raw, str(review_file))
        speakers, segments = read_table(root, "speakers.csv"), read_table(root, "segments.csv")
        by_name = {row["name"]: row for row in speakers.rows}
        old = {int(s): (sid, note) for s, sid, note in zip(segs["char_start"], segs["segment_id"], segs["note"])}
        used = {r["segment_id"] for r in segments.rows if r["article_id"] != article_id}
        new_rows = []
        for n, ((start, end), (_, kind, name, country, _)) in enumerate(zip(spans, blocks), start=1):
            speaker_id = ""
            if kind in SPEAKER_KINDS:
                row = by_name.get(name) or _new_speaker(speakers, name, by_name)
                row["country"] = country
                speaker_id = row["speaker_id"]
            sid, note = old.get(start, (None, ""))
            if sid is None or sid in used:
                sid, k = f"{article_id}-r{n:03d}", n
                while sid in used:
                    k += 1
                    sid = f"{article_id}-r{k:03d}"
            used.add(sid)
            new_rows.append({"article_id": article_id, "segment_id": sid, "char_start": start, "char_end": end,
                             "kind": kind, "speaker_id": speaker_id, "reviewed": "yes", "note": note})
        position = next(i for i, r in enumerate(segments.rows) if r["article_id"] == article_id)
        others = [r for r in segments.rows if r["article_id"] != article_id]
        segments.rows = others[:position] + new_rows + others[position:]
        tx.write("speakers.csv", speakers.to_bytes())
        tx.write("segments.csv", segments.to_bytes())
    return show_article(root, article_id)


def _new_speaker(speakers, name: str, by_name: dict) -> dict:
    ids = {r["speaker_id"] for r in speakers.rows}
    base = slug(name.split()[-1], 30) or "speaker"
    sid, n = base, 2
    while sid in ids:
        sid, n = f"{base}{n}", n + 1
    row = {"speaker_id": sid, "name": name, "country": UNKNOWN_COUNTRY, "affiliation": "", "role": ""}
    speakers.rows.append(row)
    by_name[name] = row
    return row


def remove_article(root: str | Path, article_id: str, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> list[str]:
    """Take an article out: its row, its segments and its raw files, in one change.

    Speakers stay in ``speakers.csv`` (they may speak in other articles, or come back).
    Returns the files deleted.
    """
    root = Path(root)
    with corpus_transaction(root, "remove", lock_timeout=lock_timeout) as tx:
        articles, segments = read_table(root, "articles.csv"), read_table(root, "segments.csv")
        row = next((r for r in articles.rows if r["article_id"] == article_id), None)
        if row is None:
            known = ", ".join(r["article_id"] for r in articles.rows) or "none yet"
            raise CorpusError([Problem("articles.csv", None, "article_id",
                                       f"no article {article_id!r} in this corpus (articles: {known})")])
        articles.rows = [r for r in articles.rows if r is not row]
        segments.rows = [r for r in segments.rows if r["article_id"] != article_id]
        deletes = tuple(f for f in (row["raw_file"], row.get("source_file", "")) if f)
        # another article may share the raw file only by mistake; never delete a file still in use
        in_use = {r["raw_file"] for r in articles.rows} | {r.get("source_file", "") for r in articles.rows}
        deletes = tuple(f for f in deletes if f not in in_use)
        tx.write("articles.csv", articles.to_bytes())
        tx.write("segments.csv", segments.to_bytes())
        for rel in deletes:
            tx.delete(rel)
    return list(deletes)
