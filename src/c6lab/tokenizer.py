"""Word tokens for counting: lower case, name variants unified, phrases joined.

:func:`tokenize` is the default :class:`Tokenizer`; both are plain callables from a
string to a list of strings, so they drop into ``CountVectorizer(analyzer=...)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from .lexicons import Lexicons, resolve
from .text import is_shouting, normalize

# A word: letters/digits, possibly joined by hyphens, apostrophes or "+" ("c5+1",
# "good-neighbourliness", "al-sharaa"); or dotted initials ("U.S.", "J.D."), which keep a
# following possessive ("U.S.'s"). A possessive 's is dropped afterwards.
_WORD = re.compile(r"(?:[^\W_]\.){2,}(?:'s)?|[^\W_]+(?:[-'+][^\W_]+)*")


class Token(NamedTuple):
    """A token and the span of normalised text it covers."""

    token: str
    start: int
    end: int


def _base(word: str) -> str:
    """The word without a possessive 's, case kept."""
    return word[:-2] if word.endswith(("'s", "'S")) else word


class Tokenizer:
    """Configurable tokenizer; an instance is a callable ``str -> list[str]``.

    Steps, in order: :func:`c6lab.normalize`; name variants from ``variants.csv``
    become one token ("U.S.", "US", "USA", "United States" -> ``united_states``;
    upper-case "US" only, so the pronoun "us" is untouched, and not when its neighbours
    are in capitals too, as in "LET US GO"); lower-casing; word tokens with possessive
    "'s" removed; phrases from ``phrases.txt`` joined with ``_`` (longest match first);
    stopwords removed.

    Parameters
    ----------
    lexicons : Lexicons, optional
        The word lists (``corpus.lexicons``); default the package's lists.
    stopwords : bool or iterable of str
        ``True`` removes the lists' stopwords, ``False`` keeps every word, an iterable
        removes those words.
    phrases : bool or iterable of str
        ``True`` joins the lists' phrases, ``False`` none, an iterable those.
    variants : bool
        Map name variants (``True``) or not.
    min_length : int
        Tokens shorter than this are dropped (1 keeps everything).

    Examples
    --------
    >>> tok = Tokenizer()
    >>> tok("The U.S. and Türkiye back the Middle Corridor.")
    ['united_states', 'turkiye', 'back', 'middle_corridor']
    >>> tok("LET US GO to the E.U. and the U.S.-led talks")
    ['let', 'go', 'european_union', 'united_states', 'led', 'talks']
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> cv = CountVectorizer(analyzer=tok).fit(["Let us see the US position."])
    >>> sorted(cv.vocabulary_)
    ['let', 'position', 'see', 'united_states']
    """

    def __init__(
        self,
        lexicons: Lexicons | None = None,
        *,
        stopwords: bool | Iterable[str] = True,
        phrases: bool | Iterable[str] = True,
        variants: bool = True,
        min_length: int = 1,
    ):
        self.lexicons = resolve(lexicons)
        self.stopwords = stopwords
        self.phrases = phrases
        self.variants = variants
        self.min_length = min_length
        self._compile()

    # -- set-up ---------------------------------------------------------------
    def _compile(self) -> None:
        lex = self.lexicons
        if self.stopwords is True:
            self._stop = lex.stopwords
        else:
            self._stop = frozenset(w.lower() for w in (self.stopwords or ()))
        if not isinstance(self.variants, bool):
            raise ValueError("variants must be True or False")
        # an all-caps variant that is also a common word ("US"/"us") is ambiguous in capitals
        self._ambiguous = lex.stopwords
        vs = lex.variants if self.variants else ()
        # variants as word sequences indexed by their first word (case-folded), longest
        # first so "United States of America" beats "United States"
        self._variants: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], bool, str]]] = {}
        for v in vs:
            words = tuple(_base(m.group()) for m in _WORD.finditer(normalize(v.variant)))
            if words:
                folded = tuple(w.casefold() for w in words)
                self._variants.setdefault(folded[0], []).append((folded, words, v.case_sensitive, v.token))
        for entries in self._variants.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)
        if self.phrases is True:
            phrase_list = lex.phrases
        else:
            phrase_list = self.phrases or ()
        # phrases indexed by their first word, longest first, so most tokens cost one lookup
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for p in phrase_list:
            words = tuple(t.token for t in self._raw_tokens(p))
            if len(words) > 1:
                joined = "_".join(words).replace("-", "_")
                self._phrases.setdefault(words[0], []).append((words, joined))
        for entries in self._phrases.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

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
        words = [(_base(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]
        out, i, n = [], 0, len(words)
        while i < n:
            word, start, end = words[i]
            key = word.casefold()
            for folded, exact, case_sensitive, token in self._variants.get(key, ()):
                k = len(folded)
                if i + k > n:
                    continue
                seq = [w for w, _, _ in words[i : i + k]]
                if tuple(w.casefold() for w in seq) != folded:
                    continue
                # "US" is the country, "us" the pronoun: case-sensitive variants match exactly
                if case_sensitive and tuple(seq) != exact:
                    continue
                if case_sensitive and k == 1 and folded[0] in self._ambiguous and (
                        (i > 0 and is_shouting(words[i - 1][0]))
                        or (i + 1 < n and is_shouting(words[i + 1][0]))):
                    continue  # "LET US GO": in capitals, "US" is the pronoun
                out.append(Token(token, start, words[i + k - 1][2]))
                i += k
                break
            else:
                out.append(Token(word.lower().rstrip("."), start, end))
                i += 1
        return out

    def _join_phrases(self, toks: list[Token]) -> list[Token]:
        if not self._phrases:
            return toks
        out, i, n_toks = [], 0, len(toks)
        while i < n_toks:
            for words, joined in self._phrases.get(toks[i].token, ()):
                n = len(words)
                if i + n <= n_toks and all(toks[i + j].token == words[j] for j in range(1, n)):
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

    def pipe(self, texts: Iterable[str]) -> Iterator[list[str]]:
        """Tokenise many texts (spaCy's name for the batch call); yields one list per text."""
        for text in texts:
            yield self(text)


def tokenize(text: str, lexicons: Lexicons | None = None, **options) -> list[str]:
    """Tokenise ``text`` for counting (see :class:`Tokenizer` for the steps and options).

    With no options this uses the tokenizer of ``lexicons`` (default: the package's
    lists), built once, so it can be passed as ``CountVectorizer(analyzer=c6lab.tokenize)``.

    Examples
    --------
    >>> tokenize("Let us ask the US, the U.S.A. and the United States.")
    ['let', 'ask', 'united_states', 'united_states', 'united_states']
    >>> tokenize("the Belt and Road Initiative and the Belt and Road", stopwords=False)
    ['the', 'belt_and_road_initiative', 'and', 'the', 'belt_and_road_initiative']
    """
    lex = resolve(lexicons)
    if options:
        return Tokenizer(lex, **options)(text)
    return lex.tokenizer(text)
