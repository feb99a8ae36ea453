"""Finding the mentions of the powers and masking every alias before scoring.

A *mention* is one occurrence of an alias of a power from ``powers.csv`` (the rows of
:attr:`c6lab.Lexicons.aliases`). Person aliases (Trump, Putin, Xi ...) count for their
state; ``exclude`` rows are names that contain an alias but are not the power ("South
China Sea"): they are never mentions, but they are masked like an alias, so the words
inside a name ("Peace" in the "Trump Route for International Peace and Prosperity")
cannot score.

Nothing here knows VADER: :func:`masked_sentences` gives each sentence of a text with
its mentions and its masked form, and :mod:`c6lab.sentiment.scorers` scores them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from ..lexicons import Alias, Lexicons, resolve
from ..text import is_shouting

EXCLUDE_PLACEHOLDER = "_x_"

# segment columns carried on to each mention when present
DOCVARS = ("article_id", "segment_id", "outlet", "kind", "speaker_id", "speaker", "country")
MENTION_COLUMNS = ["mention_id", "raw_start", "raw_end", "sentence_id", "sentence", "sentence_start",
                   "sentence_end", "power", "alias", "alias_type", "start", "end"]


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


def _alias_pattern(a: Alias) -> str:
    bodies = []
    for form in dict.fromkeys([a.alias, unicodedata.normalize("NFD", a.alias)]):
        bodies.append(re.escape(form).replace(r"\ ", r"\s+").replace("'", "['\u2019]"))
    body = "|".join(bodies)
    return f"(?:{body})" if a.case_sensitive else f"(?i:{body})"


class AliasMatcher:
    """All aliases of ``powers.csv`` in one regular expression.

    * An alias is a whole word: "US" is not in "USAID", "Russia" not in "Belarussian".
    * Where aliases overlap, the longest wins ("South China Sea" before "China").
    * A case-sensitive alias in capitals that is also a common word (its lower-case form
      is in ``stopwords``: "US" and "us") is the common word when the word before or
      after it is in capitals too ("LET US GO"); the tokenizer applies the same rule.

    Built once per :class:`c6lab.Lexicons` (``lexicons.alias_matcher``).

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
        self.aliases = sorted(aliases, key=lambda a: len(a.alias), reverse=True)
        stop = frozenset(w.lower() for w in stopwords)
        # all-caps aliases that are also a common word in lower case ("US" / "us")
        self.ambiguous = frozenset(a.alias for a in self.aliases if a.case_sensitive
                                   and a.alias.isupper() and a.alias.lower() in stop)
        groups = "|".join(f"({_alias_pattern(a)})" for a in self.aliases)
        # The word-start test comes once, before the alternatives (faster than one per
        # alias); if the end test fails, the engine backtracks into the next alternative.
        self.regex = re.compile(rf"(?<!\w)(?:{groups})(?!\w)") if self.aliases else None

    def __repr__(self) -> str:
        return f"AliasMatcher({len(self.aliases)} aliases)"

    def finditer(self, text: str) -> Iterator[tuple[int, int, Alias]]:
        """Yield ``(start, end, Alias)`` for every alias or exclude name in ``text``."""
        if self.regex is None:
            return
        for m in self.regex.finditer(text):
            alias = self.aliases[m.lastindex - 1]
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
_VADER_CLEAN = str.maketrans(
    {
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"},
        **{c: " " for c in "\u2014\u2015\u00a0\u2007\u202f\u2009\u200a"},
    }
)


def clean(text: str) -> str:
    """Straight quotes, hyphens for en dashes, spaces for em dashes: one character for one.

    Examples
    --------
    >>> clean("\u201cGood\u201d\u2014it")
    '"Good" it'
    """
    return text.translate(_VADER_CLEAN)


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


def masked_sentences(text: str, lexicons: Lexicons | None = None) -> Iterator[MaskedSentence]:
    """Every sentence of ``text`` (the splitter of ``lexicons``), with every alias masked.

    Examples
    --------
    >>> [s.masked for s in masked_sentences("Trump met Xi. Then he left.")]
    ['_us_ met _cn_.', 'Then he left.']
    """
    lex = resolve(lexicons)
    matches = [Match(s, e, a) for s, e, a in lex.alias_matcher.finditer(text)]
    j = 0
    for n, (a, b) in enumerate(lex.sentence_splitter.spans(text)):
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


# a scorer: (sentence, placeholder offset) -> (scored text, compound)
Scorer = Callable[[MaskedSentence, int], tuple[str, float]]


def text_mentions(text: str, lexicons: Lexicons | None = None, score: Scorer | None = None) -> list[dict]:
    """One record per mention in ``text``, scored by ``score`` when it is given."""
    out = []
    for sent in masked_sentences(text, lexicons):
        for m, at in sent.targets:
            rec = {
                "sentence_no": sent.number, "sentence_start": sent.start, "sentence_end": sent.end,
                "sentence": sent.text, "power": m.alias.power, "alias": text[m.start:m.end],
                "alias_type": m.alias.type, "start": m.start, "end": m.end,
            }
            if score is not None:
                scored_text, compound = score(sent, at)
                rec.update(scored_text=scored_text, compound=compound)
            out.append(rec)
    return out


def corpus_mentions(corpus_df: pd.DataFrame, lexicons: Lexicons | None = None,
                    score: Scorer | None = None) -> tuple[list[dict], list[str]]:
    """Mention records of every segment of ``corpus_df`` and the document variables kept."""
    if "text" not in corpus_df.columns or "segment_id" not in corpus_df.columns:
        raise ValueError("corpus_df needs the columns segment_id and text (see c6lab.open_corpus)")
    lex = resolve(lexicons)
    docvars = [c for c in DOCVARS if c in corpus_df.columns]
    has_raw = {"article_id", "char_start"} <= set(corpus_df.columns)
    rows = []
    for rec in corpus_df.to_dict("records"):
        for m in text_mentions(rec["text"], lex, score):
            if has_raw:
                rs, re_ = int(rec["char_start"]) + m["start"], int(rec["char_start"]) + m["end"]
                mid = f"{rec['article_id']}:{rs}-{re_}"
            else:
                rs = re_ = pd.NA
                mid = f"{rec['segment_id']}:{m['start']}-{m['end']}"
            rows.append({**{c: rec[c] for c in docvars}, "mention_id": mid, "raw_start": rs,
                         "raw_end": re_, "sentence_id": f"{rec['segment_id']}:s{m['sentence_no'] + 1}",
                         **m})
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
