"""A derived copy of a corpus's loaded tables, keyed by its digest: loading without parsing.

:func:`c6lab.open_corpus` validates every table and raw text and builds the segment table,
which is pure Python per row (47 s for 20,000 articles). The tables it builds depend only
on the bytes of the corpus's files and on the code that reads them, so they are kept in
``<corpus>/.c6lab-cache/tables-<key>.npz``, where ``key`` hashes the corpus's tree digest
(every file's path and bytes, see :func:`c6lab.io.tree_digest`), this module's format and
the source of the modules that validate and build the tables. Any edit of any corpus file
changes the key: the old file is never read again (and is deleted by the next write).

The file is a NumPy ``.npz`` read with ``allow_pickle=False``: plain arrays and UTF-8 text,
never pickled objects, so a cache file that arrived with a shared corpus folder can hold
data but cannot run code. A string column is stored as its distinct values (UTF-8 in
chunks of a few MB) and one code per row. A file that cannot be read is reported as a
warning and the corpus is loaded from its files instead; writing is atomic (a temporary
file renamed into place), so two processes writing at once leave one whole file, and a
folder that cannot be written is left alone.

The cache is derived data, not corpus data: the corpus digest and validation leave the
folder out, and it holds a ``.gitignore`` and a ``CACHEDIR.TAG`` so that git and backup
tools skip it. Deleting it is always safe.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..io import sha256_hex

#: The folder, inside the corpus folder, that holds the derived tables.
CACHE_NAME = ".c6lab-cache"
#: With ``cache="auto"``, tables are written only for corpora of at least this many segments
#: (below it, loading takes well under a second and a second copy on disk does not pay).
AUTO_MIN_SEGMENTS = 20_000
FORMAT = 2
FRAMES = ("segments", "articles", "speakers")
_CHUNK_BYTES = 8 * 2**20  # distinct strings are stored in pieces of about this size
_PROBE = 1000  # rows looked at to tell a column of distinct values from one of repeated values
_STALE_TMP_SECONDS = 3600  # a temporary file this old was left by a writer that was killed
# the modules whose code decides what the tables hold: a change to any invalidates every cache
_SOURCES = ("cache.py", "model.py", "validate.py", "../io.py")
_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# c6lab derived tables: safe to delete.\n"


class NotCacheable(ValueError):
    """A table with a column type the cache does not store (it is then not written)."""


@functools.cache
def code_digest(sources: tuple[str, ...] = _SOURCES) -> str:
    """sha256 over the source of the modules (paths relative to this folder) whose code decides
    what derived data holds: by default those that validate and build the tables."""
    here = Path(__file__).resolve().parent
    return sha256_hex(b"\0".join((here / name).read_bytes() for name in sources))


def cache_key(tree: str) -> str:
    """The cache key of a corpus whose :func:`c6lab.io.tree_digest` is ``tree``.

    Examples
    --------
    >>> cache_key("0" * 64) == cache_key("0" * 64) != cache_key("1" * 64)
    True
    """
    return sha256_hex(f"c6lab tables {FORMAT}\n{tree}\n{code_digest()}\n"
                      f"pandas {pd.__version__}\nnumpy {np.__version__}".encode())[:32]


def cache_path(root: Path, key: str) -> Path:
    return Path(root) / CACHE_NAME / f"tables-{key}.npz"


def has_cache(root: Path) -> bool:
    """Whether ``root`` holds any cached tables (cheap: one folder listing)."""
    folder = Path(root) / CACHE_NAME
    try:
        return any(p.name.startswith("tables-") and p.suffix == ".npz" for p in folder.iterdir())
    except OSError:
        return False


def file_signature(root: Path) -> list[tuple[str, int, int]]:
    """Path, size and modification time (ns) of every file below ``root`` but the cache.

    Cheap (no file is read): compared before and after a load, it shows whether a file
    changed meanwhile, in which case the tables are not cached.
    """
    out = []
    for folder, dirs, files in os.walk(root):
        if folder == str(root):
            dirs[:] = [d for d in dirs if d != CACHE_NAME]
        for name in files:
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            out.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
    return sorted(out)


# ------------------------------------------------------------------ reading


def read_tables(root: Path, key: str) -> dict[str, pd.DataFrame] | None:
    """The cached tables of ``root`` for ``key``, or None if there are none.

    A file that exists but cannot be read (truncated, corrupted, from another format) is
    reported with a :class:`RuntimeWarning` and None is returned: the caller loads the
    corpus from its files.
    """
    path = cache_path(root, key)
    try:
        z = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001  any unreadable file: load from the corpus instead
        _warn_unreadable(path, exc)
        return None
    try:
        with z:
            meta = json.loads(z["meta.json"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT or meta.get("key") != key:
                raise ValueError("written for another corpus version or format")
            return {name: _read_frame(z, name, meta["frames"][name]) for name in FRAMES}
    except Exception as exc:  # noqa: BLE001
        _warn_unreadable(path, exc)
        return None


def _warn_unreadable(path: Path, exc: BaseException) -> None:
    warnings.warn(f"{path}: cached tables cannot be read ({type(exc).__name__}: {exc}); "
                  "loading the corpus from its files instead", RuntimeWarning, stacklevel=4)


def _read_frame(z, name: str, meta: dict) -> pd.DataFrame:
    n = meta["rows"]
    columns = {}
    for i, col in enumerate(meta["columns"]):
        prefix = f"{name}.{i}"
        if col["kind"] == "array":
            values = z[prefix]
            if values.dtype.str != col["dtype"] or values.shape != (n,):
                raise ValueError(f"column {col['name']!r} has the wrong type or length")
            columns[col["name"]] = values
        else:
            columns[col["name"]] = _read_strings(z, prefix, col, n)
    return pd.DataFrame(columns, columns=[c["name"] for c in meta["columns"]], index=pd.RangeIndex(n), copy=False)


def _read_strings(z, prefix: str, col: dict, n: int) -> pd.Series:
    codes = None if col["per_row"] else z[f"{prefix}.codes"]
    lengths = z[f"{prefix}.lengths"].tolist()  # characters of each distinct value
    uniques = np.empty(len(lengths) + 1, dtype=object)
    uniques[-1] = np.nan  # code -1: a missing value
    k = 0
    for c in range(col["chunks"]):
        text = z[f"{prefix}.chunk{c}"].tobytes().decode("utf-8")
        m = col["per_chunk"][c]
        ends = list(itertools.accumulate(lengths[k:k + m]))
        if len(ends) != m or (ends[-1] if ends else 0) != len(text):
            raise ValueError(f"column {col['name']!r}: chunk {c} does not match its lengths")
        uniques[k:k + m] = [text[a:b] for a, b in zip([0, *ends[:-1]], ends)]
        k += m
    if codes is None:  # one value per row, in row order: no codes stored
        if k != n:
            raise ValueError(f"column {col['name']!r} has {k} values for {n} rows")
        values = uniques[:-1]
    else:
        if k != len(lengths) or codes.shape != (n,) or (n and (codes.min() < -1 or codes.max() >= k)):
            raise ValueError(f"column {col['name']!r} has inconsistent codes")
        values = uniques[codes]
    del uniques
    if col["dtype"] == "object":
        return pd.Series(values, dtype=object, copy=False)
    dtype = pd.StringDtype(col["storage"], na_value=np.nan if col["na"] == "nan" else pd.NA)
    return pd.Series(values, dtype=dtype)


# ------------------------------------------------------------------ writing


def write_tables(root: Path, key: str, tables: dict[str, pd.DataFrame]) -> Path | None:
    """Write ``tables`` as the cache of ``root`` for ``key`` (atomically); the path, or None.

    Nothing is written, and None returned, when the folder cannot be written (a read-only
    corpus) or a table has a column type the cache does not store. Cached tables of other
    keys (older versions of the corpus) are deleted.
    """
    folder = Path(root) / CACHE_NAME
    try:
        meta = {"format": FORMAT, "key": key, "frames": {name: _frame_meta(tables[name]) for name in FRAMES}}
    except NotCacheable:
        return None
    def write(fh) -> None:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            for name in FRAMES:
                _write_frame(zf, name, tables[name], meta["frames"][name])
            # last: the chunk counts are known once the columns are written
            _write_array(zf, "meta.json", np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8))

    try:
        prepare_folder(folder)
    except OSError:
        return None
    path = write_atomically(cache_path(root, key), "tables-", write)
    if path is not None:
        _remove_stale(folder, keep=path.name)
    return path


def write_atomically(path: Path, prefix: str, write) -> Path | None:
    """``write(file)`` into a temporary file beside ``path``, then renamed to it: ``path``, or
    None when the folder cannot be written (a read-only corpus, a full disk: no derived file,
    no error). Two processes writing at once leave one whole file."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{prefix}", suffix=".tmp")
    except OSError:
        return None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def prepare_folder(folder: Path) -> None:
    """Create ``folder`` with a ``.gitignore`` and a ``CACHEDIR.TAG`` (git and backups skip it)."""
    folder.mkdir(exist_ok=True)
    for name, data in ((".gitignore", b"# derived tables of c6lab: never commit them\n*\n"), ("CACHEDIR.TAG", _TAG)):
        if not (folder / name).exists():
            (folder / name).write_bytes(data)


def _frame_meta(df: pd.DataFrame) -> dict:
    if not isinstance(df.index, pd.RangeIndex) or df.index.start != 0 or df.index.step != 1:
        raise NotCacheable("index is not 0..n-1")
    cols = []
    for name in df.columns:
        if not isinstance(name, str):
            raise NotCacheable(f"column name {name!r}")
        dtype = df[name].dtype
        if isinstance(dtype, pd.StringDtype):
            na = "nan" if dtype.na_value is np.nan else "NA"
            cols.append({"name": name, "kind": "str", "dtype": "str", "storage": dtype.storage, "na": na})
        elif isinstance(dtype, np.dtype) and dtype.kind == "O":
            if not all(isinstance(v, str) or v is np.nan for v in df[name]):
                raise NotCacheable(f"column {name!r} holds more than strings")
            cols.append({"name": name, "kind": "str", "dtype": "object"})
        elif dtype.kind in "biuf" and isinstance(dtype, np.dtype):
            cols.append({"name": name, "kind": "array", "dtype": dtype.str})
        else:
            raise NotCacheable(f"column {name!r} of type {dtype}")
    return {"rows": len(df), "columns": cols}


def _write_frame(zf: zipfile.ZipFile, name: str, df: pd.DataFrame, meta: dict) -> None:
    for i, col in enumerate(meta["columns"]):
        prefix = f"{name}.{i}"
        series = df[col["name"]]
        if col["kind"] == "array":
            _write_array(zf, prefix, series.to_numpy())
            continue
        values = series.to_numpy(dtype=object, na_value=np.nan)
        probe = values[:_PROBE].tolist()
        # distinct values at the start (ids, texts): stored row by row, no codes (hashing a
        # million long texts to find the few repeats costs more than it saves)
        col["per_row"] = len(set(probe)) == len(probe) and not series.hasnans
        if col["per_row"]:
            uniques = values
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            _write_array(zf, f"{prefix}.codes", codes.astype(np.int32 if len(uniques) < 2**31 else np.int64))
        lengths = np.fromiter(map(len, uniques), dtype=np.int64, count=len(uniques))
        _write_array(zf, f"{prefix}.lengths", lengths)
        ends = np.cumsum(lengths)
        per_chunk, start = [], 0
        while start < len(uniques):  # chunks of whole strings, about _CHUNK_BYTES characters each
            base = ends[start - 1] if start else 0
            stop = max(int(np.searchsorted(ends, base + _CHUNK_BYTES, side="right")), start + 1)
            _write_chunk(zf, f"{prefix}.chunk{len(per_chunk)}", uniques[start:stop].tolist())
            per_chunk.append(stop - start)
            start = stop
        col["chunks"], col["per_chunk"] = len(per_chunk), per_chunk


def _write_chunk(zf: zipfile.ZipFile, name: str, strings: list[str]) -> None:
    _write_array(zf, name, np.frombuffer("".join(strings).encode("utf-8"), dtype=np.uint8))


def _write_array(zf: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    with zf.open(f"{name}.npy", "w", force_zip64=True) as fh:
        np.lib.format.write_array(fh, np.ascontiguousarray(array), allow_pickle=False)


def _remove_stale(folder: Path, keep: str) -> None:
    now = time.time()
    for p in folder.iterdir():
        try:
            if p.name.startswith("tables-") and p.suffix == ".npz" and p.name != keep:
                p.unlink()  # another version of the corpus: never read again
            elif p.name.startswith(".tables-") and p.suffix == ".tmp" and now - p.stat().st_mtime > _STALE_TMP_SECONDS:
                p.unlink()  # left by a writer that was killed
        except OSError:
            pass  # another process removed it first, or the folder is read-only
