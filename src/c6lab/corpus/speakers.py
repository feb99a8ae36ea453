"""Who is who in a new article: person names, known speakers, and their countries.

Used by :mod:`c6lab.corpus.attribution`. Names are runs of capitalised words; the person's
name is the part of a run after its last *stop word*: a word of ``not_person_words.txt``
(titles, bodies, outlets: "Deputy Assistant Secretary of State **Michael Harlan**") or of
``demonyms.csv`` ("**Kyrgyz** analyst"). A run that continues a capitalised phrase through
"of", "for" or "and" loses its first word ("Institute for *Strategic* Studies", "Minister of
Transport and *Infrastructure* Selim Arıkan"), so the tail of an institution's name is not
taken for a person. A new person needs at least two words; one word only refers back to a
person named in full earlier in the article, or to a known speaker of that surname.

A new speaker's country is, in this order: the one given by the user (``--speaker
"Name=CC"``), the first demonym, country or city name in the phrase that introduces the
person ("Uzbek political scientist X", "X, an expert from Kyrgyzstan,", "the EU's envoy,
X,"), else ``??``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..text import fold_case, normalize

_TOKEN = re.compile(r"(?:[A-Z]\.)+|[^\W\d_][\w'\u2019-]*")
_POSSESSIVE = re.compile(r"['\u2019]s$")
_ORG_JOIN = re.compile(r"[A-Z][\w'\u2019.-]*\s+(?:of|for|and|&)(?:\s+the)?\s+$")
_CLAUSE = re.compile(r"[,;:()\u2014]")
_RELATIVE = re.compile(r"\b(?:who|which|whose)\b")


def slug(text: str, max_len: int = 40) -> str:
    """Lower-case ASCII identifier from ``text``, cut at a word boundary.

    Examples
    --------
    >>> slug("Edil Osmonbetov"), slug("Selim Arıkan"), slug("İLHAM ALİYEV")
    ('edil_osmonbetov', 'selim_ar_kan', 'ilham_aliyev')
    """
    out = re.sub(r"[^a-z0-9]+", "_", fold_case(normalize(text))).strip("_")
    if len(out) > max_len:  # cut at a word boundary where there is one
        cut = out[: max_len + 1].rfind("_")
        out = out[: cut if cut > 0 else max_len]
    return out.rstrip("_")


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", fold_case(normalize(name))).strip().casefold()


class Speakers:
    """Known speakers plus the people named, and the speakers proposed, in a new article.

    Parameters
    ----------
    rows : list of dict
        ``speakers.csv`` rows (``speaker_id, name, country, affiliation, role``).
    countries : dict
        ``name -> country`` given by the user; wins over any inferred country.
    not_person : frozenset of str
        Lower-case stop words (``Lexicons.not_person_words``).
    demonyms : mapping, optional
        ``word -> country`` (``Lexicons.demonyms``); also set by :meth:`use`.

    Examples
    --------
    >>> sp = Speakers([], {}, frozenset({"analyst"}), {"Kyrgyz": "KG"})
    >>> [m[2] for m in sp.mention("Kyrgyz analyst Edil Osmonbetov spoke.")]
    ['Edil Osmonbetov']
    >>> sp.find("Osmonbetov", allow_new=True)
    'osmonbetov'
    >>> sp.new[0]["country"]
    'KG'
    """

    def __init__(self, rows: list[dict], countries: dict[str, str], not_person: frozenset[str],
                 demonyms: Mapping[str, str] | None = None):
        self.rows = rows
        self.countries = {_key(k): v for k, v in countries.items()}
        self.not_person = frozenset(not_person)
        self.new: list[dict] = []
        self.matched: list[str] = []
        self.introduced: dict[str, str] = {}  # surname -> full name, as last named in full
        self.inferred: dict[str, str] = {}  # full name -> country from its introducing phrase
        self._set_demonyms(demonyms or {})

    def use(self, lexicons) -> None:
        """Take the demonyms of ``lexicons`` unless some were given to the constructor."""
        if not self.demonyms:
            self._set_demonyms(lexicons.demonyms)

    def _set_demonyms(self, demonyms: Mapping[str, str]) -> None:
        self.demonyms = dict(demonyms)
        alts = "|".join(re.escape(w) for w in sorted(self.demonyms, key=len, reverse=True))
        self._demonym = re.compile(rf"(?<![\w.])(?:{alts})(?!\w)") if alts else None
        self.stop = self.not_person | {p.casefold() for w in self.demonyms for p in w.split()}

    # -- names ------------------------------------------------------------------------------
    def _is_stop(self, word: str) -> bool:
        word = _POSSESSIVE.sub("", word).casefold()
        return word in self.stop or any(p in self.stop for p in word.split("-") if p)

    def names(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, name)`` of every person name in ``text`` (see the module docstring).

        Examples
        --------
        >>> sp = Speakers([], {}, frozenset({"institute", "studies", "minister", "deputy"}), {"Turkish": "TR"})
        >>> [n for _, _, n in sp.names("Turkish Deputy Minister of Transport and Infrastructure "
        ...                            "Selim Arıkan visited the Institute for Strategic Studies.")]
        ['Selim Arıkan']
        """
        out, run = [], []
        for m in _TOKEN.finditer(text):
            cap = m.group()[0].isupper()
            if cap and run and text[run[-1].end():m.start()] == " " and not _POSSESSIVE.search(run[-1].group()):
                run.append(m)
                continue
            if run:
                out += self._name_of(text, run)
            run = [m] if cap else []
        if run:
            out += self._name_of(text, run)
        return out

    def _name_of(self, text: str, run: list[re.Match]) -> list[tuple[int, int, str]]:
        words = [_POSSESSIVE.sub("", m.group()) for m in run]
        stops = [i for i, w in enumerate(words) if self._is_stop(w)]
        first = stops[-1] + 1 if stops else 0
        if not stops and _ORG_JOIN.search(text[max(0, run[0].start() - 80):run[0].start()]):
            first = 1  # "Institute for Strategic Studies": the tail of a body's name
        first = max(first, len(run) - 3)
        if first >= len(run):
            return []
        start, end = run[first].start(), run[-1].start() + len(words[-1])
        return [(start, end, " ".join(words[first:]))]

    def mention(self, sentence: str) -> list[tuple[int, int, str]]:
        """Names in a narrative ``sentence``; full names are remembered with their country."""
        found = self.names(sentence)
        for start, end, name in found:
            if len(name.split()) >= 2:
                self.introduced[name.split()[-1].casefold()] = name
                if _key(name) not in self.inferred:
                    country = self.country_near(sentence, start, end)
                    if country:
                        self.inferred[_key(name)] = country
        return found

    def country_near(self, sentence: str, start: int, end: int) -> str | None:
        """Country of the demonym nearest in grammar to the name at ``start:end``.

        First the words before the name back to a comma ("Uzbek political scientist X",
        "Russian Ambassador to Uzbekistan X": the first, RU); for a name in apposition
        (", X,") the clause before it; then an apposition after the name up to the next
        comma (", an expert from Kyrgyzstan,"), not a relative clause (", who visited Baku").

        Examples
        --------
        >>> sp = Speakers([], {}, frozenset(), {"Russian": "RU", "Uzbekistan": "UZ", "Baku": "AZ"})
        >>> s = "Russian Ambassador to Uzbekistan Oleg Krasnov, who lives in Baku, said so."
        >>> sp.country_near(s, 33, 45)
        'RU'
        >>> sp.country_near("Oleg Krasnov, who lives in Baku, said so.", 0, 12) is None
        True
        """
        if self._demonym is None:
            return None
        before = _CLAUSE.split(sentence[:start])[-1]
        if not before.strip() and sentence[:start].rstrip().endswith(",") and sentence[end:].lstrip().startswith(","):
            before = _CLAUSE.split(sentence[:start].rstrip()[:-1])[-1]
        after = ""
        rest = sentence[end:]
        if rest.lstrip().startswith(","):
            after = _CLAUSE.split(rest.lstrip()[1:])[0]
        elif re.match(r"\s+(?:of|from)\s", rest):
            after = _CLAUSE.split(rest)[0]
        after = _RELATIVE.split(after)[0]
        for part in (before, after):
            m = self._demonym.search(part)
            if m:
                return self.demonyms[m.group()]
        return None

    # -- speakers ---------------------------------------------------------------------------
    def known(self, name: str) -> bool:
        """True if ``name`` is, or refers back to, a person (not a body, not a lone word)."""
        words = name.split()
        return bool(words) and not any(self._is_stop(w) for w in words) and (
            len(words) >= 2 or words[0].casefold() in self.introduced
            or any(r["name"].split()[-1].casefold() == words[0].casefold() for r in self.rows))

    def find(self, name: str, allow_new: bool) -> str | None:
        """Speaker id of ``name``: a known speaker, one proposed already, or (``allow_new``) a new one.

        A surname alone is the person last named in full in this article, else the known
        speaker of that surname. A full name matches a speaker of the same full name only:
        "Bakyt Sydykov" is not the known "Timur Sydykov".
        """
        name = re.sub(r"\s+", " ", normalize(name)).strip()
        words = name.split()
        if not words or any(self._is_stop(w) for w in words):
            return None
        if len(words) == 1:
            full = self.introduced.get(words[0].casefold())
            if full:
                name, words = full, full.split()
            else:
                same = [r for r in self.rows + self.new if r["name"].split()[-1].casefold() == words[0].casefold()]
                if len(same) == 1:
                    self._note_match(same[0])
                    return same[0]["speaker_id"]
                return None
        for row in self.rows + self.new:
            if _key(row["name"]) == _key(name):
                self._note_match(row)
                return row["speaker_id"]
        return self._add(name) if allow_new else None

    def _note_match(self, row: dict) -> None:
        if row in self.rows and row["name"] not in self.matched:
            self.matched.append(row["name"])

    def _add(self, name: str) -> str:
        base = slug(name.split()[-1], 30) or "speaker"
        ids = {r["speaker_id"] for r in self.rows + self.new}
        sid, n = base, 2
        while sid in ids:
            sid, n = f"{base}_{n}", n + 1
        country = (self.countries.get(_key(name)) or self.countries.get(_key(name.split()[-1]))
                   or self.inferred.get(_key(name)) or "??")
        self.new.append({"speaker_id": sid, "name": name, "country": country, "affiliation": "", "role": ""})
        return sid
