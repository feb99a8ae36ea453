"""Tests for c6lab.topics: coherence, stability, matching, planted-topic recovery."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from c6lab import tokenize
from c6lab.topics import (
    agreement,
    average_jaccard,
    fit_topics,
    make_units,
    match_topics,
    npmi_coherence,
    seed_stability,
    select_k,
    subsample_indices,
    subsample_stability,
    topic_share,
    umass_coherence,
)

# -- toy corpus for coherence: three documents --------------------------------------
#   d1 = {a, b}    d2 = {a, b, c}    d3 = {c, d}          N = 3
# document frequencies: D(a) = 2, D(b) = 2, D(c) = 2, D(d) = 1
# co-document frequencies: D(a,b) = 2, D(a,c) = 1, D(b,c) = 1, D(c,d) = 1, D(a,d) = 0
TOY = [["a", "b"], ["a", "b", "c"], ["c", "d"]]
EPS = 1e-12


def test_npmi_hand_computed():
    # NPMI(a,b): P(a,b) = 2/3, P(a)P(b) = (2/3)(2/3) = 4/9
    #   log((2/3) / (4/9)) / -log(2/3) = log(1.5) / log(1.5) = 1   (eps = 1e-12 negligible)
    # NPMI(a,c) = NPMI(b,c): P = 1/3, P P = 4/9
    #   log((1/3) / (4/9)) / -log(1/3) = log(0.75) / log(3) = -0.2876821 / 1.0986123 = -0.2618595
    # mean over the 3 pairs: (1 - 0.2618595 - 0.2618595) / 3 = 0.1587603
    expected = (1 + 2 * math.log(0.75) / math.log(3)) / 3
    assert expected == pytest.approx(0.1587603, abs=1e-7)
    got = npmi_coherence([["a", "b", "c"]], TOY, eps=EPS)
    assert got[0] == pytest.approx(expected, abs=1e-9)


def test_npmi_never_cooccurring_pair_uses_eps():
    # NPMI(a,d): P(a,d) = 0, P(a) = 2/3, P(d) = 1/3, P(a)P(d) = 2/9
    #   log(eps / (2/9)) / -log(eps) = (log 1e-12 - log(2/9)) / -log 1e-12
    #   = (-27.6310211 + 1.5040774) / 27.6310211 = -0.9455656   (not exactly -1: eps > 0)
    expected = (math.log(EPS) - math.log(2 / 9)) / -math.log(EPS)
    assert expected == pytest.approx(-0.9455656, abs=1e-7)
    assert npmi_coherence([["a", "d"]], TOY, eps=EPS)[0] == pytest.approx(expected, abs=1e-9)
    # a larger eps moves it further from -1: (log 1e-3 - log(2/9)) / -log 1e-3
    #   = (-6.9077553 + 1.5040774) / 6.9077553 = -5.4036779 / 6.9077553 = -0.7822625
    assert npmi_coherence([["a", "d"]], TOY, eps=1e-3)[0] == pytest.approx(-0.7822625, abs=1e-6)


def test_npmi_skips_words_absent_from_reference():
    # "zz" occurs in no document: its pairs are undefined; only (a,b) = 1 remains
    assert npmi_coherence([["a", "zz", "b"]], TOY)[0] == pytest.approx(1.0, abs=1e-9)
    assert np.isnan(npmi_coherence([["zz", "yy"]], TOY)[0])


def test_umass_hand_computed_mimno_smoothing():
    # topic [a, b, c] in rank order, eps = 1 (Mimno et al. 2011):
    #   (b|a): log((D(a,b) + 1) / D(a)) = log(3/2) = 0.4054651
    #   (c|a): log((D(a,c) + 1) / D(a)) = log(2/2) = 0
    #   (c|b): log((D(b,c) + 1) / D(b)) = log(2/2) = 0
    #   mean = 0.4054651 / 3 = 0.1351550
    got = umass_coherence([["a", "b", "c"]], TOY, eps=1.0)
    assert got[0] == pytest.approx(math.log(1.5) / 3, abs=1e-12)
    assert got[0] == pytest.approx(0.1351550, abs=1e-7)


def test_umass_hand_computed_tiny_eps():
    # same topic, eps = 1e-12: log(2/2) = 0, log(1/2), log(1/2)
    #   -> mean = 2 log(0.5) / 3 = -0.4620981
    got = umass_coherence([["a", "b", "c"]], TOY, eps=EPS)
    assert got[0] == pytest.approx(2 * math.log(0.5) / 3, abs=1e-9)


def test_umass_conditions_on_higher_ranked_word():
    # [d, c]: log((D(c,d) + 1) / D(d)) = log(2 / 1) = 0.6931472
    # [c, d]: log((D(c,d) + 1) / D(c)) = log(2 / 2) = 0
    got = umass_coherence([["d", "c"], ["c", "d"]], TOY, eps=1.0)
    assert got[0] == pytest.approx(math.log(2), abs=1e-12)
    assert got[1] == pytest.approx(0.0, abs=1e-12)


def test_coherence_uses_document_not_token_counts():
    # repeating a word inside a document changes nothing: co-occurrence is per document
    repeated = [["a", "a", "b", "b"], ["a", "b", "c", "c"], ["c", "d", "d"]]
    assert npmi_coherence([["a", "b", "c"]], repeated) == pytest.approx(
        npmi_coherence([["a", "b", "c"]], TOY))
    assert umass_coherence([["a", "b", "c"]], repeated) == pytest.approx(
        umass_coherence([["a", "b", "c"]], TOY))


# -- stability --------------------------------------------------------------------------


def test_average_jaccard_hand_computed():
    # depth 1: {a} vs {b}            -> 0 / 2 = 0
    # depth 2: {a,b} vs {b,a}        -> 2 / 2 = 1
    # depth 3: {a,b,c} vs {b,a,d}    -> 2 / 4 = 0.5
    # AJ = (0 + 1 + 0.5) / 3 = 0.5
    assert average_jaccard(["a", "b", "c"], ["b", "a", "d"]) == pytest.approx(0.5)


def test_stability_one_for_identical_lower_for_shuffled():
    ranking = [f"w{i}" for i in range(10)]
    assert average_jaccard(ranking, ranking) == 1.0
    shuffled = list(np.random.default_rng(0).permutation(ranking))
    assert shuffled != ranking
    # same words, other order: the full list agrees (J = 1 at depth 10) but prefixes do not
    assert average_jaccard(ranking, shuffled) < 1.0
    # reversed: prefixes of depth d <= 5 share no word; for d >= 6 they share 2d - 10 words
    # and their union is 10 words, so J = (2d - 10) / 10:
    #   d=6: 0.2, d=7: 0.4, d=8: 0.6, d=9: 0.8, d=10: 1.0 -> AJ = 3.0 / 10 = 0.3
    rev = ranking[::-1]
    expected = sum((2 * d - 10) / 10 for d in range(6, 11)) / 10  # (0.2+0.4+0.6+0.8+1)/10 = 0.3
    assert average_jaccard(ranking, rev) == pytest.approx(expected)
    assert expected == pytest.approx(0.3)
    topics = [ranking, [f"v{i}" for i in range(10)]]
    assert agreement(topics, topics) == 1.0
    assert agreement(topics, [shuffled, topics[1][::-1]]) < 1.0


def test_hungarian_matching_recovers_permutation():
    a = [["x1", "x2", "x3"], ["y1", "y2", "y3"], ["z1", "z2", "z3"]]
    perm = [2, 0, 1]
    b = [a[p] for p in perm]           # b[0] = a[2], b[1] = a[0], b[2] = a[1]
    match, scores = match_topics(a, b)
    # topic i of a is found at position perm.index(i) of b
    assert match.tolist() == [1, 2, 0]
    assert scores.tolist() == [1.0, 1.0, 1.0]
    assert agreement(a, b) == 1.0


def test_hungarian_matching_is_one_to_one_and_optimal():
    # Both a-topics resemble b[0] most, so a per-row argmax would pick b[0] twice.
    a = [["x", "y", "z"], ["x", "y", "w"]]
    b = [["x", "y", "q"], ["w", "x", "r"]]
    match, scores = match_topics(a, b)
    assert sorted(match.tolist()) == [0, 1]
    # the matching maximises the total over all permutations (brute force)
    totals = {p: sum(average_jaccard(a[i], b[j]) for i, j in enumerate(p))
              for p in itertools.permutations(range(2))}
    assert scores.sum() == pytest.approx(max(totals.values()))
    assert tuple(match) == max(totals, key=totals.get)
    # by hand: AJ(a0,b0) = (1 + 1 + 2/4)/3 = 0.8333, AJ(a1,b1) = (0 + 1/3 + 2/4)/3 = 0.2778
    #          AJ(a0,b1) = (0 + 1/3 + 1/5)/3 = 0.1778, AJ(a1,b0) = (1 + 1 + 2/4)/3 = 0.8333
    # identity 1.1111 > swap 1.0111, so a0->b0 and a1->b1
    assert match.tolist() == [0, 1]
    assert scores == pytest.approx([2.5 / 3, (1 / 3 + 0.5) / 3])


def test_match_topics_needs_same_k():
    with pytest.raises(ValueError, match="different numbers"):
        match_topics([["a"]], [["a"], ["b"]])


def test_subsample_indices_reproducible_and_sized():
    a = subsample_indices(45, 4, 0.8, random_state=3)
    b = subsample_indices(45, 4, 0.8, random_state=3)
    assert all((x == y).all() for x, y in zip(a, b))
    assert [len(x) for x in a] == [36] * 4          # round(0.8 * 45) = 36
    assert all(len(set(x)) == 36 for x in a)        # without replacement


# -- planted topics -------------------------------------------------------------------

PLANTED = {
    "transport": ["rail", "port", "cargo", "freight", "wagon", "ferry", "truck", "depot"],
    "security": ["army", "border", "troops", "patrol", "missile", "tank", "drill", "garrison"],
    "culture": ["poetry", "music", "theatre", "museum", "festival", "dance", "novel", "painting"],
}


# Zipf-like word probabilities inside each vocabulary (1/1, 1/2, ... 1/8, normalised), so a
# topic's word ranking is well defined; with equal probabilities any top-5 of 8 would do.
ZIPF = np.array([1 / r for r in range(1, 9)]) / sum(1 / r for r in range(1, 9))


def planted_corpus(n_docs=60, length=12, purity=0.85, seed=0):
    """Documents drawn mostly from one planted vocabulary, some words from another."""
    rng = np.random.default_rng(seed)
    names = list(PLANTED)
    docs, truth = [], []
    for i in range(n_docs):
        main = names[i % len(names)]
        words = []
        for _ in range(length):
            source = main if rng.random() < purity else names[rng.integers(len(names))]
            words.append(PLANTED[source][rng.choice(8, p=ZIPF)])
        docs.append(" ".join(words))
        truth.append(main)
    return docs, truth


def test_planted_words_survive_tokenizer():
    # otherwise the recovery test below would test the stopword list, not the models
    for vocab in PLANTED.values():
        assert tokenize(" ".join(vocab)) == vocab


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_planted_topics_recovered(model):
    docs, truth = planted_corpus()
    tm = fit_topics(docs, k=3, model=model, random_state=0)
    found = tm.top_words(5)
    planted = list(PLANTED.values())
    match, _ = match_topics(found, planted, t=5)
    for i, words in enumerate(found):
        # every top-5 word of a fitted topic comes from the planted vocabulary it matches
        assert set(words) <= set(planted[match[i]]), (model, words)
    assert sorted(match.tolist()) == [0, 1, 2]
    # each document's largest topic is its planted topic
    names = list(PLANTED)
    dominant = tm.doc_topic_.argmax(axis=1)
    assigned = [names[match[t]] for t in dominant]
    assert np.mean([x == y for x, y in zip(assigned, truth)]) >= 0.95


def test_planted_topics_stable_on_subsamples_at_true_k():
    docs, _ = planted_corpus()
    for model in ("nmf", "lda"):
        sub = subsample_stability(docs, 3, model, n_subsamples=3, top_t=5)
        # well-separated planted topics: refits on 80% of the documents find the same top words
        assert sub.shape == (3,)
        assert sub.min() >= 0.8, (model, sub)


def test_seed_stability_is_agreement_with_later_seeds():
    # definition: agreement of the random_state model with models fitted with
    # random_state + 1, ..., random_state + n_seeds on the same documents
    docs, _ = planted_corpus(n_docs=30)
    got = seed_stability(docs, 3, "lda", n_seeds=2, top_t=5, random_state=4, max_iter=20)
    ref = fit_topics(docs, 3, "lda", random_state=4, max_iter=20).top_words(5)
    expected = [agreement(ref, fit_topics(docs, 3, "lda", random_state=s, max_iter=20)
                          .top_words(5), 5) for s in (5, 6)]
    assert got.tolist() == expected


def test_same_seed_same_output():
    docs, _ = planted_corpus(n_docs=30)
    for model in ("nmf", "lda"):
        a = fit_topics(docs, 3, model, random_state=7)
        b = fit_topics(docs, 3, model, random_state=7)
        assert a.top_words(8) == b.top_words(8)
        pd.testing.assert_frame_equal(a.doc_topics(), b.doc_topics(), check_exact=True)
        pd.testing.assert_frame_equal(a.topic_words(8), b.topic_words(8), check_exact=True)
    t1, fitted = select_k(docs, [2, 3], n_subsamples=2, n_seeds=1, top_n=5, return_models=True)
    t2 = select_k(docs, [2, 3], n_subsamples=2, n_seeds=1, top_n=5)
    pd.testing.assert_frame_equal(t1, t2, check_exact=True)
    # the models behind the table are the ones fit_topics gives with the same seed
    for model in ("nmf", "lda"):
        assert fitted[(model, 3)].top_words(8) == fit_topics(docs, 3, model).top_words(8)


def test_select_k_table_columns_and_ranges():
    docs, _ = planted_corpus(n_docs=30)
    tab = select_k(docs, [2, 3], n_subsamples=2, n_seeds=1, top_n=5)
    assert list(tab[["model", "k"]].itertuples(index=False, name=None)) == [
        ("nmf", 2), ("nmf", 3), ("lda", 2), ("lda", 3)]
    assert {"npmi", "umass", "stability", "stability_seeds"} <= set(tab.columns)
    assert tab["npmi"].between(-1, 1).all()
    assert tab["stability"].between(0, 1).all()
    assert (tab["n_docs"] == 30).all()


# -- the model object -------------------------------------------------------------------


def test_topic_words_and_doc_topics_are_tidy():
    docs, _ = planted_corpus(n_docs=30)
    meta = pd.DataFrame({"country": ["AZ", "KG", "UZ"] * 10})
    tm = fit_topics(docs, 3, "nmf", doc_ids=[f"d{i}" for i in range(30)], metadata=meta)
    tw = tm.topic_words(4)
    assert list(tw.columns) == ["model", "k", "topic", "rank", "word", "weight"]
    assert len(tw) == 3 * 4
    assert tw.groupby("topic")["rank"].apply(list).tolist() == [[1, 2, 3, 4]] * 3
    # weights decrease with rank inside a topic
    assert (tw.groupby("topic")["weight"].diff().dropna() <= 0).all()
    dt = tm.doc_topics()
    assert len(dt) == 30 * 3
    assert {"doc", "country", "n_tokens", "topic", "weight"} <= set(dt.columns)
    assert dt.groupby("doc")["weight"].sum().to_numpy() == pytest.approx(np.ones(30))
    # topic 1 is the most prevalent
    totals = dt.groupby("topic")["weight"].sum()
    assert totals.is_monotonic_decreasing


def test_documents_without_vocabulary_are_reported_not_modelled():
    docs, _ = planted_corpus(n_docs=30)
    # "hapax" occurs once, so min_df=2 leaves the last document without any term
    tm = fit_topics([*docs, "hapax"], 3, "nmf", min_df=2)
    assert tm.empty_docs == [30]
    assert 30 not in set(tm.doc_topics()["doc"])


def test_representative_docs_prefers_longer_pure_passage():
    docs = ["rail port", "army border", "rail port cargo freight rail port",
            "army border troops patrol army", "cargo freight", "troops patrol"]
    tm = fit_topics(docs, 2, "nmf")
    rep = tm.representative_docs(1)
    # both vocabularies are disjoint, so each document is (to 2 decimals) pure; the longest wins
    assert sorted(rep["doc"].tolist()) == [2, 3]
    assert (rep["weight"].round(2) == 1.0).all()


def test_invalid_arguments():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fit_topics(["a b", "c d"], 2, "lda", doc_topic_prior=1.5)
    with pytest.raises(ValueError, match="LDA only"):
        fit_topics(["rail port", "army border"], 2, "nmf", topic_word_prior=0.1)
    with pytest.raises(ValueError, match="model must be"):
        fit_topics(["rail port", "army border"], 2, "plsa")


# -- units and shares -------------------------------------------------------------------


def test_make_units_sentences_carry_metadata():
    df = pd.DataFrame({"segment_id": ["s1", "s2"], "speaker": ["A", "B"], "country": ["AZ", "KG"],
                       "text": ["Rail grows. Ports too.", "The U.S. army left."]})
    units = make_units(df, "sentence")
    assert units["unit_id"].tolist() == ["s1.s1", "s1.s2", "s2.s1"]
    assert units["country"].tolist() == ["AZ", "AZ", "KG"]
    seg = make_units(df, "segment")
    assert seg["unit_id"].tolist() == ["s1", "s2"]
    with pytest.raises(ValueError):
        make_units(df, "word")


def test_topic_share_hand_computed():
    # AZ: doc 1 (10 tokens) is all topic 1; doc 2 (30 tokens) is half and half
    #   token-weighted share of topic 1 = (10 * 1 + 30 * 0.5) / 40 = 25 / 40 = 0.625
    #   document mean share of topic 1   = (1 + 0.5) / 2 = 0.75
    # KG: doc 3 (5 tokens) all topic 2 -> topic 1 share 0
    dt = pd.DataFrame({
        "doc": [1, 1, 2, 2, 3, 3], "country": ["AZ"] * 4 + ["KG"] * 2,
        "speaker_id": ["x", "x", "y", "y", "z", "z"],
        "n_tokens": [10, 10, 30, 30, 5, 5], "topic": [1, 2] * 3,
        "weight": [1.0, 0.0, 0.5, 0.5, 0.0, 1.0]})
    sh = topic_share(dt, n_boot=200).set_index(["country", "topic"])
    assert sh.loc[("AZ", 1), "share"] == pytest.approx(0.625)
    assert sh.loc[("AZ", 2), "share"] == pytest.approx(0.375)
    assert sh.loc[("KG", 1), "share"] == 0
    assert sh.loc[("AZ", 1), "n_docs"] == 2 and sh.loc[("AZ", 1), "n_tokens"] == 40
    assert sh.loc[("AZ", 1), "n_speakers"] == 2 and sh.loc[("KG", 1), "n_speakers"] == 1
    # interval brackets the estimate; a one-document group has no spread at all
    assert (sh["ci_low"] <= sh["share"] + 1e-12).all()
    assert (sh["share"] <= sh["ci_high"] + 1e-12).all()
    assert sh.loc[("KG", 2), "ci_low"] == sh.loc[("KG", 2), "ci_high"] == 1.0
    # bootstrap over AZ's two documents: resamples {1,1}, {1,2}, {2,2} give topic-1 shares
    #   1.0, 0.625, 0.5, so the interval must lie within [0.5, 1.0]
    assert 0.5 <= sh.loc[("AZ", 1), "ci_low"] and sh.loc[("AZ", 1), "ci_high"] <= 1.0
    by_docs = topic_share(dt, weight="docs", n_boot=0).set_index(["country", "topic"])
    assert by_docs.loc[("AZ", 1), "share"] == pytest.approx(0.75)
