"""Word tokens for counting: lower case, name variants unified, phrases joined.

:func:`tokenize` is the default :class:`Tokenizer`; both are plain callables from a
string to a list of strings, so they drop into ``CountVectorizer(analyzer=...)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import lexicons
from .text import normalize

# A word: letters/digits, possibly joined by hyphens, apostrophes or "+" ("c5+1",
# "good-neighbourliness", "al-sharaa"); or dotted initials ("j.d."). Possessive 's
# is split off afterwards.
_WORD = r"(?:[^\W_]\.){2,}|[^\W_]+(?:[-'+][^\W_]+)*"
_POSSESSIVE = re.compile(r"'s?$")


@dataclass(frozen=True)
class Token:
    """A token and the span of normalised text it covers."""

    token: str
    start: int
    end: int


def _variant_pattern(v: lexicons.Variant) -> str:
    body = re.escape(normalize(v.variant)).replace(r"\ ", r"\s+")
    body = body if v.case_sensitive else f"(?i:{body})"
    # a variant must not be part of a longer word ("USAID" is not "USA")
    return rf"(?<![\w.]){body}(?![\w])"


class Tokenizer:
    """Configurable tokenizer; an instance is a callable ``str -> list[str]``.

    Steps, in order: :func:`c6lab.normalize`; name variants from ``variants.csv``
    become one token ("U.S.", "US", "USA", "United States" -> ``united_states``;
    upper-case "US" only, so the pronoun "us" is untouched); lower-casing; word
    tokens with possessive "'s" removed; phrases from ``phrases.txt`` joined with
    ``_`` (longest match first); stopwords removed.

    Parameters
    ----------
    stopwords : "default", None or iterable of str
        ``"default"`` reads ``stopwords.txt``; ``None`` keeps every word.
    phrases : "default", None or iterable of str
        ``"default"`` reads ``phrases.txt``; ``None`` joins nothing.
    variants : "default" or None
        ``"default"`` reads ``variants.csv``; ``None`` maps no names.
    min_length : int
        Tokens shorter than this are dropped (1 keeps everything).
    lexicon_dir : path, optional
        Folder of the word lists; default ``corpus/lexicons``.

    Examples
    --------
    >>> tok = Tokenizer()
    >>> tok("The U.S. and Türkiye back the Middle Corridor.")
    ['united_states', 'turkiye', 'back', 'middle_corridor']
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> cv = CountVectorizer(analyzer=tok).fit(["Let us see the US position."])
    >>> sorted(cv.vocabulary_)
    ['let', 'position', 'see', 'united_states']
    """

    def __init__(
        self,
        stopwords: str | Iterable[str] | None = "default",
        phrases: str | Iterable[str] | None = "default",
        variants: str | None = "default",
        min_length: int = 1,
        lexicon_dir: str | Path | None = None,
    ):
        self.stopwords = stopwords
        self.phrases = phrases
        self.variants = variants
        self.min_length = min_length
        self.lexicon_dir = lexicon_dir
        self._compile()

    # -- set-up ---------------------------------------------------------------
    def _compile(self) -> None:
        lex = self.lexicon_dir
        if self.stopwords == "default":
            self._stop = lexicons.stopwords(lex)
        else:
            self._stop = frozenset(w.lower() for w in (self.stopwords or ()))
        vs = lexicons.variants(lex) if self.variants == "default" else ()
        if self.variants not in ("default", None):
            raise ValueError("variants must be 'default' or None")
        # longest variants first so "United States of America" beats "United States"
        vs = sorted(vs, key=lambda v: len(v.variant), reverse=True)
        self._exact = {normalize(v.variant): v.token for v in vs if v.case_sensitive}
        self._folded = {_fold(v.variant): v.token for v in vs if not v.case_sensitive}
        alternatives = [_variant_pattern(v) for v in vs]
        named = f"(?P<variant>{'|'.join(alternatives)})|" if alternatives else ""
        self._regex = re.compile(named + f"(?P<word>{_WORD})")
        phrase_list = lexicons.phrases(lex) if self.phrases == "default" else (self.phrases or ())
        self._phrases: dict[tuple[str, ...], str] = {}
        for p in phrase_list:
            words = tuple(t.token for t in self._raw_tokens(p))
            if len(words) > 1:
                self._phrases[words] = "_".join(words).replace("-", "_")
        self._max_phrase = max((len(k) for k in self._phrases), default=1)

    def __getstate__(self):
        # compiled state is rebuilt on unpickling (joblib, multiprocessing)
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._compile()

    def __repr__(self) -> str:
        return (
            f"Tokenizer(stopwords={self.stopwords!r}, phrases={self.phrases!r}, "
            f"variants={self.variants!r}, min_length={self.min_length!r})"
        )

    # -- tokenising -------------------------------------------------------------
    def _raw_tokens(self, text: str) -> list[Token]:
        out = []
        for m in self._regex.finditer(text):
            if m.lastgroup == "variant":
                s = m.group()
                tok = self._exact.get(_squash(s)) or self._folded.get(_fold(s))
                out.append(Token(tok, m.start(), m.end()))
            else:
                word = _POSSESSIVE.sub("", m.group().lower()).rstrip(".")
                if word:
                    out.append(Token(word, m.start(), m.end()))
        return out

    def _join_phrases(self, toks: list[Token]) -> list[Token]:
        if not self._phrases:
            return toks
        out, i = [], 0
        while i < len(toks):
            for n in range(min(self._max_phrase, len(toks) - i), 1, -1):
                key = tuple(t.token for t in toks[i : i + n])
                joined = self._phrases.get(key)
                if joined:
                    out.append(Token(joined, toks[i].start, toks[i + n - 1].end))
                    i += n
                    break
            else:
                out.append(toks[i])
                i += 1
        return out

    def spans(self, text: str, keep_stopwords: bool = False) -> tuple[str, list[Token]]:
        """Return the normalised text and its tokens with character spans into it.

        ``keep_stopwords=True`` keeps stopwords (used for concordances, where the
        context should read as the original).
        """
        norm = normalize(text)
        toks = self._join_phrases(self._raw_tokens(norm))
        if not keep_stopwords:
            toks = [t for t in toks if t.token not in self._stop and len(t.token) >= self.min_length]
        return norm, toks

    def __call__(self, text: str) -> list[str]:
        return [t.token for t in self.spans(text)[1]]


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _fold(s: str) -> str:
    return _squash(normalize(s)).casefold()


_DEFAULT: Tokenizer | None = None


def tokenize(text: str, **options) -> list[str]:
    """Tokenise ``text`` for counting (see :class:`Tokenizer` for the steps and options).

    With no options this uses one cached default :class:`Tokenizer`, so it can be passed
    directly as ``CountVectorizer(analyzer=c6lab.tokenize)``.

    Examples
    --------
    >>> tokenize("Let us ask the US, the U.S.A. and the United States.")
    ['let', 'ask', 'united_states', 'united_states', 'united_states']
    >>> tokenize("the Belt and Road Initiative", stopwords=None)
    ['the', 'belt_and_road_initiative']
    """
    global _DEFAULT
    if options:
        return Tokenizer(**options)(text)
    if _DEFAULT is None:
        _DEFAULT = Tokenizer()
    return _DEFAULT(text)
