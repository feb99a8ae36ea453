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
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import CorpusError, Problem

Rows = list[tuple[int, dict[str, str]]]  # (line number, row with stripped values)

#: The longest cell a table may hold (characters); longer is reported, never parsed on.
MAX_CELL_CHARS = 100_000
# C0 controls but tab, line feed and carriage return; DEL; C1 controls (a NUL or a bell in a
# table is always an accident: a binary file, a bad conversion)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_END = re.compile(r"\r\n|\r|\n")


def line_of(data: bytes, offset: int) -> int:
    """1-based line number of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1


def find_control(text: str, allowed: str = "\t\n\r") -> int:
    """Index of the first control character in ``text`` not in ``allowed``, or -1.

    Control characters are C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F).

    Examples
    --------
    >>> find_control("fine\\ttext\\n"), find_control("a\\x00b")
    (-1, 1)
    """
    for m in _CONTROL.finditer(text):
        if m.group() not in allowed:
            return m.start()
    return -1


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


def read_text(path: str | Path, label: str | None = None, controls_ok: bool = False) -> str:
    """Read a UTF-8 text file (BOM allowed); problems name ``label`` (default the path).

    A control character other than tab and line ends (a NUL, a bell ...) is an error
    naming its line, unless ``controls_ok``.
    """
    path = Path(path)
    label = label or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError([Problem(label, None, None, "file not found")]) from None
    except IsADirectoryError:
        raise CorpusError([Problem(label, None, None, "is a folder, not a file")]) from None
    except OSError as exc:  # unreadable (permissions, a broken disk): the user's to fix, not a bug
        raise CorpusError([Problem(label, None, None, f"cannot be read: {exc.strerror or exc}")]) from None
    text = decode_utf8(data, label)
    if not controls_ok:
        at = find_control(text)
        if at >= 0:
            raise CorpusError([Problem(label, _line_at(text, at), None, _control_message(text[at]))])
    return text


def _line_at(text: str, index: int) -> int:
    """1-based line of character ``index``, counting line ends as the csv module does."""
    return len(_LINE_END.findall(text, 0, index)) + 1


def _control_message(char: str) -> str:
    return f"control character U+{ord(char):04X}: not plain text (a binary file or a bad conversion?)"


def read_csv_rows(path: str | Path, required: Iterable[str], optional: Iterable[str] | None = None,
                  label: str | None = None) -> tuple[list[str], Rows]:
    """Read a CSV table with a header; return its header and ``(line, row)`` pairs.

    Values are stripped of surrounding white space; the line is the one a row starts on.
    Raises :class:`CorpusError` listing every problem, each naming file, line and field:
    file missing or not UTF-8; a required column missing, a column named twice, a column
    not in ``required`` or ``optional`` (when ``optional`` is given); a row with more or
    fewer fields than the header; a quote that is never closed or is followed by text; a
    control character (NUL, bell ...; tab and line breaks are fine) or a cell longer than
    :data:`MAX_CELL_CHARS` characters. A table with a header and no rows is valid (no rows).

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
    >>> _ = p.write_text('word,valence\\nport,"1.5\\n')
    >>> read_csv_rows(p, ["word", "valence"], label="t.csv")
    Traceback (most recent call last):
    ...
    c6lab.errors.CorpusError: t.csv, row 2, field 'valence': unclosed quote starting on line 2
    """
    label = label or str(path)
    text = read_text(path, label, controls_ok=True)  # checked per cell below, to name the field
    quoting: list[Problem] = []  # a quoting problem stops the parse; it is reported first
    records = _records(text, label, quoting)  # streamed: never all records and all rows at once
    first = next(records, None)
    if first is None:
        if quoting:
            raise CorpusError(quoting)
        raise CorpusError([Problem(label, 1, None, "empty file: expected a header row")])
    head_line, raw_header = first
    header = [h.strip() for h in raw_header]
    problems = _cell_problems(label, head_line, [f"column {i + 1}" for i in range(len(header))], raw_header)
    required = list(required)
    problems += [Problem(label, head_line, c, "missing column") for c in required if c not in header]
    seen: set[str] = set()
    for c in header:
        if c and c in seen:
            problems.append(Problem(label, head_line, c, "column named twice in the header "
                                    "(which one holds the values?): rename or delete one"))
        seen.add(c)
    if optional is not None:
        allowed = [*required, *optional]
        problems += [Problem(label, head_line, c or f"column {i + 1}",
                             f"unknown column (expected {', '.join(allowed)})")
                     for i, c in enumerate(header) if c not in allowed and c not in header[:i]]
    if problems:
        for _ in records:  # a quoting problem further down is reported too
            pass
        raise CorpusError(problems + quoting)  # a bad header: the rows cannot be read against it
    names = [h or f"column {i + 1}" for i, h in enumerate(header)]
    unnamed = [i for i, h in enumerate(header) if not h]
    named = [(i, h) for i, h in enumerate(header) if h]
    width = len(header)
    controls = find_control(text) >= 0  # most files have none: then no cell is searched for one
    share = _Share(width)
    rows: Rows = []
    for line, cells in records:
        bad = []
        if controls or max(map(len, cells)) > MAX_CELL_CHARS:
            bad = _cell_problems(label, line, names + [f"column {i + 1}" for i in range(width, len(cells))], cells)
        if len(cells) != width:
            first = f"column {width + 1}" if len(cells) > width else names[len(cells)]
            bad.append(Problem(label, line, first, f"{_fields(len(cells))}, the header has {width} columns "
                               + ("(an unquoted comma in a value?)" if len(cells) > width
                                  else f"(missing from {first!r} on)")))
        bad += [Problem(label, line, names[i], "a value in a column with no name in the header")
                for i in unnamed if i < len(cells) and cells[i].strip()]
        if bad:
            problems += bad
            continue
        rows.append((line, {h: share(i, cells[i].strip()) for i, h in named}))
    if problems or quoting:
        raise CorpusError(quoting + problems)
    return header, rows


class _Share:
    """One string object per distinct value of a column (an id repeated on 50 rows is held once).

    A column with more than ``cap`` distinct values (a unique id) stops being shared: the
    lookup would only cost time and memory there.
    """

    def __init__(self, width: int, cap: int = 50_000):
        self.seen: list[dict[str, str] | None] = [{} for _ in range(width)]
        self.cap = cap

    def __call__(self, column: int, value: str) -> str:
        seen = self.seen[column]
        if seen is None:
            return value
        value = seen.setdefault(value, value)
        if len(seen) > self.cap:
            self.seen[column] = None
        return value


def _fields(n: int) -> str:
    return "1 field" if n == 1 else f"{n} fields"


def _cell_problems(label: str, line: int, names: list[str], cells: list[str]) -> list[Problem]:
    out = []
    for name, value in zip(names, cells):
        if len(value) > MAX_CELL_CHARS:
            out.append(Problem(label, line, name, f"cell longer than {MAX_CELL_CHARS} characters "
                               f"({len(value)}): not a table cell (a quote left open?)"))
            continue
        at = find_control(value)
        if at >= 0:
            out.append(Problem(label, line + value.count("\n", 0, at), name, _control_message(value[at])))
    return out


def _records(text: str, label: str, quoting: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """``(first line, cells)`` of every non-blank record; a quoting problem that stops the
    parse is appended to ``quoting``."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] = []
    old = csv.field_size_limit()
    # parse long cells, so that they are reported with their row and field (not as a csv.Error)
    csv.field_size_limit(max(old, 2**31 - 1))
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                quoting.append(_quote_problem(text, start, reader.line_num, str(exc), label, header))
                return
            if cells:
                header = header or cells
                yield start, cells
    finally:
        csv.field_size_limit(old)


def _quote_problem(text: str, start: int, line: int, error: str, label: str, header: list[str]) -> Problem:
    offsets = [0] + [m.end() for m in _LINE_END.finditer(text)]
    found = _scan_quotes(text, offsets[min(start, len(offsets)) - 1])
    if found is None:
        return Problem(label, line, None, f"cannot be read as CSV: {error}")
    what, at, column = found
    name = header[column].strip() if column < len(header) else ""
    name = name or f"column {column + 1}"
    if what == "open":
        return Problem(label, start, name, f"unclosed quote starting on line {_line_at(text, at)}")
    return Problem(label, _line_at(text, at), name, "text after the closing quote of a quoted value: "
                   'quotes inside a value are doubled and the whole value quoted ("say ""this""")')


def _scan_quotes(text: str, pos: int) -> tuple[str, int, int] | None:
    """The quoting error in the record starting at ``pos``: ``("open", index of the quote,
    column)`` for a quote never closed, ``("after", index, column)`` for text after a
    closing quote; None if there is none."""
    column, at_start, opened, closed, i = 0, True, None, False, pos
    while i < len(text):
        c = text[i]
        if opened is not None:
            if c == '"' and text.startswith('""', i):
                i += 2
                continue
            if c == '"':
                opened, closed = None, True
            i += 1
            continue
        if c == ",":
            column, at_start, closed = column + 1, True, False
        elif c in "\r\n":
            return None
        elif closed:
            return "after", i, column
        elif c == '"' and at_start:
            opened = i
            at_start = False
        else:
            at_start = False
        i += 1
    return ("open", opened, column) if opened is not None else None


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
    order of the relative paths (part by part, as :class:`pathlib.Path` sorts), so the
    digest does not depend on the file system. Links to files count as the file; links
    to folders are not followed.
    """
    files: list[tuple[tuple[str, ...], str]] = []
    _walk_files(os.fspath(root), (), set(exclude), files)
    files.sort()
    h = hashlib.sha256()
    buf = bytearray(1 << 20)  # one buffer for every file: the tree is never held in memory
    view = memoryview(buf)
    for parts, path in files:
        h.update("/".join(parts).encode())
        h.update(b"\0")
        with open(path, "rb", buffering=0) as fh:
            while n := fh.readinto(buf):
                h.update(view[:n])
    return h.hexdigest()


def _walk_files(folder: str, rel: tuple[str, ...], exclude: set[str], out: list) -> None:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except PermissionError:  # as Path.rglob: a folder that cannot be listed is skipped
        return
    for e in entries:
        if not rel and e.name in exclude:
            continue
        if e.is_dir():
            if not e.is_symlink():
                _walk_files(e.path, (*rel, e.name), exclude, out)
        elif e.is_file():
            out.append(((*rel, e.name), e.path))


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    A reader never sees half a file, and a failure leaves any old file untouched.
    """
    return atomic_write_chunks(path, [data])


def atomic_write_chunks(path: str | Path, chunks) -> Path:
    """:func:`atomic_write_bytes` of the bytes ``chunks`` yields, one after the other
    (a large table never held whole in memory)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for data in chunks:
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


WRITE_ROWS = 50_000  # rows of a table formatted at once by write_table


def write_table(df, name: str, results_dir: str | Path, float_digits: int = 6, excel_safe: bool = False) -> Path:
    """Write ``df`` as ``<results_dir>/<name>`` (CSV, UTF-8, LF line ends, no index).

    Floats are written with ``float_digits`` significant digits so that last-bit
    differences between BLAS builds do not change the file. With ``excel_safe`` a text
    cell a spreadsheet would take for a formula gets an apostrophe in front (see
    :func:`excel_safe_cell`).

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = write_table(pd.DataFrame({"x": [1 / 3]}), "t.csv", d)
    >>> p.read_text()
    'x\\n0.333333\\n'
    >>> p = write_table(pd.DataFrame({"text": ["=1+1", "ok"], "x": [-0.5, 2]}), "t.csv", d, excel_safe=True)
    >>> p.read_text()
    "text,x\\n'=1+1,-0.5\\nok,2\\n"
    """
    from .table_csv import csv_rows  # with pandas and NumPy, loaded by whoever made the table

    float_format = f"%.{float_digits}g"

    def chunks():  # rows a block at a time: the same bytes, and memory bounded by the block
        for start in range(0, max(len(df), 1), WRITE_ROWS):
            block = df.iloc[start:start + WRITE_ROWS]
            rows = csv_rows(block, float_format)  # pandas' text, a column at a time (None: pandas formats it)
            if rows is None:
                text = block.to_csv(index=False, header=start == 0, lineterminator="\n", float_format=float_format)
            else:
                text = (block.iloc[:0].to_csv(index=False, lineterminator="\n") if start == 0 else "") + rows
            data = text.encode("utf-8")
            yield excel_safe_csv(data) if excel_safe else data

    return atomic_write_chunks(Path(results_dir) / name, chunks())


# a spreadsheet evaluates a cell that begins with one of these (OWASP "CSV injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def excel_safe_cell(text: str) -> str:
    """``text`` with an apostrophe in front if a spreadsheet would evaluate it; numbers stay.

    Examples
    --------
    >>> [excel_safe_cell(t) for t in ["=SUM(A1)", "@cmd", "-0.5", "+1e-05", "-x", "a=b", ""]]
    ["'=SUM(A1)", "'@cmd", '-0.5', '+1e-05', "'-x", 'a=b', '']
    """
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def excel_safe_csv(data: bytes) -> bytes:
    """A UTF-8 CSV table with LF line ends (as :func:`write_table` writes it), every cell made
    :func:`excel_safe_cell`.

    The table is scanned, not parsed and written again: every other byte stays as it was. A
    cell holding a carriage return is quoted (pandas leaves it bare, and a spreadsheet would
    start a new row there, whose first cell it might evaluate).

    >>> print(excel_safe_csv(b'a,b\\n=1,-2\\n"-x, y",ok\\nx\\r=2,3\\n').decode().replace("\\r", "<CR>"))
    a,b
    '=1,-2
    "'-x, y",ok
    "x<CR>=2",3
    <BLANKLINE>
    """
    text = data.decode("utf-8")
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:  # at the start of a cell
        if text[i] == '"':
            k = i + 1
            while True:  # the closing quote; "" inside is a quote
                k = text.find('"', k)
                if k == -1 or not text.startswith('"', k + 1):
                    break
                k += 2
            k = n if k == -1 else k
            value = text[i + 1:k].replace('""', '"')
            out.append('"' + ("'" if excel_safe_cell(value) != value else "") + text[i + 1:k + 1])
            i = k + 1
            sep = _SEPARATOR.search(text, i)
            j = sep.start() if sep else n
            out.append(text[i:j])  # nothing, in a well-formed table
        else:
            sep = _SEPARATOR.search(text, i)
            j = sep.start() if sep else n
            value = text[i:j]
            safe = excel_safe_cell(value)
            out.append('"' + safe.replace('"', '""') + '"' if "\r" in value else safe)
        if j < n:
            out.append(text[j])
        i = j + 1
    return "".join(out).encode("utf-8")


_SEPARATOR = re.compile(r"[,\n]")


#: zlib level of the saved PNG files: 1 compresses a figure in about 60% of the time of the default
#: (6) for files about 15% larger; the pixels are the same (PNG is lossless)
PNG_COMPRESS_LEVEL = 1


def save_figure(fig, name: str, results_dir: str | Path, dpi: int = 150, tight: bool = False) -> Path:
    """Save a matplotlib figure as ``<results_dir>/figures/<name>`` (PNG, no timestamp).

    The figure is saved as laid out: c6lab's plotting functions lay their figures out to fit
    the canvas (``tight_layout``), and a tight bounding box (``tight=True``, matplotlib's
    ``bbox_inches="tight"``) would draw the figure a second time to measure it. The PNG is
    compressed at :data:`PNG_COMPRESS_LEVEL`.
    """
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    buf = io.BytesIO()
    engine = fig.get_layout_engine()
    # after fig.tight_layout() a placeholder engine is left, for which savefig draws the figure once
    # without rendering it before the drawing that renders it; the layout is already done
    placeholder = isinstance(engine, PlaceHolderLayoutEngine) and not tight
    if placeholder:
        fig.set_layout_engine(None)
    try:  # no Software/date metadata, so the same figure gives the same bytes
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight" if tight else None,
                    metadata={"Software": None}, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    finally:
        if placeholder:
            fig.set_layout_engine(engine)
    return atomic_write_bytes(Path(results_dir) / "figures" / name, buf.getvalue())
