"""VADER's compound score of many texts, each distinct text scored once.

VADER reads a text as white-space tokens. Of a token it looks only at its lower-case form
(with ASCII punctuation stripped) when that form is a word of its rules or lexicon, and
otherwise only at whether it is in capitals; of the whole text it counts "!" and "?". So
two texts that differ only in tokens VADER has no word for get the same score. Before
scoring, every such token is replaced by a stand-in of the same shape (``zqx``, ``ZQX`` in
capitals, followed by the token's "!" and "?"), and VADER scores each distinct result once:
the score is VADER's own, to the last digit, for any text (``tests/test_scorers.py``
compares it with ``polarity_scores`` on the corpus and on texts built to break it).

A text where no token is a word whose valence the domain changes touch
(:attr:`c6lab.Lexicons.vader_domain`) has the same score with and without them, so the
domain lexicon scores only the texts that contain one. A text holding an emoji (VADER
replaces it by words) is scored as it is.
"""

from __future__ import annotations

import string

from vaderSentiment import vaderSentiment as _vs

from ..lexicons import Lexicons, resolve
from .scoring import _analyser

# words VADER's rules compare tokens with, besides its lexicon (negation, "but", "least",
# "kind of", "never so", "without doubt", and the words of its boosters and idioms)
_RULE_WORDS = frozenset(
    {"no", "or", "nor", "least", "at", "very", "kind", "of", "never", "so", "this", "without", "doubt", "but"}
    | {w.lower() for w in _vs.NEGATE}
    | {w for key in (*_vs.BOOSTER_DICT, *_vs.SPECIAL_CASES, *_vs.SENTIMENT_LADEN_IDIOMS) for w in key.lower().split()})
_STAND_IN = ("zqx", "ZQX")
_PUNCT = string.punctuation


class _Tokens(dict):
    """token -> stand-in, filled on first use."""

    def __init__(self, owner: VaderCache):
        super().__init__()
        self.owner = owner

    def __missing__(self, tok: str) -> str:
        out = self[tok] = self.owner._token(tok)
        return out


class VaderCache:
    """VADER's compound of texts, with and without the domain changes, each distinct text once.

    Parameters
    ----------
    lexicons : Lexicons, optional
        The word lists the domain changes come from; default the package's.

    Examples
    --------
    >>> v = VaderCache()
    >>> v.compound("Peace with China.", domain=False), v.compound("Peace with Russia.", domain=False)
    (0.5423, 0.5423)
    >>> v.n_scored  # the second text had nothing new for VADER
    1
    """

    def __init__(self, lexicons: Lexicons | None = None):
        lex = resolve(lexicons)
        self._vader = (_analyser(lex, False), _analyser(lex, True))
        plain, dom = (v.lexicon for v in self._vader)
        self._words = _RULE_WORDS | plain.keys() | dom.keys()
        self._changed = frozenset(w for w in plain.keys() | dom.keys() if plain.get(w) != dom.get(w))
        if any(s.lower() in self._words for s in _STAND_IN):  # pragma: no cover - a lexicon with "zqx"
            raise ValueError("the stand-in token 'zqx' is a word of VADER's lexicon")
        self._emojis = self._vader[0].emojis
        self._tokens = _Tokens(self)  # token -> the token VADER is given
        self._touched: set[str] = set()  # tokens whose valence the domain changes touch
        self._scores: tuple[dict[str, float], dict[str, float]] = ({}, {})
        self.n_scored = 0  #: texts VADER actually read

    def _token(self, tok: str) -> str:
        # VADER's _strip_punc_if_word, then: is it a word VADER compares with?
        word = tok.strip(_PUNCT)
        word = tok if len(word) <= 2 else word
        low = word.lower()
        if low in self._words or "n't" in low:
            if low in self._changed:
                self._touched.add(tok)
            return tok
        return _STAND_IN[word.isupper()] + "".join(c for c in tok if c in "!?")

    def key(self, text: str) -> tuple[str, bool]:
        """The text VADER scores in place of ``text``, and whether the domain changes touch it."""
        if not text.isascii() and any(c in self._emojis for c in text):
            return "\x00" + text, True  # an emoji becomes words: scored as written
        tokens = text.split()
        key = " ".join(map(self._tokens.__getitem__, tokens))
        return key, not self._touched.isdisjoint(tokens)

    def compound(self, text: str, domain: bool) -> float:
        """VADER's compound score of ``text`` (with the domain changes if ``domain``)."""
        key, changed = self.key(text)
        return self._score(key, bool(domain) and changed)

    def compounds(self, text: str) -> tuple[float, float]:
        """The compound of ``text`` without and with the domain changes."""
        key, changed = self.key(text)
        plain = self._score(key, False)
        return plain, self._score(key, True) if changed else plain

    def _score(self, key: str, domain: bool) -> float:
        cache = self._scores[domain]
        value = cache.get(key)
        if value is None:
            text = key[1:] if key.startswith("\x00") else key
            value = cache[key] = self._vader[domain].polarity_scores(text)["compound"]
            self.n_scored += 1
        return value
