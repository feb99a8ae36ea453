"""Text cleaning and sentence splitting that suit this corpus.

Nothing here needs downloaded NLTK data: the sentence splitter is a small rule-based
one with an editable abbreviation list (``corpus/lexicons/abbreviations.txt``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from . import lexicons

# Curly and typographic quotes -> straight ones. NFKC would not do this.
_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
    }
)
# Hyphen-like dashes join words ("2023–2024"); em dashes and bars separate clauses, so they
# become a spaced hyphen and "issues—especially" does not turn into one word.
_HYPHENS = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"})
_EM_DASH = re.compile(r"\s*[\u2014\u2015]\s*")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return ``text`` in one canonical form for counting and display.

    Unicode NFC (so a decomposed "Türkiye" is one word), curly quotes straightened,
    en dashes and other hyphen-like dashes to ``-``, em dashes to `` - ``, every run
    of white space (including non-breaking spaces and line breaks) to one space, and
    no leading or trailing space. Idempotent: ``normalize(normalize(s)) == normalize(s)``.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> normalize("“C6: One Region – Shared Future”\\n")
    '"C6: One Region - Shared Future"'
    >>> normalize("issues\u2014especially")
    'issues - especially'
    """
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_QUOTES).translate(_HYPHENS)
    text = _EM_DASH.sub(" - ", text)
    return _SPACE.sub(" ", text).strip()


# A candidate boundary: sentence-final punctuation, optional closing quotes/brackets,
# then white space. Whether it really ends a sentence is decided in sentence_spans.
_BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([^\s\"'(\[\u201c\u2018]+)$")


def sentence_spans(text: str, lexicon_dir: str | Path | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` character offsets of the sentences of ``text``.

    Offsets index ``text`` itself (not a normalised copy), so they can be mapped back
    to the raw corpus. Leading and trailing white space is excluded from each span.

    A full stop does not end a sentence after an abbreviation from
    ``abbreviations.txt`` ("U.S.", "J.D.", "Mr.", "Dr." ...), after a single capital
    initial ("Donald J. Trump"), or when the next word starts in lower case. Line breaks
    always end a sentence (paragraphs never share one).

    Examples
    --------
    >>> s = "The visit of U.S. Vice President J.D. Vance was a landmark. It mattered."
    >>> [s[a:b] for a, b in sentence_spans(s)]
    ['The visit of U.S. Vice President J.D. Vance was a landmark.', 'It mattered.']
    """
    abbrev = lexicons.abbreviations(lexicon_dir)
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        chunk = para.group()
        start = 0
        for m in _BOUNDARY.finditer(chunk):
            end = m.end()
            if not _is_sentence_end(chunk, m.start(), end, abbrev):
                continue
            _add_span(spans, chunk, base, start, end)
            start = end
        _add_span(spans, chunk, base, start, len(chunk))
    return spans


def _is_sentence_end(chunk: str, dot: int, end: int, abbrev: frozenset[str]) -> bool:
    rest = chunk[end:].lstrip()
    if not rest:
        return True
    if rest[0].islower():
        return False
    if chunk[dot] == ".":
        m = _WORD_BEFORE.search(chunk[:dot])
        word = m.group(1).lower() if m else ""
        if word in abbrev or (len(word) == 1 and word.isalpha()):
            return False
    return True


def _add_span(spans: list[tuple[int, int]], chunk: str, base: int, start: int, end: int) -> None:
    piece = chunk[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((base + start + lead, base + start + lead + len(stripped)))


def sentences(text: str, lexicon_dir: str | Path | None = None) -> list[str]:
    """Split ``text`` into sentences (see :func:`sentence_spans` for the rules).

    Examples
    --------
    >>> sentences("Mr. Aliyev attended. Today the C5+1 format becomes C6. Dr. Bayramli agreed.")
    ['Mr. Aliyev attended.', 'Today the C5+1 format becomes C6.', 'Dr. Bayramli agreed.']
    """
    return [text[a:b] for a, b in sentence_spans(text, lexicon_dir)]
