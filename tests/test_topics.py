"""Tests for c6lab.topics: coherence, stability, matching, planted-topic recovery."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import c6lab
from c6lab import DocumentTermMatrix, stats, tokenize
from c6lab.topics import (
    SELECTION_COLUMNS,
    agreement,
    average_jaccard,
    document_summary,
    explain_k,
    fit_topics,
    k_problems,
    label_topics,
    match_topics,
    npmi_coherence,
    resolve_choice,
    seed_stability,
    select_k,
    skipped_sentence,
    subsample_indices,
    subsample_stability,
    topic_share,
    topic_table,
    umass_coherence,
)

# -- toy corpus for coherence: three documents --------------------------------------
#   d1 = {a, b}    d2 = {a, b, c}    d3 = {c, d}          N = 3
# document frequencies: D(a) = 2, D(b) = 2, D(c) = 2, D(d) = 1
# co-document frequencies: D(a,b) = 2, D(a,c) = 1, D(b,c) = 1, D(c,d) = 1, D(a,d) = 0
TOY_TOKENS = [["a", "b"], ["a", "b", "c"], ["c", "d"]]
TOY = DocumentTermMatrix.from_tokens(TOY_TOKENS)
EPS = 1e-12


def dfm_of(token_lists) -> DocumentTermMatrix:
    return DocumentTermMatrix.from_tokens(token_lists)


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
    repeated = dfm_of([["a", "a", "b", "b"], ["a", "b", "c", "c"], ["c", "d", "d"]])
    assert npmi_coherence([["a", "b", "c"]], repeated) == pytest.approx(
        npmi_coherence([["a", "b", "c"]], TOY))
    assert umass_coherence([["a", "b", "c"]], repeated) == pytest.approx(
        umass_coherence([["a", "b", "c"]], TOY))


# -- peer: gensim's CoherenceModel ------------------------------------------------------

# a small corpus of token lists of different lengths (one empty), and topics over words
# that all occur (gensim divides by zero for a word that never occurs; we skip its pairs)
PEER_DOCS = [
    ["rail", "port", "cargo", "rail", "ferry"],
    ["port", "cargo", "freight"],
    ["army", "border", "troops", "rail"],
    ["border", "troops", "patrol", "army", "army", "port"],
    ["rail", "freight", "ferry", "port", "cargo", "depot", "truck"],
    ["music", "poetry"],
    ["poetry", "music", "theatre", "border"],
    [],
    ["cargo", "army", "music"],
]
PEER_TOPICS = [["rail", "port", "cargo", "freight"], ["army", "border", "troops", "patrol", "music"],
               ["music", "poetry", "theatre"], ["ferry", "depot", "army"]]


def _gensim(coherence, topics, docs, **options):
    # gensim is a dev dependency (pyproject [dev]): a missing install must fail, not skip
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    dictionary = Dictionary(docs)
    extra = ({"texts": docs, "window_size": max(len(d) for d in docs)} if coherence == "c_npmi"
             else {"corpus": [dictionary.doc2bow(d) for d in docs]})
    extra.update(options)
    out = []
    for topic in topics:   # one model per topic: topn is the topic's own length
        cm = CoherenceModel(topics=[topic], dictionary=dictionary, coherence=coherence,
                            topn=len(topic), processes=1, **extra)
        out.append(cm.get_coherence_per_topic()[0])
    return np.array(out)


def test_npmi_equals_gensim_c_npmi_with_the_document_as_window():
    # gensim's c_npmi slides a window of window_size tokens and counts every window as a
    # document; a document no longer than the window is one window (an empty one too), so
    # with window_size >= the longest document its counts are document counts. Its
    # epsilon (1e-12, added to the joint probability) is ours, and it averages over
    # ordered pairs (i, j), i != j, which for the symmetric NPMI is the mean over i < j.
    ours = npmi_coherence(PEER_TOPICS, dfm_of(PEER_DOCS))
    theirs = _gensim("c_npmi", PEER_TOPICS, PEER_DOCS)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    # with gensim's default 10-token window on longer documents the values are not the same
    long_docs = [d * 4 for d in PEER_DOCS]
    assert not np.allclose(npmi_coherence(PEER_TOPICS, dfm_of(long_docs)),
                           _gensim("c_npmi", PEER_TOPICS, long_docs, window_size=10))


def test_umass_equals_gensim_u_mass_with_its_epsilon():
    # gensim's u_mass counts documents too and conditions on the higher-ranked word, but
    # it adds 1e-12 to the joint probability: log((D(wi,wj)/N + 1e-12) / (D(wj)/N)), i.e.
    # our count smoothing eps = 1e-12 * N. With Mimno's eps = 1 the values differ.
    counts = dfm_of(PEER_DOCS)
    ours = umass_coherence(PEER_TOPICS, counts, eps=1e-12 * counts.n_docs)
    theirs = _gensim("u_mass", PEER_TOPICS, PEER_DOCS)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    assert not np.allclose(umass_coherence(PEER_TOPICS, counts), theirs)


def test_npmi_on_the_study_corpus_equals_gensim():
    corpus = c6lab.open_corpus()
    speech = corpus.select(["quote", "paraphrase"])
    counts = c6lab.dfm(speech, corpus.lexicons)
    tm = fit_topics(counts, 3, "nmf", min_df=2)
    docs = [corpus.lexicons.tokenizer(t) for t in speech["text"]]
    np.testing.assert_allclose(tm.coherence(10, "npmi"), _gensim("c_npmi", tm.top_words(10), docs),
                               rtol=1e-12, atol=1e-12)


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


def planted_corpus(n_docs=60, length=12, purity=0.85, random_state=0):
    """Documents drawn mostly from one planted vocabulary, some words from another.

    Returns the document-term matrix (one document per text, ``segment_id`` d0, d1 ...,
    ``country`` AZ/KG/UZ in turn) and the planted topic of each document.
    """
    rng = np.random.default_rng(random_state)
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
    table = pd.DataFrame({"segment_id": [f"d{i}" for i in range(n_docs)],
                          "speaker_id": [f"s{i % 4}" for i in range(n_docs)],
                          "country": [["AZ", "KG", "UZ"][i % 3] for i in range(n_docs)],
                          "text": docs})
    return c6lab.dfm(table), truth


def test_planted_words_survive_tokenizer():
    # otherwise the recovery test below would test the stopword list, not the models
    for vocab in PLANTED.values():
        assert tokenize(" ".join(vocab)) == vocab


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_planted_topics_recovered(model):
    counts, truth = planted_corpus()
    tm = fit_topics(counts, k=3, model=model, random_state=0)
    found = tm.top_words(5)
    planted = list(PLANTED.values())
    match, _ = match_topics(found, planted, top_n=5)
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
    counts, _ = planted_corpus()
    for model in ("nmf", "lda"):
        sub = subsample_stability(counts, 3, model, n_subsamples=3, top_n=5)
        # well-separated planted topics: refits on 80% of the documents find the same top words
        assert sub.shape == (3,)
        assert sub.min() >= 0.8, (model, sub)


def test_subsample_stability_refits_on_the_subsampled_rows():
    # definition: agreement of the full-data model with models fitted (same seed and
    # options) on the rows of each subsample_indices draw
    counts, _ = planted_corpus(n_docs=30)
    got = subsample_stability(counts, 3, "nmf", n_subsamples=2, top_n=5, random_state=3,
                              per_topic=True, min_df=2)
    ref = fit_topics(counts, 3, "nmf", random_state=3, min_df=2).top_words(5)
    for run, idx in zip(got, subsample_indices(30, 2, 0.8, random_state=3), strict=True):
        sub = fit_topics(counts.subset(idx), 3, "nmf", random_state=3, min_df=2).top_words(5)
        assert run.tolist() == match_topics(ref, sub, top_n=5)[1].tolist()


def test_seed_stability_is_agreement_with_later_seeds():
    # definition: agreement of the random_state model with models fitted with
    # random_state + 1, ..., random_state + n_seeds on the same documents
    counts, _ = planted_corpus(n_docs=30)
    got = seed_stability(counts, 3, "lda", n_seeds=2, top_n=5, random_state=4, max_iter=20)
    ref = fit_topics(counts, 3, "lda", random_state=4, max_iter=20).top_words(5)
    expected = [agreement(ref, fit_topics(counts, 3, "lda", random_state=s, max_iter=20)
                          .top_words(5), 5) for s in (5, 6)]
    assert got.tolist() == expected


def test_same_seed_same_output():
    counts, _ = planted_corpus(n_docs=30)
    for model in ("nmf", "lda"):
        a = fit_topics(counts, 3, model, random_state=7)
        b = fit_topics(counts, 3, model, random_state=7)
        assert a.top_words(8) == b.top_words(8)
        pd.testing.assert_frame_equal(a.doc_topics(), b.doc_topics(), check_exact=True)
        pd.testing.assert_frame_equal(a.topic_words(8), b.topic_words(8), check_exact=True)
    t1, fitted = select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, top_n=5, return_models=True)
    t2 = select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, top_n=5)
    pd.testing.assert_frame_equal(t1, t2, check_exact=True)
    # the models behind the table are the ones fit_topics gives with the same seed
    for model in ("nmf", "lda"):
        assert fitted[(model, 3)].top_words(8) == fit_topics(counts, 3, model).top_words(8)


def test_select_k_table_columns_and_ranges():
    counts, _ = planted_corpus(n_docs=30)
    tab = select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, top_n=5)
    assert list(tab[["model", "k"]].itertuples(index=False, name=None)) == [
        ("nmf", 2), ("nmf", 3), ("lda", 2), ("lda", 3)]
    assert {"npmi", "umass", "stability", "stability_seeds"} <= set(tab.columns)
    assert tab["npmi"].between(-1, 1).all()
    assert tab["stability"].between(0, 1).all()
    assert (tab["n_docs"] == 30).all()


def test_select_k_skips_a_k_it_cannot_fit_and_says_why():
    counts, _ = planted_corpus(n_docs=5)
    # 5 documents; an 80% subsample has 4: K = 5 exceeds the subsample, K = 6 the data
    tab, fitted = select_k(counts, [2, 5, 6], models=["nmf", "lda"], n_subsamples=2, n_seeds=1, top_n=3,
                           return_models=True)
    assert tab["k"].unique().tolist() == [2] and set(fitted) == {("nmf", 2), ("lda", 2)}
    assert tab.attrs["skipped"] == {5: "K = 5 is more than the 4 documents of an 80% subsample",
                                    6: "K = 6 is more than the 5 documents"}
    assert list(tab.columns) == list(SELECTION_COLUMNS)


def test_select_k_with_no_k_left_is_an_empty_table_not_a_crash():
    docs = pd.DataFrame({"text": ["rail port", "army border", "poetry music"]})
    counts = c6lab.dfm(docs)
    problems = k_problems(counts, [2, 3], min_df=2)
    assert problems == {k: "no term is used in at least 2 documents (min_df = 2), so no topic model can be fitted"
                        for k in (2, 3)}
    tab = select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, min_df=2)
    assert tab.empty and list(tab.columns) == list(SELECTION_COLUMNS) and tab.attrs["skipped"] == problems
    # more topics than terms: NMF's start would fail, so the K is left out
    assert k_problems(counts, [2], n_subsamples=0, min_df=1) == {}
    assert k_problems(dfm_of([["a", "b"], ["a", "b"], ["a", "b"]]), [3], n_subsamples=0) == {
        3: "K = 3 is more than the 2 terms left after min_df = 1"}


def test_k_problems_uses_the_subsamples_select_k_refits():
    counts, _ = planted_corpus(n_docs=40)
    assert k_problems(counts, range(2, 7), n_subsamples=5, min_df=2) == {}
    # every K select_k keeps can be refitted on every subsample (no exception from scikit-learn)
    tiny, _ = planted_corpus(n_docs=4, length=3)
    tab = select_k(tiny, range(2, 5), models=["nmf"], n_subsamples=3, n_seeds=1, top_n=3, min_df=2)
    assert set(tab["k"]) | set(tab.attrs["skipped"]) == {2, 3, 4}


def _choice_table():
    return pd.DataFrame({"model": ["nmf"] * 3 + ["lda"] * 3, "k": [2, 3, 4] * 2,
                         "npmi": [-0.1, 0.07, 0.1, -0.05, 0.0, 0.03],
                         "stability": [0.61, 0.60, 0.48, 0.48, 0.41, 0.37]})


def test_resolve_choice_follows_the_rule_unless_the_user_sets_model_or_k():
    table = _choice_table()
    rule = resolve_choice(table)
    assert (rule.model, rule.k, rule.set_by, rule.available) == ("nmf", 3, "rule", True)
    assert rule.explanation.startswith("**NMF with K = 3**, chosen by the rule")
    assert explain_k(table, "nmf", 3).split(". ", 1)[1] in rule.explanation
    by_k = resolve_choice(table, chosen_k=4)
    assert (by_k.model, by_k.k, by_k.set_by) == ("nmf", 4, "chosen_k")
    assert "K was set with `chosen_k`" in by_k.explanation
    assert by_k.explanation.endswith("The rule alone would choose NMF with K = 3.")
    by_model = resolve_choice(table, chosen_model="lda")
    assert (by_model.model, by_model.k, by_model.set_by) == ("lda", 4, "chosen_model")  # LDA's only K with NPMI > 0
    assert "the model was set with `chosen_model`" in by_model.explanation
    both = resolve_choice(table, "nmf", 3)
    assert both.set_by == "chosen_model and chosen_k" and both.explanation.endswith("would choose the same.")
    single = resolve_choice(table[table["model"] == "nmf"])
    assert "NMF is the only model fitted (`models`)." in single.explanation


def test_resolve_choice_names_a_k_that_was_not_fitted():
    table = _choice_table()
    missing = resolve_choice(table, chosen_k=5, skipped={5: "K = 5 is more than the 4 documents"})
    assert not missing.available and missing.k == 5
    assert "K = 5 is more than the 4 documents." in missing.explanation
    assert skipped_sentence({6: "b", 5: "a"}) == "K = 5 was not fitted: a. K = 6 was not fitted: b."
    with pytest.raises(ValueError, match="empty"):
        resolve_choice(table.iloc[:0])


# -- the input matrix ------------------------------------------------------------------


def test_nmf_input_is_the_tfidf_of_the_vectorizer_path():
    # TfidfTransformer on the trimmed counts = scikit-learn's TfidfVectorizer with the same
    # min_df on the same tokens (the path before the counts layer); the counts themselves
    # are CountVectorizer's exactly
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    corpus = c6lab.open_corpus()
    speech = corpus.select(["quote", "paraphrase"])
    counts = c6lab.dfm(speech, corpus.lexicons)
    tokens = [corpus.lexicons.tokenizer(t) for t in speech["text"]]
    cv = CountVectorizer(analyzer=lambda t: t, min_df=2)
    C = cv.fit_transform(tokens)
    tm = fit_topics(counts, 3, "nmf", min_df=2)
    assert tm.terms_.tolist() == cv.get_feature_names_out().tolist()
    assert (C != counts.trim(2).matrix).nnz == 0
    X = tm.transformer_.transform(counts.trim(2).matrix)
    Y = TfidfVectorizer(analyzer=lambda t: t, min_df=2).fit_transform(tokens)
    # equal up to the order of the floating-point sums in the l2 norm (last bit)
    np.testing.assert_allclose(X.toarray(), Y.toarray(), rtol=1e-15, atol=1e-15)


# -- the model object -------------------------------------------------------------------


def test_topic_words_and_doc_topics_are_tidy():
    counts, _ = planted_corpus(n_docs=30)
    tm = fit_topics(counts, 3, "nmf")
    tw = tm.topic_words(4)
    assert list(tw.columns) == ["model", "k", "topic", "rank", "word", "weight"]
    assert len(tw) == 3 * 4
    assert tw.groupby("topic")["rank"].apply(list).tolist() == [[1, 2, 3, 4]] * 3
    # weights decrease with rank inside a topic
    assert (tw.groupby("topic")["weight"].diff().dropna() <= 0).all()
    dt = tm.doc_topics()
    assert len(dt) == 30 * 3
    assert {"doc", "segment_id", "country", "n_tokens", "topic", "weight"} <= set(dt.columns)
    assert "text" not in dt.columns
    assert dt["doc"].unique().tolist() == [f"d{i}" for i in range(30)]
    assert dt.drop_duplicates("doc")["country"].tolist() == ["AZ", "KG", "UZ"] * 10
    assert dt.groupby("doc")["weight"].sum().to_numpy() == pytest.approx(np.ones(30))
    assert (dt.drop_duplicates("doc")["n_tokens"] == 12).all()
    # topic 1 is the most prevalent
    totals = dt.groupby("topic")["weight"].sum()
    assert totals.is_monotonic_decreasing


def test_sentence_documents_carry_their_segment():
    df = pd.DataFrame({"segment_id": ["s1", "s2"], "speaker": ["A", "B"], "country": ["AZ", "KG"],
                       "text": ["Rail grows.  Ports too.", "The U.S. army left."]})
    tm = fit_topics(c6lab.dfm(df, unit="sentence"), 2, "nmf")
    assert tm.doc_ids_.tolist() == ["s1.s1", "s1.s2", "s2.s1"]
    dt = tm.doc_topics().drop_duplicates("doc")
    assert dt["country"].tolist() == ["AZ", "AZ", "KG"]
    assert dt["sentence_no"].tolist() == [1, 2, 1]
    rep = tm.representative_docs(3)
    # the text shown is the sentence, normalised (one space, straight quotes)
    assert set(rep["text"]) == {"Rail grows.", "Ports too.", "The U.S. army left."}


def test_documents_without_vocabulary_are_reported_not_modelled():
    counts, _ = planted_corpus(n_docs=30)
    # "hapax" occurs once, so min_df=2 leaves the last document without any term
    more = DocumentTermMatrix.from_tokens(
        [list(counts.terms[row.indices].repeat(row.data)) for row in counts.matrix] + [["hapax"]])
    tm = fit_topics(more, 3, "nmf", min_df=2)
    assert tm.empty_docs == [30]
    assert 30 not in set(tm.doc_topics()["doc"])
    with pytest.raises(ValueError, match="no term is left"):
        fit_topics(more, 3, "nmf", min_df=31)


def test_representative_docs_prefers_longer_pure_passage():
    docs = ["rail port", "army border", "rail port cargo freight rail port",
            "army border troops patrol army", "cargo freight", "troops patrol"]
    tm = fit_topics(c6lab.dfm(pd.DataFrame({"text": docs})), 2, "nmf")
    rep = tm.representative_docs(1)
    # both vocabularies are disjoint, so each document is (to 2 decimals) pure; the longest wins
    assert sorted(rep["doc"].tolist()) == [2, 3]
    assert (rep["weight"].round(2) == 1.0).all()


def test_invalid_arguments():
    counts = dfm_of([["rail", "port"], ["army", "border"]])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fit_topics(counts, 2, "lda", doc_topic_prior=1.5)
    with pytest.raises(ValueError, match="LDA only"):
        fit_topics(counts, 2, "nmf", topic_word_prior=0.1)
    with pytest.raises(ValueError, match="model must be"):
        fit_topics(counts, 2, "plsa")
    with pytest.raises(TypeError, match="DocumentTermMatrix"):
        fit_topics(["rail port", "army border"], 2)


def test_replaced_word_lists_reach_the_model():
    # a corpus's own phrase is one term of the model, its own stopword none
    lex = c6lab.Lexicons.default().replace(phrases=("rail port",), stopwords=frozenset({"cargo"}))
    docs = pd.DataFrame({"text": ["rail port cargo", "rail port freight", "army border", "border troops"]})
    tm = fit_topics(c6lab.dfm(docs, lex), 2, "nmf")
    assert tm.terms_.tolist() == ["army", "border", "freight", "rail_port", "troops"]


# -- tables about a model ---------------------------------------------------------------


def test_topic_table_and_labels():
    counts, _ = planted_corpus(n_docs=30)
    tm = fit_topics(counts, 3, "nmf", min_df=2)
    words = tm.top_words(3)
    labels = label_topics(tm, {" ".join(words[0]): "first", "no such topic": "never"})
    assert labels == {1: "first", 2: "(unlabelled) " + " / ".join(words[1]),
                      3: "(unlabelled) " + " / ".join(words[2])}
    tab = topic_table(tm, top_n=5, labels={" ".join(words[0]): "first"}, n_subsamples=2)
    assert tab.columns.tolist() == ["topic", "label", "top_words", "share_of_docs", "npmi",
                                    "umass", "stability"]
    assert tab["label"].tolist() == list(labels.values())
    assert tab["top_words"].tolist() == [", ".join(w) for w in tm.top_words(5)]
    # share_of_docs is the mean topic share over documents: the shares sum to 1 over topics
    assert tab["share_of_docs"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(tab["share_of_docs"], np.nanmean(tm.doc_topic_, axis=0))
    np.testing.assert_array_equal(tab["npmi"], tm.coherence(5, "npmi"))
    # stability: the per-topic subsample agreement with the model's own seed and options
    expected = subsample_stability(counts, 3, "nmf", n_subsamples=2, top_n=5, per_topic=True,
                                   min_df=2).mean(axis=0)
    np.testing.assert_array_equal(tab["stability"], expected)
    assert topic_table(tm, top_n=5, n_subsamples=0)["stability"].isna().all()


def test_document_summary_by_hand():
    df = pd.DataFrame({"country": ["AZ", "AZ", "AZ", "KG", ""], "speaker_id": ["a", "a", "b", "c", ""],
                       "text": ["Rail port. Cargo.", "Army.", "Border troops patrol.", "Rail.", "Port"]})
    s = document_summary(c6lab.dfm(df))
    # AZ: 3 segments of 3, 1, 3 tokens (median 3), 2 speakers; the ungrouped row is left out
    assert s.values.tolist() == [["AZ", 2, 3, 7, 3.0], ["KG", 1, 1, 1, 1.0]]
    s = document_summary(c6lab.dfm(df, unit="sentence"))
    # sentences: AZ has "Rail port." (2), "Cargo." (1), "Army." (1), "Border troops patrol." (3)
    assert s.columns.tolist() == ["country", "n_speakers", "n_sentences", "n_tokens",
                                  "median_tokens_per_doc"]
    assert s.values.tolist() == [["AZ", 2, 4, 7, 1.5], ["KG", 1, 1, 1, 1.0]]


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
    # the interval is the percentile interval of resamples drawn with c6lab.stats
    rng = stats.generator(5)
    idx = stats.resample_rows(2, 300, rng)              # AZ's two documents, first
    shares = np.array([[1.0, 0.5]])[:, idx][0]                 # topic-1 share of each doc drawn
    w = np.array([10.0, 30.0])[idx]
    boot = (shares * w).sum(axis=1) / w.sum(axis=1)
    low, high = stats.percentile_interval(boot, 0.8)
    az = topic_share(dt, n_boot=300, confidence=0.8, random_state=5).set_index(["country", "topic"])
    assert (az.loc[("AZ", 1), "ci_low"], az.loc[("AZ", 1), "ci_high"]) == pytest.approx((low, high))
    with pytest.raises(ValueError):
        topic_share(dt, confidence=90)


def test_topic_share_figure_draws_a_dollar_sign_as_written():
    import matplotlib

    matplotlib.use("Agg")
    from c6lab.plots.topics import plot_topic_share

    shares = pd.DataFrame({"country": ["a$b$", "KG"], "topic": [1, 1], "share": [0.7, 0.3], "n_docs": [16, 14]})
    fig = plot_topic_share(shares, labels={1: r"$\foo$ label"}, title="x$y$")
    fig.canvas.draw()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["KG", r"a\$b\$"]  # groups sorted
    assert fig.axes[0].get_title() == r"\$\foo\$ label"
    matplotlib.pyplot.close(fig)


# -- large corpora: online solvers, a document sample for select_k, n_jobs ---------------

def test_small_corpora_use_the_batch_solvers_and_select_k_fits_every_document():
    # results on a corpus below the thresholds are those of the batch algorithms on all documents
    from c6lab.topics import ONLINE_MIN_DOCS, SELECT_MAX_DOCS, resolve_solver

    counts, _ = planted_corpus(n_docs=30)
    assert counts.n_docs < min(SELECT_MAX_DOCS, *ONLINE_MIN_DOCS.values())
    assert [resolve_solver(m, counts.n_docs) for m in ("nmf", "lda")] == ["batch", "batch"]
    auto, fitted = select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, top_n=5, return_models=True)
    batch = select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, top_n=5, max_docs=None, solver="batch")
    pd.testing.assert_frame_equal(auto, batch, check_exact=True)
    assert auto.attrs["n_docs_fitted"] == 30
    assert all(tm.fit_rows_ is None and tm.options_["solver"] == "batch" for tm in fitted.values())
    lda = fitted[("lda", 3)].estimator_
    assert lda.learning_method == "batch" and lda.max_iter == 50


def test_online_solvers_above_the_threshold(monkeypatch):
    from sklearn.decomposition import MiniBatchNMF

    from c6lab.topics import fit as fit_module

    counts, truth = planted_corpus(n_docs=60)
    monkeypatch.setitem(fit_module.ONLINE_MIN_DOCS, "lda", 50)
    monkeypatch.setitem(fit_module.ONLINE_MIN_DOCS, "nmf", 50)
    lda = fit_topics(counts, 3, "lda", random_state=0)
    nmf = fit_topics(counts, 3, "nmf", random_state=0)
    assert lda.estimator_.learning_method == "online" and lda.options_["solver"] == "online"
    assert isinstance(nmf.estimator_, MiniBatchNMF)
    # the online NMF still finds the planted topics: each topic's top word from one planted list
    tops = {w[0] for w in nmf.top_words(1)}
    assert all(sum(t in words for t in tops) == 1 for words in PLANTED.values())
    # below the threshold (or asked for) the batch solver is back
    assert fit_topics(counts.subset(np.arange(40)), 3, "lda").estimator_.learning_method == "batch"
    assert fit_topics(counts, 3, "lda", solver="batch").estimator_.learning_method == "batch"
    with pytest.raises(ValueError, match="solver"):
        fit_topics(counts, 3, "lda", solver="fast")


def test_transform_matches_the_fit_and_matches_terms_by_name():
    counts, _ = planted_corpus(n_docs=30)
    tm = fit_topics(counts, 3, "lda", random_state=1)
    # scikit-learn's LDA fit_transform is fit then transform: the same shares, in the model's topic order
    np.testing.assert_allclose(tm.transform(counts), tm.doc_topic_, rtol=1e-12)
    # the same documents with an extra term and the columns in another order
    reordered = DocumentTermMatrix.from_tokens(
        [["zzz_unseen", *counts.terms[row.indices].repeat(row.data)] for row in counts.matrix])
    assert reordered.n_terms == counts.n_terms + 1
    np.testing.assert_allclose(tm.transform(reordered), tm.doc_topic_, rtol=1e-12)


def test_select_k_above_max_docs_fits_a_sample_and_describes_every_document():
    counts, _ = planted_corpus(n_docs=60)
    tab, fitted = select_k(counts, [2, 3], models=["nmf"], n_subsamples=2, n_seeds=1, top_n=5,
                           max_docs=40, return_models=True)
    sample = subsample_indices(60, 1, 40 / 60, 0)[0]
    assert tab.attrs["n_docs_fitted"] == 40 and tab["n_docs"].tolist() == [60, 60]
    tm = fitted[("nmf", 3)]
    ref = fit_topics(counts, 3, "nmf", fit_rows=sample)
    assert tm.top_words(8) == ref.top_words(8) == fit_topics(counts.subset(sample), 3, "nmf").top_words(8)
    np.testing.assert_array_equal(tm.fit_rows_, sample)
    # every document has shares (the 20 outside the sample from the fitted model), summing to 1
    shares = tm.doc_topics()
    assert shares["doc"].nunique() == 60
    np.testing.assert_allclose(shares.groupby("doc")["weight"].sum(), 1.0)
    # coherence is measured on all 60 documents
    assert tab.loc[tab["k"] == 3, "npmi"].item() == pytest.approx(float(np.nanmean(tm.coherence(5, "npmi"))))
    # stability in the topic table refits on the fitted documents, as select_k did
    assert tm.fit_counts().n_docs == 40


def test_select_k_is_the_same_for_any_n_jobs(monkeypatch):
    from c6lab.topics import stability

    monkeypatch.setattr(stability, "PARALLEL_MIN_DOCS", 0)  # workers even for this small table
    counts, _ = planted_corpus(n_docs=30)
    one, f1 = select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, top_n=5, return_models=True)
    two, f2 = select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, top_n=5, return_models=True, n_jobs=2)
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    for key in f1:
        pd.testing.assert_frame_equal(f1[key].doc_topics(), f2[key].doc_topics(), check_exact=True)


def test_select_k_fits_a_small_table_in_this_process(monkeypatch):
    import joblib

    from c6lab.topics import stability

    def no_workers(*args, **kwargs):
        raise AssertionError("worker processes started for a small table")

    monkeypatch.setattr(joblib, "Parallel", no_workers)
    counts, _ = planted_corpus(n_docs=30)
    assert counts.n_docs < stability.PARALLEL_MIN_DOCS
    assert len(select_k(counts, [2, 3], n_subsamples=2, n_seeds=1, top_n=5, n_jobs=2)) == 4


# -- batch LDA fits side by side (the speed of select_k) ---------------------------------

def test_lda_fits_side_by_side_equal_scikit_learns_one_by_one():
    from scipy import sparse
    from sklearn.decomposition import LatentDirichletAllocation as LDA

    from c6lab.topics.lda_batch import fit_lda_together

    counts, _ = planted_corpus(n_docs=40)
    X = counts.matrix.tocsr()
    # a document with no word left (its shares are the prior's) and a subsample with other columns
    X_empty = sparse.vstack([X[:20], sparse.csr_matrix((1, X.shape[1]), dtype=X.dtype)]).tocsr()
    mats = [X, X, X[::2][:, :15], X_empty]
    for k, priors in ((2, {}), (4, {"doc_topic_prior": 0.3, "topic_word_prior": 0.05})):
        seeds = [0, 1, 0, 2]
        made = [LDA(n_components=k, random_state=s, **priors) for s in seeds]
        shares = fit_lda_together(made, mats)
        for est, W, X_i, s in zip(made, shares, mats, seeds, strict=True):
            ref = LDA(n_components=k, random_state=s, **priors)
            W_ref = ref.fit_transform(X_i)
            # the same numbers up to the order of summation (last bits), and the same rankings
            np.testing.assert_allclose(est.components_, ref.components_, rtol=1e-10, atol=0)
            np.testing.assert_allclose(W, W_ref, rtol=0, atol=1e-12)
            np.testing.assert_array_equal(np.argsort(-est.components_, axis=1, kind="stable"),
                                          np.argsort(-ref.components_, axis=1, kind="stable"))
            np.testing.assert_allclose(est.transform(X_i), ref.transform(X_i), rtol=0, atol=1e-12)
            assert est.n_iter_ == ref.n_iter_ == 10 and est.n_batch_iter_ == ref.n_batch_iter_
    with pytest.raises(ValueError, match="batch"):
        fit_lda_together([LDA(n_components=2, learning_method="online")], [X])
    with pytest.raises(ValueError, match="share"):
        fit_lda_together([LDA(n_components=2), LDA(n_components=3)], [X, X])
    with pytest.raises(ValueError, match="float64"):
        fit_lda_together([LDA(n_components=2)], [X.astype(np.float32)])


def test_fit_topics_many_is_fit_topics_one_by_one():
    from c6lab.topics import fit_topics_many

    counts, _ = planted_corpus(n_docs=30)
    mats = [counts, counts.subset(np.arange(0, 30, 2)), counts]
    for model in ("nmf", "lda"):
        many = fit_topics_many(mats, 3, model, [0, 0, 5], min_df=2)
        for tm, m, s in zip(many, mats, [0, 0, 5], strict=True):
            one = fit_topics(m, 3, model, s, min_df=2)
            assert tm.top_words(8) == one.top_words(8) and tm.random_state == s
            np.testing.assert_allclose(tm.doc_topic_, one.doc_topic_, rtol=0, atol=1e-12)
            assert tm.options_ == one.options_ and list(tm.terms_) == list(one.terms_)


def test_topic_share_reads_the_long_table_as_pivot_table_does():
    from c6lab.topics.share import _wide

    rng = np.random.default_rng(5)
    docs = [f"d{i}" for i in rng.permutation(30)]
    long = pd.DataFrame({"doc": np.repeat(docs, 4), "topic": np.tile([3, 1, 4, 2], 30),
                         "weight": rng.random(120), "n_tokens": np.repeat(rng.integers(1, 50, 30), 4)})
    long = long.sample(frac=1, random_state=1)  # rows in any order
    wide = long.pivot_table(index="doc", columns="topic", values="weight", sort=True)
    W, topics, lengths = _wide(long)
    np.testing.assert_array_equal(W, wide.to_numpy())
    assert list(topics) == [1, 2, 3, 4]
    np.testing.assert_array_equal(lengths, long.drop_duplicates("doc").set_index("doc")["n_tokens"]
                                  .reindex(wide.index).to_numpy())
    # a repeated (doc, topic) pair is averaged, as pivot_table does
    doubled = pd.concat([long, long.head(1).assign(weight=0.0)])
    W2, _, _ = _wide(doubled)
    first = long.iloc[0]
    row, col = sorted(docs).index(first["doc"]), [1, 2, 3, 4].index(first["topic"])
    assert W2[row, col] == pytest.approx(first["weight"] / 2)


def test_nmf_with_its_transpose_made_once_is_scikit_learns_nmf_exactly():
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer

    from c6lab.topics.nmf_cd import CachedNMF

    counts, _ = planted_corpus(n_docs=40)
    X = TfidfTransformer().fit_transform(counts.matrix)
    for k, extra in ((2, {}), (4, {"alpha_W": 0.01, "l1_ratio": 0.5}), (3, {"max_iter": 5})):
        ref, ours = (cls(n_components=k, init="nndsvda", tol=1e-4, random_state=1, **extra) for cls in (NMF, CachedNMF))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # max_iter=5 does not converge, in both
            W_ref, W = ref.fit_transform(X), ours.fit_transform(X)
        np.testing.assert_array_equal(W, W_ref)  # the same sums in the same order: equal, not close
        np.testing.assert_array_equal(ours.components_, ref.components_)
        assert ours.n_iter_ == ref.n_iter_ and ours.reconstruction_err_ == ref.reconstruction_err_
        np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
    assert isinstance(fit_topics(counts, 3, "nmf").estimator_, CachedNMF)


def test_without_the_private_kernels_the_fits_are_scikit_learns_own(monkeypatch):
    # another scikit-learn may move the private kernels that lda_batch and nmf_cd call: the fits
    # then fall back to scikit-learn's estimators, one by one, with the same results
    import c6lab
    from c6lab.topics import fit as F

    docs = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port", "army border threat",
                                  "border troops", "rail port freight", "threat troops border army"] * 3})
    m = c6lab.dfm(docs)
    def fits(model):
        models = F.fit_topics_many([m, m, m], 2, model, [0, 1, 2])
        return [np.concatenate([t.topic_word_.ravel(), t.doc_topic_.ravel()]) for t in models]

    fast = {model: fits(model) for model in ("lda", "nmf")}
    assert F._lda_together() is not None and F._cached_nmf().__name__ == "CachedNMF"
    monkeypatch.setattr(F, "_lda_together", lambda: None)
    from sklearn.decomposition import NMF

    monkeypatch.setattr(F, "_cached_nmf", lambda: NMF)
    for model in ("lda", "nmf"):
        for a, b in zip(fast[model], fits(model), strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


def test_topic_share_bootstrap_replicates_are_those_of_the_plain_formula_bit_for_bit():
    # each replicate: sum_j W[i_j] * w[i_j] / sum_j w[i_j] over rows i drawn with stats.resample_rows,
    # all replicates from one generator; the blockwise, pre-weighted computation must give the same floats
    from c6lab.topics.share import _bootstrap_shares

    g = np.random.default_rng(3)
    for n, k in [(1, 2), (9, 3), (2500, 4)]:  # 2500 x 4: several blocks of replicates
        W = g.dirichlet(np.ones(k), size=n)
        w = g.integers(1, 80, n).astype(float)
        idx = stats.resample_rows(n, 700, 11)
        plain = (W[idx] * w[idx][:, :, None]).sum(axis=1) / w[idx].sum(axis=1)[:, None]
        assert np.array_equal(_bootstrap_shares(W, w, 700, stats.generator(11)), plain)


def test_topic_share_bootstrap_from_draw_counts_equals_the_row_by_row_sums():
    # a large group's replicates are summed from how often each row was drawn: the same draws, so the
    # same replicates up to the order of the additions; and topic_share switches at BOOT_COUNTS_MIN_DOCS
    from c6lab.topics import share

    g = np.random.default_rng(4)
    n, k = 3000, 3
    W = g.dirichlet(np.ones(k), size=n)
    w = g.integers(1, 80, n).astype(float)
    idx = stats.resample_rows(n, 500, 8)
    plain = (W[idx] * w[idx][:, :, None]).sum(axis=1) / w[idx].sum(axis=1)[:, None]
    by_counts = share._bootstrap_shares(W, w, 500, stats.generator(8), counts_from=n)
    np.testing.assert_allclose(by_counts, plain, rtol=0, atol=1e-13)
    dt = pd.DataFrame({"doc": np.repeat(np.arange(n), k), "country": "AZ", "n_tokens": np.repeat(w, k),
                       "topic": np.tile(np.arange(1, k + 1), n), "weight": W.ravel()})
    exact = topic_share(dt, n_boot=500, random_state=8)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(share, "BOOT_COUNTS_MIN_DOCS", n)
        counted = topic_share(dt, n_boot=500, random_state=8)
    pd.testing.assert_frame_equal(counted, exact, rtol=1e-12)
    lo, hi = stats.percentile_interval(plain, 0.9, axis=0)
    np.testing.assert_allclose(counted[["ci_low", "ci_high"]].to_numpy(), np.column_stack([lo, hi]), rtol=1e-12)
