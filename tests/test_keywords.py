"""Tests of c6lab.keywords: Fightin' Words, G2 keyness, Log Ratio and the robustness helpers.

Hand-computed values use a toy corpus of two groups (plain fruit words, none of them a
stopword, phrase or name variant):

    A: "apple apple apple banana"                     n_A = 4
    B: "banana banana cherry cherry cherry cherry"    n_B = 6,  N = 10

    word     y_A  y_B  pooled share pi_w   alpha_w at alpha0 = 10
    apple     3    0      3/10 = 0.3         3
    banana    1    2      3/10 = 0.3         3
    cherry    0    4      4/10 = 0.4         4
"""

from __future__ import annotations

import math
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

import c6lab
from c6lab import keywords as kw
from c6lab.io import write_table

matplotlib.use("Agg")

KINDS = ["quote", "paraphrase"]


def toy() -> pd.DataFrame:
    return pd.DataFrame({
        "segment_id": ["a1", "b1"],
        "country": ["A", "B"],
        "speaker": ["Ann", "Bob"],
        "outlet": ["X", "Y"],
        "kind": ["quote", "quote"],
        "text": ["apple apple apple banana", "banana banana cherry cherry cherry cherry"],
    })


def key(df: pd.DataFrame, **options) -> pd.DataFrame:
    return kw.keyness(c6lab.dfm(df), **options)


def row(res: pd.DataFrame, comparison: str, word: str) -> pd.Series:
    hit = res[(res["comparison"] == comparison) & (res["word"] == word)]
    assert len(hit) == 1, f"{comparison} / {word}: {len(hit)} rows"
    return hit.iloc[0]


@pytest.fixture(scope="module")
def corpus():
    return c6lab.open_corpus()


@pytest.fixture(scope="module")
def speech(corpus):
    return corpus.select(KINDS)


@pytest.fixture(scope="module")
def counts(corpus, speech):
    return c6lab.dfm(speech, corpus.lexicons)


# -- Fightin' Words ------------------------------------------------------------------------

def test_fightin_words_by_hand():
    res = key(toy(), alpha0=10)
    # apple, A vs B: alpha_w = 10 * 3/10 = 3
    # delta = ln((3+3)/(4+10-3-3)) - ln((0+3)/(6+10-0-3)) = ln(6/8) - ln(3/13)
    #       = -0.287682 - (-1.466337) = 1.178655
    # var   = 1/(3+3) + 1/(0+3) = 0.5 ;  z = 1.178655 / 0.707107 = 1.666870
    r = row(res, "A vs rest", "apple")
    assert r["alpha_w"] == pytest.approx(3.0)
    assert r["delta"] == pytest.approx(math.log(6 / 8) - math.log(3 / 13))
    assert r["delta"] == pytest.approx(1.178655, abs=1e-6)
    assert r["var"] == pytest.approx(0.5)
    assert r["z"] == pytest.approx(1.666870, abs=1e-6)
    # banana: alpha_w = 3; delta = ln(4/(4+10-1-3)) - ln(5/(6+10-2-3)) = ln(0.4) - ln(5/11)
    #       = -0.916291 + 0.788457 = -0.127833 ; var = 1/4 + 1/5 = 0.45 ; z = -0.190563
    r = row(res, "A vs rest", "banana")
    assert r["delta"] == pytest.approx(math.log(4 / 10) - math.log(5 / 11))
    assert r["z"] == pytest.approx(-0.190563, abs=1e-6)
    # cherry: alpha_w = 4; delta = ln(4/(14-0-4)) - ln(8/(16-4-4)) = ln(0.4) - ln(1) = -0.916291
    #         var = 1/4 + 1/8 = 0.375 ; z = -0.916291 / 0.612372 = -1.496296
    r = row(res, "A vs rest", "cherry")
    assert r["alpha_w"] == pytest.approx(4.0)
    assert r["z"] == pytest.approx(-1.496296, abs=1e-6)
    assert (r["n_group"], r["n_reference"]) == (4, 6)


def test_function_and_table_agree():
    # the array function with the same inputs as the apple row above
    aw, delta, var, z = kw.fightin_words([3], [0], 4, 6, alpha0=10)
    assert (aw[0], var[0]) == (3.0, 0.5)
    assert z[0] == pytest.approx((math.log(6 / 8) - math.log(3 / 13)) / math.sqrt(0.5))


def test_symmetry_z_flips_sign():
    res = key(toy(), alpha0=10)
    a = res[res["group"] == "A"].set_index("word")
    b = res[res["group"] == "B"].set_index("word")
    assert sorted(a.index) == sorted(b.index) == ["apple", "banana", "cherry"]
    for col in ("delta", "z", "g2", "log_ratio"):
        np.testing.assert_allclose(a[col], -b.loc[a.index, col], rtol=1e-12, atol=1e-12)
    # and the plain functions, with sides swapped
    y1, y2 = np.array([5, 0, 2, 9]), np.array([1, 3, 2, 0])
    z12 = kw.fightin_words(y1, y2, 40, 70, alpha0=25)[3]
    z21 = kw.fightin_words(y2, y1, 70, 40, alpha0=25)[3]
    np.testing.assert_allclose(z12, -z21)
    np.testing.assert_allclose(kw.log_ratio(y1, y2, 40, 70), -kw.log_ratio(y2, y1, 70, 40))


def test_symmetry_on_real_corpus_by_outlet(corpus, speech, counts):
    # two outlets: each one-vs-rest comparison is the other one reversed
    res = kw.keyness(counts, group_by="outlet", alpha0=100)
    groups = sorted(res["group"].unique())
    assert groups == ["AnewZ", "Caliber.Az"]
    a = res[res["group"] == groups[0]].set_index("word")
    b = res[res["group"] == groups[1]].set_index("word")
    assert set(a.index) == set(b.index)
    np.testing.assert_allclose(a["z"], -b.loc[a.index, "z"], rtol=1e-12)
    assert (a["n_group"] + a["n_reference"]).iloc[0] == len(c6lab.tokens(speech, corpus.lexicons))


# -- absent words, filters ----------------------------------------------------------------

def test_word_absent_from_both_sides_never_appears():
    third = pd.DataFrame({"segment_id": ["c1"], "country": ["C"], "speaker": ["Cy"],
                          "outlet": ["X"], "kind": ["quote"], "text": ["durian durian"]})
    res = key(pd.concat([toy(), third]), design="both", alpha0=10)
    pair_ab = res[res["comparison"] == "A vs B"]
    assert "durian" not in set(pair_ab["word"])       # neither A nor B says it
    assert "durian" in set(res.loc[res["comparison"] == "A vs rest", "word"])  # C is in the rest
    assert (res["count_group"] + res["count_reference"] > 0).all()
    # pairwise totals are only the two groups': A 4 tokens, B 6
    assert set(zip(pair_ab["n_group"], pair_ab["n_reference"], strict=True)) == {(4, 6)}


def test_min_count_only_removes_rows(counts):
    full = kw.keyness(counts, alpha0=100, min_count=1)
    cut = kw.keyness(counts, alpha0=100, min_count=3)
    assert (cut["count_group"] + cut["count_reference"] >= 3).all()
    assert len(cut) < len(full)
    merged = cut.merge(full, on=["comparison", "word"], suffixes=("", "_full"))
    assert len(merged) == len(cut)
    # totals and the prior use every token, so the statistics of kept words are unchanged
    for col in ("n_group", "alpha_w", "z", "g2"):
        np.testing.assert_allclose(merged[col], merged[f"{col}_full"])


def test_group_of_stop_words_only_is_an_error_naming_it():
    # C's one segment holds only stop words: no token to compare, which must not be silent
    third = pd.DataFrame({"segment_id": ["c1"], "country": ["C"], "speaker": ["Cy"],
                          "outlet": ["X"], "kind": ["quote"], "text": ["The, and of it."]})
    df = pd.concat([toy(), third])
    assert c6lab.tokenize("The, and of it.") == []
    with pytest.raises(ValueError, match=r"group 'C' of 'country' has no tokens"):
        key(df, alpha0=10)
    with pytest.raises(ValueError, match="'C'"):
        kw.bootstrap_top_words(c6lab.dfm(df, unit="sentence"), n_boot=5)
    # the description of the slice still shows it, with 0 tokens
    s = kw.group_summary(c6lab.dfm(df)).set_index("group")
    assert s.loc["C", "n_tokens"] == 0 and s.loc["C", "n_segments"] == 1


# -- the prior -----------------------------------------------------------------------------

def test_prior_weight_shrinks_rare_word():
    # apple (3 vs 0) at alpha0 = 1: alpha_w = 0.3
    # delta = ln(3.3/(4+1-3-0.3)) - ln(0.3/(6+1-0-0.3)) = ln(3.3/1.7) - ln(0.3/6.7)
    #       = 0.663294 + 3.106080 = 3.769374
    res1 = key(toy(), alpha0=1)
    assert row(res1, "A vs rest", "apple")["delta"] == pytest.approx(
        math.log(3.3 / 1.7) - math.log(0.3 / 6.7))
    # a larger prior pulls both log-odds toward log(pi/(1-pi)), so |delta| shrinks
    deltas = [abs(row(key(toy(), alpha0=a), "A vs rest", "apple")["delta"])
              for a in (1, 10, 100, 1000)]
    assert all(d1 > d2 for d1, d2 in zip(deltas[:-1], deltas[1:], strict=True))
    # and alpha_w = alpha0 * pi_w exactly (pi_apple = 0.3)
    assert row(key(toy(), alpha0=50), "A vs rest", "apple")["alpha_w"] == pytest.approx(15.0)


def test_prior_ranks_are_the_keyness_ranks(counts):
    top = kw.top_keywords(kw.keyness(counts, alpha0=100, min_count=2), top_n=3)
    pr = kw.prior_ranks(counts, top, [10, 1000], min_count=2)
    assert pr.columns.tolist() == ["group", "word", "rank at alpha0=10", "rank at alpha0=1000"]
    for a in (10, 1000):
        res = kw.keyness(counts, alpha0=a, min_count=2).set_index(["group", "word"])["rank"]
        expected = [res[(g, w)] for g, w in top[["group", "word"]].itertuples(index=False)]
        assert pr[f"rank at alpha0={a}"].tolist() == expected


# -- G2 and Log Ratio ----------------------------------------------------------------------

def test_g2_with_williams_by_hand():
    # apple: a=3, b=0, c=4-3=1, d=6-0=6, N=10; E(a)=4*3/10=1.2, E(b)=1.8, E(c)=2.8, E(d)=4.2
    # G2 = 2*(3 ln(3/1.2) + 0 + 1 ln(1/2.8) + 6 ln(6/4.2))
    #    = 2*(2.748872 - 1.029619 + 2.140049) = 7.718604
    g2_raw = 2 * (3 * math.log(3 / 1.2) + 1 * math.log(1 / 2.8) + 6 * math.log(6 / 4.2))
    assert g2_raw == pytest.approx(7.718604, abs=1e-6)
    # Williams: q = 1 + (N/(a+b) + N/(c+d) - 1) * (N/(a+c) + N/(b+d) - 1) / (6N)
    #             = 1 + (10/3 + 10/7 - 1) * (10/4 + 10/6 - 1) / 60 = 1 + 3.761905*3.166667/60
    #             = 1.198545 ;  G2 = 7.718604 / 1.198545 = 6.440
    q = 1 + (10 / 3 + 10 / 7 - 1) * (10 / 4 + 10 / 6 - 1) / 60
    assert q == pytest.approx(1.198545, abs=1e-6)
    res = key(toy(), alpha0=10)
    r = row(res, "A vs rest", "apple")
    assert r["g2"] == pytest.approx(g2_raw / q)
    # chi-square, 1 df: P(X > x) = erfc(sqrt(x/2))
    assert r["p_value"] == pytest.approx(math.erfc(math.sqrt(g2_raw / q / 2)))
    # banana: a=1 below E(a)=1.2, so negative; same margins, so the same q
    # G2 = 2*(1 ln(1/1.2) + 2 ln(2/1.8) + 3 ln(3/2.8) + 4 ln(4/4.2))
    #    = 2*(-0.182322 + 0.210721 + 0.206979 - 0.195161) = 2*0.040217 = 0.080435
    g2_banana = 2 * (math.log(1 / 1.2) + 2 * math.log(2 / 1.8) + 3 * math.log(3 / 2.8)
                     + 4 * math.log(4 / 4.2))
    assert g2_banana == pytest.approx(0.080435, abs=1e-6)
    assert row(res, "A vs rest", "banana")["g2"] == pytest.approx(-g2_banana / q)
    # uncorrected option gives the raw value
    assert kw.g2_keyness([3], [0], 4, 6, correction=None)[0][0] == pytest.approx(g2_raw)


def test_log_ratio_is_hardies_with_half_for_a_zero_count_only():
    res = key(toy(), alpha0=10)
    # apple, A (3 of 4) vs B (0 of 6): the zero becomes 0.5, the 3 stays 3
    #   log2((3/4) / (0.5/6)) = log2(0.75 / 0.083333) = log2(9) = 3.169925
    assert row(res, "A vs rest", "apple")["log_ratio"] == pytest.approx(3.169925, abs=1e-6)
    assert row(res, "A vs rest", "apple")["log_ratio"] == pytest.approx(math.log2(9))
    # banana, 1 of 4 vs 2 of 6: no zero, counts as they are: log2(0.25 / 0.333333) = log2(0.75)
    #   = -0.415037 (adding 0.5 to both would give log2(0.375/0.416667) = log2(0.9) = -0.152)
    assert row(res, "A vs rest", "banana")["log_ratio"] == pytest.approx(-0.415037, abs=1e-6)
    # cherry, 0 of 4 vs 4 of 6: log2((0.5/4) / (4/6)) = log2(0.125 / 0.666667) = log2(0.1875)
    #   = -2.415037
    assert row(res, "A vs rest", "cherry")["log_ratio"] == pytest.approx(-2.415037, abs=1e-6)
    # the function: another stand-in for zero, and both counts zero (ratio of the totals)
    assert kw.log_ratio([0], [2], 4, 6, zero=0.1)[0] == pytest.approx(math.log2((0.1 / 4) / (2 / 6)))
    assert kw.log_ratio([0], [0], 4, 6)[0] == pytest.approx(math.log2(6 / 4))
    with pytest.raises(ValueError):
        kw.log_ratio([1], [0], 4, 6, zero=0)


# -- the exported table --------------------------------------------------------------------

def test_columns_and_recomputation_from_csv(counts, tmp_path):
    res = kw.keyness(counts, design="both", alpha0=100, min_count=2)
    assert list(res.columns[:14]) == list(kw.COLUMNS)
    path = write_table(res, "keywords.csv", tmp_path)
    f = pd.read_csv(path)
    yi, yj = f["count_group"], f["count_reference"]
    ni, nj, a0 = f["n_group"], f["n_reference"], f["alpha0"]
    # the prior from the file's own columns: alpha_w = alpha0 * (y_i + y_j) / (n_i + n_j)
    aw = a0 * (yi + yj) / (ni + nj)
    np.testing.assert_allclose(f["alpha_w"], aw, rtol=1e-5)
    delta = np.log((yi + aw) / (ni + a0 - yi - aw)) - np.log((yj + aw) / (nj + a0 - yj - aw))
    z = delta / np.sqrt(1 / (yi + aw) + 1 / (yj + aw))
    np.testing.assert_allclose(f["delta"], delta, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(f["z"], z, rtol=1e-5, atol=1e-6)
    lr = np.log2((yi.where(yi > 0, 0.5) / ni) / (yj.where(yj > 0, 0.5) / nj))
    np.testing.assert_allclose(f["log_ratio"], lr, rtol=1e-5, atol=1e-6)
    # comparisons: three one-vs-rest, three pairwise, and the column tells them apart
    assert sorted(f["comparison"].unique()) == ["AZ vs KG", "AZ vs UZ", "AZ vs rest", "KG vs UZ",
                                                 "KG vs rest", "UZ vs rest"]
    assert set(f.loc[f["comparison"].str.endswith("rest"), "design"]) == {"one_vs_rest"}


def test_group_by_speaker_counts_match_tokens(corpus, speech, counts):
    res = kw.keyness(counts, group_by="speaker", alpha0=100)
    per_speaker = c6lab.tokens(speech, corpus.lexicons).groupby("speaker").size()  # an independent count
    n = res.groupby("group")["n_group"].first()
    assert n.to_dict() == per_speaker.to_dict()
    assert len(n) == 4
    # every word of a speaker's comparison sums, over both sides, to the corpus total
    tot = res.groupby("comparison")[["n_group", "n_reference"]].first().sum(axis=1)
    assert set(tot) == {len(c6lab.tokens(speech, corpus.lexicons))}


def test_kinds_are_chosen_before_counting(corpus):
    quotes = corpus.select(["quote"])
    res = kw.keyness(c6lab.dfm(quotes, corpus.lexicons), alpha0=100)
    n = res.groupby("group")["n_group"].first()
    assert n.to_dict() == c6lab.tokens(quotes, corpus.lexicons).groupby("country").size().to_dict()
    with pytest.raises(ValueError):
        corpus.select(["quotes"])


def test_sentence_and_segment_units_give_the_same_comparison(corpus, speech, counts):
    # group sums do not depend on the unit (no phrase of the corpus spans two sentences)
    sentences = c6lab.dfm(speech, corpus.lexicons, unit="sentence")
    assert sentences.n_docs > counts.n_docs
    pd.testing.assert_frame_equal(kw.keyness(sentences, alpha0=100, design="both"),
                                  kw.keyness(counts, alpha0=100, design="both"))
    pd.testing.assert_frame_equal(kw.group_summary(sentences), kw.group_summary(counts))


def test_more_articles_and_speakers(corpus, speech):
    # a new article with a new speaker from a new country is just another group
    extra = speech[speech["speaker"] == "Roza Bayramli"].head(3).assign(
        article_id="new", segment_id=lambda d: "new-" + d["segment_id"], speaker="New Person",
        speaker_id="new", country="KZ", outlet="Other")
    res = kw.keyness(c6lab.dfm(pd.concat([speech, extra], ignore_index=True), corpus.lexicons), alpha0=100)
    assert sorted(res["group"].unique()) == ["AZ", "KG", "KZ", "UZ"]
    assert row(res, "KZ vs rest", "azerbaijan")["reference"] == "AZ+KG+UZ"


def _edit_copy(root):
    """A new speaker from a new country (KZ) takes over Bayramli's segments on the
    consultative meetings; the copy's word lists join "consultative meetings" and drop
    "azerbaijan"."""
    with open(root / "speakers.csv", "a", encoding="utf-8") as fh:
        fh.write("kzexpert,Aigerim Nurlanova,KZ,Example Institute,analyst\n")
    seg = pd.read_csv(root / "segments.csv", dtype=str, keep_default_na=False)
    moved = ["anewz_bayramli_c6-015", "anewz_bayramli_c6-016", "anewz_bayramli_c6-019",
             "anewz_bayramli_c6-023"]
    assert (seg.loc[seg["segment_id"].isin(moved), "speaker_id"] == "bayramli").all()
    seg.loc[seg["segment_id"].isin(moved), "speaker_id"] = "kzexpert"
    seg.to_csv(root / "segments.csv", index=False, lineterminator="\n")
    with open(root / "lexicons" / "phrases.txt", "a", encoding="utf-8") as fh:
        fh.write("consultative meetings\n")
    with open(root / "lexicons" / "stopwords.txt", "a", encoding="utf-8") as fh:
        fh.write("azerbaijan\n")
    return moved


def test_another_corpus_uses_its_own_groups_and_word_lists(corpus_copy):
    moved = _edit_copy(corpus_copy)
    other = c6lab.open_corpus(corpus_copy)
    speech = other.select(KINDS)
    res = kw.keyness(c6lab.dfm(speech, other.lexicons), alpha0=100)
    assert sorted(res["group"].unique()) == ["AZ", "KG", "KZ", "UZ"]
    kz = speech[speech["country"] == "KZ"]
    assert kz["segment_id"].tolist() == moved and set(kz["speaker"]) == {"Aigerim Nurlanova"}
    # the phrase is one token, counted as often as the words occur together (a count by
    # regular expression on the normalised text, not by the tokenizer)
    def occurrences(pattern, texts):
        return sum(len(re.findall(pattern, c6lab.normalize(t).lower())) for t in texts)
    n_phrase = occurrences(r"\bconsultative meetings\b", kz["text"])
    assert n_phrase == 4
    r = row(res, "KZ vs rest", "consultative_meetings")
    assert (r["count_group"], r["count_reference"]) == (4, 0)
    # "meetings" alone is left only where it is not part of the phrase
    n_meetings = occurrences(r"\bmeetings\b", speech["text"]) - occurrences(
        r"\bconsultative meetings\b", speech["text"])
    meetings = res.loc[(res["comparison"] == "KZ vs rest") & (res["word"] == "meetings")]
    assert int((meetings["count_group"] + meetings["count_reference"]).sum()) == n_meetings
    # the added stopword is gone from every comparison; with the default lists it is not
    assert "azerbaijan" not in set(res["word"])
    assert "azerbaijan" in set(kw.keyness(c6lab.dfm(speech), alpha0=100)["word"])
    # totals are this corpus's tokens
    n_kz = len(c6lab.tokens(kz, other.lexicons))
    assert r["n_group"] == n_kz and n_kz < len(c6lab.tokens(kz))
    # and the concordance finds the joined phrase with the corpus's lists
    lines = kw.keyword_concordance(speech, pd.DataFrame({"group": ["KZ"], "word": ["consultative_meetings"]}),
                                   other.lexicons)
    assert len(lines) == 4
    assert {k.lower() for k in lines["keyword"]} == {"consultative meetings"}
    assert kw.keyword_concordance(
        speech, pd.DataFrame({"group": ["KZ"], "word": ["consultative_meetings"]})).empty


def test_replaced_word_lists_reach_keyness():
    lex = c6lab.Lexicons.default().replace(phrases=("apple banana",),
                                           stopwords=frozenset({"cherry"}))
    res = kw.keyness(c6lab.dfm(toy(), lex), alpha0=10)
    # A: "apple apple apple banana" -> apple, apple, apple_banana; B: banana, banana
    assert sorted(set(res["word"])) == ["apple", "apple_banana", "banana"]
    assert row(res, "A vs rest", "apple_banana")[["count_group", "n_group", "n_reference"]].tolist() == [1, 3, 2]


# -- summaries and robustness --------------------------------------------------------------

def test_group_summary_by_hand():
    df = pd.concat([toy(), pd.DataFrame({"segment_id": ["a2"], "country": ["A"], "speaker": ["Al"],
                                         "outlet": ["Y"], "kind": ["paraphrase"],
                                         "text": ["Cherry. Apple pie."]}),
                    pd.DataFrame({"segment_id": ["n1"], "country": [""], "speaker": [""],
                                  "outlet": ["Y"], "kind": ["narrative"], "text": ["apple"]})])
    for unit in ("segment", "sentence"):
        s = kw.group_summary(c6lab.dfm(df, unit=unit)).set_index("group")
        # A: Ann + Al, 2 segments, 1 + 2 sentences, 4 + 3 tokens; narrative has no group
        cols = ["n_speakers", "n_segments", "n_sentences", "n_tokens"]
        assert s.loc["A", cols].tolist() == [2, 2, 3, 7]
        assert s.loc["B", ["n_speakers", "n_segments", "n_tokens"]].tolist() == [1, 1, 6]
        assert s.loc["A", "speakers"] == "Al; Ann"
        assert list(s.index) == ["A", "B"]


def loo_corpus() -> pd.DataFrame:
    return pd.concat([toy(), pd.DataFrame({"segment_id": ["a2"], "country": ["A"], "speaker": ["Al"],
                                           "outlet": ["Y"], "kind": ["quote"],
                                           "text": ["durian durian"]})])


def test_leave_one_out():
    df = loo_corpus()
    loo = kw.leave_one_out(c6lab.dfm(df), "A", top_n=2, alpha0=10)
    assert list(loo["dropped"].unique()) == ["none", "Al", "Ann"]
    n = loo.groupby("dropped")["n_group"].first()
    # A has Ann 4 tokens + Al 2 tokens; dropping one leaves the other's
    assert n.to_dict() == {"none": 6, "Al": 4, "Ann": 2}
    d = loo[loo["dropped"] == "Ann"].set_index("word")
    # with Ann's words gone, the full-data top words are apple and durian; durian stays top
    assert list(d.index) == ["apple", "durian"] and d.loc["durian", "in_top"]
    # without Ann, "apple" is said by nobody (A or B): it is absent, count 0 and no z, and
    # it ranks after the 3 words still ranked in that run (durian, banana, cherry): rank 4
    assert d.loc["apple", "count_group"] == 0 and not d.loc["apple", "in_top"]
    assert d.loc["apple", "status"] == "absent" and math.isnan(d.loc["apple", "z"])
    assert d.loc["apple", "n_ranked"] == 3 and d.loc["apple", "rank"] == 4
    assert set(loo["status"]) <= set(kw.LOO_STATUS)
    with pytest.raises(ValueError):
        kw.leave_one_out(c6lab.dfm(df), "B")                     # one speaker only
    # without a group: every group with two or more speakers, here A only
    assert kw.leave_one_out(c6lab.dfm(df), top_n=2, alpha0=10)["group"].unique().tolist() == ["A"]


def test_leave_one_out_word_below_min_count_keeps_its_z():
    # min_count = 3. Without Ann, A is "durian durian" (2 tokens) against B (6 tokens):
    # durian (2 vs 0) and banana (0 vs 2) fall below 3 uses, cherry (0 vs 4) is ranked.
    loo = kw.leave_one_out(c6lab.dfm(loo_corpus()), "A", top_n=2, alpha0=10, min_count=3,
                           words=["apple", "durian", "cherry"])
    d = loo[loo["dropped"] == "Ann"].set_index("word")
    assert d["status"].to_dict() == {"apple": "absent", "durian": "below_min_count", "cherry": "ranked"}
    assert d["n_ranked"].unique().tolist() == [1]
    assert d["rank"].to_dict() == {"apple": 2, "durian": 2, "cherry": 1}
    # durian's z is still the Fightin' Words z of its counts: alpha_w = 10 * 2/8 = 2.5
    #   delta = ln(4.5 / (2+10-2-2.5)) - ln(2.5 / (6+10-0-2.5)) = ln(0.6) - ln(0.185185)
    #         = -0.510826 + 1.686399 = 1.175573
    #   var = 1/4.5 + 1/2.5 = 0.622222 ; z = 1.175573 / 0.788811 = 1.490311
    assert d.loc["durian", "z"] == pytest.approx(1.490311, abs=1e-6)
    assert d.loc["durian", "z"] == pytest.approx(
        (math.log(0.6) - math.log(2.5 / 13.5)) / math.sqrt(1 / 4.5 + 1 / 2.5))
    # only a ranked word can be in the top: cherry is the one ranked word of the run
    assert d["in_top"].to_dict() == {"apple": False, "durian": False, "cherry": True}


def test_bootstrap_stable_and_unstable_words():
    df = pd.DataFrame({"country": ["A", "B"], "speaker": ["a", "b"], "kind": "quote",
                       "text": ["Apple cherry. Apple cherry. Apple cherry.",
                                "Durian. Fig. Grape."]})
    sentences = c6lab.dfm(df, unit="sentence")
    b1 = kw.bootstrap_top_words(sentences, top_n=2, n_boot=2000, random_state=7, alpha0=10)
    b2 = kw.bootstrap_top_words(sentences, top_n=2, n_boot=2000, random_state=7, alpha0=10)
    pd.testing.assert_frame_equal(b1, b2)                # fixed seed, same answer
    a = b1[b1["group"] == "A"].set_index("word")
    # every A sentence is "apple cherry": any resample has the same A counts -> always top
    assert a["top_share"].tolist() == [1.0, 1.0]
    # B's three words tie (1 each), so all three share rank 1 and are the full-data list.
    # A resample of 3 sentences gives counts (1,1,1), (2,1,0) or (3,0,0): a word drawn at
    # least once ranks 1 or 2 (in the top 2), a word not drawn is absent. So
    # P(in top) = P(drawn) = 1 - (2/3)**3 = 19/27 = 0.7037; SE with 2000 draws ~ 0.010
    bb = b1[b1["group"] == "B"].set_index("word")
    assert list(bb.index) == ["durian", "fig", "grape"]
    assert (bb["rank"] == 1).all()
    np.testing.assert_allclose(bb["top_share"], 19 / 27, atol=0.04)
    assert (b1["z_low"] <= b1["z_median"]).all() and (b1["z_median"] <= b1["z_high"]).all()
    assert b1["random_state"].unique().tolist() == [7]
    # a narrower interval sits inside the wider one
    b3 = kw.bootstrap_top_words(sentences, top_n=2, n_boot=2000, random_state=7, alpha0=10,
                                confidence=0.5)
    assert (b3["z_low"] >= b1["z_low"]).all() and (b3["z_high"] <= b1["z_high"]).all()


def test_robustness_table_by_hand():
    top = pd.DataFrame({"group": ["A", "A", "A", "B"], "word": ["x", "y", "v", "u"],
                        "count_group": [5, 3, 2, 4], "count_reference": [0, 0, 1, 0],
                        "z": [2.0, 1.5, 1.0, 1.8], "rank": [1, 2, 3, 1]})
    boot = top[["group", "word"]].assign(top_share=[0.9, 0.8, 0.3, 0.7])
    # quotes alone: A ranks 4 words (x first, y fifth is beyond top_n = 3), B ranks 2 (u absent)
    quotes = pd.DataFrame({"group": ["A"] * 4 + ["B"] * 2, "word": ["x", "q", "r", "y", "s", "t"],
                           "rank": [1, 2, 3, 4, 1, 2], "design": "one_vs_rest"})
    loo = pd.DataFrame({"group": ["A"] * 6, "word": ["x", "y", "v"] * 2,
                        "dropped": ["p"] * 3 + ["q"] * 3,
                        "in_top": [True, True, True, True, True, False]})
    out = kw.robustness_table(top, boot, quotes, loo, top_n=3, stable_share=0.5).set_index("word")
    # x: stable, rank 1 on quotes, top without p and without q -> survives
    # y: stable, but rank 4 on quotes (> 3) -> no
    # v: not ranked on quotes: rank = 4 ranked words + 1 = 5; top_share 0.3 < 0.5 -> no
    # u: B has one speaker (no leave-one-out row), stable, but absent on quotes: 2 + 1 = 3 <= 3 -> survives
    assert out["rank_quotes_only"].to_dict() == {"x": 1, "y": 4, "v": 5, "u": 3}
    assert out["survives"].to_dict() == {"x": True, "y": False, "v": False, "u": True}
    assert out.loc[["x", "y", "v"], "top_without_each_speaker"].tolist() == [True, True, False]
    assert pd.isna(out.loc["u", "top_without_each_speaker"])


def test_robustness_table_without_a_quotes_only_comparison():
    # the same words as above, no quotes-only comparison: survival rests on the bootstrap and
    # the leave-one-out runs only, and no word gets a quotes-only rank (never "1" for all)
    top = pd.DataFrame({"group": ["A", "A", "A", "B"], "word": ["x", "y", "v", "u"],
                        "count_group": [5, 3, 2, 4], "count_reference": [0, 0, 1, 0],
                        "z": [2.0, 1.5, 1.0, 1.8], "rank": [1, 2, 3, 1]})
    boot = top[["group", "word"]].assign(top_share=[0.9, 0.8, 0.3, 0.7])
    loo = pd.DataFrame({"group": ["A"] * 6, "word": ["x", "y", "v"] * 2,
                        "dropped": ["p"] * 3 + ["q"] * 3,
                        "in_top": [True, True, True, True, True, False]})
    table = kw.robustness_table(top, boot, None, loo, top_n=3, stable_share=0.5)
    out = table.set_index("word")
    assert out["rank_quotes_only"].isna().all() and str(out["rank_quotes_only"].dtype) == "Int64"
    assert out["survives"].to_dict() == {"x": True, "y": True, "v": False, "u": True}
    assert list(table.columns) == ["group", "word", "count_group", "count_reference", "z", "rank",
                                               "top_share", "rank_quotes_only", "top_without_each_speaker",
                                               "survives"]
    assert kw.survivors(table).values.tolist() == [["A", 3, 2, ["x", "y"]], ["B", 1, 1, ["u"]]]


def test_summaries_read_the_tables(counts):
    res = kw.keyness(counts, min_count=2)
    strong = kw.strong_words(res)
    assert (strong["z"] >= 1.96).all() and len(strong) == int((res["z"] >= 1.96).sum())
    top = kw.top_keywords(res, top_n=6)
    tie = kw.largest_tie(top)
    assert tie["n_words"] == top.groupby(["comparison", "rank"]).size().max()
    assert len(top[(top["comparison"] == tie["comparison"]) & (top["rank"] == tie["rank"])]) == tie["n_words"]
    loo = kw.leave_one_out(counts, min_count=2, top_n=6)
    summary = kw.leave_one_out_summary(loo).set_index("dropped")
    runs = loo[loo["dropped"] != "none"]
    for dropped, r in summary.iterrows():
        mine = runs[runs["dropped"] == dropped]
        assert r["n_group"] == mine["n_group"].iloc[0] and r["n_still_top"] == mine["in_top"].sum()
        assert r["still_top"] == mine.loc[mine["in_top"], "word"].tolist()
    assert kw.largest_tie(top.iloc[:0]) == {"comparison": None, "rank": None, "n_words": 0}
    assert kw.leave_one_out_summary(loo.iloc[:0]).empty


def test_concordance_table_right_aligns_the_left_context(corpus, speech, counts):
    top = kw.top_keywords(kw.keyness(counts), top_n=1)
    lines = kw.keyword_concordance(speech, top, corpus.lexicons)
    html = kw.concordance_table(lines).to_html()
    assert html == kw.concordance_table(lines).to_html()  # the same HTML on every run
    assert re.search(r"#T_kwic_row0_col4[^}]*text-align: right", html)
    assert "<th" in html and lines["left"].iloc[0].split()[-1] in html


# -- concordance and figure ----------------------------------------------------------------

def test_concordance_lines_match_counts(corpus, speech, counts):
    res = kw.keyness(counts, alpha0=100)
    top = kw.top_keywords(res, top_n=5)
    lines = kw.keyword_concordance(speech, top, corpus.lexicons)
    n = lines.groupby(["group", "word"]).size()
    for g, w, count in top[["group", "word", "count_group"]].itertuples(index=False):
        assert n.get((g, w), 0) == count, (g, w)
    # lines come from the group's own speakers only
    spk = dict(zip(speech["speaker"], speech["country"], strict=True))
    assert all(spk[s] == g for s, g in zip(lines["speaker"], lines["group"], strict=True))


@pytest.mark.parametrize("comparison", ["AZ vs rest", "KG vs rest", "UZ vs rest"])
def test_scatter_labels_top_words_without_overlap_and_lists_every_unnamed_word(counts, comparison):
    from c6lab.plots import OKABE_ITO
    from c6lab.plots.keywords import keyword_labels, keyword_scatter

    res = kw.keyness(counts, alpha0=100, min_count=2)
    fig = keyword_scatter(res, comparison, n_labels=8)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert not any("more)" in t for t in texts)         # never "(+13 more)" without the list
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert not any(b1.overlaps(b2) for i, b1 in enumerate(boxes) for b2 in boxes[i + 1:])
    axbox = ax.get_window_extent(renderer)
    assert all(b.x0 >= axbox.x0 - 1 and b.x1 <= axbox.x1 + 1 for b in boxes)
    colours = {matplotlib.colors.to_hex(t.get_color()) for t in ax.texts}
    assert colours <= {c.lower() for c in OKABE_ITO}
    # every word of every labelled marker is named: in its label, or in the caption under the plot
    caption = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    named = {w.strip() for t in texts for w in t.split(" … [")[0].split(",")}
    labels = keyword_labels(res, comparison, n_labels=8)
    for marker in labels.itertuples():
        for word in marker.words.split(", "):
            assert word in named or re.search(rf"(?<![\w_]){re.escape(word)}(?![\w_])", caption), word
    top_word = res[res["comparison"] == comparison].sort_values("z").iloc[-1]["word"]
    assert top_word in named                             # the largest z is always labelled
    matplotlib.pyplot.close(fig)


def test_scatter_is_the_same_on_every_run(counts):
    from c6lab.plots.keywords import keyword_scatter

    res = kw.keyness(counts, alpha0=100, min_count=2)
    runs = []
    for _ in range(2):
        fig = keyword_scatter(res, "KG vs rest", n_labels=8)
        runs.append([(t.get_text(), t.get_position()) for t in fig.axes[0].texts])
        matplotlib.pyplot.close(fig)
    assert runs[0] == runs[1]


def test_scatter_notes_a_crowded_marker_in_the_caption():
    from c6lab.plots.keywords import keyword_labels, keyword_scatter

    # five words share one point: the label names three and a note; the caption all five
    df = pd.DataFrame({"country": ["A", "B"], "text": ["ports trade energy grain wheat", "coal coal"]})
    res = key(df, alpha0=10)
    labels = keyword_labels(res, "A vs rest", n_labels=1)
    assert labels[["label", "note", "n_words"]].values.tolist() == [
        ["coal", 0, 1], ["energy, grain, ports … [1]", 1, 5]]
    fig = keyword_scatter(res, "A vs rest", n_labels=1)
    assert "[1] the 5 words at that marker: energy, grain, ports, trade, wheat." in fig.texts[0].get_text()


def test_scatter_label_names_every_word_on_its_point():
    from c6lab.plots.keywords import keyword_scatter

    # energy, ports and trade have the same counts (1 vs 0): one point, one label naming all
    df = pd.DataFrame({"country": ["A", "B"], "text": ["ports trade energy", "grain grain"]})
    fig = keyword_scatter(key(df, alpha0=10), "A vs rest", n_labels=1)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["energy, ports, trade", "grain"]


def test_uncorrected_g2_equals_scipys_log_likelihood_statistic():
    from scipy.stats import contingency

    from c6lab.keywords import g2_keyness

    rng = np.random.default_rng(3)
    a, b = rng.integers(1, 40, 50), rng.integers(1, 40, 50)
    nt, nr = 500, 800
    ours, p_ours = g2_keyness(a, b, nt, nr, correction=None)
    for i in range(50):
        table = np.array([[a[i], b[i]], [nt - a[i], nr - b[i]]])
        g, p, _, _ = contingency.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        assert abs(ours[i]) == pytest.approx(g, rel=1e-10)
        assert p_ours[i] == pytest.approx(p, rel=1e-8)  # the chi-square tail, 1 df
        assert np.sign(ours[i]) == np.sign(a[i] / nt - b[i] / nr)


def test_scatter_draws_a_dollar_sign_as_written():
    from c6lab.plots.keywords import keyword_scatter

    # "$" would start a mathtext formula (and "$\foo$" stop the drawing with an error)
    df = pd.DataFrame({"country": ["a$b$", r"$\foo$"], "text": ["ports ports trade", "energy trade trade"]})
    fig = keyword_scatter(key(df, alpha0=10), "a$b$ vs rest", n_labels=1)
    fig.canvas.draw()
    assert fig.axes[0].get_title().startswith(r"a\$b\$ vs rest")
    matplotlib.pyplot.close(fig)


def _label_report(fig, labelled) -> tuple[int, int, int]:
    """(labels drawn, markers covered by a label, pairs of labels that overlap); the markers
    of the ``labelled`` points (data coordinates) are left out: a label belongs next to them."""
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    own = {tuple(np.round(p, 9)) for p in labelled}
    markers = []
    for coll in ax.collections:  # the scatter layers: marker centres and sizes, in pixels
        offsets = np.asarray(coll.get_offsets())
        if len(offsets):
            sizes = np.broadcast_to(coll.get_sizes(), (len(offsets),))
            for (x, z), centre, s in zip(offsets, ax.transData.transform(offsets), sizes, strict=True):
                if (round(x, 9), round(z, 9)) not in own:
                    markers.append((*centre, np.sqrt(s / np.pi) * fig.dpi / 72))
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    covered = sum(any(b.x0 < cx + r and b.x1 > cx - r and b.y0 < cy + r and b.y1 > cy - r for b in boxes)
                  for cx, cy, r in markers)
    overlaps = sum(b1.overlaps(b2) for i, b1 in enumerate(boxes) for b2 in boxes[i + 1:])
    return len(boxes), covered, overlaps


@pytest.mark.parametrize("comparison", ["AZ vs rest", "KG vs rest", "UZ vs rest"])
def test_label_placement_against_adjusttext(counts, comparison):
    # the peer: adjustText as keyword_scatter used it until issue 15 (300 iterations, then labels
    # that still collide or leave the axes removed); ours must do no worse on the bundled data
    adjust_text = pytest.importorskip("adjustText").adjust_text
    from c6lab.plots import plain
    from c6lab.plots.keywords import keyword_labels, keyword_scatter

    res = kw.keyness(counts, alpha0=100, min_count=2)
    labels = keyword_labels(res, comparison, n_labels=8)
    labelled = labels[["x", "z"]].to_numpy(dtype=float)
    ours = keyword_scatter(res, comparison, n_labels=8)
    n_ours, covered_ours, overlap_ours = _label_report(ours, labelled)
    matplotlib.pyplot.close(ours)

    peer = keyword_scatter(res, comparison, n_labels=0)  # the same axes and markers, no labels
    ax = peer.axes[0]
    texts = [ax.text(r.x, r.z, plain(r.label), fontsize=8) for r in labels.itertuples()]
    xy = np.concatenate([np.asarray(c.get_offsets()) for c in ax.collections if len(c.get_offsets())])
    adjust_text(texts, x=xy[:, 0], y=xy[:, 1], ax=ax, iter_lim=300, time_lim=None, force_explode=(0.3, 1.0))
    peer.canvas.draw()
    renderer = peer.canvas.get_renderer()
    axbox, kept = ax.get_window_extent(renderer), []
    for t in list(ax.texts):
        b = t.get_window_extent(renderer)
        inside = axbox.x0 - 1 <= b.x0 and b.x1 <= axbox.x1 + 1 and axbox.y0 - 1 <= b.y0 and b.y1 <= axbox.y1 + 1
        if inside and not any(b.overlaps(k) for k in kept):
            kept.append(b)
        else:
            t.remove()
    n_peer, covered_peer, _ = _label_report(peer, labelled)
    matplotlib.pyplot.close(peer)
    assert overlap_ours == 0
    assert n_ours >= n_peer and covered_ours <= covered_peer, (n_ours, covered_ours, n_peer, covered_peer)
