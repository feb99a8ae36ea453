"""Propose segments for a new article: quotations by their marks, speakers by attribution.

The proposal is a draft for a human annotator: paragraphs flagged as page furniture or
teasers (:mod:`c6lab.corpus.propose`), quotations found by their marks (straight or curly,
also when one quote runs over several paragraphs), and quotes and reported speech
attributed to speakers named in the text ("..., X said", "According to X", "X noted that
..."), matched against ``speakers.csv`` or proposed as new speakers. The word lists used
(speech verbs, speaker references, words that are not names) are the corpus's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicons import Lexicons, resolve
from ..text import normalize
from .propose import paragraphs, propose_kinds

OPEN_MARKS = "\u201c\u201e\u00ab"  # “ „ «
CLOSE_MARKS = "\u201d\u00bb"  # ” »
STRAIGHT = '"'
_NAME = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){0,2}"



def slug(text: str, max_len: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", normalize(text).lower()).strip("_")
    if len(slug) > max_len:  # cut at a word boundary where there is one
        cut = slug[: max_len + 1].rfind("_")
        slug = slug[: cut if cut > 0 else max_len]
    return slug.rstrip("_")


@dataclass
class Segment:
    start: int
    end: int
    kind: str
    speaker: str = ""  # speaker id
    note: str = ""



# ------------------------------------------------------------------ speakers


class Speakers:
    """Known speakers plus those proposed while reading the new article."""

    def __init__(self, rows: list[dict], countries: dict[str, str], not_person: frozenset[str]):
        self.not_person = not_person
        self.rows = rows
        self.countries = countries
        self.new: list[dict] = []
        self.matched: list[str] = []
        self.introduced: dict[str, str] = {}  # surname -> full name seen in this article

    def introduce(self, text: str) -> None:
        """Remember full names in the text, so a later bare surname can be resolved."""
        for m in re.finditer(_NAME, text):
            words = m.group().split()
            if len(words) >= 2 and self._is_person(words):
                self.introduced.setdefault(words[-1].lower(), m.group())

    def _is_person(self, words: list[str]) -> bool:
        return not any(w.lower() in self.not_person or w.lower().removesuffix("'s") in self.not_person
                       for w in words)

    def _all(self):
        return self.rows + self.new

    def find(self, name: str, allow_new: bool) -> str | None:
        name = re.sub(r"\s+", " ", normalize(name)).strip()
        words = name.split()
        if not words or not self._is_person(words):
            return None
        if len(words) == 1 and words[0].lower() in self.introduced:
            name = self.introduced[words[0].lower()]
            words = name.split()
        for row in self._all():
            full = row["name"]
            if full.lower() == name.lower() or full.split()[-1].lower() == words[-1].lower():
                self._note_match(row)
                return row["speaker_id"]
        if not allow_new or len(words) < 2:
            return None  # a single capitalised word is not enough to propose a new person
        return self._add(name)

    def _note_match(self, row: dict) -> None:
        if row in self.rows and row["name"] not in self.matched:
            self.matched.append(row["name"])

    def _add(self, name: str) -> str:
        base = slug(name.split()[-1], 30) or "speaker"
        ids = {r["speaker_id"] for r in self._all()}
        sid, n = base, 2
        while sid in ids:
            sid, n = f"{base}_{n}", n + 1
        country = self.countries.get(name) or self.countries.get(name.split()[-1]) or "??"
        self.new.append({"speaker_id": sid, "name": name, "country": country,
                         "affiliation": "", "role": ""})
        return sid


# ------------------------------------------------------------------ attribution


class _Attributor:
    def __init__(self, speakers: Speakers, lexicons: Lexicons):
        self.speakers = speakers
        verbs = sorted(lexicons.speech_verbs, key=len, reverse=True)
        refs = sorted(lexicons.speaker_references, key=len, reverse=True)
        v = "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in verbs)
        r = "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in refs)
        aux = r"(?:(?:has|had|also|further|then)\s+)*"
        self.name_verb = re.compile(rf"({_NAME}),?\s+{aux}(?:{v})\b")
        self.name_appos_verb = re.compile(rf"({_NAME}),[^.;]{{1,200}}?,\s+{aux}(?:{v})\b")
        self.verb_name = re.compile(rf"\b(?:{v}),?\s+({_NAME})")
        self.according = re.compile(rf"\b[Aa]ccording\s+to\s+({_NAME}|him|her|them)\b")
        self.ref_verb = re.compile(rf"(?i:\b({r}))\s+{aux}(?:{v})\b")
        self.view = re.compile(r"^\s*In\s+(?:his|her|their)\s+(?:view|opinion),\s*")
        self.reported = re.compile(
            rf"^(.*?\b(?:{_NAME}|(?i:{r}))(?:,[^.;]{{1,200}}?,)?\s+{aux}(?:{v})\s+(?:that|how)\s+)(\S.*)$",
            re.S)
        self.according_lead = re.compile(rf"^(\s*[Aa]ccording\s+to\s+({_NAME}|him|her|them),\s*)(\S.*)$",
                                         re.S)
        self.current: str | None = None

    def who(self, text: str, allow_new: bool = True) -> str | None:
        """Speaker referred to in a piece of narrative, or None."""
        for pattern in (self.name_verb, self.verb_name, self.name_appos_verb, self.according):
            for m in pattern.finditer(text):
                name = m.group(1)
                if name in ("him", "her", "them"):
                    return self.current
                sid = self.speakers.find(name, allow_new)
                if sid:
                    self.current = sid
                    return sid
        if self.ref_verb.search(text) and self.current:
            return self.current
        return None

    def split_reported(self, text: str) -> tuple[str, str, str] | None:
        """Split "X noted that <content>" into (lead, content, speaker id)."""
        m = self.view.match(text)
        if m and self.current:
            return text[: m.end()], text[m.end():], self.current
        m = self.according_lead.match(text)
        if m:
            sid = self.who(m.group(1))
            if sid:
                return m.group(1), m.group(3), sid
        m = self.reported.match(text)
        if m:
            sid = self.who(m.group(1))
            if sid:
                return m.group(1), m.group(2), sid
        return None


# ------------------------------------------------------------------ segmentation


def _quote_pieces(text: str, paras: list[tuple[int, int]], skip: set[int]):
    """Split paragraphs into narrative and quote pieces; quotes get a group number.

    Yields (start, end, 'quote' | 'narrative', group, paragraph index). A quote that
    does not close at the end of its paragraph continues in the next one (whether or
    not that paragraph repeats the opening mark).
    """
    pieces = []
    group = -1
    in_quote = False
    for p, (s, e) in enumerate(paras):
        if p in skip:
            if in_quote:  # a quote cannot run into page furniture: treat it as unclosed
                in_quote = False
            pieces.append((s, e, "set_aside", None, p))
            continue
        pos = s
        qstart = s if in_quote else None
        for i in range(s, e):
            ch = text[i]
            if ch not in OPEN_MARKS + CLOSE_MARKS + STRAIGHT:
                continue
            opening = ch in OPEN_MARKS or (ch == STRAIGHT and not in_quote)
            if in_quote and i == qstart and (ch in OPEN_MARKS or ch == STRAIGHT):
                continue  # continuation paragraph repeating the opening mark
            if opening and not in_quote:
                if i > pos:
                    pieces.append((pos, i, "narrative", None, p))
                group += 1
                in_quote, qstart = True, i
            elif in_quote and (ch in CLOSE_MARKS or ch == STRAIGHT):
                pieces.append((qstart, i + 1, "quote", group, p))
                in_quote, pos, qstart = False, i + 1, None
        if in_quote:
            pieces.append((qstart, e, "quote", group, p))
        elif pos < e:
            pieces.append((pos, e, "narrative", None, p))
    if in_quote:  # unclosed at the end of the article: not a reliable quote
        pieces = [(s, e, "narrative" if k == "quote" and g == group else k, None if g == group else g, p)
                  for s, e, k, g, p in pieces]
    return pieces


def propose_segments(text: str, title: str, other_articles: dict[str, str],
                     speakers: Speakers, lexicons: Lexicons | None = None) -> list[Segment]:
    """Propose segments covering all of ``text`` (see the module docstring)."""
    lexicons = resolve(lexicons)
    paras = paragraphs(text)
    props = propose_kinds({**other_articles, "__new__": text}, lexicons=lexicons)
    props = props[props["article_id"] == "__new__"].reset_index(drop=True)
    set_aside = {i: k for i, k in enumerate(props["proposed_kind"]) if k in ("boilerplate", "unrelated")}
    pieces = _quote_pieces(text, paras, set(set_aside))
    att = _Attributor(speakers, lexicons)
    speakers.introduce(normalize(text))
    by_group: dict[int, list[int]] = {}
    for idx, piece in enumerate(pieces):
        if piece[2] == "quote":
            by_group.setdefault(piece[3], []).append(idx)

    def narrative_near(idx: int, para: int) -> str | None:
        if 0 <= idx < len(pieces) and pieces[idx][2] == "narrative" and pieces[idx][4] == para:
            return text[pieces[idx][0] : pieces[idx][1]]
        return None

    # One pass in reading order, so "she said" refers to the speaker named last.
    group_speaker: dict[int, str | None] = {}
    segments: list[Segment] = []
    for s, e, kind, g, p in pieces:
        if kind == "set_aside":
            segments.append(Segment(s, e, set_aside[p]))
            continue
        if kind == "quote":
            if g not in group_speaker:
                first, last = by_group[g][0], by_group[g][-1]
                # who said it: after the closing mark, before the opening mark (same
                # paragraph), or in the paragraph that introduces the quote
                after = narrative_near(last + 1, pieces[last][4])
                before = narrative_near(first - 1, pieces[first][4])
                intro = narrative_near(first - 1, pieces[first][4] - 1)
                sid = None
                for candidate in (after, before, intro):
                    if candidate and (sid := att.who(candidate)):
                        break
                group_speaker[g] = sid
            sid = group_speaker[g]
            if sid:
                segments.append(Segment(s, e, "quote", sid))
            else:
                segments.append(Segment(s, e, "narrative", note="quotation with no speaker found: review"))
            continue
        piece = text[s:e]
        if p == 0 and title and normalize(piece) == normalize(title):
            segments.append(Segment(s, e, "title"))
            continue
        split = att.split_reported(piece)
        if split:
            lead, _, sid = split
            cut = s + len(lead)
            segments.append(Segment(s, cut, "narrative"))
            segments.append(Segment(cut, e, "paraphrase", sid, note="proposed paraphrase: review"))
        else:
            att.who(piece)  # a name in the narrative becomes the current speaker
            segments.append(Segment(s, e, "narrative"))
    return _cover(segments, len(text))


def _cover(segments: list[Segment], n: int) -> list[Segment]:
    """Give the whitespace between paragraphs to the segment before it (or the first)."""
    segments = sorted(segments, key=lambda x: x.start)
    if not segments:
        return segments
    segments[0].start = 0
    for a, b in zip(segments, segments[1:]):
        a.end = b.start
    segments[-1].end = n
    return [s for s in segments if s.end > s.start]
