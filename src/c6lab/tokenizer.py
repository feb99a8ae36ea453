"""Word tokens for counting: lower case, name variants unified, phrases joined.

:func:`tokenize` is the default :class:`Tokenizer`; both are plain callables from a
string to a list of strings, so they drop into ``CountVectorizer(analyzer=...)``.
:meth:`Tokenizer.pipe` tokenises many texts at once, faster than one call per text.

How it stays fast: no Python code runs for every word. The words are separated by white
space in a few passes over the whole text that run in C (:func:`c6lab.text.word_text`:
str.translate turns what cannot be part of a word into spaces, and regexes that start with
one literal character remove the possessive "'s" and the "'", "-", "+" that do not join two
letters; only the stretches around initials such as "U.S." go through the full word regex);
the text is lower-cased once and split; one C pass (``map`` of ``dict.get`` into a
bytearray) gives every word its kind: may start a variant, may start a phrase, stopword.
Python runs only where a variant or a phrase may start, and writes a match in place; the
tokens kept are picked with ``itertools.compress``. A case-sensitive variant ("US", not
"us") compares the words of its text in their case, split from the text only for the texts
where one may match. :meth:`Tokenizer.pipe` joins the texts of a batch (about 64,000
characters at a time, so that their words stay in the processor's cache) with a separator
word and cuts the kept tokens per text in C. Nothing is cached between calls.
:meth:`Tokenizer.spans` needs offsets and keeps the word-by-word path
(:meth:`Tokenizer._by_words` gives its tokens; a test checks the two paths agree). Every
step is linear in the length of the text (``tests/test_text.py`` checks how much text each
regex call reads; ``benchmarks/linear_text.py`` times it).
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain, compress, count, filterfalse, islice, repeat
from typing import NamedTuple

from .lexicons import Lexicons, resolve
from .text import (
    fold_all,
    fold_case,
    folds_differently,
    is_shouting,
    normalize,
    normalize_characters,
    word_spans,
    word_text,
    words,
)

# pipe() joins the texts of a batch with this word between spaces: it marks where a text
# ends (a batch where a text holds it is not joined). Lower case, so never "shouting".
_SEPARATOR = "c6labtextbreak"
_JOIN = f" {_SEPARATOR} "
_JOIN_CHARS = 64_000
# the place of a word joined into the token before it (Tokenizer._merge_in_place); no
# word is empty, and lists whose variants hold an empty token use the word-by-word path
_MARK = ""
# kinds of word (Tokenizer._kinds) -> 1 where a variant may start, where a phrase may
# start; -> 1 kept, 0 dropped (and 2 for a separator: where a text ends)
_VARIANT_STARTS = bytes(k & 1 for k in range(256))
_PHRASE_STARTS = bytes((k & 2) >> 1 for k in range(256))
_KEPT = bytes(0 if k & 8 else 1 for k in range(256))
_KEPT_OR_END = bytes(2 if k == 4 else 0 if k & 8 else 1 for k in range(256))
_NONE: dict = {}


def _positions(seq: list[str], keys: frozenset[str]) -> Iterator[int]:
    """Positions of the items of ``seq`` that are in ``keys`` (the loop runs in C)."""
    return compress(count(), map(keys.__contains__, seq))


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

    Steps, in order: :func:`c6lab.normalize` (which also removes zero-width characters,
    so "Mid\u200bdle" is "Middle"); name variants from ``variants.csv``
    become one token ("U.S.", "US", "USA", "United States" -> ``united_states``;
    upper-case "US" only, so the pronoun "us" is untouched, and not when its neighbours
    are in capitals too, as in "LET US GO"); lower-casing (:func:`c6lab.text.fold_case`:
    "TÜRKİYE" is "türkiye"); word tokens with possessive
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
            ws = tuple(words(normalize(v.variant)))
            if ws:
                folded = tuple(fold_all(ws)[1])
                self._variants.setdefault(folded[0], []).append((folded, ws, v.case_sensitive, v.token))
        for entries in self._variants.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)
        self._variant_keys = frozenset(self._variants)
        if self.phrases is True:
            phrase_list = lex.phrases
        else:
            phrase_list = self.phrases or ()
        # phrases (as tokens) indexed by their first token, longest first
        # (a phrase's words are its tokens with variants mapped, no phrase joined)
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._phrase_keys: frozenset[str] = frozenset()
        for ws in [tuple(self._merged(words(p))) for p in phrase_list]:
            if len(ws) > 1:
                joined = "_".join(ws).replace("-", "_")
                self._phrases.setdefault(ws[0], []).append((ws, joined))
        for entries in self._phrases.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)
        self._phrase_keys = frozenset(self._phrases)
        self._compile_fast()

    def _compile_fast(self) -> None:
        tokens = {e[3] for es in self._variants.values() for e in es}
        self._fast = _MARK not in tokens
        # pipe() may join texts only if no list holds the separator
        listed = set(self._stop) | self._variant_keys | tokens
        listed.update(w for es in self._variants.values() for e in es for w in e[0])
        listed.update(w for es in self._phrases.values() for e in es for w in e[0])
        self._joinable = _SEPARATOR not in listed
        # what a word is (bits): 1 can start a variant (case-folded), 2 a phrase; 4 the
        # separator; 8 a stopword (dropped, like _MARK)
        self._kinds = dict.fromkeys(self._variant_keys, 1)
        for w in self._phrase_keys:
            for form in {w, w.casefold()}:
                self._kinds[form] = self._kinds.get(form, 0) | 2
        for w in self._stop:
            self._kinds[w] = self._kinds.get(w, 0) | 8
        self._kinds_joined = {**self._kinds, _SEPARATOR: 4}
        # phrases by their first two tokens (every phrase has two or more), longest first;
        # the joined token itself where the pair is the only phrase
        pairs: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
        for es in self._phrases.values():
            for e in es:
                pairs.setdefault(e[0][:2], []).append(e)
        # first -> second -> the phrases, or (token, its kind) if one of two words
        self._phrase_pairs: dict[str, dict] = {}
        for (a, b), es in pairs.items():
            self._phrase_pairs.setdefault(a, {})[b] = (
                (es[0][1], 8 if es[0][1] in self._stop else 0) if len(es) == 1 and len(es[0][0]) == 2 else es)
        self._drop = self._stop | {_MARK}

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

    # -- matching ---------------------------------------------------------------
    def _variant_merges(self, bases: list[str], folded: list[str]) -> list[tuple[int, int, str]]:
        """``(i, j, token)``: words ``i..j-1`` are one variant, left to right, longest first."""
        merges: list[tuple[int, int, str]] = []
        if self._variant_keys.isdisjoint(folded):
            return merges
        n, free = len(bases), 0
        for i in _positions(folded, self._variant_keys):
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

    def _merge_in_place(self, toks: list[str], folded: list[str], codes: bytearray, work: str,
                        joined: bool) -> None:
        """Map the variants and join the phrases of ``toks``, the lower-cased words of ``work``.

        Same matches as :meth:`_variant_merges` and :meth:`_phrase_merges`, but in place:
        a match's token replaces its first word and ``_MARK`` the others, and ``codes``
        (the kinds of the words, ``self._kinds``) says which are dropped, so no list is
        rebuilt. Python runs only where a variant or phrase may start (or, in a
        ``joined`` text, at the separator before a case-sensitive variant). A
        case-sensitive variant needs the words in their case: those of the text where one
        may match are split from ``work`` then, once per text. ``folded`` may be ``toks``.
        """
        variants, ambiguous, stop, phrase_keys = self._variants, self._ambiguous, self._stop, self._phrase_keys
        find = codes.translate(_VARIANT_STARTS).find
        n, free, i = len(toks), 0, -1
        texts, seen, m, first, bases_of, bases = None, 0, 0, 0, -1, []  # the current text
        while (i := find(1, i + 1)) >= 0:
            if i < free:
                continue  # inside the previous variant (toks there is no longer folded)
            for key, exact, case_sensitive, token in variants[folded[i]]:
                k = len(key)
                if i + k > n or (k > 1 and tuple(folded[i : i + k]) != key):
                    continue
                if case_sensitive:
                    if sep := codes.count(4, seen, i):  # separators passed: the text
                        m, first = m + sep, codes.rfind(4, seen, i) + 1
                    seen = i
                    if bases_of != m:  # split its words from work
                        if texts is None:
                            texts = work.split(_SEPARATOR) if joined else [work]
                        bases, bases_of = texts[m].split(), m
                    j = i - first
                    # "US" is the country, "us" the pronoun: case-sensitive variants match exactly
                    if tuple(bases[j : j + k]) != exact:
                        continue
                    if k == 1 and key[0] in ambiguous and (
                            (j > 0 and is_shouting(bases[j - 1]))
                            or (j + 1 < len(bases) and is_shouting(bases[j + 1]))):
                        continue  # "LET US GO": in capitals, "US" is the pronoun
                toks[i] = token
                toks[i + 1 : i + k] = [_MARK] * (k - 1)
                # the token's kind: dropped if a stopword, may start a phrase
                codes[i] = (8 if token in stop else 0) | (2 if token in phrase_keys else 0)
                codes[i + 1 : i + k] = b"\x08" * (k - 1)
                free = i + k
                break
        if phrase_keys:
            self._join_in_place(toks, codes)

    def _join_in_place(self, toks: list[str], codes: bytearray) -> None:
        """:meth:`_phrase_merges` in place, where ``codes`` says a phrase may start.

        ``toks`` holds ``_MARK`` only inside a variant, where the tokens to compare are
        read on past it.
        """
        n, pairs = len(toks), self._phrase_pairs
        find, i = codes.translate(_PHRASE_STARTS).find, -1
        while (i := find(1, i + 1)) >= 0:
            if i + 1 == n:
                break
            nxt = toks[i + 1]
            if nxt == _MARK:  # i starts a variant: its phrases are read on past its words
                entries = self._phrases.get(toks[i], ())
            elif (entries := pairs.get(toks[i], _NONE).get(nxt)) is None:
                continue
            elif entries.__class__ is tuple:  # the one phrase of these two tokens
                toks[i], toks[i + 1] = entries[0], _MARK
                codes[i], codes[i + 1] = entries[1], 8
                i += 1  # go on after it
                continue
            for ws, joined in entries:
                end = i + len(ws)
                window = toks[i:end]
                if _MARK in window:  # read on past a variant's words
                    window, end = [], i
                    while len(window) < len(ws) and end < n:
                        if toks[end] != _MARK:
                            window.append(toks[end])
                        end += 1
                if tuple(window) == ws:
                    toks[i] = joined
                    toks[i + 1 : end] = [_MARK] * (end - i - 1)
                    codes[i:end] = (b"\x08" if joined in self._stop else b"\x00") + b"\x08" * (end - i - 1)
                    i = end - 1  # go on after it
                    break

    def _phrase_merges(self, toks: list[str]) -> list[tuple[int, int, str]]:
        """``(i, j, joined)``: tokens ``i..j-1`` are one phrase, left to right, longest first."""
        merges: list[tuple[int, int, str]] = []
        if self._phrase_keys.isdisjoint(toks):
            return merges
        n_toks, free = len(toks), 0
        for i in _positions(toks, self._phrase_keys):
            if i < free:
                continue
            for ws, joined in self._phrases[toks[i]]:
                n = len(ws)
                if i + n <= n_toks and tuple(toks[i : i + n]) == ws:
                    merges.append((i, i + n, joined))
                    free = i + n
                    break
        return merges

    # -- tokenising -------------------------------------------------------------
    def _merged(self, bases: list[str]) -> list[str]:
        """Tokens of the words (variants mapped, phrases joined), stopwords kept."""
        if not bases:
            return []
        low, folded = fold_all(bases)
        toks = _splice(low, self._variant_merges(bases, folded))
        return _splice(toks, self._phrase_merges(toks))

    def _fast_tokens(self, text: str, n_texts: int = 0):
        """The tokens of ``text`` (normalised but for white space); with ``n_texts``, of
        each of the texts joined with the separator in ``text``, a list per text.

        The words are separated by white space in a few passes over the text, the text
        is lower-cased as a whole and split, one C pass looks every word up, and the
        tokens kept are picked in C: Python runs only where a variant or a phrase may be.
        """
        joined = n_texts > 0
        work = word_text(text)
        low = work.lower() if work.isascii() else fold_case(work)  # same length as work
        toks = low.split()
        # casefold differs from lower only for a few characters ("ß" -> "ss")
        folded = low.casefold().split() if folds_differently(low) else toks
        codes = bytearray(map((self._kinds_joined if joined else self._kinds).get, folded, repeat(0)))
        self._merge_in_place(toks, folded, codes, work, joined)
        if self.min_length > 1 or folded is not toks:  # (stopwords are looked up lower-cased)
            toks = self._keep(toks, _SEPARATOR if joined else None, self._drop)
            if not joined:
                return toks
            out, pos, find = [], 0, toks.index
            for _ in range(n_texts - 1):
                end = find(_SEPARATOR, pos)
                out.append(toks[pos:end])
                pos = end + 1
            out.append(toks[pos:])
            return iter(out)
        if not joined:
            return list(compress(toks, codes.translate(_KEPT)))
        # the kept tokens, then a list for each text: its number of kept tokens comes
        # from the codes between two separators (all loops in C)
        marks = codes.translate(_KEPT_OR_END)
        kept = list(compress(toks, marks.replace(b"\x02", b"\x00")))
        ends = list(accumulate(map(bytearray.count, marks.split(b"\x02"), repeat(1))))
        return map(kept.__getitem__, map(slice, [0, *ends[:-1]], ends))

    def _keep(self, toks: list[str], keep: str | None = None, drop: frozenset[str] | None = None) -> list[str]:
        """``toks`` without stopwords (``drop``: and those) and words shorter than
        ``min_length`` (but ``keep``)."""
        drop, m = self._stop if drop is None else drop, self.min_length
        if m <= 1:
            return list(filterfalse(drop.__contains__, toks))
        return [t for t in toks if t == keep or (t not in drop and len(t) >= m)]

    def spans(self, text: str, keep_stopwords: bool = False) -> tuple[str, list[Token]]:
        """Return the normalised text and its tokens with character spans into it.

        ``keep_stopwords=True`` keeps stopwords (used for concordances, where the
        context should read as the original).
        """
        norm = normalize(text)
        found = word_spans(norm)
        if not found:
            return norm, []
        bases = [w for w, _, _ in found]
        low, folded = fold_all(bases)
        toks = [Token(t, a, b) for t, (_, a, b) in zip(low, found)]
        toks = _splice(toks, [(i, j, Token(t, toks[i].start, toks[j - 1].end))
                              for i, j, t in self._variant_merges(bases, folded)])
        toks = _splice(toks, [(i, j, Token(t, toks[i].start, toks[j - 1].end))
                              for i, j, t in self._phrase_merges([t.token for t in toks])])
        if not keep_stopwords:
            toks = [t for t in toks if t.token not in self._stop and len(t.token) >= self.min_length]
        return norm, toks

    def _by_words(self, text: str) -> list[str]:
        """The tokens of ``text`` found word by word (the path of :meth:`spans`)."""
        return self._keep(self._merged(words(normalize(text))))

    def __call__(self, text: str) -> list[str]:
        if not self._fast:
            return self._by_words(text)
        return self._fast_tokens(normalize_characters(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[list[str]]:
        """Tokenise many texts (spaCy's name for the batch call); yields one list per text.

        The same tokens as one call per text, faster: the texts of a batch of
        ``batch_size`` are joined (ASCII ones apart from others, which are normalised
        together; about 64,000 characters a join) and each join goes through the steps
        once. Nothing is kept from one batch (or call) to the next.

        Examples
        --------
        >>> list(Tokenizer().pipe(["The U.S. and China.", "", "Middle Corridor"]))
        [['united_states', 'china'], [], ['middle_corridor']]
        """
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if not self._fast:
            yield from map(self._by_words, texts)
            return
        it = iter(texts)
        while batch := list(islice(it, batch_size)):
            yield from self._batch(batch)

    def _batch(self, batch: list[str]) -> Iterator[list[str]]:
        is_ascii = list(map(str.isascii, batch))
        if all(is_ascii):  # nothing to normalise
            return self._joined(batch)
        others = list(compress(batch, map(operator.not_, is_ascii)))
        normed = normalize_characters(_JOIN.join(others))
        if normed.count(_SEPARATOR) == len(others) - 1:
            normed = normed.split(_JOIN)
        else:  # a text holds the separator
            normed = list(map(normalize_characters, others))
        texts = batch.copy()
        for i, t in zip(compress(count(), map(operator.not_, is_ascii)), normed):
            texts[i] = t
        # ASCII text is lower-cased and split faster: keep it apart from the rest
        is_ascii = list(map(str.isascii, texts))
        if all(is_ascii):
            return self._joined(texts)
        both = [self._joined(list(compress(texts, map(operator.not_, is_ascii)))),
                self._joined(list(compress(texts, is_ascii)))]
        return map(next, map(both.__getitem__, is_ascii))  # in the order of the texts

    def _joined(self, texts: list[str]) -> Iterator[list[str]]:
        """The tokens of each of ``texts`` (normalised), from one pass over all of them.

        A join holds about ``_JOIN_CHARS`` characters at most (more in one text), so
        that its words stay in the processor's cache. The lists are made as they are
        asked for (so a caller that drops each one leaves the garbage collector nothing
        to do).
        """
        sizes = list(accumulate(map(len, texts)))  # characters up to each text
        cuts, done = [0], 0
        while cuts[-1] < len(texts):  # as many texts as fit, at least one
            cuts.append(max(bisect_right(sizes, done + _JOIN_CHARS), cuts[-1] + 1))
            done = sizes[cuts[-1] - 1]
        return chain.from_iterable(map(self._joined_once, map(texts.__getitem__, map(slice, cuts, cuts[1:]))))

    def _joined_once(self, texts: list[str]) -> Iterator[list[str]]:
        joined = _JOIN.join(texts)
        if len(texts) < 2 or not self._joinable or joined.count(_SEPARATOR) != len(texts) - 1:
            return map(self._fast_tokens, texts)
        return self._fast_tokens(joined, len(texts))


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
