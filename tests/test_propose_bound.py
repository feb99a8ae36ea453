"""Notebook 00's comparison of proposals with the annotation, bounded by a sample of articles.

A small synthetic corpus (10 articles: 5 near copies of each bundled article) is compared with
a low bound; the table must be what ``compare_proposals`` gives on a corpus folder holding only
the sampled articles, built here by filtering the files.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import c6lab
from c6lab.corpus.propose import COMPARE_MAX_ARTICLES, compare_proposals, sample_articles
from c6lab.parameters import defaults
from conftest import synthetic_module

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def c5(tmp_path_factory):
    return Path(synthetic_module().write_synthetic(tmp_path_factory.mktemp("syn") / "c5", 5))


def _filter_csv(path: Path, keep) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, [r for r in reader if keep(r)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _only(root: Path, ids: list[str], out: Path) -> Path:
    """A copy of the corpus folder ``root`` that holds only the articles ``ids``."""
    shutil.copytree(root, out, ignore=shutil.ignore_patterns(".c6lab-cache"))
    keep = set(ids)
    with (out / "articles.csv").open(newline="", encoding="utf-8") as fh:
        dropped = [r["raw_file"] for r in csv.DictReader(fh) if r["article_id"] not in keep]
    _filter_csv(out / "articles.csv", lambda r: r["article_id"] in keep)
    _filter_csv(out / "segments.csv", lambda r: r["article_id"] in keep)
    segs = set(pd.read_csv(out / "segments.csv", dtype=str)["segment_id"])
    for gold in (out / "annotations").glob("*.csv"):
        _filter_csv(gold, lambda r: r["segment_id"] in segs)
    for raw in dropped:
        (out / raw).unlink()
    return out


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(["article_id", "paragraph"]).reset_index(drop=True)


def test_the_sample_is_the_documented_draw():
    ids = [f"a{i:02d}" for i in range(30)]
    keep = np.sort(np.random.default_rng(7).choice(30, size=6, replace=False))
    assert sample_articles(ids, max_articles=6, random_state=7) == [ids[i] for i in keep]
    assert sample_articles(ids, max_articles=6, random_state=8) != sample_articles(ids, max_articles=6, random_state=7)
    assert sample_articles(ids, max_articles=30) == ids  # at the bound: all, in order
    assert sample_articles(ids, max_articles=None) == ids
    with pytest.raises(ValueError, match="max_articles"):
        sample_articles(ids, max_articles=0)


def test_above_the_bound_the_table_is_that_of_the_sampled_articles(c5, tmp_path):
    corpus = c6lab.open_corpus(c5)
    ids = corpus.articles["article_id"].tolist()
    assert len(ids) == 10
    table = compare_proposals(corpus, max_articles=4, random_state=3)
    sampled = sample_articles(ids, max_articles=4, random_state=3)
    assert table.attrs == {"n_articles": 10, "n_articles_compared": 4}
    assert set(table["article_id"]) == set(sampled)

    alone = c6lab.open_corpus(_only(c5, sampled, tmp_path / "sampled"))
    assert sorted(alone.articles["article_id"]) == sorted(sampled)
    reference = compare_proposals(alone, max_articles=None)
    assert reference.attrs == {"n_articles": 4, "n_articles_compared": 4}
    pd.testing.assert_frame_equal(_sorted(table), _sorted(reference))
    # same seed, same table; the full comparison holds every article
    pd.testing.assert_frame_equal(table, compare_proposals(corpus, max_articles=4, random_state=3))
    full = compare_proposals(corpus, max_articles=None)
    assert full["article_id"].nunique() == 10
    # a paragraph repeated or near-duplicated within the sample is so in the whole corpus too
    same = _sorted(full[full["article_id"].isin(sampled)])
    for signal in ("repeated", "near_duplicate"):
        assert (~_sorted(table)[signal] | same[signal]).all()


def test_up_to_the_bound_every_article_is_compared(c5):
    corpus = c6lab.open_corpus(c5)
    full = compare_proposals(corpus, max_articles=None)
    at_bound = compare_proposals(corpus, max_articles=10, random_state=99)
    pd.testing.assert_frame_equal(full, at_bound)
    assert at_bound.attrs == {"n_articles": 10, "n_articles_compared": 10}


def test_bundled_corpus_unchanged_and_default_declared():
    corpus = c6lab.open_corpus()
    pd.testing.assert_frame_equal(compare_proposals(corpus), compare_proposals(corpus, max_articles=None))
    assert defaults("00_corpus")["max_articles"] == COMPARE_MAX_ARTICLES
