"""Text cleaning, words and sentence splitting.

Nothing here needs downloaded NLTK data. The sentence splitter is rule-based, with the
abbreviations and sentence starters of a :class:`c6lab.Lexicons`; it runs in time linear
in the length of the text. NLTK's Punkt (trained on the corpus, with the same
abbreviations) was tried and left aside: it keeps "He flew to the U.S. The talks began.",
"They chose Plan B. It failed." and "Trade, energy, etc. Another topic." as one sentence
each and splits "at 5 p.m. on Monday" (``docs/methods.md``).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain

from .lexicons import Lexicons, resolve

# Curly and typographic quotes -> straight ones. NFKC would not do this.
_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
}
# Hyphen-like dashes join words ("2023–2024"); em dashes and bars separate clauses, so they
# become a spaced hyphen and "issues—especially" does not turn into one word.
_HYPHENS = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"}
_EM_DASHES = {c: " - " for c in "\u2014\u2015"}
#: Invisible characters that split a word in two for a regex but not for a reader:
#: zero-width space, non-joiner and joiner, word joiner, BOM/zero-width no-break space,
#: soft hyphen. They are removed ("Mid\u200bdle" is "Middle").
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_REPLACE = {**_QUOTES, **_HYPHENS, **_EM_DASHES, **dict.fromkeys(ZERO_WIDTH, "")}
# normalize_characters looks for each with `in` and replaces those found with
# str.replace: far faster than str.translate (or one regex) on non-ASCII text


def normalize(text: str) -> str:
    """Return ``text`` in one canonical form for counting and display.

    Zero-width characters and soft hyphens removed (:data:`ZERO_WIDTH`), Unicode NFC (so
    a decomposed "Türkiye" is one word), curly quotes straightened, en dashes and other
    hyphen-like dashes to ``-``, em dashes to `` - ``, every run of white space
    (including non-breaking spaces and line breaks) to one space, and no leading or
    trailing space. Letters keep their case (the dotted capital "İ" stays, see
    :func:`fold_case`). Idempotent: ``normalize(normalize(s)) == normalize(s)``. Linear
    in the length of the text.

    Examples
    --------
    >>> normalize("“C6: One Region – Shared Future”\\n")
    '"C6: One Region - Shared Future"'
    >>> normalize("issues\u2014especially"), normalize("Mid\u200bdle Corridor")
    ('issues - especially', 'Middle Corridor')
    """
    # str.split() splits on the same white space as the regex \s and drops the ends
    return " ".join(normalize_characters(text).split())


def normalize_characters(text: str) -> str:
    """:func:`normalize` but for white space: same words, not the same offsets.

    For tokenising, where the runs of white space do not matter (words never hold white
    space), this saves a split and join of the whole text.

    Examples
    --------
    >>> normalize_characters("“Mid\u200bdle”  \u2013 Corridor")
    '"Middle"  - Corridor'
    """
    if text.isascii():  # ASCII text has none of the characters below
        return text
    found = [c for c in _REPLACE if c in text]
    for char in found:
        if char in ZERO_WIDTH:
            # before NFC: a base letter and its accent may be separated by one
            text = text.replace(char, "")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    for char in found:
        if char not in ZERO_WIDTH:
            text = text.replace(char, _REPLACE[char])
    return text


def fold_case(text: str) -> str:
    """Lower-case ``text`` for matching, with the Turkish dotted capital "İ" as "i".

    ``str.lower`` turns "İ" into "i" plus a combining dot (two characters), so
    "TÜRKİYE" would not equal "türkiye". The dotless "ı" is left alone: it is a letter of
    its own (like "ü"); unify spellings such as "Kırgız"/"Kirgiz" in ``variants.csv``.
    ``fold_case(s)`` has the length of ``s`` (no other character changes length when
    lower-cased), so offsets into ``s`` stay valid.

    Examples
    --------
    >>> fold_case("TÜRKİYE"), fold_case("İstanbul"), fold_case("Kırgız")
    ('türkiye', 'istanbul', 'kırgız')
    """
    return text.replace("\u0130", "i").lower()


# characters of lower-cased text that str.casefold changes ("ß", "ς", "ﬁ" ...); a test
# checks the list against every code point
_CASEFOLD_CHANGES = re.compile(
    "[\u00b5\u00df\u0149\u017f\u01f0\u0345\u0390\u03b0\u03c2\u03d0-\u03d1\u03d5-\u03d6\u03f0-\u03f1"
    "\u03f5\u0587\u13f8-\u13fd\u1c80-\u1c88\u1e96-\u1e9b\u1f50\u1f52\u1f54\u1f56\u1f80-\u1f87"
    "\u1f90-\u1f97\u1fa0-\u1fa7\u1fb2-\u1fb4\u1fb6-\u1fb7\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fc7"
    "\u1fd2-\u1fd3\u1fd6-\u1fd7\u1fe2-\u1fe4\u1fe6-\u1fe7\u1ff2-\u1ff4\u1ff6-\u1ff7\uab70-\uabbf"
    "\ufb00-\ufb06\ufb13-\ufb17]")


def folds_differently(low: str) -> bool:
    """Whether ``str.casefold`` changes the lower-cased text ``low`` ("ß" -> "ss")."""
    return not low.isascii() and _CASEFOLD_CHANGES.search(low) is not None


def fold_all(words: list[str]) -> tuple[list[str], list[str]]:
    """Lower-case and case-folded forms of ``words``, each computed in one call for all."""
    low = fold_case(" ".join(words))
    lows = low.split(" ")
    return lows, (low.casefold().split(" ") if folds_differently(low) else lows)


def is_shouting(word: str) -> bool:
    """True for a word written in capitals that is not an initialism-sized token.

    Used to read an all-caps alias such as "US" as the ordinary word "us" when its
    neighbours are in capitals too ("LET US GO"). Words of one letter do not count.

    Examples
    --------
    >>> is_shouting("LET"), is_shouting("A"), is_shouting("Let")
    (True, False, False)
    """
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# -- words ---------------------------------------------------------------------------------
# A word: letters/digits, possibly joined by hyphens, apostrophes or "+" ("c5+1",
# "good-neighbourliness", "al-sharaa"); or dotted initials ("U.S.", "J.D."), which keep a
# following possessive ("U.S.'s"). A possessive 's is dropped afterwards, and so is the last
# dot of initials ("U.S"). The regexes run on text with "_" replaced by a space, so "\w" is
# a letter or digit ("_" separates words).
_WORD = re.compile(r"(?:\w\.){2,}(?:'s)?|\w+(?:[-'+]\w+)*")
# Most text has no initials: there the simpler pattern finds the same words, faster, once
# each word-final 's is removed.
_PLAIN_WORD = re.compile(r"\w+(?:[-'+]\w+)*")
_POSSESSIVE = re.compile(r"'(?<=\w')[sS](?![-'+]?\w)")
_INITIALS = re.compile(r"\.\w\.")  # where the rule for initials can apply
# word_text: a character that is neither part of a word nor white space becomes a space.
# ASCII ones by str.translate (or bytes.translate on UTF-8, whose bytes >= 128 are left
# alone: str.translate is slow on other text); the rarer others by a regex.
_ASCII_NOT_WORD = {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c.isspace() or c in "-'+")}
_ASCII_TABLE = str.maketrans(_ASCII_NOT_WORD)
_UTF8_TABLE = bytes(32 if chr(b) in _ASCII_NOT_WORD else b for b in range(256))
_NON_ASCII_NOT_WORD = re.compile(r"[^\x00-\x7f](?<=[^\w\s])")
# The joiners "'", "-", "+" stay only between two letters/digits; "'s" ending a word goes.
# One regex per joiner: a regex that starts with one literal character scans fast.
_APOSTROPHE = re.compile(r"'(?:(?<=\w')[sS](?![-'+]?\w)|(?<!\w')|(?!\w))")
_LONE_HYPHEN = re.compile(r"-(?:(?<!\w-)|(?!\w))")
_LONE_PLUS = re.compile(r"\+(?:(?<!\w\+)|(?!\w))")


def _base(word: str) -> str:
    """The word without a possessive 's and without the last dot of initials, case kept."""
    if word.endswith(("'s", "'S")):
        word = word[:-2]
    return word[:-1] if word.endswith(".") else word


def _stretches(text: str, plain, initials) -> list:
    """``plain`` of the stretches without initials, ``initials`` of those with them.

    Words never span white space, so text can be cut at a space: a stretch around
    initials goes through the full pattern (and a Python step per word), the rest through
    a faster path. Linear: each stretch is read a fixed number of times.
    """
    if "_" in text:
        text = text.replace("_", " ")
    m = _INITIALS.search(text) if "." in text else None
    if m is None:
        return [plain(text)]
    out = []
    pos = 0
    while m is not None:
        a = text.rfind(" ", pos, m.start()) + 1 or pos
        b = text.find(" ", m.end())
        b = len(text) if b < 0 else b
        out.append(plain(text[pos:a]))
        out.append(initials([_base(w) for w in _WORD.findall(text, a, b)]))
        pos = b
        m = _INITIALS.search(text, b)
    out.append(plain(text[pos:]))
    return out


def _plain_words(text: str) -> list[str]:
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    return _PLAIN_WORD.findall(text)


def words(text: str) -> list[str]:
    """The words of ``text`` as the tokenizer reads them, case kept.

    A possessive "'s" and the last dot of initials are removed; "_" separates words.

    Examples
    --------
    >>> words("The U.S.'s C5+1 and Türkiye's good-neighbourliness_policy")
    ['The', 'U.S', 'C5+1', 'and', 'Türkiye', 'good-neighbourliness', 'policy']
    """
    return list(chain.from_iterable(_stretches(text, _plain_words, list)))


def _plain_word_text(text: str) -> str:
    if not text.isascii():
        text = _NON_ASCII_NOT_WORD.sub(" ", text)  # (lone surrogates too)
    if text.isascii():
        text = text.translate(_ASCII_TABLE)
    else:
        text = text.encode("utf-8").translate(_UTF8_TABLE).decode("utf-8")
    if "'" in text:
        text = _APOSTROPHE.sub(" ", text)
    if "-" in text:
        text = _LONE_HYPHEN.sub(" ", text)
    if "+" in text:
        text = _LONE_PLUS.sub(" ", text)
    return text


def word_text(text: str) -> str:
    """``text`` with the :func:`words` separated by white space and nothing else.

    ``word_text(s).split() == words(s)``, but the words are found by a few passes over
    the whole text that run in C (str.translate, regexes that match only where a
    joiner or a non-ASCII symbol is) instead of one regex match per word. A joiner
    ("-", "'", "+") is kept only between two letters or digits; everything else that is
    not a letter or digit becomes a space.

    Examples
    --------
    >>> word_text("the U.S.'s role -- C5+1's 'good-neighbourliness'").split()
    ['the', 'U.S', 'role', 'C5+1', 'good-neighbourliness']
    """
    return " ".join(_stretches(text, _plain_word_text, " ".join))


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` of :func:`words`; the span covers a possessive and the last
    dot of initials."""
    if "_" in text:
        text = text.replace("_", " ")  # same length: offsets hold
    return [(_base(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


# A candidate boundary: sentence-final punctuation, optional closing quotes/brackets,
# then white space. Whether it really ends a sentence is decided by _is_end.
# Only from the first mark of a run, and without backtracking (possessive ++ and *+):
# otherwise a long run of dots not followed by a space is re-read from each of its marks
# (quadratic time).
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]++[\"'\u201d\u2019)\]]*+(?=\s)")
# the word before a full stop (looked at in a bounded window, so splitting stays linear)
_WORD_BEFORE = re.compile(r"([^\s\"'(\[\u201c\u2018]+)$")
_NEXT_WORD = re.compile(r"\s*[\"'\u201c\u2018(\[]*([^\W\d_][\w'-]*)?")
_FIRST_AFTER = re.compile(r"\s*(\S?)")
_LOOKBEHIND = 60


class SentenceSplitter:
    """Rule-based sentence splitter configured by a :class:`c6lab.Lexicons`.

    Rules, at each ``.``, ``!`` or ``?`` (with closing quotes) followed by white space:

    * a line break always ends a sentence (paragraphs never share one);
    * the next word starting in lower case continues the sentence ("5 p.m. on Monday");
    * after an abbreviation from ``abbreviations.txt`` ("U.S.", "Dr.", "etc.") or a
      single capital initial ("J.", "B."), the sentence ends only if the next word is in
      ``sentence_starters.txt`` ("U.S. The talks", "Plan B. It failed");
    * anywhere else the sentence ends.

    Offsets index the text given (not a normalised copy).

    Examples
    --------
    >>> split = SentenceSplitter(Lexicons.default())
    >>> s = "He flew to the U.S. The talks began. Prof. J. D. Smith spoke at 5 p.m. on Monday."
    >>> [s[a:b] for a, b in split.spans(s)]
    ['He flew to the U.S.', 'The talks began.', 'Prof. J. D. Smith spoke at 5 p.m. on Monday.']
    """

    def __init__(self, lexicons: Lexicons | None = None):
        lex = resolve(lexicons)
        self.abbreviations = lex.abbreviations
        self.starters = lex.sentence_starters

    def _is_end(self, chunk: str, dot: int, end: int) -> bool:
        nxt = _NEXT_WORD.match(chunk, end)
        first = _FIRST_AFTER.match(chunk, end).group(1)
        if not first:
            return True  # only white space follows: the paragraph ends
        if first.islower():
            return False
        if chunk[dot] == ".":
            m = _WORD_BEFORE.search(chunk, max(0, dot - _LOOKBEHIND), dot)
            before = m.group(1).lower() if m else ""
            if before in self.abbreviations or (len(before) == 1 and before.isalpha()):
                word = nxt.group(1) if nxt else None
                return word is not None and word.lower() in self.starters
        return True

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` offsets of the sentences of ``text``, white space trimmed."""
        spans: list[tuple[int, int]] = []
        for para in re.finditer(r"[^\n]+", text):
            base, chunk = para.start(), para.group()
            start = 0
            for m in _BOUNDARY.finditer(chunk):
                if self._is_end(chunk, m.start(), m.end()):
                    _add_span(spans, chunk, base, start, m.end())
                    start = m.end()
            _add_span(spans, chunk, base, start, len(chunk))
        return spans

    def __call__(self, text: str) -> list[str]:
        return [text[a:b] for a, b in self.spans(text)]


def _add_span(spans: list[tuple[int, int]], chunk: str, base: int, start: int, end: int) -> None:
    piece = chunk[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((base + start + lead, base + start + lead + len(stripped)))


def sentence_spans(text: str, lexicons: Lexicons | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` character offsets of the sentences of ``text``.

    Uses the sentence splitter of ``lexicons`` (default: the package's lists); see
    :class:`SentenceSplitter` for the rules.

    Examples
    --------
    >>> s = "The visit of U.S. Vice President J.D. Vance was a landmark. It mattered."
    >>> [s[a:b] for a, b in sentence_spans(s)]
    ['The visit of U.S. Vice President J.D. Vance was a landmark.', 'It mattered.']
    """
    return resolve(lexicons).sentence_splitter.spans(text)


def sentences(text: str, lexicons: Lexicons | None = None) -> list[str]:
    """Split ``text`` into sentences (see :class:`SentenceSplitter` for the rules).

    Examples
    --------
    >>> sentences("They chose Plan B. It failed. Trade, energy, etc. Another topic.")
    ['They chose Plan B.', 'It failed.', 'Trade, energy, etc.', 'Another topic.']
    """
    return [text[a:b] for a, b in sentence_spans(text, lexicons)]
