"""Counts kept on disk: a document-term matrix counted once for every notebook of a run.

Each notebook of a run counts the speech of the corpus again in its own kernel (at 20,000
articles about 15 s a time). What :func:`c6lab.dfm` returns depends only on the texts, the
unit, the word lists and the code that tokenises, so the matrix can be kept in a folder
(:attr:`c6lab.Corpus.cache_folder`, the corpus's ``.c6lab-cache/``) under a key that
hashes all four, and the next notebook loads it instead of counting.

* **Key.** SHA-256 of the unit, every word list (:func:`lexicons_fingerprint`), the source
  of the modules that split, tokenise and count, the Python and Unicode versions (the
  regular expressions and the normalisation depend on them) and every text. Any change to
  any of these gives another key; a file is never read for other input.
* **File.** ``counts-<key>.npz``: the sparse matrix's arrays, the terms (UTF-8, NUL
  separated) and the per-document numbers the document variables need (sentence counts,
  or which segment and which characters each sentence is). No pickled object: loaded with
  ``allow_pickle=False``, so a file that came with a shared corpus can hold data but cannot
  run code. The document variables are built from the table given, as :func:`c6lab.dfm`
  builds them.
* **Writing** is atomic (a temporary file renamed into place); a folder that cannot be
  written is left alone. The newest :data:`KEEP` files are kept (a read counts as use).
  A file that cannot be read is reported as a warning and the texts are counted again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import unicodedata
import warnings
from pathlib import Path

import numpy as np

from .lexicons import FIELD_NAMES, Lexicons

#: counts files kept in one folder (the oldest are removed when a new one is written)
KEEP = 8
FORMAT = 2
# the modules whose code decides the counts (relative to c6lab/corpus/, where code_digest reads): a change to
# any of them changes every key
_SOURCES = ("../counts.py", "../counts_cache.py", "../tokenizer.py", "../text.py", "../lexicons.py")
_PREFIX = "counts-"


def _canonical(value):
    """A JSON-able form of a word-list value whose text does not depend on set order."""
    if isinstance(value, (frozenset, set)):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, dict):
        return [[_canonical(k), _canonical(v)] for k, v in value.items()]
    if isinstance(value, (tuple, list)):
        return [_canonical(v) for v in value]
    if isinstance(value, re.Pattern):
        return ["re", value.pattern, value.flags]
    if dataclasses.is_dataclass(value):
        return _canonical(dataclasses.astuple(value))
    if isinstance(value, Path):
        return str(value)
    return value


def lexicons_fingerprint(lexicons: Lexicons) -> str:
    """SHA-256 of every word list of ``lexicons`` (not of where they were read from).

    Examples
    --------
    >>> lex = Lexicons.default()
    >>> lexicons_fingerprint(lex) == lexicons_fingerprint(Lexicons.default().replace())
    True
    >>> lexicons_fingerprint(lex) == lexicons_fingerprint(lex.replace(stopwords=frozenset({"the"})))
    False
    """
    lists = {name: _canonical(getattr(lexicons, name)) for name in sorted(FIELD_NAMES - {"sources"})}
    return hashlib.sha256(json.dumps(lists, ensure_ascii=False).encode("utf-8")).hexdigest()


def counts_key(texts: list[str], unit: str, lexicons: Lexicons) -> str:
    """The key of the counts of ``texts`` (one document per text, or per sentence)."""
    from .corpus.cache import code_digest

    h = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]} {unicodedata.unidata_version} "
                       f"{code_digest(_SOURCES)}\n".encode())
    h.update(f"{unit}\n{lexicons_fingerprint(lexicons)}\n{len(texts)}\n".encode())
    for text in texts:  # the length first: no two lists of texts give the same bytes
        data = text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


def path_of(folder: Path, key: str) -> Path:
    return Path(folder) / f"{_PREFIX}{key}.npz"


def read_counts(folder: Path, key: str) -> dict[str, np.ndarray] | None:
    """The arrays kept under ``key``, or None (no such file, or one that cannot be read: a warning)."""
    path = path_of(folder, key)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        if int(arrays["format"][0]) != FORMAT:
            raise ValueError(f"format {int(arrays['format'][0])}")
        os.utime(path)  # used: kept longer than files not read
        return arrays
    except Exception as exc:  # noqa: BLE001 - any damage: count again, say so
        warnings.warn(f"{path}: kept counts cannot be read ({type(exc).__name__}: {exc}); counting again",
                      stacklevel=3)
        return None


def write_counts(folder: Path, key: str, arrays: dict[str, np.ndarray]) -> Path | None:
    """Keep ``arrays`` under ``key`` in ``folder`` (atomically); the path, or None if it cannot be written."""
    from .corpus.cache import prepare_folder, write_atomically

    folder = Path(folder)
    try:
        if not folder.is_dir():  # made here: marked as derived data (a folder one chose is left as it is)
            folder.parent.mkdir(parents=True, exist_ok=True)
            prepare_folder(folder)
    except OSError:
        return None
    path = write_atomically(path_of(folder, key), _PREFIX,
                            lambda fh: np.savez(fh, format=np.array([FORMAT]), **arrays))
    if path is not None:
        _keep_newest(folder)
    return path


def _keep_newest(folder: Path) -> None:
    files = []
    for p in folder.glob(f"{_PREFIX}*.npz"):
        try:
            files.append((p.stat().st_mtime_ns, p))
        except OSError:
            pass
    for _, p in sorted(files, reverse=True)[KEEP:]:
        p.unlink(missing_ok=True)


def terms_array(terms) -> np.ndarray:
    """The terms as one array of UTF-8 bytes, NUL between them (a term never holds a NUL:
    the tokenizer drops control characters)."""
    return np.frombuffer("\x00".join(terms).encode("utf-8", "surrogatepass"), dtype=np.uint8)


def terms_of(array: np.ndarray, n_terms: int) -> list[str]:
    if n_terms == 0:
        return []
    terms = array.tobytes().decode("utf-8", "surrogatepass").split("\x00")
    if len(terms) != n_terms:
        raise ValueError(f"{len(terms)} terms where the matrix has {n_terms} columns")
    return terms
