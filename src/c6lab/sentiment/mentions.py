"""Finding the mentions of the powers and masking every alias before scoring.

A *mention* is one occurrence of an alias of a power from ``powers.csv`` (the rows of
:attr:`c6lab.Lexicons.aliases`). Person aliases (Trump, Putin, Xi ...) count for their
state; ``exclude`` rows are names that contain an alias but are not the power ("South
China Sea"): they are never mentions, but they are masked like an alias, so the words
inside a name ("Peace" in the "Trump Route for International Peace and Prosperity")
cannot score.

Which names count is data, decided row by row in ``powers.csv`` (see its ``note``
column): plural demonyms are aliases ("Americans", "Russians", "Europeans", "Turks";
"Chinese" is one form for adjective, noun and plural); currency and code uses are
exclude rows ("US$", "US dollars", "Russian rouble", "Chinese yuan", "Turkish lira"), as
are names of other things ("Xi'an", "American University of Central Asia", "European
Championship", "West Kazakhstan"). A corpus's own ``lexicons/powers.csv`` replaces the
package's list whole.

Nothing here knows VADER: :func:`masked_sentences` gives each sentence of a text with
its mentions and its masked form, and :mod:`c6lab.sentiment.scoring` scores them. All of
it is linear in the length of the text: one search for the aliases, one pass of the
sentence splitter, and sentences bounded by :data:`MAX_SENTENCE_CHARS`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..lexicons import Alias, Lexicons, resolve
from ..text import ZERO_WIDTH, is_shouting

EXCLUDE_PLACEHOLDER = "_x_"

# segment columns carried on to each mention when present
DOCVARS = ("article_id", "segment_id", "outlet", "kind", "speaker_id", "speaker", "country")
MENTION_COLUMNS = ["mention_id", "raw_start", "raw_end", "sentence_id", "sentence", "sentence_start",
                   "sentence_end", "power", "alias", "alias_type", "start", "end"]


@lru_cache(maxsize=1024)  # called once per mention
def placeholder(power: str) -> str:
    """The token that replaces an alias of ``power`` before scoring.

    It is lower case (so VADER's ALL-CAPS rule is not switched on) and never a word of
    VADER's lexicon: VADER strips the punctuation around a token unless at most two
    characters would remain, so ``_us_`` stays whole; a longer code gets a ``pw_``
    prefix, so that VADER's stripped form keeps an underscore (``_pw_war_`` is read as
    ``pw_war``, not as "war").

    Examples
    --------
    >>> placeholder("US"), placeholder("TR"), placeholder("WAR")
    ('_us_', '_tr_', '_pw_war_')
    """
    code = power.lower()
    return f"_{code}_" if len(code) <= 2 else f"_pw_{code}_"


# -- the matcher ------------------------------------------------------------------------------
# a word, as the tokenizer sees it: dotted initials ("U.S.") or letters/digits joined by - ' +
_WORD = re.compile(r"(?:[^\W_]\.){2,}|[^\W_]+(?:[-'\u2019+][^\W_]+)*")
_LOOK = 80  # characters searched for the word before an ambiguous alias
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")


def _rest_pattern(a: Alias, rest: str) -> str:
    """The pattern of an alias after its first character, with its word-end test."""
    body = re.escape(rest).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
    if body and not a.case_sensitive:
        body = f"(?i:{body})"
    # a whole word: no letter after it, except after a currency sign ("US$300" is "US$")
    return body if unicodedata.category(a.alias[-1]) == "Sc" else body + r"(?!\w)"


def _first_chars(a: Alias, form: str) -> list[str]:
    c = form[0]
    if a.case_sensitive:
        return [c]
    return list(dict.fromkeys(x for x in (c, c.lower(), c.upper(), c.casefold(), c.swapcase()) if len(x) == 1))


class AliasMatcher:
    """All aliases of ``powers.csv`` in one regular expression.

    * An alias is a whole word: "US" is not in "USAID", "Russia" not in "Belarussian",
      "Turk" not in "Turkmenistan". An alias ending in a currency sign ("US$") needs no
      word end after it, so "US$300" is that name, not a mention of the US.
    * Where aliases overlap, the longest wins ("South China Sea" before "China").
    * A case-sensitive alias in capitals that is also a common word (its lower-case form
      is in ``stopwords``: "US" and "us") is the common word when the word before or
      after it is in capitals too ("LET US GO"); the tokenizer applies the same rule.

    Built once per :class:`c6lab.Lexicons` (``lexicons.alias_matcher``). The aliases are
    grouped by their first letter behind a one-character test, so the engine tries only the
    few aliases that can start where it stands: the search runs at several MB/s.

    Parameters
    ----------
    aliases : iterable of Alias
        Rows of ``powers.csv`` (:attr:`c6lab.Lexicons.aliases`).
    stopwords : iterable of str
        Lower-case common words (:attr:`c6lab.Lexicons.stopwords`).

    Examples
    --------
    >>> m = Lexicons.default().alias_matcher
    >>> [(s, e, a.power) for s, e, a in m.finditer("Let us ask the US.")]
    [(15, 17, 'US')]
    >>> list(m.finditer("LET US GO"))
    []
    """

    def __init__(self, aliases: Iterable[Alias], stopwords: Iterable[str] = ()):
        longest_first = sorted(aliases, key=lambda a: len(a.alias), reverse=True)
        stop = frozenset(w.lower() for w in stopwords)
        # all-caps aliases that are also a common word in lower case ("US" / "us")
        self.ambiguous = frozenset(a.alias for a in longest_first if a.case_sensitive
                                   and a.alias.isupper() and a.alias.lower() in stop)
        self.aliases = longest_first
        # one alternative per alias, written form and first character, grouped under that
        # character: the engine's branch test skips a group on one comparison, and only
        # aliases that can start with the character at hand are tried, longest first
        groups: dict[str, list[tuple[str, Alias]]] = {}
        for a in longest_first:
            for form in dict.fromkeys([a.alias, unicodedata.normalize("NFD", a.alias)]):
                for c in _first_chars(a, form):
                    groups.setdefault(c, []).append((_rest_pattern(a, form[1:]), a))
        # an empty capture group closes each alternative: m.lastindex names the alias
        self._found: list[Alias] = []
        branches = []
        for c, alts in groups.items():
            inner = []
            for rest, a in alts:
                self._found.append(a)
                inner.append(f"{rest}()")
            branches.append(f"{re.escape(c)}(?:{'|'.join(inner)})")
        self.regex = re.compile(rf"(?<!\w)(?:{'|'.join(branches)})") if branches else None

    def __repr__(self) -> str:
        return f"AliasMatcher({len(self.aliases)} aliases)"

    def finditer(self, text: str) -> Iterator[tuple[int, int, Alias]]:
        """Yield ``(start, end, Alias)`` for every alias or exclude name in ``text``.

        Zero-width characters inside a name ("Chi\u200bna", pasted from a web page) do not
        hide it; the offsets still point into ``text``.

        >>> m = Lexicons.default().alias_matcher
        >>> [(s, e, a.power) for s, e, a in m.finditer("Tür\u200bkiye and Chi\u200bna")]
        [(0, 8, 'TR'), (13, 19, 'CN')]
        """
        if self.regex is None:
            return
        if _ZERO_WIDTH.search(text) is None:
            yield from self._finditer(text)
            return
        # match on the text without them, then map offsets back (rare: only such texts pay)
        keep = [i for i, c in enumerate(text) if c not in ZERO_WIDTH]
        keep.append(len(text))
        for start, end, alias in self._finditer("".join(text[i] for i in keep[:-1])):
            yield keep[start], keep[end - 1] + 1, alias

    def _finditer(self, text: str) -> Iterator[tuple[int, int, Alias]]:
        for m in self.regex.finditer(text):
            alias = self._found[m.lastindex - 1]
            if alias.alias in self.ambiguous and self._shouted(text, m.start(), m.end()):
                continue
            yield m.start(), m.end(), alias

    @staticmethod
    def _shouted(text: str, start: int, end: int) -> bool:
        before = _WORD.findall(text, max(0, start - _LOOK), start)
        after = _WORD.search(text, end)
        return bool((before and is_shouting(before[-1])) or (after and is_shouting(after.group())))


# -- masking ------------------------------------------------------------------------------------
# one character for one, so offsets into the original stay valid: VADER splits on white
# space and strips only ASCII punctuation, so "“Good" or "declarative—it" would hide words
_VADER_CLEAN = {
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"},
    **{c: " " for c in "\u2014\u2015\u00a0\u2007\u202f\u2009\u200a"},
}
# a regex finds the few characters to change: str.translate looks up every character
_VADER_SPECIAL = re.compile("[" + "".join(_VADER_CLEAN) + "]")


def _cleaned(m: re.Match) -> str:
    return _VADER_CLEAN[m.group()]


def clean(text: str) -> str:
    """Straight quotes, hyphens for en dashes, spaces for em dashes: one character for one.

    Examples
    --------
    >>> clean("\u201cGood\u201d\u2014it")
    '"Good" it'
    """
    return text if text.isascii() else _VADER_SPECIAL.sub(_cleaned, text)


@dataclass(frozen=True)
class Match:
    """One alias found in a text (offsets into the text)."""

    start: int
    end: int
    alias: Alias


@dataclass(frozen=True)
class MaskedSentence:
    """One sentence of a text, its mentions and its masked form.

    ``targets`` pairs each mention (exclude names are not mentions) with the offset of its
    placeholder in ``masked``.
    """

    number: int
    start: int
    end: int
    text: str
    cleaned: str
    masked: str
    targets: tuple[tuple[Match, int], ...]


def mask(sentence: str, base: int, matches: Iterable[Match]) -> tuple[str, list[int]]:
    """Replace every match (offsets relative to ``base``) by its placeholder.

    Returns the masked text and, per match, the offset of its placeholder in it.

    Examples
    --------
    >>> a = Alias("US", "United States", False, "state")
    >>> mask("The United States met.", 100, [Match(104, 117, a)])
    ('The _us_ met.', [4])
    """
    out, pos, where, length = [], 0, [], 0
    for m in matches:
        s, e = max(m.start - base, pos), min(m.end - base, len(sentence))
        out.append(sentence[pos:s])
        length += s - pos
        token = EXCLUDE_PLACEHOLDER if m.alias.type == "exclude" else placeholder(m.alias.power)
        where.append(length)
        out.append(token)
        length += len(token)
        pos = e
    out.append(sentence[pos:])
    return "".join(out), where


def cut_window(masked: str, at: int, k: int) -> str:
    """The ``k`` white-space tokens either side of the token at offset ``at``.

    Examples
    --------
    >>> cut_window("a b c _us_ d e f", 6, 1)
    'c _us_ d'
    """
    toks = list(re.finditer(r"\S+", masked))
    i = next(j for j, t in enumerate(toks) if t.start() <= at < t.end())
    return " ".join(t.group() for t in toks[max(0, i - k) : i + k + 1])


# -- sentences -----------------------------------------------------------------------------------
#: A "sentence" longer than this (a list, a table, text without full stops) is cut at white
#: space into pieces of at most this many characters, never inside an alias: VADER's cost
#: grows with the square of a sentence's length, so without a bound one unpunctuated
#: megabyte took minutes. No sentence of the bundled corpus comes near it (longest: 292).
MAX_SENTENCE_CHARS = 1000


def _trimmed(text: str, a: int, b: int) -> tuple[int, int] | None:
    piece = text[a:b]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    return a + lead, a + lead + len(stripped)


def _capped(text: str, spans: Iterable[tuple[int, int]], matches: list[Match],
            limit: int = MAX_SENTENCE_CHARS) -> Iterator[tuple[int, int]]:
    """``spans``, with each one longer than ``limit`` cut at white space outside the matches."""
    starts = [m.start for m in matches]
    for a, b in spans:
        pos = a
        while b - pos > limit:
            cut = text.rfind(" ", pos + limit // 2, pos + limit)
            cut = pos + limit if cut < 0 else cut  # no space: a hard cut
            i = bisect.bisect_right(starts, cut) - 1
            if i >= 0 and matches[i].start < cut < matches[i].end:  # never inside an alias
                cut = matches[i].start if matches[i].start > pos else matches[i].end
            span = _trimmed(text, pos, cut)
            if span:
                yield span
            pos = cut
        span = _trimmed(text, pos, b)
        if span:
            yield span


def _masked(text: str, spans: Iterable[tuple[int, int]], matches: list[Match]) -> Iterator[MaskedSentence]:
    if not matches:  # most segments: nothing to mask, the masked text is the cleaned one
        for n, (a, b) in enumerate(_capped(text, spans, matches)):
            sentence = text[a:b]
            cleaned = clean(sentence)
            yield MaskedSentence(n, a, b, sentence, cleaned, cleaned, ())
        return
    j = 0
    for n, (a, b) in enumerate(_capped(text, spans, matches)):
        inside = []
        while j < len(matches) and matches[j].start < b:
            if matches[j].start >= a:
                inside.append(matches[j])
            j += 1
        sentence = text[a:b]
        cleaned = clean(sentence)
        masked, where = mask(cleaned, a, inside)
        targets = tuple((m, w) for m, w in zip(inside, where, strict=True) if m.alias.type != "exclude")
        yield MaskedSentence(n, a, b, sentence, cleaned, masked, targets)


def find_matches(text: str, lexicons: Lexicons | None = None) -> list[Match]:
    """Every alias and exclude name in ``text``, in text order."""
    return [Match(s, e, a) for s, e, a in resolve(lexicons).alias_matcher.finditer(text)]


def masked_sentences(text: str, lexicons: Lexicons | None = None, *, split: bool = True,
                     matches: list[Match] | None = None) -> Iterator[MaskedSentence]:
    """Every sentence of ``text`` (the splitter of ``lexicons``), with every alias masked.

    ``split=False`` takes ``text`` as one sentence (white space trimmed). Either way a
    sentence longer than :data:`MAX_SENTENCE_CHARS` is cut into pieces, so the work stays
    linear in the length of the text. ``matches`` (from :func:`find_matches`) saves a
    second search when the caller has them already.

    Examples
    --------
    >>> [s.masked for s in masked_sentences("Trump met Xi. Then he left.")]
    ['_us_ met _cn_.', 'Then he left.']
    >>> [s.masked for s in masked_sentences("Trump met Xi. Then he left.", split=False)]
    ['_us_ met _cn_. Then he left.']
    """
    lex = resolve(lexicons)
    if matches is None:
        matches = find_matches(text, lex)
    spans = lex.sentence_splitter.spans(text) if split else [(0, len(text))]
    return _masked(text, spans, matches)


# an old-style scorer: (sentence, placeholder offset) -> (scored text, compound)
ScoreFunction = Callable[[MaskedSentence, int], tuple[str, float]]


def _record(sent: MaskedSentence, m: Match, text: str) -> dict:
    return {"sentence_no": sent.number, "sentence_start": sent.start, "sentence_end": sent.end,
            "sentence": sent.text, "power": m.alias.power, "alias": text[m.start:m.end],
            "alias_type": m.alias.type, "start": m.start, "end": m.end}


def text_mentions(text: str, lexicons: Lexicons | None = None, score: ScoreFunction | None = None) -> list[dict]:
    """One record per mention in ``text``, scored by ``score`` when it is given."""
    out = []
    for sent in masked_sentences(text, lexicons):
        for m, at in sent.targets:
            rec = _record(sent, m, text)
            if score is not None:
                scored_text, compound = score(sent, at)
                rec.update(scored_text=scored_text, compound=compound)
            out.append(rec)
    return out


def _check_corpus_df(corpus_df: pd.DataFrame) -> None:
    if "text" not in corpus_df.columns or "segment_id" not in corpus_df.columns:
        raise ValueError("corpus_df needs the columns segment_id and text (see c6lab.open_corpus)")


def segment_sentences(corpus_df: pd.DataFrame, lexicons: Lexicons | None = None
                      ) -> Iterator[tuple[dict, list[MaskedSentence]]]:
    """Each segment of ``corpus_df`` (a record) with its masked sentences: one analysis each."""
    _check_corpus_df(corpus_df)
    lex = resolve(lexicons)
    # the records of to_dict("records"), built from whole columns: to_dict reads a string
    # column one element at a time (a tenth of the time of the analysis at 1000x)
    cols = list(corpus_df.columns)
    for values in zip(*(corpus_df[c].tolist() for c in cols)):
        rec = dict(zip(cols, values))
        yield rec, list(masked_sentences(rec["text"], lex))


def docvars_of(corpus_df: pd.DataFrame) -> list[str]:
    """The document variables of ``corpus_df`` carried on to each mention."""
    return [c for c in DOCVARS if c in corpus_df.columns]


def mention_rows(rec: dict, sentences: Iterable[MaskedSentence], docvars: list[str],
                 has_raw: bool) -> Iterator[tuple[dict, MaskedSentence, int]]:
    """One row per mention of one segment, with the sentence and target it comes from."""
    text = rec["text"]
    for sent in sentences:
        for k, (m, _) in enumerate(sent.targets):
            if has_raw:
                rs, re_ = int(rec["char_start"]) + m.start, int(rec["char_start"]) + m.end
                mid = f"{rec['article_id']}:{rs}-{re_}"
            else:
                rs = re_ = pd.NA
                mid = f"{rec['segment_id']}:{m.start}-{m.end}"
            row = {**{c: rec[c] for c in docvars}, "mention_id": mid, "raw_start": rs, "raw_end": re_,
                   "sentence_id": f"{rec['segment_id']}:s{sent.number + 1}", **_record(sent, m, text)}
            yield row, sent, k


def corpus_mentions(corpus_df: pd.DataFrame, lexicons: Lexicons | None = None,
                    score: ScoreFunction | None = None) -> tuple[list[dict], list[str]]:
    """Mention records of every segment of ``corpus_df`` and the document variables kept."""
    docvars = docvars_of(corpus_df)
    has_raw = {"article_id", "char_start"} <= set(corpus_df.columns)
    rows = []
    for rec, sentences in segment_sentences(corpus_df, lexicons):
        for row, sent, k in mention_rows(rec, sentences, docvars, has_raw):
            if score is not None:
                row["scored_text"], row["compound"] = score(sent, sent.targets[k][1])
            rows.append(row)
    return rows, docvars


def find_mentions(corpus_df: pd.DataFrame, *, lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Find every mention of a power in the segments of a corpus table.

    Parameters
    ----------
    corpus_df : DataFrame
        Segments, e.g. ``corpus.select(kinds)`` (at least ``segment_id`` and ``text``).
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``): its aliases and sentence splitter.
        Default: the package's lists.

    Returns
    -------
    DataFrame
        One row per mention, in text order: the segment's document variables
        (``article_id, segment_id, outlet, kind, speaker_id, speaker, country`` where
        present), ``mention_id`` (``article_id:raw_start-raw_end``), ``raw_start,
        raw_end`` (offsets into the **raw file**, ``char_start`` + offset),
        ``sentence_id`` (``segment_id:sN``), ``sentence`` (verbatim, cut at the segment
        boundary), ``sentence_start, sentence_end``, ``power, alias, alias_type``,
        ``start, end`` (these four offsets are into the **segment text**).

    Examples
    --------
    >>> df = pd.DataFrame({"segment_id": ["s1"], "text": ["Trump met Xi. Let us see."]})
    >>> find_mentions(df)[["power", "alias", "alias_type", "start", "end"]].values.tolist()
    [['US', 'Trump', 'person', 0, 5], ['CN', 'Xi', 'person', 10, 12]]
    """
    rows, docvars = corpus_mentions(corpus_df, lexicons)
    return pd.DataFrame(rows, columns=docvars + MENTION_COLUMNS)
