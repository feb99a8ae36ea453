"""Readers for the editable word lists under ``corpus/lexicons``.

Each list is a plain data file so that students change the data, not the code:

* ``phrases.txt``: multi-word expressions joined into one token;
* ``variants.csv``: name variants mapped to one token (``U.S.`` -> ``united_states``);
* ``stopwords.txt``: function words removed before counting;
* ``abbreviations.txt``: abbreviations that do not end a sentence;
* ``boilerplate_patterns.txt``: regular expressions for page furniture.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import CorpusError, Problem
from .paths import default_lexicon_dir


def _resolve(lexicon_dir: str | Path | None) -> Path:
    return Path(lexicon_dir) if lexicon_dir is not None else default_lexicon_dir()


def read_list(path: str | Path) -> list[str]:
    """Read a one-item-per-line list, skipping blank lines and ``#`` comments."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CorpusError([Problem(str(path), None, None, "word list not found")]) from None
    except UnicodeDecodeError as exc:
        raise CorpusError(
            [Problem(str(path), None, None, f"not UTF-8 (byte {exc.start}); save it as UTF-8")]
        ) from None
    items = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            items.append(line)
    return items


@dataclass(frozen=True)
class Variant:
    """One name variant and the token it becomes."""

    variant: str
    token: str
    case_sensitive: bool


def read_variants(path: str | Path) -> list[Variant]:
    """Read ``variants.csv`` (columns ``variant, token, case_sensitive``)."""
    path = Path(path)
    out = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"variant", "token", "case_sensitive"} - set(reader.fieldnames or [])
        if missing:
            raise CorpusError([Problem(str(path), 1, ",".join(sorted(missing)), "missing column")])
        for row in reader:
            line = reader.line_num
            flag = (row["case_sensitive"] or "").strip().lower()
            if flag not in {"yes", "no"}:
                raise CorpusError(
                    [Problem(str(path), line, "case_sensitive", f"must be yes or no, got {flag!r}")]
                )
            token = (row["token"] or "").strip()
            if not re.fullmatch(r"\w+", token):
                raise CorpusError(
                    [Problem(str(path), line, "token", f"must be one word (use _), got {token!r}")]
                )
            out.append(Variant(row["variant"].strip(), token, flag == "yes"))
    return out


@lru_cache(maxsize=8)
def _cached_list(path: str, mtime: float) -> tuple[str, ...]:
    return tuple(read_list(path))


@lru_cache(maxsize=8)
def _cached_variants(path: str, mtime: float) -> tuple[Variant, ...]:
    return tuple(read_variants(path))


def _stamp(path: Path) -> tuple[str, float]:
    # the modification time is part of the cache key, so an edited list is re-read
    try:
        return str(path), path.stat().st_mtime
    except FileNotFoundError:
        raise CorpusError([Problem(str(path), None, None, "word list not found")]) from None


def phrases(lexicon_dir: str | Path | None = None) -> tuple[str, ...]:
    """Multi-word phrases from ``phrases.txt``."""
    return _cached_list(*_stamp(_resolve(lexicon_dir) / "phrases.txt"))


def stopwords(lexicon_dir: str | Path | None = None) -> frozenset[str]:
    """Stopwords from ``stopwords.txt`` (lower case)."""
    words = _cached_list(*_stamp(_resolve(lexicon_dir) / "stopwords.txt"))
    return frozenset(w.lower() for w in words)


def abbreviations(lexicon_dir: str | Path | None = None) -> frozenset[str]:
    """Abbreviations (lower case, no final dot) from ``abbreviations.txt``."""
    words = _cached_list(*_stamp(_resolve(lexicon_dir) / "abbreviations.txt"))
    return frozenset(w.lower().rstrip(".") for w in words)


def variants(lexicon_dir: str | Path | None = None) -> tuple[Variant, ...]:
    """Name variants from ``variants.csv``."""
    return _cached_variants(*_stamp(_resolve(lexicon_dir) / "variants.csv"))


def boilerplate_patterns(lexicon_dir: str | Path | None = None) -> tuple[re.Pattern, ...]:
    """Compiled, case-insensitive patterns from ``boilerplate_patterns.txt``."""
    path = _resolve(lexicon_dir) / "boilerplate_patterns.txt"
    compiled = []
    for i, pat in enumerate(_cached_list(*_stamp(path)), 1):
        try:
            compiled.append(re.compile(pat, re.IGNORECASE))
        except re.error as exc:
            raise CorpusError([Problem(str(path), None, "pattern", f"pattern {i} {pat!r}: {exc}")]) from None
    return tuple(compiled)


def speech_verbs(lexicon_dir: str | Path | None = None) -> tuple[str, ...]:
    """Verbs that attribute speech (``speech_verbs.txt``), lower case."""
    return tuple(w.lower() for w in _cached_list(*_stamp(_resolve(lexicon_dir) / "speech_verbs.txt")))


def speaker_references(lexicon_dir: str | Path | None = None) -> tuple[str, ...]:
    """Words referring back to the last named speaker (``speaker_references.txt``)."""
    path = _resolve(lexicon_dir) / "speaker_references.txt"
    return tuple(w.lower() for w in _cached_list(*_stamp(path)))


def not_person_words(lexicon_dir: str | Path | None = None) -> frozenset[str]:
    """Words that show a capitalised name is a place or body (``not_person_words.txt``)."""
    path = _resolve(lexicon_dir) / "not_person_words.txt"
    return frozenset(w.lower() for w in _cached_list(*_stamp(path)))
