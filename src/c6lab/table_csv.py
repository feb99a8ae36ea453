"""The CSV text of a table exactly as pandas writes it, formatted a column at a time.

:func:`c6lab.io.write_table` writes every result table with ``DataFrame.to_csv(index=False,
lineterminator="\\n", float_format=...)``. pandas formats such a table a cell at a time and
checks every float for a missing value in Python: on the 2 million rows of notebook 03's
mention table at 10,000 times the bundled corpus that is most of a minute. Here each column
becomes a list of strings at once (``float_format % x`` over the column, missing values
found with NumPy) and the rows are joined with ``str.join``: the same characters, faster.

Only the column types whose text is certain are formatted here: 64-bit floats, integers,
booleans, and text columns (pandas' string types, or object columns holding only strings
and missing values). Anything else (dates, categories, nullable integers, mixed objects, a
table of one column, where the csv module quotes an empty row) returns None, and the caller
lets pandas format it. The rules copied from pandas' ``to_csv`` and the csv module with
these settings: a missing value is an empty field; a field is quoted when it holds a comma,
a double quote or a line feed (a carriage return alone is not quoted), and a double quote
inside is doubled. ``tests/test_table_csv.py`` checks the bytes against pandas on random
tables.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_NEEDS_QUOTES = re.compile('[,"\n]')
# joins a column to look for quoting once; any character that cannot make a field need quotes
_PROBE_JOIN = "\x01"


def csv_rows(df: pd.DataFrame, float_format: str) -> str | None:
    """The rows of ``df`` (no header, no index) as ``df.to_csv`` writes them, or None.

    None means a column has a type this module does not format (see the module's text):
    format the table with pandas instead.

    Examples
    --------
    >>> df = pd.DataFrame({"word": ["port", 'say "yes", then'], "share": [1 / 3, float("nan")]})
    >>> csv_rows(df, "%.6g")
    'port,0.333333\\n"say ""yes"", then",\\n'
    >>> csv_rows(df, "%.6g") == df.to_csv(index=False, header=False, lineterminator="\\n", float_format="%.6g")
    True
    >>> csv_rows(pd.DataFrame({"only": ["a"]}), "%.6g") is None  # one column: pandas formats it
    True
    """
    if df.shape[1] < 2 or not df.columns.is_unique:
        return None
    columns = []
    for name in df.columns:
        column = _column(df[name], float_format)
        if column is None:
            return None
        columns.append(column)
    if not len(df):
        return ""
    return "\n".join(map(",".join, zip(*columns))) + "\n"


def _column(s: pd.Series, float_format: str) -> list[str] | None:
    dtype = s.dtype
    if isinstance(dtype, pd.StringDtype):
        return _text(s.to_numpy(dtype=object, na_value=None).tolist())
    if not isinstance(dtype, np.dtype):
        return None  # categories, nullable numbers, dates with a time zone...: pandas' own rules
    values = s.to_numpy()
    if dtype == np.float64:
        out = [float_format % x for x in values.tolist()]
        for i in np.flatnonzero(np.isnan(values)).tolist():
            out[i] = ""
        return out
    if dtype.kind in "iu":
        return list(map(str, values.tolist()))
    if dtype.kind == "b":
        return ["True" if v else "False" for v in values.tolist()]
    if dtype.kind == "O":
        items = values.tolist()
        missing = pd.isna(values)
        if not all(type(v) is str for v, na in zip(items, missing.tolist()) if not na):
            return None  # numbers, lists, ... in an object column
        return _text([None if na else v for v, na in zip(items, missing.tolist())])
    return None


def _text(values: list) -> list[str]:
    out = ["" if v is None else v for v in values]
    if _NEEDS_QUOTES.search(_PROBE_JOIN.join(out)) is None:
        return out  # most columns (ids, codes, names): nothing to quote
    search = _NEEDS_QUOTES.search
    return ['"' + v.replace('"', '""') + '"' if search(v) else v for v in out]
