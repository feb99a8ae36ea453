"""Validation of the lexicon tone against hand labels of stance: intervals, baseline, kappa and
leave-one-article-out tuning, checked against the formulas and scikit-learn / SciPy; and the
"no hand labels: no validation" path on a small corpus built here, with a new power and a new group."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, norm
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score

import c6lab
from c6lab import sentiment as S
from c6lab.sentiment import facts
from c6lab.sentiment.validation import ALL_LABELS, BAND_SUFFIX, LOAO
from c6lab.stats import percentile_interval, resample_rows, wilson_interval
from conftest import build_corpus

LABELS = [-1, 0, 1]


# -- Wilson ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("k", "n"), [(18, 34), (0, 5), (5, 5), (1, 2), (73, 140), (25, 34)])
def test_wilson_interval_is_the_formula_and_scipys(k, n):
    z = norm.ppf(0.975)
    p = k / n
    centre, half = p + z**2 / (2 * n), z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    by_hand = ((centre - half) / (1 + z**2 / n), (centre + half) / (1 + z**2 / n))
    scipy_ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    ours = wilson_interval(k, n)
    assert ours == pytest.approx(by_hand, abs=1e-12)
    assert ours == pytest.approx((scipy_ci.low, scipy_ci.high), abs=1e-12)


def test_wilson_interval_by_hand_at_18_of_34():
    # z = 1.959964; p = 0.5294; centre (0.5294 + 0.0565) / 1.1130 = 0.5264; half 0.1590 / 1.1130 = 0.1429
    assert wilson_interval(18, 34) == pytest.approx((0.3674, 0.6855), abs=5e-5)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(5, 4)


# -- measures: sklearn, and the bootstrap redone by hand ------------------------------------------------
def _labels(n, seed):
    rng = np.random.default_rng(seed)
    gold = rng.choice(LABELS, size=n, p=[0.1, 0.7, 0.2])
    pred = np.where(rng.random(n) < 0.5, gold, rng.choice(LABELS, size=n))
    return gold, pred


@pytest.mark.parametrize(("n", "seed"), [(34, 0), (120, 1), (7, 2)])
def test_measures_agree_with_scikit_learn(n, seed):
    gold, pred = _labels(n, seed)
    m = S.measures(gold, pred, n_boot=50)
    assert m["accuracy"] == pytest.approx(accuracy_score(gold, pred))
    assert m["macro_f1"] == pytest.approx(f1_score(gold, pred, average="macro", labels=LABELS, zero_division=0))
    assert m["kappa"] == pytest.approx(cohen_kappa_score(gold, pred, labels=LABELS))
    assert (m["n_negative"], m["n_neutral"], m["n_positive"]) == tuple(int((gold == v).sum()) for v in LABELS)
    majority = max(LABELS, key=lambda v: ((gold == v).sum(), -abs(v)))
    assert m["baseline_label"] == majority
    constant = np.full(n, majority)
    assert m["baseline_accuracy"] == pytest.approx(accuracy_score(gold, constant))
    assert m["baseline_macro_f1"] == pytest.approx(
        f1_score(gold, constant, average="macro", labels=LABELS, zero_division=0))
    assert m["accuracy_ci_low"] <= m["accuracy"] <= m["accuracy_ci_high"]
    assert (m["accuracy_ci_low"], m["accuracy_ci_high"]) == pytest.approx(
        wilson_interval(int((gold == pred).sum()), n))


def test_macro_f1_interval_is_the_bootstrap_over_mentions_redone_with_scikit_learn():
    gold, pred = _labels(40, 3)
    n_boot, seed = 300, 11
    rows = resample_rows(len(gold), n_boot, random_state=seed)  # the project's one bootstrap
    reps = [f1_score(gold[r], pred[r], average="macro", labels=LABELS, zero_division=0) for r in rows]
    base = [f1_score(gold[r], np.full(len(r), 0), average="macro", labels=LABELS, zero_division=0) for r in rows]
    m = S.measures(gold, pred, n_boot=n_boot, random_state=seed)
    assert m["baseline_label"] == 0
    assert (m["macro_f1_ci_low"], m["macro_f1_ci_high"]) == pytest.approx(percentile_interval(np.array(reps)))
    assert (m["baseline_macro_f1_ci_low"], m["baseline_macro_f1_ci_high"]) == pytest.approx(
        percentile_interval(np.array(base)))
    # seeded: the same seed the same interval, another seed another one
    assert S.measures(gold, pred, n_boot=n_boot, random_state=seed) == m
    other = S.measures(gold, pred, n_boot=n_boot, random_state=seed + 1)
    assert (other["macro_f1_ci_low"], other["macro_f1_ci_high"]) != (m["macro_f1_ci_low"], m["macro_f1_ci_high"])


def test_measures_edge_cases():
    empty = S.measures([], [])
    assert empty["n_mentions"] == 0 and math.isnan(empty["accuracy"]) and empty["baseline_label"] is None
    # one label on both sides: kappa is 0/0, reported as NaN (not a warning, not a crash)
    same = S.measures([0, 0, 0], [0, 0, 0], n_boot=20)
    assert same["accuracy"] == 1 and math.isnan(same["kappa"])
    with pytest.raises(ValueError, match="must be -1, 0 or 1"):
        S.measures([2], [0])
    with pytest.raises(ValueError, match="one length"):
        S.measures([0, 1], [0])


# -- evaluate: all labels, and the band tuned leave-one-article-out ------------------------------------
def _scored(rows, method="masked_sentence", lexicon="vader"):
    """rows: (article, compound, label) -> scored and gold tables."""
    ids = [f"{a}:{i * 10}-{i * 10 + 2}" for i, (a, _, _) in enumerate(rows)]
    scored = pd.DataFrame({"article_id": [a for a, _, _ in rows], "mention_id": ids, "power": "US", "alias": "US",
                           "method": method, "lexicon": lexicon, "compound": [c for _, c, _ in rows]})
    gold = scored[["mention_id", "power", "alias"]].assign(label=[g for _, _, g in rows])
    return scored, gold


# article A: the label +1 starts at |c| 0.3; B: at 0.6; C: mild positives are +1 already at 0.1
ROWS = ([("A", c, g) for c, g in [(0.1, 0), (0.2, 0), (0.35, 1), (0.5, 1), (-0.4, -1), (0.0, 0)]]
        + [("B", c, g) for c, g in [(0.3, 0), (0.45, 0), (0.65, 1), (0.8, 1), (-0.7, -1), (0.1, 0)]]
        + [("C", c, g) for c, g in [(0.12, 1), (0.25, 1), (0.04, 0), (-0.2, -1), (0.0, 0), (0.3, 1)]])
GRID = (0.05, 0.1, 0.3, 0.6)


def _best_band(part: pd.DataFrame) -> float:
    # what leave-one-article-out must choose: the best macro-F1 on the training rows, ties to the narrower band
    def f1(t):
        return f1_score(part["label"], S.label_from_compound(part["compound"], t), average="macro",
                        labels=LABELS, zero_division=0)
    scores = [f1(t) for t in GRID]
    return GRID[int(np.argmax(np.round(scores, 12)))]


def test_the_band_of_an_article_is_chosen_on_the_other_articles_only():
    scored, gold = _scored(ROWS)
    table = scored.merge(gold[["mention_id", "label"]])
    bands = S.band_choices(scored, gold, grid=GRID).set_index("article_id")
    for article in "ABC":
        train = table[table["article_id"] != article]
        assert bands.loc[article, "threshold"] == _best_band(train)
        assert bands.loc[article, "n_train"] == len(train) and bands.loc[article, "n_test"] == 6
    # relabelling the held-out article does not move its own band (no leak), but moves the others'
    flipped = gold.assign(label=np.where(scored["article_id"] == "A", -gold["label"], gold["label"]))
    again = S.band_choices(scored, flipped, grid=GRID).set_index("article_id")
    assert again.loc["A", "threshold"] == bands.loc["A", "threshold"]
    assert (again["train_macro_f1"] != bands["train_macro_f1"]).any()


def test_tuned_evaluation_pools_the_held_out_predictions():
    scored, gold = _scored(ROWS)
    table = scored.merge(gold[["mention_id", "label"]])
    bands = S.band_choices(scored, gold, grid=GRID).set_index("article_id")["threshold"]
    t = table["article_id"].map(bands)
    pred = np.select([table["compound"] >= t, table["compound"] <= -t], [1, -1], 0)
    row = S.evaluate(scored, gold, tune_band=True, grid=GRID, n_boot=100).iloc[0]
    assert (row["method"], row["evaluation"], row["n_articles"]) == ("masked_sentence" + BAND_SUFFIX, LOAO, 3)
    assert row["accuracy"] == pytest.approx(accuracy_score(table["label"], pred))
    assert row["macro_f1"] == pytest.approx(f1_score(table["label"], pred, average="macro", labels=LABELS))
    assert row["kappa"] == pytest.approx(cohen_kappa_score(table["label"], pred, labels=LABELS))
    chosen = ", ".join(f"{x:g}" for x in sorted(set(bands)))
    assert f"chosen: {chosen}" in row["setting"]
    cm = S.confusion(scored, gold, tune_band=True, grid=GRID)
    assert set(cm["method"]) == {"masked_sentence" + BAND_SUFFIX} and cm["n"].sum() == len(table)
    assert cm.set_index(["gold", "predicted"])["n"].loc[(1, 1)] == int(((table["label"] == 1) & (pred == 1)).sum())
    # the untuned row of the same scores: every label, VADER's band
    fixed = S.evaluate(scored, gold, n_boot=100).iloc[0]
    assert (fixed["method"], fixed["evaluation"], fixed["setting"]) == ("masked_sentence", ALL_LABELS,
                                                                        "neutral if |c| < 0.05")
    assert fixed["accuracy"] == pytest.approx(accuracy_score(table["label"], S.label_from_compound(table["compound"])))


def test_labels_in_one_article_only_cannot_tune_a_band():
    scored, gold = _scored([r for r in ROWS if r[0] == "A"])
    row = S.evaluate(scored, gold, tune_band=True, grid=GRID, n_boot=50).iloc[0]
    assert row["n_mentions"] == 0 and math.isnan(row["macro_f1"]) and "labels in one article only" in row["setting"]
    assert S.band_choices(scored, gold, grid=GRID)["threshold"].isna().all()
    with pytest.raises(ValueError, match="grid"):
        S.band_choices(scored, gold, grid=[0])


def test_validation_columns_are_those_the_csv_promises():
    scored, gold = _scored(ROWS)
    v = pd.concat([S.evaluate(scored, gold, n_boot=50), S.evaluate(scored, gold, tune_band=True, n_boot=50)])
    required = ["method", "lexicon", "n_mentions", "n_negative", "n_neutral", "n_positive", "accuracy",
                "accuracy_ci_low", "accuracy_ci_high", "macro_f1", "macro_f1_ci_low", "macro_f1_ci_high",
                "baseline_accuracy", "baseline_macro_f1", "kappa", "evaluation"]
    assert set(required) <= set(v.columns) and list(v.columns) == S.VALIDATION_COLUMNS
    assert v["evaluation"].tolist() == [ALL_LABELS, LOAO]


# -- facts rendered from the validation --------------------------------------------------------------
def test_warnings_and_caption_follow_the_rows():
    scored, gold = _scored(ROWS)
    v = S.evaluate(scored, gold, n_boot=200)
    r = v.iloc[0]
    w = facts.validation_warnings(v)
    assert w["few"] and w["n_labelled"] == len(ROWS) and w["n_settings"] == 1
    overlaps = r["macro_f1_ci_low"] <= r["baseline_macro_f1_ci_high"]
    assert w["overlap"] == (["masked_sentence (vader)"] if overlaps else [])
    caption = facts.tone_caption(v, "masked_sentence")
    numbers = [float(x) for x in re.findall(r"-?\d+\.\d+", caption)]
    assert numbers == [round(r[c], 2) for c in ("accuracy", "accuracy_ci_low", "accuracy_ci_high", "macro_f1",
                                                "macro_f1_ci_low", "macro_f1_ci_high", "kappa",
                                                "baseline_accuracy", "baseline_macro_f1")]
    assert "Fewer than 100 labels" in caption
    assert facts.validation_warnings(v, min_n=10)["few"] is False


def test_tone_and_stance_part_ways_by_rule():
    rows = [("A", 0.7, -1), ("A", 0.04, -1), ("A", -0.3, 1), ("A", 0.8, 0), ("A", 0.45, 0), ("A", 0.6, 1),
            ("A", -0.9, 0)]
    scored, gold = _scored(rows)
    scored["sentence"] = [f"s{i}" for i in range(len(rows))]
    gaps = facts.tone_stance_gaps(scored, gold)
    # opposite sign beyond the band: rows 0 (+0.7 vs -1) and 2 (-0.3 vs +1); not row 1 (inside the band)
    # no stance but |c| >= 0.5: rows 6 (0.9) and 3 (0.8); not row 4 (0.45)
    assert gaps[["kind", "sentence"]].values.tolist() == [
        ["opposite sign", "s0"], ["opposite sign", "s2"], ["tone without stance", "s6"],
        ["tone without stance", "s3"]]
    assert len(facts.tone_stance_gaps(scored, gold, top_n=1)) == 2


# -- a corpus of one's own: a new power, a new group, no labels, then labels ---------------------------
ARTICLES = {
    "delhi.txt": ("Trend", "Merdan Orazov=TM", """Turkmen analyst on India and the region
Ashgabat. A conference on trade routes met on Monday.
"India is a welcome partner and its investment brings real benefits," said Merdan Orazov, an analyst in Ashgabat.
Orazov said China remains the largest buyer of Turkmen gas.
"""),
    "gas.txt": ("Kabar", "Aigul Temirova=KG", """Kyrgyz expert on gas and power
Bishkek. Officials discussed energy on Tuesday.
"India has failed the region and its promises are empty," said Aigul Temirova, a senior fellow in Bishkek.
Temirova added that the United States is watching the talks.
"""),
}


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("own"), ARTICLES, "IN,India,no,state,\n", "IN,India,#CC79A7\n")


def _validate(corpus, gold):
    scored = pd.concat([S.score_mentions(corpus.select(), method=m, lexicons=corpus.lexicons) for m in S.METHODS])
    masked = scored[scored["method"] == "masked_sentence"]
    v = pd.concat([S.evaluate(scored, gold, n_boot=99), S.evaluate(masked, gold, tune_band=True, n_boot=99)])
    return scored, masked, v


def test_a_corpus_without_hand_labels_says_so_and_does_not_crash(own):
    corpus = c6lab.open_corpus(own)
    gold = S.read_gold(own / "annotations" / "power_sentiment_gold.csv")
    assert gold.empty
    scored, masked, v = _validate(corpus, gold)
    assert {"IN", "CN", "US"} <= set(scored["power"]) and "TM" in set(scored["country"])
    assert (v["n_mentions"] == 0).all() and v["accuracy"].isna().all() and v["macro_f1_ci_low"].isna().all()
    assert (v["n_unlabelled"] == len(masked)).all()
    assert "no hand labels of stance" in facts.tone_caption(v, "masked_sentence")
    assert facts.validation_facts(v, S.confusion(scored, gold), "masked_sentence")["n_labelled"] == 0
    assert facts.validation_warnings(v)["overlap"] == []
    assert facts.tone_stance_gaps(masked, gold).empty
    assert S.band_choices(masked, gold)["threshold"].isna().all()


def test_labels_with_a_coder_column_validate_the_new_power(own, tmp_path):
    corpus = c6lab.open_corpus(own)
    mentions = S.find_mentions(corpus.select(), lexicons=corpus.lexicons)
    # a stance for every mention: India praised in one article and criticised in the other, the rest 0
    praise = corpus.segments.loc[corpus.segments["text"].str.contains("welcome partner"), "article_id"].iloc[0]
    label = [(1 if a == praise else -1) if p == "IN" else 0
             for a, p in zip(mentions["article_id"], mentions["power"], strict=True)]
    path = tmp_path / "gold.csv"
    mentions[["mention_id", "power", "alias"]].assign(label=label, reason="test", coder="ab").to_csv(path, index=False)
    gold = S.read_gold(path)
    assert "coder" in gold.columns and set(gold["coder"]) == {"ab"}
    scored, masked, v = _validate(corpus, gold)
    fixed = v[(v["method"] == "masked_sentence") & (v["lexicon"] == "vader")].iloc[0]
    assert fixed["n_mentions"] == len(mentions) and fixed["n_articles"] == 2
    assert (fixed["n_negative"], fixed["n_positive"]) == (label.count(-1), label.count(1))
    assert label.count(-1) >= 1 and label.count(1) >= 1  # the title of the praising article names India too
    part = masked.merge(gold[["mention_id", "label"]])
    assert fixed["macro_f1"] == pytest.approx(f1_score(part["label"], S.label_from_compound(part["compound"]),
                                                       average="macro", labels=LABELS, zero_division=0))
    tuned = v[v["method"] == "masked_sentence" + BAND_SUFFIX].iloc[0]
    assert tuned["evaluation"] == LOAO and tuned["n_mentions"] == len(mentions)
    gaps = facts.tone_stance_gaps(masked, gold)
    assert set(gaps["kind"]) <= {"opposite sign", "tone without stance"}


def test_the_notebook_runs_on_the_corpus_without_labels(own_study_run):
    # conftest's run of every notebook on these articles (and those of test_narrative_corpus_tone
    # and test_own_corpus_end_to_end) with the new power, in a corpus made with corpus init
    out = own_study_run["out"]
    validation = pd.read_csv(out / "results" / "power_validation.csv")
    assert list(validation.columns) == S.VALIDATION_COLUMNS
    assert set(validation["evaluation"]) == {ALL_LABELS, LOAO} and (validation["n_mentions"] == 0).all()
    import nbformat

    nb = nbformat.read(out / "notebooks" / "03_sentiment.ipynb", as_version=4)
    text = " ".join(" ".join(o.get("data", {}).get("text/markdown", "").split())
                    for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "this corpus has no hand labels of stance: these scores are not validated" in text
    assert "No hand labels: no validation" in text
    assert Path(out / "results" / "figures" / "03_power_heatmap.png").is_file()


# -- at scale: the same measures in time and memory linear in the mentions ---------------------------------
def _many_scored(n: int, n_articles: int, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    art = rng.integers(0, n_articles, n)
    ids = [f"a{a}:{i}-{i + 2}" for i, a in enumerate(art)]
    gold_label = rng.choice(LABELS, n, p=[0.1, 0.7, 0.2])
    compound = np.clip(gold_label * 0.3 + rng.normal(0, 0.25, n), -1, 1).round(4)
    scored = pd.DataFrame({"mention_id": ids, "power": "US", "alias": "US", "method": "m", "lexicon": "vader",
                           "compound": compound})
    gold = scored[["mention_id", "power", "alias"]].assign(label=gold_label, reason="r")
    return scored, gold


def test_band_choices_are_those_of_one_fit_per_held_out_article():
    scored, gold = _many_scored(600, 25)
    grid = (0.05, 0.1, 0.2, 0.3, 0.5)
    got = S.band_choices(scored, gold, grid=grid)
    art = scored["mention_id"].str.split(":").str[0].to_numpy()
    for row in got.itertuples(index=False):
        train = art != row.article_id
        g, c = gold["label"].to_numpy()[train], scored["compound"].to_numpy()[train]
        f1 = [f1_score(g, np.select([c >= t, c <= -t], [1, -1], 0), labels=LABELS, average="macro",
                       zero_division=0) for t in grid]
        best = int(np.argmax(np.round(f1, 12)))  # ties: the narrower band
        assert (row.threshold, row.n_train, row.n_test) == (grid[best], train.sum(), (~train).sum())
        assert row.train_macro_f1 == pytest.approx(f1[best], abs=1e-12)


def test_macro_f1_interval_of_many_mentions_draws_the_confusion_counts(monkeypatch):
    from c6lab.sentiment import validation

    scored, gold = _many_scored(5000, 40)
    g, p = gold["label"].to_numpy(), S.label_from_compound(scored["compound"]).to_numpy()
    fast = S.measures(g, p, n_boot=2000, random_state=1)
    monkeypatch.setattr(validation, "MAX_RESAMPLED_ROWS", 10**9)  # every resample row by row
    rows = S.measures(g, p, n_boot=2000, random_state=1)
    assert fast["macro_f1"] == rows["macro_f1"] == pytest.approx(f1_score(g, p, average="macro"), abs=1e-12)
    assert fast["kappa"] == rows["kappa"] and fast["accuracy_ci_low"] == rows["accuracy_ci_low"]
    # the same distribution, other random numbers: the intervals agree to Monte Carlo error
    for key in ("macro_f1_ci_low", "macro_f1_ci_high", "baseline_macro_f1_ci_low", "baseline_macro_f1_ci_high"):
        assert fast[key] == pytest.approx(rows[key], abs=0.006), key
    assert fast["macro_f1_ci_low"] != rows["macro_f1_ci_low"]


@pytest.mark.parametrize("distinct", [None, 40])
def test_mean_interval_of_a_large_cell_is_scipys_bca(distinct):
    from scipy.stats import bootstrap

    from c6lab.sentiment.summary import MAX_RESAMPLED_ROWS, _mean_interval

    rng = np.random.default_rng(5)
    n = MAX_RESAMPLED_ROWS + 1000
    x = rng.gamma(2.0, 0.2, n) if distinct is None else rng.choice(rng.normal(0, 0.4, distinct), n)
    ci = bootstrap((x,), np.mean, n_resamples=2000, method="BCa", rng=np.random.default_rng(0),
                   vectorized=True).confidence_interval
    low, high, how = _mean_interval(x, 2000, 0, 0.95)
    assert how == "BCa"
    if distinct is None:  # resampled row by row as SciPy does: the same interval up to rounding of the jackknife
        assert (low, high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    else:  # multinomial counts of the 40 values: the same distribution, other random numbers
        assert (low, high) == pytest.approx((ci.low, ci.high), abs=0.1 * (ci.high - ci.low))
        assert (low, high) != (ci.low, ci.high)
