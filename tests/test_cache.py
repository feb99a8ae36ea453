"""The derived cache of a corpus's tables (c6lab.corpus.cache): the same tables as a fresh
load, never served after any change of the corpus, never an error when it is unreadable."""

from __future__ import annotations

import threading
import zipfile

import numpy as np
import pandas as pd
import pytest

import c6lab
from c6lab.corpus import cache, model
from c6lab.errors import CorpusError
from conftest import build_corpus

TEXTS = {
    "kabar.txt": ("Kabar", "Edil Osmonbetov=KG",
                  "Kyrgyzstan and China sign a deal\n\n"
                  "BISHKEK - The two governments signed a railway agreement on Monday.\n\n"
                  '"The railway links us to Europe and to China," Edil Osmonbetov said.\n'),
    "trend.txt": ("Trend", "Farid Shafiyev=AZ",
                  "Baku looks east\n\n"
                  "Azerbaijan expands the port of Alat.\n\n"
                  '"Russia and the European Union both need the Middle Corridor," said Farid Shafiyev.\n'),
}


@pytest.fixture
def root(tmp_path):
    return build_corpus(tmp_path, TEXTS)


def _tables(corpus):
    return corpus.segments, corpus.articles, corpus.speakers


def _assert_same(a, b):
    for x, y in zip(_tables(a), _tables(b), strict=True):
        pd.testing.assert_frame_equal(x, y)
    assert a.version == b.version


def _no_validation(monkeypatch):
    """From here on, a load that validates (does not come from the cache) fails the test."""
    def fail(*_):
        raise AssertionError("validated: the tables did not come from the cache")
    monkeypatch.setattr(model, "validate_tables", fail)


def _cache_files(root):
    return sorted((root / cache.CACHE_NAME).glob("tables-*.npz"))


def test_a_hit_gives_the_tables_of_a_fresh_load(root, monkeypatch):
    fresh = c6lab.open_corpus(root, cache=False)
    assert not (root / cache.CACHE_NAME).exists()  # cache=False writes nothing
    first = c6lab.open_corpus(root, cache=True)  # a miss: loads and writes
    assert len(_cache_files(root)) == 1
    _no_validation(monkeypatch)
    hit = c6lab.open_corpus(root, cache=True)
    _assert_same(hit, fresh)
    _assert_same(first, fresh)
    assert hit.segments["text"].str.len().sum() == fresh.segments["char_end"].sum() - fresh.segments["char_start"].sum()
    _assert_same(c6lab.open_corpus(root), fresh)  # "auto" reads a cache that is there
    # the cache is no corpus data: the version and validation do not see it
    assert c6lab.validate_corpus(root) == []
    assert (root / cache.CACHE_NAME / ".gitignore").read_text().splitlines()[-1] == "*"


def test_auto_writes_no_cache_for_a_small_corpus(root):
    c6lab.open_corpus(root)
    assert len(c6lab.open_corpus(root).segments) < cache.AUTO_MIN_SEGMENTS
    assert not (root / cache.CACHE_NAME).exists()


def test_missing_values_and_types_round_trip(tmp_path):
    # NaN in a string column, an object column, ints, floats and bools
    df = pd.DataFrame({"s": pd.Series(["a", None, "a", "é" * 3], dtype="str"), "o": ["x", "y", "x", ""],
                       "i": [1, 2, 3, 4], "f": [0.5, np.nan, 1.0, -2.0], "b": [True, False, True, True]})
    df["o"] = df["o"].astype(object)
    tables = {"segments": df, "articles": df.iloc[:0].reset_index(drop=True), "speakers": df.copy()}
    assert cache.write_tables(tmp_path, "k1", tables) is not None
    back = cache.read_tables(tmp_path, "k1")
    for name, table in tables.items():
        pd.testing.assert_frame_equal(back[name], table)


@pytest.mark.parametrize("edit", ["speakers", "segments", "lexicon", "annotation"])
def test_any_edit_of_the_corpus_invalidates(root, edit):
    before = c6lab.open_corpus(root, cache=True)
    old = _cache_files(root)
    if edit == "speakers":  # a value the segment table shows
        path = root / "speakers.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        head = lines[0].rstrip("\n").split(",")
        cells = lines[1].rstrip("\n").split(",")
        cells[head.index("affiliation")] = "Kabar staff"
        path.write_text(lines[0] + ",".join(cells) + "\n" + "".join(lines[2:]), encoding="utf-8")
    elif edit == "segments":  # a blank line: the same rows, other bytes
        with (root / "segments.csv").open("a", encoding="utf-8") as fh:
            fh.write("\n")
    elif edit == "lexicon":
        with (root / "lexicons" / "stopwords.txt").open("a", encoding="utf-8") as fh:
            fh.write("railway\n")
    else:
        (root / "annotations").mkdir(exist_ok=True)
        (root / "annotations" / "notes.txt").write_text("checked\n", encoding="utf-8")
    after = c6lab.open_corpus(root, cache=True)
    assert after.version != before.version
    assert _cache_files(root) != old and len(_cache_files(root)) == 1  # the stale file is gone
    fresh = c6lab.open_corpus(root, cache=False)
    _assert_same(after, fresh)
    if edit == "speakers":
        assert "Kabar staff" in set(after.segments["affiliation"])
        assert "Kabar staff" not in set(before.segments["affiliation"])
    if edit == "lexicon":
        assert "railway" not in after.lexicons.tokenizer("The railway")


def test_an_edited_raw_text_is_an_error_not_a_cached_table(root):
    c6lab.open_corpus(root, cache=True)
    raw = sorted((root / "raw").iterdir())[0]
    raw.write_bytes(raw.read_bytes().replace(b"signed", b"sealed"))
    with pytest.raises(CorpusError, match="sha256"):
        c6lab.open_corpus(root, cache=True)


def _corrupt(path, how):
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":  # one byte inside a stored array: the zip's CRC fails
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "pickle":  # an object array (a pickle) is never loaded: it could run code
        with zipfile.ZipFile(path, "w") as zf, zf.open("meta.json.npy", "w") as fh:
            np.lib.format.write_array(fh, np.array([{"format": 1}], dtype=object), allow_pickle=True)
    elif how == "folder":
        path.unlink()
        path.mkdir()


@pytest.mark.parametrize("how", ["truncated", "flipped", "empty", "pickle", "folder"])
def test_a_corrupt_cache_falls_back_to_loading_with_a_warning(root, how):
    fresh = c6lab.open_corpus(root, cache=False)
    c6lab.open_corpus(root, cache=True)
    (path,) = _cache_files(root)
    _corrupt(path, how)
    with pytest.warns(RuntimeWarning, match="cached tables cannot be read"):
        again = c6lab.open_corpus(root, cache=True)
    _assert_same(again, fresh)


def test_a_change_while_loading_is_not_cached(root, monkeypatch):
    validate = model.validate_tables

    def edit_meanwhile(r):
        out = validate(r)
        with (r / "segments.csv").open("a", encoding="utf-8") as fh:
            fh.write("\n")
        return out
    monkeypatch.setattr(model, "validate_tables", edit_meanwhile)
    c6lab.open_corpus(root, cache=True)
    assert _cache_files(root) == []


def test_a_folder_that_cannot_be_written_gets_no_cache_and_no_error(root, monkeypatch):
    def refuse(*_, **__):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
    fresh = c6lab.open_corpus(root, cache=True)
    assert _cache_files(root) == []
    _assert_same(fresh, c6lab.open_corpus(root, cache=False))


def test_two_writers_at_once_leave_one_whole_file(root):
    corpus = c6lab.open_corpus(root, cache=False)
    tables = dict(zip(cache.FRAMES, _tables(corpus), strict=True))
    key = cache.cache_key(model._tree(root))
    start = threading.Barrier(2)
    paths = []

    def write():
        start.wait()
        paths.append(cache.write_tables(root, key, tables))
    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert paths[0] == paths[1] == cache.cache_path(root, key)
    assert [p.name for p in (root / cache.CACHE_NAME).iterdir() if p.suffix == ".tmp"] == []
    _assert_same(c6lab.open_corpus(root, cache=True), corpus)


def test_cache_argument_is_checked(root):
    with pytest.raises(ValueError, match="cache must be"):
        c6lab.open_corpus(root, cache="yes")
