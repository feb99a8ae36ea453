"""Word tokens for counting: lower case, name variants unified, phrases joined.

:func:`tokenize` is the default :class:`Tokenizer`; both are plain callables from a
string to a list of strings, so they drop into ``CountVectorizer(analyzer=...)``.
:meth:`Tokenizer.pipe` tokenises many texts at once, faster than one call per text.

How it stays fast: one regular expression finds the words (their possessive "'s" and the
last dot of initials left out), the case is folded once for all words of a batch, and a
variant or phrase is looked for only where one of their first words occurs (found with
set operations and ``list.index``, which run in C), so no Python code runs per word
except the stopword filter. Every step is linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from .lexicons import Lexicons, resolve
from .text import fold_case, is_shouting, normalize

# A word: letters/digits, possibly joined by hyphens, apostrophes or "+" ("c5+1",
# "good-neighbourliness", "al-sharaa"); or dotted initials ("U.S.", "J.D."), which keep a
# following possessive ("U.S.'s"). Group 1 is the word without its possessive 's and
# without the last dot of initials ("U.S"); the rest of the match is that tail. It runs on
# text with "_" replaced by a space, so ``\w`` means a letter or digit; "\n" (which
# normalised text never holds) is matched as a word of its own: it separates the texts of
# a batch.
_WORD = re.compile(
    r"(\w(?:\.\w)+(?=\.)"  # initials, last dot left out
    r"|\w+(?:[-+]\w+|'(?![sS](?![-'+]?\w))\w+)*"  # a word; a final 's is not part of it
    r"|\n)"
    r"(?:(?<!\n)(?:\.(?:'s)?|'[sS]))?"  # the dot of initials, a possessive (not after "\n")
)
_SEPARATOR = "\n"


def _words(text: str) -> list[str]:
    """The words of ``text`` (normalised, or a batch of normalised texts joined by "\\n")."""
    if "_" in text:
        text = text.replace("_", " ")
    return _WORD.findall(text)


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)``; the span covers the possessive and the last dot of initials."""
    if "_" in text:
        text = text.replace("_", " ")  # same length: offsets hold
    out = []
    for m in _WORD.finditer(text):
        word, end = m.group(1), m.end()
        if end > m.end(1) and "." not in word and text[m.end(1)] == ".":
            end = m.end(1)  # a full stop after a word is not part of it
        out.append((word, m.start(), end))
    return out


def _indices(seq: list[str], item: str) -> Iterator[int]:
    """Every position of ``item`` in ``seq`` (list.index: the scan runs in C)."""
    i = -1
    try:
        while True:
            i = seq.index(item, i + 1)
            yield i
    except ValueError:
        return


def _splice(seq: list, merges: list[tuple[int, int, object]]) -> list:
    """``seq`` with each ``seq[i:j]`` of ``merges`` replaced by its one item."""
    if not merges:
        return seq
    out, pos = [], 0
    for i, j, item in merges:
        out += seq[pos:i]
        out.append(item)
        pos = j
    out += seq[pos:]
    return out


class Token(NamedTuple):
    """A token and the span of normalised text it covers."""

    token: str
    start: int
    end: int


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
            words = tuple(_words(normalize(v.variant)))
            if words:
                folded = tuple(_fold_all(words)[1])
                self._variants.setdefault(folded[0], []).append((folded, words, v.case_sensitive, v.token))
        for entries in self._variants.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)
        if self.phrases is True:
            phrase_list = lex.phrases
        else:
            phrase_list = self.phrases or ()
        # phrases (as tokens) indexed by their first token, longest first
        # (a phrase's words are its tokens with variants mapped, no phrase joined)
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for words in [tuple(self._merged(p.replace(_SEPARATOR, " "))) for p in phrase_list]:
            if len(words) > 1:
                joined = "_".join(words).replace("-", "_")
                self._phrases.setdefault(words[0], []).append((words, joined))
        for entries in self._phrases.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)
        # pipe() joins texts with "\n" and splits the tokens at white space: only safe
        # when no token of the lists holds white space and "\n" is no stopword
        self._batchable = _SEPARATOR not in self._stop and not any(
            any(c.isspace() for c in e[3]) for entries in self._variants.values() for e in entries)

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
    def _variant_merges(self, bases: list[str], folded: list[str]) -> list[tuple[int, int, str]]:
        """``(i, j, token)``: words ``i..j-1`` are one variant, left to right, longest first."""
        merges: list[tuple[int, int, str]] = []
        hits = self._variants.keys() & set(folded) if self._variants else ()
        if not hits:
            return merges
        n, free = len(bases), 0
        for i in sorted(i for key in hits for i in _indices(folded, key)):
            if i < free:
                continue  # inside the previous variant
            for key, exact, case_sensitive, token in self._variants[folded[i]]:
                k = len(key)
                if i + k > n or (k > 1 and tuple(folded[i : i + k]) != key):
                    continue
                # "US" is the country, "us" the pronoun: case-sensitive variants match exactly
                if case_sensitive and tuple(bases[i : i + k]) != exact:
                    continue
                if case_sensitive and k == 1 and key[0] in self._ambiguous and (
                        (i > 0 and is_shouting(bases[i - 1]))
                        or (i + 1 < n and is_shouting(bases[i + 1]))):
                    continue  # "LET US GO": in capitals, "US" is the pronoun
                merges.append((i, i + k, token))
                free = i + k
                break
        return merges

    def _phrase_merges(self, toks: list[str]) -> list[tuple[int, int, str]]:
        """``(i, j, joined)``: tokens ``i..j-1`` are one phrase, left to right, longest first."""
        merges: list[tuple[int, int, str]] = []
        hits = self._phrases.keys() & set(toks) if self._phrases else ()
        if not hits:
            return merges
        n_toks, free = len(toks), 0
        for i in sorted(i for key in hits for i in _indices(toks, key)):
            if i < free:
                continue
            for words, joined in self._phrases[toks[i]]:
                n = len(words)
                if i + n <= n_toks and tuple(toks[i : i + n]) == words:
                    merges.append((i, i + n, joined))
                    free = i + n
                    break
        return merges

    def _merged(self, norm: str) -> list[str]:
        """Tokens of normalised text (variants mapped, phrases joined), stopwords kept."""
        bases = _words(norm)
        if not bases:
            return []
        low, folded = _fold_all(bases)
        toks = _splice(low, self._variant_merges(bases, folded))
        return _splice(toks, self._phrase_merges(toks))

    def _keep(self, toks: list[str], keep: str | None = None) -> list[str]:
        stop, m = self._stop, self.min_length
        if m <= 1:
            return [t for t in toks if t not in stop]
        return [t for t in toks if t == keep or (t not in stop and len(t) >= m)]

    def spans(self, text: str, keep_stopwords: bool = False) -> tuple[str, list[Token]]:
        """Return the normalised text and its tokens with character spans into it.

        ``keep_stopwords=True`` keeps stopwords (used for concordances, where the
        context should read as the original).
        """
        norm = normalize(text)
        words = _word_spans(norm)
        if not words:
            return norm, []
        bases = [w for w, _, _ in words]
        low, folded = _fold_all(bases)
        toks = [Token(t, a, b) for t, (_, a, b) in zip(low, words)]
        toks = _splice(toks, [(i, j, Token(t, toks[i].start, toks[j - 1].end))
                              for i, j, t in self._variant_merges(bases, folded)])
        toks = _splice(toks, [(i, j, Token(t, toks[i].start, toks[j - 1].end))
                              for i, j, t in self._phrase_merges([t.token for t in toks])])
        if not keep_stopwords:
            toks = [t for t in toks if t.token not in self._stop and len(t.token) >= self.min_length]
        return norm, toks

    def __call__(self, text: str) -> list[str]:
        return self._keep(self._merged(normalize(text)))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[list[str]]:
        """Tokenise many texts (spaCy's name for the batch call); yields one list per text.

        The same tokens as one call per text, faster: the texts of a batch of
        ``batch_size`` are normalised one by one, then joined and tokenised in one pass.

        Examples
        --------
        >>> list(Tokenizer().pipe(["The U.S. and China.", "", "Middle Corridor"]))
        [['united_states', 'china'], [], ['middle_corridor']]
        """
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if not self._batchable:
            yield from map(self, texts)
            return
        it = iter(texts)
        while batch := list(islice(it, batch_size)):
            # normalised texts hold no "\n": it marks where one text ends
            toks = self._keep(self._merged(_SEPARATOR.join(map(normalize, batch))), _SEPARATOR)
            for part in " ".join(toks).split(_SEPARATOR):
                yield part.split()


def _fold_all(words: list[str] | tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Lower-case and case-folded forms of ``words``, each computed in one call for all."""
    joined = " ".join(words)
    low = fold_case(joined)
    # casefold differs from lower only outside ASCII ("ß" -> "ss"); "İ" folded first
    folded = low if low.isascii() else joined.replace("\u0130", "i").casefold()
    return low.split(" "), folded.split(" ")


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
