"""bootstrap_top_words draws replicates in blocks and ranks only the followed words: the table
must be, to the last bit, that of the plain loop (one replicate at a time, rank_by of every word)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import c6lab
from c6lab import stats
from c6lab.keywords import bootstrap_top_words, robustness
from c6lab.keywords.statistics import fightin_words, keyness, rank_by, top_keywords


def _plain(sc, group_by, alpha0, min_count, top_n, n_boot, random_state):
    """The loop as it was written before the blocks: the definition."""
    full = keyness(sc, group_by, "one_vs_rest", alpha0, min_count)
    top = top_keywords(full, top_n=top_n).sort_values(["group", "rank"], kind="stable")
    groups, ind = sc.indicator(group_by)
    members = [np.sort(ind.getrow(k).indices) for k in range(len(groups))]
    parts = [sc.matrix[ix].T.tocsr() for ix in members]
    out = top[["comparison", "group", "word", "count_group", "z", "rank"]].reset_index(drop=True)
    cols, row_group = sc.columns(out["word"]), out["group"].to_numpy()
    rng = stats.generator(random_state)
    zmat, hits = np.full((n_boot, len(out)), np.nan), np.zeros(len(out))
    for b in range(n_boot):
        m = np.vstack([part @ np.bincount(stats.resample_rows(len(ix), 1, rng)[0], minlength=len(ix))
                       for ix, part in zip(members, parts)])
        total = m.sum(axis=0)
        for k, g in enumerate(groups):
            mine = row_group == g
            yi, yj = m[k], total - m[k]
            keep = (total > 0) & (total >= min_count)
            with np.errstate(divide="ignore", invalid="ignore"):
                z = fightin_words(yi, yj, yi.sum(), yj.sum(), alpha0)[3]
            rank = rank_by(np.where(keep, z, -np.inf), keep)
            sel = cols[mine]
            zmat[b, mine] = np.where(keep[sel], z[sel], np.nan)
            hits[mine] += (rank[sel] > 0) & (rank[sel] <= top_n)
    return hits / n_boot, zmat


@pytest.fixture(scope="module")
def bundled():
    corpus = c6lab.open_corpus()
    return corpus, c6lab.dfm(corpus.select(["quote", "paraphrase", "narrative"]), corpus.lexicons, unit="sentence")


@pytest.mark.parametrize("group_by, min_count, top_n, block", [
    ("country", 2, 6, 4_000_000), ("country", 1, 3, 1_000), ("speaker", 3, 10, 5_000), ("kind", 1, 80, 50_000)])
def test_blocks_equal_the_plain_loop(bundled, monkeypatch, group_by, min_count, top_n, block):
    _, sc = bundled
    monkeypatch.setattr(robustness, "_BOOT_BLOCK_CELLS", block)
    got = bootstrap_top_words(sc, group_by, 50.0, min_count, top_n, n_boot=37, random_state=5)
    share, zmat = _plain(sc, group_by, 50.0, min_count, top_n, 37, 5)
    assert got["top_share"].tolist() == share.tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a word never drawn: all-NaN column
        assert np.array_equal(got["z_median"].to_numpy(), np.nanmedian(zmat, axis=0), equal_nan=True)
        assert np.array_equal(got["z_low"].to_numpy(), np.nanquantile(zmat, (1 - 0.95) / 2, axis=0), equal_nan=True)
    assert 0 < got["top_share"].mean() < 1 or top_n >= 80


def test_ranks_of_equals_rank_by_with_ties_and_nan():
    rng = np.random.default_rng(0)
    score = np.round(rng.normal(size=500), 1)  # many ties
    score[[3, 40]] = np.nan
    score[7] = np.inf
    at = np.array([0, 3, 7, 11, 40, 499])
    assert robustness._ranks_of(score, at).tolist() == rank_by(score)[at].tolist()
    many = np.arange(100)  # above 64 followed words: the sort
    assert robustness._ranks_of(score, many).tolist() == rank_by(score)[many].tolist()
