"""Propose segments for a new article: quotations by their marks, speakers by attribution.

The proposal is a draft for a human annotator. In reading order:

* the paragraph equal to the title given is ``title``; page furniture and teasers of other
  stories are set aside as ``boilerplate`` / ``unrelated`` (:mod:`c6lab.corpus.propose`);
* quotations are found by their marks (straight or curly), also when one quote runs over
  several paragraphs; each paragraph of a quote is one segment;
* every other sentence is read for reported speech: "X notes that ...", "X said the ...",
  "X, an expert from ..., believes that ...", "..., saying that ...", "According to her,
  ...", "In his view, ...", "As X stressed, ...", "..., according to X." The framing is
  ``narrative`` and the reported content, to the end of the sentence, ``paraphrase``;
* a quote goes to the person named just after it ('..." Harlan said', '..." said X',
  '..." she noted', '..." the ambassador said') or just before it ('X said: "...'); a quote
  that opens a paragraph without either goes to the person of the sentence before it.

"She", "he" and the references of ``speaker_references.txt`` ("the expert") refer to the
person named last, across paragraphs; "the <role>" also to the person last introduced
with that role ("Turkish Ambassador to Uzbekistan Mehmet Kaya ... the ambassador said").
Who is a person, and a new speaker's country, is decided in :mod:`c6lab.corpus.speakers`.
The word lists used are the corpus's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicons import Lexicons, resolve
from ..text import normalize
from .propose import paragraphs, propose_kinds
from .speakers import Speakers, slug

__all__ = ["Segment", "Speakers", "propose_segments", "slug"]

OPEN_MARKS = "\u201c\u201e\u00ab"  # “ „ «
CLOSE_MARKS = "\u201d\u00bb"  # ” »
STRAIGHT = '"'
_AUX = re.compile(r"(?:\s+(?:has|had|have|also|further|then|again|once|later|earlier|previously|repeatedly"
                  r"|additionally|would|will|[a-z]+ly))+\s*$")
# Russified surnames, common in the region: a hint for "she"/"he" when no pronoun has been seen
_FEMININE = re.compile(r"(?:ova|eva|yeva|ina|skaya|kaya)$")
_MASCULINE = re.compile(r"(?:ov|ev|yev|in|sky|skiy)$")
# "This opinion was expressed to 24.kg by economist X": the sentence before is X's
_BACKWARD = re.compile(r"\W*(?:This|That|Such|These)\b[^.]{0,40}?\b(?:was|were|is|has\s+been)\s+(?:\w+\s+){0,2}"
                       r"(?:expressed|voiced|shared|stated|said|announced|made|noted)\b.*?\bby\b")
BEFORE = [(-1, -1)]  # spans value: the words reported are the sentence before
_PREP = frozenset("in on at during after before while when with to from for by about as last this earlier "
                  "yesterday today later recently also of and but again however too not".split())


@dataclass
class Segment:
    """A proposed span ``[start, end)`` of the raw text, its kind and speaker id."""

    start: int
    end: int
    kind: str
    speaker: str = ""  # speaker id
    note: str = ""


# ------------------------------------------------------------------ reading sentences


class _Reader:
    """Reads narrative sentences in order, keeping track of the person named last."""

    def __init__(self, speakers: Speakers, lexicons: Lexicons):
        self.sp = speakers
        verbs = sorted(lexicons.speech_verbs, key=len, reverse=True)
        refs = sorted(lexicons.speaker_references, key=len, reverse=True)
        self.verb = re.compile(r"\b(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in verbs) + r")\b")
        alts = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in refs)
        self.ref = re.compile(rf"(?:^|[\s,])({alts})\s*$", re.IGNORECASE)
        self.ref_first = re.compile(rf"\s*({alts})\b", re.IGNORECASE)
        self.recent: list[str] = []  # persons, the one named last at the end
        self.genders: dict[str, str] = {}  # person -> "f" / "m", learnt from pronouns
        self.previous: str | None = None  # person of the sentence just read
        self.roles: dict[str, str] = {}  # role word -> person introduced with it

    # -- who is meant ------------------------------------------------------------------------
    @property
    def current(self) -> str | None:
        """The person named last."""
        return self.recent[-1] if self.recent else None

    @current.setter
    def current(self, person: str) -> None:
        if person in self.recent:
            self.recent.remove(person)
        self.recent.append(person)

    def _gender(self, person: str) -> str | None:
        if person in self.genders:
            return self.genders[person]
        surname = person.split()[-1].casefold()
        return "f" if _FEMININE.search(surname) else "m" if _MASCULINE.search(surname) else None

    def pronoun(self, word: str) -> str | None:
        """The person a pronoun refers to: the last named whose gender does not contradict it."""
        g = {"she": "f", "her": "f", "he": "m", "him": "m", "his": "m"}.get(word.casefold())
        if g is None:
            return self.current
        for person in reversed(self.recent):
            if self._gender(person) in (None, g):
                self.genders.setdefault(person, g)
                return person
        return self.current

    def _reference(self, left: str) -> tuple[str | None, int] | None:
        """A pronoun or reference ending ``left``: (person, start) or None.

        "the ambassador" is the person last introduced as one, else the person named last.
        """
        m = self.ref.search(left)
        if not m:
            return None
        if " " not in m.group(1).strip():
            return self.pronoun(m.group(1).strip()), m.start(1)
        return self.roles.get(m.group(1).split()[-1].casefold(), self.current), m.start(1)

    def subject(self, s: str, pos: int, names: list) -> tuple[str | None, int] | None:
        """Person who is the subject of the verb at ``pos``: (person, start of subject)."""
        left = s[:pos]
        m = _AUX.search(left)
        end = m.start() if m else len(left.rstrip())
        left = left[:end]
        for a, b, name in reversed(names):
            if b > end:
                continue
            tail = left[b:]
            if re.fullmatch(r"\s*,?\s*", tail) or (re.fullmatch(r"\s*,[^,.;]{1,200},\s*", tail)):
                return (name, a) if self.sp.known(name) else None
            break
        return self._reference(left)

    def frame(self, s: str) -> tuple[str | None, list[tuple[int, int]], bool]:
        """Person of sentence ``s``, the spans reporting their words, and whether speech is attributed.

        The person is the speaker if a framing is found, else the first person named.
        """
        names = self.sp.mention(s)
        verbs = self.verb.pattern
        for lead in (re.match(r"\W*(?:(?:But|And|Yet|So|Thus)\s+)?[Aa]ccording\s+to\s+([^,]{1,150}?)\s*,\s*", s),
                     re.match(r"\W*As\s+([^,]{1,150}?)\s+(?:" + verbs + r")\s*,\s*", s)):
            if lead and (person := self._named(s, lead.start(1), lead.end(1), names)):
                return person, [(lead.end(), len(s))], True
        m = _BACKWARD.match(s)
        if m and (person := self._named(s, m.end(), len(s), names)):
            return person, BEFORE, True
        m = re.match(r"\W*In\s+(his|her|their)\s+(?:view|opinion|words|assessment|estimation)\s*,\s*", s)
        if m and self.current:
            return self.pronoun(m.group(1)), [(m.end(), len(s))], True
        m = re.search(r",\s*according\s+to\s+([^,]{1,150}?)\s*[.!?]?$", s)
        if m and (person := self._named(s, m.start(1), m.end(1), names)):
            return person, [(0, m.start())], True
        attributed = None
        for v in self.verb.finditer(s):
            if v.group().endswith("ing") and re.search(r"(?:,|\bas)\s*$", s[:v.start()]):  # ", saying that"
                first = next((n for _, b, n in names if b <= v.start() and self.sp.known(n)), None)
                if first is None and (pro := re.match(r"\W*(she|he|they)\b", s, re.IGNORECASE)):
                    first = self.pronoun(pro.group(1))
                who = (first, 0) if first else None
            else:
                who = self.subject(s, v.start(), names)
            if not who or not who[0]:
                continue
            person, sub_start = who
            attributed = attributed or person
            comma = re.match(r"\s*,\s*", s[v.end():])
            if sub_start > 0 and s[:sub_start].rstrip().endswith(",") and comma:  # "X's role, she stated, is"
                return person, [(0, len(s[:sub_start].rstrip())), (v.end() + comma.end(), len(s))], True
            start = self._content(s, v)
            if start is not None:
                return person, [(start, len(s))], True
        if attributed:
            return attributed, [], True
        people = [n for _, _, n in names if self.sp.known(n)]
        return (people[0] if people else None), [], False

    def _named(self, s: str, a: int, b: int, names: list) -> str | None:
        inside = [n for x, y, n in names if a <= x and y <= b and self.sp.known(n)]
        if inside:
            return inside[-1]
        if re.fullmatch(r"\s*(?:him|her|them)\s*", s[a:b]):
            return self.pronoun(s[a:b].strip())
        ref = self._reference(s[a:b])
        return ref[0] if ref else None

    def _content(self, s: str, v: re.Match) -> int | None:
        """Where the reported content after the verb ``v`` starts, or None."""
        pos = v.end()
        if v.group() in ("told", "tells"):  # "told Kabar that", "told officials in Astana that"
            m = re.match(r"\s+[^,.;:\"\u201c\u201d\u00ab\u00bb]{1,60}?\s+(?:that|how|whether)\s+", s[pos:])
            if m:
                return pos + m.end()
            m = re.match(r"\s+(?:[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*)*|reporters|journalists"
                         r"|the\s+\w+(?:\s+\w+)?|us|him|her|them)", s[pos:])
            pos += m.end() if m else 0
        # "said that", "said on Thursday that", "noted in a report that" (not "said China ... that")
        m = re.match(r"(?:\s+(?:" + "|".join(_PREP) + r")\b[^,.;:\"\u201c\u201d\u00ab\u00bb]{0,60}?)?,?\s+"
                     r"(?:that|how|whether)\s+", s[pos:])
        if m:
            return pos + m.end()
        m = re.match(r"\s*:?\s+([\w\u2019'-]+)", s[pos:])
        if m and m.group(1).casefold() not in _PREP and len(s[pos:].split()) >= 3 and not re.match(r"\s*,", s[pos:]):
            return pos + m.start(1)
        return None

    # -- reading ---------------------------------------------------------------------------
    def read(self, s: str) -> tuple[str | None, list[tuple[int, int]], bool]:
        """Frame sentence ``s`` (see :meth:`frame`) and update who was named last."""
        person, spans, attributed = self.frame(s)
        self._learn_roles(s)
        if person:
            self.current = person
        self.previous = person
        return person, spans, attributed

    def _learn_roles(self, s: str) -> None:
        for a, b, name in self.sp.names(s):
            if len(name.split()) < 2:
                continue
            before = re.split(r"[,;:()]", s[:a])[-1]
            after = re.split(r"[,;:()]", s[b:].lstrip(", "))[0] if s[b:].lstrip().startswith(",") else ""
            for w in re.findall(r"[A-Za-z][\w-]*", before + " " + re.split(r"\bwho\b", after)[0]):
                if w.casefold() not in _PREP and len(w) > 3:
                    self.roles[w.casefold()] = name

    def after_quote(self, s: str) -> str | None:
        """Person named in an attribution right after a closing mark ('" Harlan said')."""
        names = self.sp.mention(s)
        v = self.verb.search(s)
        if not v:
            return None
        if re.fullmatch(r"[\s,]*", s[:v.start()]):  # '" said Harlan', '" said the expert'
            rest = s[v.end():]
            for a, _, name in names:
                if a >= v.end() and re.fullmatch(r"\s*", s[v.end():a]) and self.sp.known(name):
                    return name
            ref = self.ref_first.match(rest)
            return self._reference(ref.group(1))[0] if ref else None
        who = self.subject(s, v.start(), names)
        if who and who[0] and re.fullmatch(r"[\s,]*(?:[^\s,.;:]+\s+){0,8}", s[: who[1]]):
            return who[0]  # '" Harlan said', '" the expert noted', '" Kyrgyz analyst X said'
        return None


# ------------------------------------------------------------------ segmentation


def _quote_pieces(text: str, paras: list[tuple[int, int]], skip: set[int]):
    """Split paragraphs into narrative and quote pieces; quotes get a group number.

    Yields (start, end, 'quote' | 'narrative' | 'set_aside', group, paragraph index). A
    quote that does not close at the end of its paragraph continues in the next one
    (whether or not that paragraph repeats the opening mark).
    """
    pieces = []
    group = -1
    in_quote = False
    for p, (s, e) in enumerate(paras):
        if p in skip:
            in_quote = False  # a quote cannot run into page furniture: treat it as unclosed
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


def _title_paragraph(text: str, paras: list[tuple[int, int]], title: str) -> int | None:
    """Index of the first of the top paragraphs that is the title (case and quotes aside)."""
    want = normalize(title).casefold()
    if not want:
        return None
    return next((p for p, (s, e) in enumerate(paras[:3]) if normalize(text[s:e]).casefold() == want), None)


def propose_segments(text: str, title: str, other_articles: dict[str, str],
                     speakers: Speakers, lexicons: Lexicons | None = None) -> list[Segment]:
    """Propose segments covering all of ``text`` (see the module docstring).

    Parameters
    ----------
    text : str
        The raw article.
    title : str
        Its title as given by the user ("" if unknown): the paragraph equal to it is ``title``.
    other_articles : dict
        ``article_id -> raw text`` of the corpus: a paragraph repeated there is a teaser.
    speakers : Speakers
        Known speakers; new ones are added to ``speakers.new``.
    lexicons : Lexicons, optional
        The corpus's word lists (default: the package's).

    Returns
    -------
    list of Segment
        In text order, covering every character once.

    Examples
    --------
    >>> text = 'Title\\nUzbek analyst Aziz Karimov notes that trade grows.\\n"It grows," he said.\\n'
    >>> sp = Speakers([], {}, Lexicons.default().not_person_words)
    >>> segs = propose_segments(text, "Title", {}, sp)
    >>> [(s.kind, s.speaker) for s in segs]
    [('title', ''), ('narrative', ''), ('paraphrase', 'karimov'), ('quote', 'karimov'), ('narrative', '')]
    >>> sp.new[0]["name"], sp.new[0]["country"]
    ('Aziz Karimov', 'UZ')
    """
    lexicons = resolve(lexicons)
    speakers.use(lexicons)
    paras = paragraphs(text)
    props = propose_kinds({**other_articles, "__new__": text}, lexicons=lexicons)
    props = props[props["article_id"] == "__new__"].reset_index(drop=True)
    set_aside = {i: k for i, k in enumerate(props["proposed_kind"]) if k in ("boilerplate", "unrelated")}
    title_p = _title_paragraph(text, paras, title)
    if title_p is not None:
        set_aside[title_p] = "title"
    pieces = _quote_pieces(text, paras, set(set_aside))
    reader = _Reader(speakers, lexicons)
    split = lexicons.sentence_splitter
    groups: dict[int, list[int]] = {}
    for idx, piece in enumerate(pieces):
        if piece[2] == "quote":
            groups.setdefault(piece[3], []).append(idx)

    def narrative_at(idx: int, para: int) -> str | None:
        if 0 <= idx < len(pieces) and pieces[idx][2] == "narrative" and pieces[idx][4] == para:
            return text[pieces[idx][0]:pieces[idx][1]]
        return None

    group_speaker: dict[int, str | None] = {}
    before_person: dict[int, str | None] = {}  # narrative piece -> speaker its last sentence names
    segments: list[Segment] = []
    for idx, (s, e, kind, g, p) in enumerate(pieces):
        if kind == "set_aside":
            segments.append(Segment(s, e, set_aside[p]))
            continue
        if kind == "quote":
            if g not in group_speaker:
                first, last = groups[g][0], groups[g][-1]
                after = narrative_at(last + 1, pieces[last][4])
                person = reader.after_quote(split(after)[0]) if after and split(after) else None
                if person is None and narrative_at(first - 1, pieces[first][4]) is not None:
                    person = before_person.get(first - 1)
                if person is None and narrative_at(first - 1, pieces[first][4]) is None:
                    person = reader.previous  # the quote opens a paragraph: the person just named
                group_speaker[g] = speakers.find(person, allow_new=True) if person else None
                if group_speaker[g]:
                    reader.current = reader.previous = person
            sid = group_speaker[g]
            segments.append(Segment(s, e, "quote", sid) if sid else
                            Segment(s, e, "narrative", note="quotation with no speaker found: review"))
            continue
        piece = text[s:e]
        attributed, last = False, []
        for n, (a, b) in enumerate(split.spans(piece)):
            person, spans, attributed = reader.read(piece[a:b])
            sid = speakers.find(person, allow_new=True) if person and spans else None
            if spans == BEFORE:
                for i in last if sid else []:  # "X should ... . This opinion was expressed by Y."
                    if segments[i].kind == "narrative":
                        segments[i] = Segment(segments[i].start, segments[i].end, "paraphrase", sid,
                                              note="proposed paraphrase (attributed after it): review")
                spans = []
            first = len(segments)
            pos = a if n else 0  # the space after a closing mark goes with the attribution
            for c, d in spans if sid else []:
                if a + c > pos:
                    segments.append(Segment(s + pos, s + a + c, "narrative"))
                segments.append(Segment(s + a + c, s + a + d, "paraphrase", sid, note="proposed paraphrase: review"))
                pos = a + d
            if pos < b:
                segments.append(Segment(s + pos, s + b, "narrative"))
            last = list(range(first, len(segments)))
        before_person[idx] = reader.previous if attributed else None
    return _cover(_merge(segments, text), len(text))


def _merge(segments: list[Segment], text: str) -> list[Segment]:
    """Join neighbouring narrative segments of one paragraph (one row per stretch)."""
    out: list[Segment] = []
    for seg in sorted(segments, key=lambda x: x.start):
        if (out and seg.kind == out[-1].kind == "narrative" and not seg.note and not out[-1].note
                and "\n" not in text[out[-1].end:seg.start]):
            out[-1].end = seg.end
        else:
            out.append(seg)
    return out


def _cover(segments: list[Segment], n: int) -> list[Segment]:
    """Give the whitespace between segments to the segment before it (or the first)."""
    segments = sorted(segments, key=lambda x: x.start)
    if not segments:
        return segments
    segments[0].start = 0
    for a, b in zip(segments, segments[1:]):
        a.end = b.start
    segments[-1].end = n
    return [s for s in segments if s.end > s.start]
