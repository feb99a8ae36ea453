"""Counts kept on disk (c6lab.dfm(..., cache=folder)): the same matrix as counting, for the same input only."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import c6lab
from c6lab import Lexicons
from c6lab.counts_cache import KEEP, lexicons_fingerprint
from c6lab.lexicons import Variant

OWN = Lexicons.default().replace(variants=(Variant("KG", "kg", True),), phrases=("silk road",),
                                 stopwords=frozenset({"the", "a"}))
TEXTS = ["The Silk Road runs. KG trades with Türkiye.", "", "A port, a rail line. Dr. Smith said so.",
         "Silk\nroad again? Yes!", "Ports grow."]


def _table(texts=TEXTS) -> pd.DataFrame:
    return pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(texts))], "country": ["AZ", "KG", "UZ", "AZ", "TR"],
                         "kind": "quote", "text": texts})


def _same(a: c6lab.DocumentTermMatrix, b: c6lab.DocumentTermMatrix) -> None:
    assert a.terms.tolist() == b.terms.tolist()
    for part in ("data", "indices", "indptr"):
        x, y = getattr(a.matrix, part), getattr(b.matrix, part)
        assert x.dtype == y.dtype and np.array_equal(x, y)
    pd.testing.assert_frame_equal(a.docvars, b.docvars)


def _files(folder):
    return sorted(p.name for p in folder.glob("counts-*.npz"))


@pytest.fixture
def no_counting(monkeypatch):
    """Counting from here on is an error: what is returned was read from the folder."""
    def refuse(*args, **kwargs):
        raise AssertionError("counted again")
    monkeypatch.setattr(c6lab.DocumentTermMatrix, "from_tokens", refuse)


@pytest.mark.parametrize("unit", ["segment", "sentence"])
def test_kept_counts_are_the_counts(tmp_path, unit, monkeypatch):
    df = _table()
    fresh = c6lab.dfm(df, OWN, unit=unit)
    first = c6lab.dfm(df, OWN, unit=unit, cache=tmp_path / "c")
    assert len(_files(tmp_path / "c")) == 1 and (tmp_path / "c" / ".gitignore").is_file()
    _same(first, fresh)
    monkeypatch.setattr(c6lab.DocumentTermMatrix, "from_tokens", None)  # any counting now fails
    _same(c6lab.dfm(df, OWN, unit=unit, cache=tmp_path / "c"), fresh)
    # another selection of the same rows: its own document variables around the kept counts
    other = df.assign(country="XX", extra=range(len(df)))
    expected = fresh.docvars.assign(country="XX")
    expected.insert(len(df.columns), "extra", range(len(expected)) if unit == "segment" else
                    expected["segment_id"].str[1:].astype(int).to_numpy())
    assert c6lab.dfm(other, OWN, unit=unit, cache=tmp_path / "c").docvars.equals(expected)


def test_other_texts_units_or_lists_are_counted_again(tmp_path):
    folder = tmp_path / "c"
    df = _table()
    c6lab.dfm(df, OWN, cache=folder)
    changed = _table(TEXTS[:-1] + ["Ports grew."])
    _same(c6lab.dfm(changed, OWN, cache=folder), c6lab.dfm(changed, OWN))
    _same(c6lab.dfm(df, OWN, unit="sentence", cache=folder), c6lab.dfm(df, OWN, unit="sentence"))
    fewer = OWN.replace(stopwords=frozenset({"the"}))
    _same(c6lab.dfm(df, fewer, cache=folder), c6lab.dfm(df, fewer))
    # the same texts in other rows are other texts (the key hashes each text with its length)
    for texts in (["ports railway", "roads", "", "", ""], ["ports", "railway roads", "", "", ""]):
        _same(c6lab.dfm(_table(texts), OWN, cache=folder), c6lab.dfm(_table(texts), OWN))
    assert len(_files(folder)) == 6


def test_a_tokenizer_of_ones_own_is_never_kept(tmp_path):
    c6lab.dfm(_table(), OWN, tokenizer=str.split, cache=tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_a_damaged_file_is_a_warning_and_counted_again(tmp_path):
    folder = tmp_path / "c"
    df = _table()
    c6lab.dfm(df, OWN, cache=folder)
    (path,) = folder.glob("counts-*.npz")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.warns(UserWarning, match="kept counts cannot be read"):
        again = c6lab.dfm(df, OWN, cache=folder)
    _same(again, c6lab.dfm(df, OWN))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _same(c6lab.dfm(df, OWN, cache=folder), again)  # written whole again


def test_only_the_newest_files_are_kept(tmp_path):
    folder = tmp_path / "c"
    for i in range(KEEP + 3):
        c6lab.dfm(_table([f"text {i}"] * 5), OWN, cache=folder)
    assert len(_files(folder)) == KEEP


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path, monkeypatch):
    import c6lab.corpus.cache as derived

    def read_only(*args, **kwargs):  # what a read-only folder answers (root may write anywhere)
        raise PermissionError(13, "Permission denied")

    folder = tmp_path / "c"
    folder.mkdir()
    monkeypatch.setattr(derived.tempfile, "mkstemp", read_only)
    _same(c6lab.dfm(_table(), OWN, cache=folder), c6lab.dfm(_table(), OWN))
    assert list(folder.iterdir()) == []


def test_the_fingerprint_does_not_depend_on_set_order_or_where_lists_came_from():
    a = OWN.replace(stopwords=frozenset(["zeta", "alpha", "mu"]))
    b = OWN.replace(stopwords=frozenset(["mu", "zeta", "alpha"]), sources={"stopwords": "/elsewhere.txt"})
    assert lexicons_fingerprint(a) == lexicons_fingerprint(b)
    assert lexicons_fingerprint(a) != lexicons_fingerprint(a.replace(phrases=("silk road", "middle corridor")))


def test_a_large_corpus_offers_its_cache_folder(corpus_copy, monkeypatch):
    import c6lab.corpus.cache as derived

    corpus = c6lab.open_corpus(corpus_copy)
    assert corpus.cache_folder is None  # far below AUTO_MIN_SEGMENTS: nothing is kept
    monkeypatch.setattr(derived, "AUTO_MIN_SEGMENTS", len(corpus.segments))
    assert corpus.cache_folder == corpus_copy / derived.CACHE_NAME
    speech = corpus.select(["quote", "paraphrase"])
    fresh = c6lab.dfm(speech, corpus.lexicons)
    _same(c6lab.dfm(speech, corpus.lexicons, cache=corpus.cache_folder), fresh)
    assert len(_files(corpus.cache_folder)) == 1
    assert c6lab.open_corpus(corpus_copy).version == corpus.version  # derived data is not corpus data


class _Partitioned(c6lab.parallel.Engine):
    """An Engine that cuts every table into partitions of two rows and runs them here, as a
    cluster's workers would (the two-worker cluster itself is tested in test_parallel.py)."""

    def _local(self, corpus_df):
        from c6lab.parallel.partitions import partition_bounds

        return partition_bounds(corpus_df, 2) if len(corpus_df) else None

    def _lexicons(self, lex):
        return lex

    def _ship(self, obj):
        return obj

    def _map(self, func, parts, *args):
        import pickle

        from c6lab.parallel.partitions import pack, task

        return [pickle.loads(task(func, pack(p), *args))[2] for p in parts]


@pytest.mark.parametrize("unit", ["segment", "sentence"])
def test_partitioned_counts_are_kept_and_read_as_one_process_does(tmp_path, unit, monkeypatch):
    df = _table()
    fresh = c6lab.dfm(df, OWN, unit=unit)
    engine = _Partitioned()
    _same(engine.dfm(df, OWN, unit=unit, cache=tmp_path / "c"), fresh)  # counted in partitions, kept
    monkeypatch.setattr(c6lab.DocumentTermMatrix, "from_tokens", None)
    _same(c6lab.dfm(df, OWN, unit=unit, cache=tmp_path / "c"), fresh)  # one process reads what they kept
    _same(engine.dfm(df, OWN, unit=unit, cache=tmp_path / "c"), fresh)


def test_a_file_that_does_not_fit_the_texts_is_a_warning(tmp_path):
    import c6lab.counts_cache as cc

    folder = tmp_path / "c"
    df = _table()
    fresh = c6lab.dfm(df, OWN, unit="sentence", cache=folder)
    (path,) = folder.glob("counts-*.npz")
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files if k != "format"}
    arrays["per_document"] = arrays["per_document"] + 100  # sentences of segments the table does not have
    cc.write_counts(folder, path.name[len("counts-"):-len(".npz")], arrays)
    with pytest.warns(UserWarning, match="does not fit these texts"):
        _same(c6lab.dfm(df, OWN, unit="sentence", cache=folder), fresh)
