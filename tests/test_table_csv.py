"""write_table formats a table a column at a time: the bytes pandas' to_csv writes, on any table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from c6lab.io import WRITE_ROWS, excel_safe_csv, write_table
from c6lab.table_csv import csv_rows

# every character the quoting rules look at, and some they must not
_TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t\'=+-@;é€\u00a0\x01')), max_size=8)
_FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1 / 3, 1e-7, 123456789.0])


def _columns(n: int):
    return st.one_of(
        st.lists(_FLOATS, min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="float64")),
        st.lists(st.integers(-2**63, 2**63 - 1), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="int64")),
        st.lists(st.integers(0, 2**32 - 1), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="uint32")),
        st.lists(st.booleans(), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype=bool)),
        st.lists(st.none() | _TEXT, min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="str")),
        st.lists(st.none() | _TEXT, min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="string")),
        # object columns: strings with None and NaN, or mixed (then pandas formats the table)
        st.lists(st.none() | st.just(float("nan")) | _TEXT, min_size=n, max_size=n).map(
            lambda v: pd.Series(v, dtype=object)),
        st.lists(st.none() | st.integers(-5, 5) | _TEXT, min_size=n, max_size=n).map(
            lambda v: pd.Series(v, dtype=object)),
        st.lists(st.sampled_from(["x", "y,z"]), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="category")),
        st.lists(st.none() | st.integers(-5, 5), min_size=n, max_size=n).map(lambda v: pd.Series(v, dtype="Int64")),
    )


@st.composite
def tables(draw):
    n_rows = draw(st.integers(0, 6))
    n_cols = draw(st.integers(1, 5))
    names = draw(st.lists(_TEXT, min_size=n_cols, max_size=n_cols))
    cols = [draw(_columns(n_rows)).reset_index(drop=True) for _ in range(n_cols)]
    return pd.concat(cols, axis=1, keys=range(n_cols)).set_axis(names, axis=1) if n_cols else pd.DataFrame()


def _pandas(df: pd.DataFrame, digits: int = 6) -> bytes:
    return df.to_csv(index=False, lineterminator="\n", float_format=f"%.{digits}g").encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(tables(), st.sampled_from([3, 6, 17]))
def test_the_bytes_of_pandas_on_any_table(tmp_path_factory, df, digits):
    folder = tmp_path_factory.mktemp("t")
    assert write_table(df, "t.csv", folder, float_digits=digits).read_bytes() == _pandas(df, digits)
    safe = write_table(df, "s.csv", folder, float_digits=digits, excel_safe=True).read_bytes()
    assert safe == excel_safe_csv(_pandas(df, digits))


def test_the_columns_it_formats_and_those_it_leaves_to_pandas():
    n = 3
    own = pd.DataFrame({"f": [0.5, np.nan, -0.0], "i": [1, 2, 3], "b": [True, False, True],
                        "s": pd.Series(["a", None, 'x,"y"'], dtype="str"), "o": ["p", None, "q\nr"]})
    assert csv_rows(own, "%.6g") == own.to_csv(index=False, header=False, lineterminator="\n", float_format="%.6g")
    for other in (pd.Series(["x"] * n, dtype="category"), pd.Series([1, None, 2], dtype="Int64"),
                  pd.Series([1, "a", None], dtype=object), pd.Series(np.ones(n, dtype=np.float32)),
                  pd.Series(pd.date_range("2026-01-01", periods=n))):
        assert csv_rows(own.assign(other=other), "%.6g") is None
    assert csv_rows(own[["f"]], "%.6g") is None  # one column: the csv module quotes an empty row
    assert csv_rows(own.set_axis(["a"] * 5, axis=1), "%.6g") is None


@pytest.mark.parametrize("n_rows", [WRITE_ROWS - 1, WRITE_ROWS, 2 * WRITE_ROWS + 7])
def test_a_table_of_several_blocks_has_one_header(tmp_path, n_rows):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"id": np.arange(n_rows), "x": rng.normal(size=n_rows),
                       "text": rng.choice(["a", "b,c", 'say "no"', "", None], size=n_rows)})
    assert write_table(df, "t.csv", tmp_path).read_bytes() == _pandas(df)
