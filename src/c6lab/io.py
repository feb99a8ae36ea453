"""Reading and writing files: the one CSV reader, atomic writes, digests, UTF-8 checks.

Every table the project reads (corpus tables, word lists, hand labels) goes through
:func:`read_csv_rows`, so a malformed file is always reported the same way: a
:class:`c6lab.Problem` naming the file, the row (1-based line number) and the field.
Every file the project writes goes through :func:`atomic_write_bytes`, so a reader never
sees half a file and a failure leaves the old file as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import CorpusError, Problem

Rows = list[tuple[int, dict[str, str]]]  # (line number, row with stripped values)


def line_of(data: bytes, offset: int) -> int:
    """1-based line number of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1


def decode_utf8(data: bytes, label: str, bom_ok: bool = True) -> str:
    """Decode ``data`` as UTF-8 or raise a :class:`CorpusError` naming ``label`` and the line.

    ``bom_ok`` accepts (and drops) a byte-order mark, as spreadsheet programs write one.

    Examples
    --------
    >>> decode_utf8("Türkiye".encode(), "t.txt")
    'Türkiye'
    >>> decode_utf8(b"ok\\n\\xff", "t.txt")
    Traceback (most recent call last):
    ...
    c6lab.errors.CorpusError: t.txt, row 2: not valid UTF-8 at byte 3 (0xff); re-save the file as UTF-8
    """
    try:
        return data.decode("utf-8-sig" if bom_ok else "utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError([Problem(label, line_of(data, exc.start), None,
                                   f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); "
                                   "re-save the file as UTF-8")]) from None


def read_text(path: str | Path, label: str | None = None) -> str:
    """Read a UTF-8 text file (BOM allowed); problems name ``label`` (default the path)."""
    path = Path(path)
    label = label or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError([Problem(label, None, None, "file not found")]) from None
    return decode_utf8(data, label)


def read_csv_rows(path: str | Path, required: Iterable[str], optional: Iterable[str] | None = None,
                  label: str | None = None) -> tuple[list[str], Rows]:
    """Read a CSV table with a header; return its header and ``(line, row)`` pairs.

    Values are stripped of surrounding white space. Raises :class:`CorpusError` listing
    every problem: file missing or not UTF-8, a required column missing, a column not in
    ``required`` or ``optional`` (when ``optional`` is given), a row with more fields than
    the header.

    Parameters
    ----------
    path : path
    required : iterable of str
        Columns that must be present.
    optional : iterable of str, optional
        Further columns allowed; ``None`` allows any other column.
    label : str, optional
        How the file is named in problems (default the path).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("word,valence\\nport, 1.5\\n")
    >>> read_csv_rows(p, ["word", "valence"])
    (['word', 'valence'], [(2, {'word': 'port', 'valence': '1.5'})])
    >>> read_csv_rows(p, ["word"], optional=[], label="t.csv")
    Traceback (most recent call last):
    ...
    c6lab.errors.CorpusError: t.csv, row 1, field 'valence': unknown column (expected word)
    """
    label = label or str(path)
    text = read_text(path, label)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise CorpusError([Problem(label, 1, None, "empty file: expected a header row")])
    required = list(required)
    problems = [Problem(label, 1, c, "missing column") for c in required if c not in header]
    if optional is not None:
        allowed = [*required, *optional]
        problems += [Problem(label, 1, c, f"unknown column (expected {', '.join(allowed)})")
                     for c in header if c not in allowed]
    if problems:
        raise CorpusError(problems)
    reader.fieldnames = header
    rows: Rows = []
    for row in reader:
        if None in row:
            problems.append(Problem(label, reader.line_num, None, "more fields than the header has columns"))
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    if problems:
        raise CorpusError(problems)
    return header, rows


def csv_bytes(fields: list[str], rows: Iterable[dict]) -> bytes:
    """A CSV table as UTF-8 bytes with LF line ends (how every table here is written)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def tree_digest(root: str | Path, exclude: Iterable[str] = ()) -> str:
    """sha256 over the relative paths and bytes of every file below ``root``.

    Files whose first path part is in ``exclude`` are left out. The order is the sorted
    order of the relative paths, so the digest does not depend on the file system.
    """
    root = Path(root)
    exclude = set(exclude)
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if p.is_file() and rel.parts[0] not in exclude:
            h.update(rel.as_posix().encode())
            h.update(b"\0")
            h.update(p.read_bytes())
    return h.hexdigest()


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    A reader never sees half a file, and a failure leaves any old file untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp creates 0600 files; give the usual permissions (0666 less the umask)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_table(df, name: str, results_dir: str | Path, float_digits: int = 6) -> Path:
    """Write ``df`` as ``<results_dir>/<name>`` (CSV, UTF-8, LF line ends, no index).

    Floats are written with ``float_digits`` significant digits so that last-bit
    differences between BLAS builds do not change the file.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = write_table(pd.DataFrame({"x": [1 / 3]}), "t.csv", d)
    >>> p.read_text()
    'x\\n0.333333\\n'
    """
    text = df.to_csv(index=False, lineterminator="\n", float_format=f"%.{float_digits}g")
    return atomic_write_bytes(Path(results_dir) / name, text.encode("utf-8"))


def save_figure(fig, name: str, results_dir: str | Path, dpi: int = 150) -> Path:
    """Save a matplotlib figure as ``<results_dir>/figures/<name>`` (PNG, no timestamp)."""
    buf = io.BytesIO()
    # no Software/date metadata, so the same figure gives the same bytes
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return atomic_write_bytes(Path(results_dir) / "figures" / name, buf.getvalue())
