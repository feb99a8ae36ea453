"""benchmarks/synthetic.py: an n-times corpus that is valid, deterministic and grows its vocabulary as text does."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import c6lab
from c6lab.corpus import validate_corpus
from conftest import synthetic_module

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_module()


@pytest.fixture(scope="module")
def c30(synthetic, tmp_path_factory):
    return synthetic.write_synthetic(tmp_path_factory.mktemp("syn") / "c30", 30)


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generated_corpus_is_valid_with_the_same_speakers_and_kinds(c30):
    assert validate_corpus(c30) == []
    source, big = c6lab.open_corpus(), c6lab.open_corpus(c30)
    assert len(big.articles) == 30 * len(source.articles)
    assert big.speakers.equals(source.speakers)
    # every copy keeps the source's kinds, speakers and countries, segment for segment
    per_kind = big.segments.groupby(["kind", "speaker_id", "country"]).size()
    assert (per_kind == 30 * source.segments.groupby(["kind", "speaker_id", "country"]).size()).all()
    # pseudo-words have the length of the word they replace: spans and segment texts keep their lengths
    lengths = big.segments.groupby("segment_id")["text"].first().str.len()
    for seg in source.segments.itertuples():
        assert lengths[f"{seg.article_id}-x00007{seg.segment_id[len(seg.article_id):]}"] == len(seg.text)


def test_scale_one_is_the_source_corpus(synthetic, tmp_path):
    out = synthetic.write_synthetic(tmp_path / "c1", 1)
    for name in ("articles.csv", "segments.csv", "speakers.csv"):
        assert _rows(out / name) == _rows(REPO / "corpus" / name)
    for row in _rows(out / "articles.csv"):
        assert (out / row["raw_file"]).read_bytes() == (REPO / "corpus" / row["raw_file"]).read_bytes()
    assert _files(out / "lexicons") == _files(REPO / "corpus" / "lexicons")


def test_copies_change_words_but_keep_names_powers_and_hand_labels(c30):
    corpus = c6lab.open_corpus(c30)
    first, copy = (corpus.raw_text(a) for a in ("anewz_bayramli_c6", "anewz_bayramli_c6-x00003"))
    changed = sum(a != b for a, b in zip(first.split(), copy.split(), strict=True))
    assert 0 < changed < len(first.split()) / 2
    # every hand-labelled mention still reads its alias at the same offsets in every copy
    gold = _rows(c30 / "annotations" / "power_sentiment_gold.csv")
    assert len(gold) == 30 * len(_rows(REPO / "corpus" / "annotations" / "power_sentiment_gold.csv"))
    raw = {a.article_id: corpus.raw_text(a.article_id) for a in corpus.articles.itertuples()}
    for g in gold:
        article, span = g["mention_id"].rsplit(":", 1)
        start, end = map(int, span.split("-"))
        assert raw[article][start:end].lower() == g["alias"].lower()


def test_vocabulary_grows_by_heaps_law(c30):
    # V = K * N^beta: fit beta on the cumulative tokens and types, article after article
    corpus = c6lab.open_corpus(c30)
    tok = corpus.lexicons.tokenizer
    seen: set[str] = set()
    n, points = 0, []
    for _, seg in corpus.segments.groupby("article_id", sort=False):
        for text in seg["text"]:
            toks = tok(text)
            n += len(toks)
            seen.update(toks)
        points.append((n, len(seen)))
    points = np.array(points[2:])  # from the first copy on
    beta = np.polyfit(np.log(points[:, 0]), np.log(points[:, 1]), 1)[0]
    assert 0.4 <= beta <= 0.8, beta
    # a plain 30-times copy would keep the vocabulary of the first two articles
    assert points[-1, 1] > 3 * points[0, 1]


def test_deterministic_per_random_state_and_larger_scales_extend_smaller_ones(synthetic, tmp_path):
    a = _files(synthetic.write_synthetic(tmp_path / "a", 4, random_state=5))
    b = _files(synthetic.write_synthetic(tmp_path / "b", 4, random_state=5))
    c = _files(synthetic.write_synthetic(tmp_path / "c", 4, random_state=6))
    d = _files(synthetic.write_synthetic(tmp_path / "d", 6, random_state=5))
    assert a == b
    raws = [k for k in a if k.startswith("raw/") and "-x" in k]
    assert raws and any(a[k] != c[k] for k in raws)
    assert all(d[k] == a[k] for k in raws)


def test_refuses_a_folder_that_is_not_empty(synthetic, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        synthetic.write_synthetic(tmp_path / "x", 2)
    assert synthetic.main(["--scale", "2", "--out", str(tmp_path / "x")]) == 2
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["keep.txt"]
