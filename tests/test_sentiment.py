"""Tests for c6lab.sentiment: alias matching, masking, VADER values by hand, summaries, gold,
and powers as data (a power added to powers.csv reaches every table and figure).

VADER's compound score is compound = s / sqrt(s**2 + 15), where s is the sum of the
word valences after VADER's rules (booster +0.293, negation x -0.74 up to three words
back ...); VADER rounds compound to 4 decimals. The valences quoted in the comments are
those of the lexicon file shipped with vaderSentiment 3.3.2, and the tests check them.
"""

from __future__ import annotations

import math
import subprocess
import sys
import unicodedata
import warnings
from dataclasses import replace
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

import c6lab
import c6lab.stats
from c6lab import CorpusError, Lexicons
from c6lab import sentiment as S
from c6lab.lexicons import Alias
from c6lab.plots.sentiment import dot_plot, heatmap
from c6lab.sentiment.scorers import TEXT_COLUMNS, _analyser
from c6lab.stats import mean_interval

matplotlib.use("Agg")

DEFAULT = Lexicons.default()
POWERS = DEFAULT.power_codes  # the package's powers, in the order of powers.csv
GOLD = Path("annotations") / "power_sentiment_gold.csv"


def vader_compound(s: float) -> float:
    """The normalisation VADER applies to the sum of valences."""
    return s / math.sqrt(s * s + 15)


def only(df: pd.DataFrame, col: str):
    assert len(df) == 1, df
    return df[col].iloc[0]


# -- the lexicon values the hand computations below rely on -------------------------------------
def test_lexicon_values_used_in_these_tests():
    lex = S.vader_lexicon()
    assert lex["united"] == 1.8
    assert (lex["war"], lex["crisis"], lex["peace"]) == (-2.9, -3.1, 2.5)
    assert (lex["important"], lex["support"]) == (0.8, 1.7)
    for word in ("states", "announced", "new", "tariffs", "has", "role", "does", "sanctions",
                 "came", "region", "after", "many", "long", "years", "then", "arrived",
                 "opened", "said", "prosperity"):
        assert word not in lex, word


def test_own_lexicon_loading_scores_like_stock_vader():
    # the analyser reads the package's lexicon itself (importlib.resources); on every corpus
    # sentence it must give exactly what vaderSentiment's own analyser gives
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    stock, ours = SentimentIntensityAnalyzer(), _analyser(None, False)
    assert ours.lexicon == stock.lexicon and ours.emojis == stock.emojis
    sentences = [x for t in c6lab.load_corpus()["text"] for x in c6lab.sentences(t)]
    assert len(sentences) > 100
    assert all(ours.polarity_scores(x) == stock.polarity_scores(x) for x in sentences)


def test_placeholders_are_not_sentiment_words():
    lex = S.vader_lexicon(domain=True)
    for token in [S.placeholder(p) for p in POWERS] + [S.EXCLUDE_PLACEHOLDER]:
        # VADER strips ASCII punctuation and keeps the token whole if 2 letters or fewer remain
        assert len(token.strip("_")) <= 2
        assert token not in lex and token.strip("_") not in lex
        assert not token.isupper()  # would switch on VADER's ALL-CAPS emphasis rule


def test_a_long_power_code_that_is_a_vader_word_is_not_scored():
    # VADER strips "_war_" to "war" (-2.9); the placeholder of a code longer than two
    # letters keeps an underscore inside, so it is never a lexicon word
    assert S.placeholder("WAR") == "_pw_war_"
    lex = DEFAULT.replace(aliases=(Alias("WAR", "Warland", True, "state"),))
    df = S.score_text("Warland announced new tariffs.", lexicons=lex)
    assert only(df, "scored_text") == "_pw_war_ announced new tariffs."
    assert only(df, "compound") == 0.0


# -- alias matching -----------------------------------------------------------------------------------
def test_upper_case_us_is_a_mention_the_pronoun_is_not():
    df = S.score_text("Let us ask the US what it wants.")
    assert df[["power", "alias"]].values.tolist() == [["US", "US"]]
    # "Let us ask the " is 15 characters
    assert (only(df, "start"), only(df, "end")) == (15, 17)


def test_us_among_words_in_capitals_is_the_pronoun():
    # the tokenizer's rule: an all-caps alias that is also a stopword ("US" / "us") is the
    # pronoun when the word before or after it is in capitals too
    for text in ("LET US GO.", "TELL US.", "Now: LET US see.", "THANK YOU FROM US"):
        assert S.score_text(text).empty, text
    # the price of the rule: a headline in capitals loses its "US" too
    assert S.score_text("US TROOPS LEAVE.").empty
    assert c6lab.tokenize("LET US GO") == c6lab.tokenize("let us go")
    # one capital neighbour is not shouting ("A" has one letter), nor a mixed-case one
    assert S.score_text("A US base.")["alias"].tolist() == ["US"]
    assert S.score_text("The US and EU met.")["power"].tolist() == ["US", "EU"]
    # only ambiguous aliases: "EU" is no common word, so it stays a mention in capitals
    assert S.score_text("THE EU SAYS NO.")["power"].tolist() == ["EU"]
    # the offsets of the other mentions are untouched
    df = S.score_text("LET US GO to China.")
    assert df[["power", "start"]].values.tolist() == [["CN", 13]]
    # the rule follows the stopword list it is given
    lex = DEFAULT.replace(stopwords=DEFAULT.stopwords - {"us"})
    assert S.score_text("LET US GO.", lexicons=lex)["alias"].tolist() == ["US"]


def test_us_inside_a_longer_word_is_not_a_mention():
    assert S.score_text("USAID and the USSR are not the USA.")["alias"].tolist() == ["USA"]


def test_dotted_us_inside_a_sentence_keeps_the_sentence_whole():
    text = "Officials of the U.S. met in Baku. Then they left."
    df = S.score_text(text)
    assert df[["power", "alias"]].values.tolist() == [["US", "U.S."]]
    assert only(df, "sentence") == "Officials of the U.S. met in Baku."
    assert text[only(df, "start"):only(df, "end")] == "U.S."


def test_south_china_sea_is_not_china():
    assert S.score_text("Ships crossed the South China Sea.").empty
    df = S.score_text("China patrols the South China Sea.")
    assert df[["power", "start"]].values.tolist() == [["CN", 0]]


def test_persons_map_to_their_state():
    df = S.score_text("Putin called Xi, and Donald Trump called Erdoğan.")
    assert df[["power", "alias", "alias_type"]].values.tolist() == [
        ["RU", "Putin", "person"], ["CN", "Xi", "person"], ["US", "Donald Trump", "person"],
        ["TR", "Erdoğan", "person"],
    ]


def test_case_sensitive_aliases_skip_common_nouns():
    assert S.score_text("We ate turkey from fine china.").empty
    assert S.score_text("Turkey and China met.")["power"].tolist() == ["TR", "CN"]


def test_variants_of_writing_an_alias():
    # possessive with a curly apostrophe, a decomposed ü, a curly apostrophe inside the alias
    text = ("China\u2019s plan. " + unicodedata.normalize("NFD", "Türkiye") + " agreed. "
            "The People\u2019s Republic of China spoke.")
    df = S.score_text(text)
    assert df["power"].tolist() == ["CN", "TR", "CN"]
    assert df["alias"].tolist()[2] == "People\u2019s Republic of China"


def test_named_route_is_not_a_mention_and_its_words_are_masked():
    text = "The Trump Route for International Peace and Prosperity opened, said the EU."
    masked = S.score_text(text)
    assert masked["power"].tolist() == ["EU"]  # Trump in the route's name is not the US
    assert only(masked, "scored_text") == "The _x_ opened, said the _eu_."
    assert only(masked, "compound") == 0.0
    # unmasked, "peace" (+2.5) is scored: 2.5 / sqrt(6.25 + 15) = 2.5 / 4.6098 = 0.5423
    naive = only(S.score_text(text, method="naive_sentence"), "compound")
    assert naive == pytest.approx(vader_compound(2.5), abs=1e-4)
    assert naive == pytest.approx(0.5423, abs=1e-4)


@pytest.mark.parametrize("alias", [a.alias for a in DEFAULT.aliases if a.type != "exclude"])
def test_every_alias_is_found_and_fully_masked(alias):
    # no word of the sentence but the alias could carry sentiment, so the masked score is
    # 0 only if the whole alias was replaced (e.g. all of "United States of America")
    df = S.score_text(f"Yesterday {alias} announced new tariffs.")
    assert len(df) == 1 and only(df, "alias") == alias
    assert only(df, "compound") == 0.0


def test_powers_file_problems_are_reported(tmp_path):
    bad = tmp_path / "powers.csv"
    bad.write_text("power,alias,case_sensitive,type\nxx,Mars,yes,state\nUS,USA,maybe,state\n",
                   encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        Lexicons.from_dir(tmp_path)
    fields = sorted(p.field for p in err.value.problems)
    assert fields == ["case_sensitive", "power"]


@pytest.mark.parametrize(("rows", "header", "where"), [
    # an empty alias
    ("US,United States,no,state,\nCN,,yes,state,\n", None, (3, "alias", "empty")),
    # one alias under two powers (case-insensitive aliases compare case-folded)
    ("US,America,no,state,\nEU,AMERICA,no,state,\n", None, (3, "alias", "under power 'US' on line 2")),
    # a column the file format does not have
    ("US,United States,no,state,,x\n", "power,alias,case_sensitive,type,note,colour",
     (1, "colour", "unknown column")),
])
def test_malformed_powers_file_names_file_row_and_field(tmp_path, rows, header, where):
    path = tmp_path / "powers.csv"
    header = header or "power,alias,case_sensitive,type,note"
    path.write_text(f"{header}\n{rows}", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        Lexicons.from_dir(tmp_path)
    [problem] = err.value.problems
    row, field, message = where
    assert (problem.file, problem.row, problem.field) == (str(path), row, field)
    assert message in problem.message
    assert str(path) in str(err.value) and f"row {row}" in str(err.value)


# -- masking and VADER values computed by hand -------------------------------------------------
def test_masking_removes_the_united_effect():
    text = "The United States announced new tariffs."
    # naive: only "united" is in the lexicon, s = 1.8, 1.8 / sqrt(3.24 + 15) = 1.8 / 4.2708 = 0.4215
    naive = only(S.score_text(text, method="naive_sentence"), "compound")
    assert naive == pytest.approx(vader_compound(1.8), abs=1e-4)
    assert naive == pytest.approx(0.4215, abs=1e-4)
    # masked: "The _us_ announced new tariffs." has no lexicon word, s = 0, compound 0
    masked = S.score_text(text)
    assert only(masked, "scored_text") == "The _us_ announced new tariffs."
    assert only(masked, "compound") == 0.0


def test_two_negative_words():
    # war -2.9 + crisis -3.1 = -6.0; -6 / sqrt(36 + 15) = -6 / 7.1414 = -0.8402
    df = S.score_text("Russia's war in Ukraine is a crisis.")
    assert only(df, "compound") == pytest.approx(vader_compound(-6.0), abs=1e-4)
    assert only(df, "compound") == pytest.approx(-0.8402, abs=1e-4)


def test_booster_word():
    # "very" boosts the next word by 0.293: important 0.8 + 0.293 = 1.093;
    # 1.093 / sqrt(1.194649 + 15) = 1.093 / 4.02426 = 0.2716
    df = S.score_text("China has a very important role.")
    assert only(df, "compound") == pytest.approx(vader_compound(0.8 + 0.293), abs=1e-4)
    assert only(df, "compound") == pytest.approx(0.2716, abs=1e-4)


def test_negation_and_the_domain_lexicon():
    text = "Türkiye does not support the sanctions."
    # plain VADER: support 1.7 right after "not" -> 1.7 * -0.74 = -1.258;
    # -1.258 / sqrt(1.582564 + 15) = -1.258 / 4.07217 = -0.3089
    plain = only(S.score_text(text), "compound")
    assert plain == pytest.approx(vader_compound(-1.258), abs=1e-4)
    assert plain == pytest.approx(-0.3089, abs=1e-4)
    # domain lexicon: sanctions -1.5, and VADER's negation reaches three words back
    # ("not" support the sanctions), so -1.5 * -0.74 = +1.11; s = -1.258 + 1.11 = -0.148;
    # -0.148 / sqrt(0.021904 + 15) = -0.148 / 3.87581 = -0.0382 (neutral by the 0.05 cut-off)
    domain = only(S.score_text(text, domain=True), "compound")
    assert domain == pytest.approx(vader_compound(-1.258 + 1.11), abs=1e-4)
    assert domain == pytest.approx(-0.0382, abs=1e-4)


def test_window_scores_only_the_tokens_near_the_mention():
    text = "Peace came to the region after many long years, and then the EU arrived."
    # the masked sentence holds "peace" (+2.5): 2.5 / sqrt(21.25) = 0.5423
    sentence = only(S.score_text(text), "compound")
    assert sentence == pytest.approx(0.5423, abs=1e-4)
    # two tokens either side of "_eu_": "then the _eu_ arrived." has no lexicon word
    window = S.score_text(text, method="window", window=2)
    assert only(window, "scored_text") == "then the _eu_ arrived."
    assert only(window, "compound") == 0.0


def test_score_text_on_any_string():
    for text in ("", "   ", "No power here.", "¿Qué? 😀 ...", "us us us"):
        df = S.score_text(text)
        assert df.empty and list(df.columns) == TEXT_COLUMNS
    with pytest.raises(ValueError):
        S.score_text("The US.", method="paragraph")
    with pytest.raises(TypeError, match="domain must be True or False"):
        S.score_text("The US.", domain="corpus/lexicons/vader_domain.csv")


def test_domain_lexicon_changes_only_what_the_file_says():
    plain, domain = S.vader_lexicon(), S.vader_lexicon(domain=True)
    changed = {w for w in set(plain) | set(domain) if plain.get(w) != domain.get(w)}
    # valence 0 removes a word; a 0 for a word VADER lacks ("strategic") changes nothing
    expected = {w for w, v, _ in DEFAULT.vader_domain if not (v == 0 and w not in plain)}
    assert changed == expected
    assert "like" not in domain and plain["like"] == 1.5
    assert dict((w, v) for w, v, _ in DEFAULT.vader_domain)["sanctions"] == -1.5


def test_domain_changes_come_from_the_lexicons_given():
    mine = DEFAULT.replace(vader_domain=(("tariffs", -2.0, "a test"),))
    assert S.vader_lexicon(domain=True, lexicons=mine)["tariffs"] == -2.0
    assert "cooperation" not in S.vader_lexicon(domain=True, lexicons=mine)
    text = "The United States announced new tariffs."
    assert only(S.score_text(text, domain=True), "compound") == 0.0  # the package's changes
    # -2 / sqrt(4 + 15) = -0.4588
    scored = only(S.score_text(text, domain=True, lexicons=mine), "compound")
    assert scored == pytest.approx(vader_compound(-2.0), abs=1e-4)
    # one analyser per Lexicons object, built once
    assert _analyser(mine, True) is _analyser(mine, True)
    assert _analyser(mine, True) is not _analyser(DEFAULT, True)


def test_domain_lexicon_problems_are_reported(tmp_path):
    bad = tmp_path / "vader_domain.csv"
    bad.write_text("word,valence,note\nGood,1,\nfine,abc,\nok,9,\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        Lexicons.from_dir(tmp_path)
    assert sorted(p.row for p in err.value.problems) == [2, 3, 4]
    assert {p.file for p in err.value.problems} == {str(bad)}


def test_importing_and_scoring_writes_nothing_to_stderr():
    code = "import c6lab.sentiment as s; print(s.score_text('The US met China.')['power'].tolist())"
    run = subprocess.run([sys.executable, "-W", "default", "-X", "dev", "-c", code],
                         capture_output=True, text=True, check=True)
    assert run.stderr == ""
    assert run.stdout.strip() == "['US', 'CN']"


# -- the corpus ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def study():
    return c6lab.open_corpus()


@pytest.fixture(scope="module")
def corpus(study):
    return study.select()


@pytest.fixture(scope="module")
def mentions(study, corpus):
    return S.find_mentions(corpus, lexicons=study.lexicons)


def test_mention_offsets_point_at_the_alias(study, corpus, mentions):
    texts = {art: study.raw_text(art) for art in corpus["article_id"].unique()}
    seg = corpus.set_index("segment_id")["text"]
    for r in mentions.itertuples(index=False):
        assert texts[r.article_id][r.raw_start:r.raw_end] == r.alias
        assert seg[r.segment_id][r.start:r.end] == r.alias
        assert seg[r.segment_id][r.sentence_start:r.sentence_end] == r.sentence
        assert r.sentence_start <= r.start < r.end <= r.sentence_end
        assert r.mention_id == f"{r.article_id}:{r.raw_start}-{r.raw_end}"


def test_corpus_mentions_respect_the_exclude_rows(mentions):
    assert "Eastern Europe" not in set(mentions["alias"])
    assert not mentions["alias"].str.startswith("Trump Route").any()
    assert not mentions["sentence"].str.contains("Azerbaijani Studies").any()


def test_gold_file_covers_every_mention_exactly_once(study, mentions):
    gold = S.read_gold(study.root / GOLD)
    assert gold["mention_id"].is_unique
    assert set(gold["mention_id"]) == set(mentions["mention_id"])
    assert len(gold) == len(mentions)
    assert S.check_gold(mentions, gold) == []
    assert set(gold["label"]) <= {-1, 0, 1}
    assert gold["reason"].str.len().min() > 10
    # each label was given for the sentence the finder now puts the mention in
    found = mentions.set_index("mention_id")["sentence"].map(c6lab.normalize)
    assert (gold.set_index("mention_id")["sentence"] == found.reindex(gold["mention_id"])).all()


def test_check_gold_reports_each_kind_of_mismatch():
    m = pd.DataFrame({"mention_id": ["a", "b", "c"], "power": ["US", "CN", "EU"],
                      "alias": ["US", "China", "EU"]})
    g = pd.DataFrame({"mention_id": ["a", "c", "c", "d"], "power": ["US", "RU", "RU", "TR"],
                      "alias": ["US", "EU", "EU", "Turkey"]})
    problems = S.check_gold(m, g)
    assert "c: repeated in gold" in problems
    assert "b: found but has no gold label" in problems
    assert "d: gold label but no such mention" in problems
    assert "c: gold says power 'RU', the finder 'EU'" in problems
    assert len(problems) == 4


def test_gold_file_problems_are_reported(tmp_path):
    bad = tmp_path / "gold.csv"
    bad.write_text("mention_id,power,alias,label,reason\n"
                   "a:0-2,US,US,1,fine\na:0-2,US,US,1,again\nb:3-5,EU,EU,2,why\nc:6-8,CN,Xi,0,\n",
                   encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        S.read_gold(bad)
    assert [(p.row, p.field) for p in err.value.problems] == [(3, "mention_id"), (4, "label"), (5, "reason")]
    bad.write_text("mention_id,label\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        S.read_gold(bad)
    assert [(p.file, p.field, p.message) for p in err.value.problems] == [
        (str(bad), c, "missing column") for c in ("power", "alias", "reason")]


def test_score_mentions_adds_baseline_and_relative(study, corpus, mentions):
    speech = study.select(["quote", "paraphrase"])
    scored = S.score_mentions(speech, lexicons=study.lexicons)
    base = S.speaker_baselines(speech, lexicons=study.lexicons).set_index("voice")["baseline"]
    assert set(scored["mention_id"]) == set(mentions.loc[mentions["kind"].isin(["quote", "paraphrase"]),
                                                         "mention_id"])
    assert (scored["baseline"] == scored["speaker_id"].map(base)).all()
    assert np.allclose(scored["relative"], scored["compound"] - scored["baseline"], atol=1e-4)
    # the same mentions, in the same order, whatever the method
    for method in ("window", "naive_sentence"):
        other = S.score_mentions(speech, method=method, lexicons=study.lexicons)
        assert other["mention_id"].tolist() == scored["mention_id"].tolist()


def test_speaker_baseline_by_hand():
    df = pd.DataFrame({"article_id": ["a", "a"], "segment_id": ["s1", "s2"], "kind": ["quote"] * 2,
                       "speaker_id": ["x", "x"],
                       "text": ["Peace came. The war went on.", "China came. Then the EU arrived."]})
    # sentences without a mention: "Peace came." (2.5 -> 0.5423) and "The war went on."
    # (-2.9 -> -2.9 / sqrt(8.41 + 15) = -0.5994); mean = (0.5423 - 0.5994) / 2 = -0.02855
    base = S.speaker_baselines(df)
    assert base[["voice", "n_sentences"]].values.tolist() == [["x", 2]]
    assert base["baseline"].iloc[0] == pytest.approx((0.5423 - 0.5994) / 2, abs=1e-4)


# -- summaries ---------------------------------------------------------------------------------------------
@pytest.fixture()
def toy():
    return pd.DataFrame({
        "country": ["UZ", "UZ", "UZ", "KG", "KG", "KG", "KG"],
        "kind": ["quote"] * 7,
        "speaker_id": ["t", "t", "t", "o", "o", "o", "o"],
        "sentence_id": ["s1", "s2", "s2", "s3", "s4", "s5", "s6"],
        "power": ["CN", "CN", "CN", "US", "EU", "EU", "EU"],
        "method": ["masked_sentence"] * 7,
        "lexicon": ["vader"] * 7,
        "compound": [0.2, 0.4, 0.9, -0.3, 0.3, 0.3, 0.3],
        "relative": [0.0, 0.1, 0.2, -0.5, 0.1, 0.1, 0.1],
    })


def test_summary_by_hand(toy):
    s = S.summarize_powers(toy, POWERS, n_boot=2000, random_state=1).set_index(["group", "power"])
    assert list(S.summarize_powers(toy, POWERS, n_boot=200).columns[:7]) == [
        "group", "power", "method", "n_mentions", "mean_compound", "ci_low", "ci_high"]
    cn = s.loc[("UZ", "CN")]
    # n = 3; mean = (0.2 + 0.4 + 0.9) / 3 = 1.5 / 3 = 0.5; two distinct sentences, one speaker
    assert (cn.n_mentions, cn.n_sentences, cn.n_speakers) == (3, 2, 1)
    assert cn.mean_compound == pytest.approx(0.5)
    assert cn.mean_relative == pytest.approx(0.1)  # (0 + 0.1 + 0.2) / 3
    # a CI of the mean lies within the data's range and contains the sample mean
    assert 0.2 <= cn.ci_low <= 0.5 <= cn.ci_high <= 0.9
    assert cn.ci_method == "BCa"
    # one mention: its value is the mean, no interval
    us = s.loc[("KG", "US")]
    assert (us.n_mentions, us.mean_compound, us.ci_method) == (1, -0.3, "none (n<2)")
    assert math.isnan(us.ci_low) and math.isnan(us.ci_high)
    # a power never mentioned by a group is listed with n = 0
    assert s.loc[("UZ", "RU")].n_mentions == 0 and math.isnan(s.loc[("UZ", "RU")].mean_compound)
    assert len(s) == 2 * len(POWERS)
    # the powers in the order given, for every group
    assert S.summarize_powers(toy, ["TR", "EU", "US", "CN"], n_boot=200)["power"].tolist()[:4] == [
        "TR", "EU", "US", "CN"]


def test_summary_refuses_powers_it_was_not_given(toy):
    with pytest.raises(ValueError, match=r"not in powers: \['EU', 'US'\]"):
        S.summarize_powers(toy, ["CN"], n_boot=200)


def test_summary_falls_back_to_percentile_on_degenerate_data(toy):
    # KG x EU is 0.3, 0.3, 0.3: BCa's acceleration is 0/0 there; percentile gives [0.3, 0.3]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the fallback must not leave warnings behind
        s = S.summarize_powers(toy, POWERS, n_boot=500).set_index(["group", "power"])
    eu = s.loc[("KG", "EU")]
    assert eu.ci_method == "percentile"
    assert (eu.ci_low, eu.mean_compound, eu.ci_high) == pytest.approx((0.3, 0.3, 0.3))


class _NumpyWithoutRangeCheck:
    """numpy, except that every sample has a non-zero range (np.ptp)."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def ptp(x):
        return 1.0


def test_bca_failure_falls_back_to_percentile(monkeypatch):
    # skip the up-front degeneracy check so that SciPy's BCa itself fails (NaN plus a
    # DegenerateDataWarning); the fallback must catch that and leave no warning behind
    monkeypatch.setattr(c6lab.stats, "np", _NumpyWithoutRangeCheck())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high, how = mean_interval([0.3, 0.3, 0.3], n_boot=500)
    assert how == "percentile" and (low, high) == pytest.approx((0.3, 0.3))


def test_bootstrap_is_seeded():
    x = [0.1, 0.5, 0.2, 0.9, 0.4]
    assert mean_interval(x, n_boot=999, random_state=3) == mean_interval(x, n_boot=999, random_state=3)
    low, high, how = mean_interval(x, n_boot=999, random_state=3)
    assert how == "BCa" and 0.1 <= low < np.mean(x) < high <= 0.9


def test_summary_lists_requested_groups_without_mentions(toy):
    s = S.summarize_powers(toy, POWERS, groups=["AZ"], n_boot=200)
    az = s[s["group"] == "AZ"]
    assert len(az) == len(POWERS) and (az["n_mentions"] == 0).all()


# -- validation ---------------------------------------------------------------------------------------------
def test_label_thresholds():
    assert S.label_from_compound([0.05, 0.0499, 0.0, -0.0499, -0.05, 0.9]).tolist() == [1, 0, 0, 0, -1, 1]


def test_evaluate_and_confusion_by_hand():
    scored = pd.DataFrame({"mention_id": list("abcd"), "power": "US", "alias": "US",
                           "method": "m", "lexicon": "vader", "compound": [0.5, 0.0, -0.3, 0.2]})
    gold = pd.DataFrame({"mention_id": list("abcd"), "power": "US", "alias": "US",
                         "label": [1, 1, -1, 0]})
    # predicted: 1, 0, -1, 1 against gold 1, 1, -1, 0 -> accuracy 2/4 = 0.5
    # F1(+1): tp 1, fp 1, fn 1 -> P = R = 0.5, F1 = 0.5; F1(0): tp 0 -> 0; F1(-1): 1
    # macro-F1 = (0.5 + 0 + 1) / 3 = 0.5; majority class: 1 (2 of 4) -> 0.5
    ev = S.evaluate(scored, gold).iloc[0]
    assert (ev.n_mentions, ev.accuracy, ev.macro_f1, ev.baseline_accuracy) == pytest.approx(
        (4, 0.5, 0.5, 0.5))
    assert (ev.n_negative, ev.n_neutral, ev.n_positive, ev.baseline_label, ev.evaluation) == (
        1, 1, 2, 1, "all labels")
    cm = S.confusion(scored, gold).set_index(["gold", "predicted"])["n"]
    assert len(cm) == 9 and cm.sum() == 4
    assert (cm[(1, 1)], cm[(1, 0)], cm[(-1, -1)], cm[(0, 1)]) == (1, 1, 1, 1)


def test_evaluate_refuses_a_partial_join():
    scored = pd.DataFrame({"mention_id": ["a"], "power": "US", "alias": "US", "method": "m",
                           "lexicon": "vader", "compound": [0.5]})
    gold = pd.DataFrame({"mention_id": ["a", "b"], "power": "US", "alias": "US", "label": [1, 0]})
    with pytest.raises(ValueError, match="b: gold label but no such mention"):
        S.evaluate(scored, gold)


def test_evaluate_skips_and_counts_unlabelled_mentions_but_rejects_stale_labels():
    from c6lab.sentiment import evaluate

    s = pd.DataFrame({"mention_id": list("abc"), "power": "US", "alias": "US",
                      "method": "m", "lexicon": "vader", "compound": [0.5, 0.0, -0.9]})
    g = pd.DataFrame({"mention_id": list("ab"), "power": "US", "alias": "US", "label": [1, 1]})
    out = evaluate(s, g)
    # a: predicted +1, gold +1 (right); b: predicted 0, gold +1 (wrong); c: no label -> left out
    assert out[["n_mentions", "n_unlabelled", "accuracy"]].values.tolist() == [[2, 1, 0.5]]
    stale = pd.concat([g, pd.DataFrame({"mention_id": ["z"], "power": ["US"], "alias": ["US"], "label": [0]})])
    with pytest.raises(ValueError, match="z: gold label but no such mention"):
        evaluate(s, stale)


# -- powers are data ---------------------------------------------------------------------------------------
def _tick_labels(axis) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels()]


def test_a_power_added_to_powers_csv_reaches_every_table_and_figure(corpus_copy):
    # a corpus other than the bundled one: the same texts, one more power in its powers.csv
    powers_csv = corpus_copy / "lexicons" / "powers.csv"
    text = powers_csv.read_text(encoding="utf-8")
    powers_csv.write_text(text + ("" if text.endswith("\n") else "\n") + "KZ,Kazakhstan,no,state,\n",
                          encoding="utf-8")
    corpus = c6lab.open_corpus(corpus_copy)
    lex = corpus.lexicons
    assert lex.power_codes == (*POWERS, "KZ")
    kz = lex.powers[-1]
    assert (kz.code, kz.name) == ("KZ", "KZ") and kz.colour.startswith("#")  # no power_names.csv row

    # found: Bayramli's quote and the two unrelated teasers on the AnewZ page
    mentions = S.find_mentions(corpus.select(), lexicons=lex)
    found = mentions[mentions["power"] == "KZ"]
    assert found["alias"].tolist() == ["Kazakhstan"] * 3
    assert found["kind"].tolist() == ["quote", "unrelated", "unrelated"]
    # the bundled lists know no KZ: the same texts without the corpus's lists have none
    assert "KZ" not in set(S.find_mentions(corpus.select())["power"])

    # scored with "Kazakhstan" masked, and summarised with the other powers
    speech = corpus.select(["quote", "paraphrase"])
    scored = S.score_mentions(speech, lexicons=lex)
    kz_scored = scored[scored["power"] == "KZ"]
    assert len(kz_scored) == 1 and "_kz_" in kz_scored["scored_text"].iloc[0]
    summary = S.summarize_powers(scored, lex.power_codes, groups=["AZ", "KG", "UZ"], n_boot=200)
    assert summary["power"].unique().tolist() == [*POWERS, "KZ"]
    cells = summary.set_index(["group", "power"])["n_mentions"]
    assert (cells[("AZ", "KZ")], cells[("KG", "KZ")], cells[("UZ", "KZ")]) == (1, 0, 0)

    # drawn: a column of the heatmap, a row of the dot plot (from the summary, or given)
    for powers in (None, lex.powers):
        fig = heatmap(summary, powers=powers)
        assert _tick_labels(fig.axes[0].xaxis) == [*POWERS, "KZ"]
        fig = dot_plot(summary, powers=powers)
        assert _tick_labels(fig.axes[0].yaxis) == [*POWERS, "KZ"]
    matplotlib.pyplot.close("all")

    # validated: the new mentions have no hand label yet; they are counted, not an error
    gold = S.read_gold(corpus.root / GOLD)
    ev = S.evaluate(S.score_mentions(corpus.select(), lexicons=lex), gold)
    assert ev[["n_mentions", "n_unlabelled"]].values.tolist() == [[len(gold), 3]]


def test_a_power_built_in_memory_needs_no_file():
    lex = DEFAULT.replace(aliases=(*DEFAULT.aliases, Alias("KZ", "Astana", True, "state")))
    df = S.score_text("Astana and Beijing signed a deal.", lexicons=lex)
    assert df["power"].tolist() == ["KZ", "CN"]
    assert df["scored_text"].iloc[0] == "_kz_ and _cn_ signed a deal."
    # the default lists are not changed by it
    assert S.score_text("Astana and Beijing signed a deal.")["power"].tolist() == ["CN"]


def test_figures_refuse_a_power_order_that_leaves_out_a_power(toy):
    summary = S.summarize_powers(toy, POWERS, n_boot=200)
    with pytest.raises(ValueError, match="not in powers"):
        heatmap(summary, powers=["US", "CN"])
    fig = dot_plot(summary, powers=[replace(p, name="x") for p in reversed(DEFAULT.powers)])
    assert _tick_labels(fig.axes[0].yaxis) == list(reversed(POWERS))
    matplotlib.pyplot.close("all")


# -- a corpus without hand labels, or without mentions ----------------------------------------------
def _scored(ids, compounds, method="m"):
    return pd.DataFrame({"mention_id": ids, "power": "US", "alias": "US", "method": method,
                         "lexicon": "vader", "compound": compounds})


def test_a_gold_file_with_only_its_header_is_an_empty_table_with_its_columns(tmp_path):
    # what `c6lab corpus init` writes
    path = tmp_path / "gold.csv"
    path.write_text("mention_id,power,alias,label,reason\n", encoding="utf-8")
    gold = S.read_gold(path)
    assert gold.empty and list(gold.columns) == ["mention_id", "power", "alias", "label", "reason"]
    assert gold["label"].dtype == "int64"
    # extra columns of the file are kept, in its order
    path.write_text("mention_id,kind,power,alias,label,reason,sentence\n", encoding="utf-8")
    assert list(S.read_gold(path).columns) == ["mention_id", "kind", "power", "alias", "label", "reason", "sentence"]


def test_evaluate_and_confusion_with_no_labelled_mention(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("mention_id,power,alias,label,reason\n", encoding="utf-8")
    gold = S.read_gold(path)
    scored = pd.concat([_scored(["a:0-2", "a:5-7"], [0.5, 0.0]), _scored(["a:0-2", "a:5-7"], [0.1, 0.0], "w")])
    ev = S.evaluate(scored, gold)
    assert ev[["method", "n_mentions", "n_unlabelled"]].values.tolist() == [["m", 0, 2], ["w", 0, 2]]
    measures = ["accuracy", "accuracy_ci_low", "macro_f1", "macro_f1_ci_high", "kappa", "baseline_accuracy"]
    assert ev[measures].isna().all().all()
    cm = S.confusion(scored, gold)
    assert len(cm) == 18 and (cm["n"] == 0).all() and cm["n"].dtype == "int64"
    # nothing scored at all (a corpus without a mention of any power): tables with columns, no rows
    none = scored.iloc[:0]
    assert S.evaluate(none, gold).empty and list(S.evaluate(none, gold).columns) == S.VALIDATION_COLUMNS
    assert S.evaluate(none, gold, tune_band=True).empty
    assert S.confusion(none, gold).empty and list(S.confusion(none, gold).columns) == [
        "method", "lexicon", "gold", "predicted", "n"]
    # but a label whose mention has gone is still an error, also when nothing was found
    stale = pd.DataFrame({"mention_id": ["z"], "power": ["US"], "alias": ["US"], "label": [0]})
    with pytest.raises(ValueError, match="z: gold label but no such mention"):
        S.evaluate(none, stale)
    # the facts the notebook quotes: nothing labelled, nothing else
    assert S.facts.validation_facts(ev, cm, "m") == {"n_labelled": 0, "n_unlabelled": 2}
    assert S.facts.validation_facts(S.evaluate(none, gold), S.confusion(none, gold), "m") == {
        "n_labelled": 0, "n_unlabelled": 0}
    assert S.facts.domain_effect(ev) == []


def test_the_notebook_steps_run_on_a_corpus_without_mentions():
    speech = pd.DataFrame({"article_id": ["a"], "segment_id": ["a-1"], "kind": ["quote"], "speaker_id": ["k"],
                           "speaker": ["Dilnoza Karimova"], "country": ["UZ"], "reviewed": [False],
                           "char_start": [0], "text": ["Trade is growing quickly. Markets open."]})
    mentions = S.find_mentions(speech)
    scored = S.score_mentions(speech)
    assert mentions.empty and scored.empty
    summary = S.summarize_powers(scored, POWERS, groups=["UZ"], n_boot=99)
    assert summary.empty and list(summary.columns) == S.SUMMARY_COLUMNS
    table = S.facts.mentions_per_group(speech, mentions, POWERS, "country")
    assert table.loc["UZ", "all mentions"] == 0 and table.loc["UZ", "n_sentences"] == 2
    assert S.facts.cell_facts(summary)["n_cells"] == 0
    assert S.facts.unreviewed_mentions(mentions, speech) == 0
    assert [p["code"] for p in S.facts.absent_powers(mentions, mentions, DEFAULT.powers)] == list(POWERS)
    assert S.facts.setting_extremes(scored, "country")["n_settings"] == 0
    with pytest.raises(ValueError, match="no row to draw"):
        heatmap(summary)


# -- facts quoted by the notebook, on the bundled corpus ------------------------------------------------
def test_facts_of_the_bundled_corpus(study):
    lex = study.lexicons
    speech = study.select(["quote", "paraphrase"])
    mentions = S.find_mentions(speech, lexicons=lex)
    every = S.find_mentions(study.select(), lexicons=lex)
    members = S.facts.group_members(speech, "country")
    assert members[0] == {"group": "AZ", "speakers": ["Farid Shafiyev", "Roza Bayramli"]}
    table = S.facts.mentions_per_group(speech, mentions, lex.powers, "country", lexicons=lex)
    assert table["all mentions"].sum() == len(mentions)
    assert table.loc["KG", "all mentions"] == (mentions["country"] == "KG").sum()
    absent = S.facts.absent_powers(mentions, every, lex.powers)
    assert [(p["code"], p["kinds"]) for p in absent] == [("RU", {"unrelated": int((every["power"] == "RU").sum())})]
    scored = S.score_mentions(speech, lexicons=lex)
    summary = S.summarize_powers(scored, lex.power_codes, n_boot=200)
    cells = S.facts.cell_facts(summary)
    assert cells["n_mentions"] == len(mentions)
    assert cells["n_cells"] == int((summary["n_mentions"] > 0).sum())
    assert cells["several_speakers"] == [{"group": "AZ", "power": "EU", "n_speakers": 2}]
    gold = S.read_gold(study.root / GOLD)
    runs = pd.concat([S.score_mentions(study.select(), method=m, lexicons=lex) for m in S.METHODS])
    ev, cm = S.evaluate(runs, gold), S.confusion(runs, gold)
    f = S.facts.validation_facts(ev, cm, "masked_sentence")
    assert f["n_labelled"] == len(gold) and sum(f["labels"].values()) == len(gold)
    assert f["majority_label"] == 0 and f["majority_accuracy"] == pytest.approx(f["labels"][0] / len(gold))
    head = ev.set_index("method").loc["masked_sentence"]
    assert f["headline"]["accuracy"] == head["accuracy"] and f["headline"]["macro_f1"] == head["macro_f1"]
    cell = cm[(cm["method"] == "masked_sentence") & (cm["gold"] == 0) & (cm["predicted"] == 1)]["n"].item()
    assert f["headline"]["neutral_positive"] == cell
    assert f["headline"]["n_correct"] == round(head["accuracy"] * len(gold))
    table = S.facts.confusion_table(cm)
    assert table.dtypes.eq("int64").all() and table.to_numpy().sum() == 3 * len(gold)
    assert list(table.columns) == [-1, 0, 1]


def test_domain_changes_follow_the_file():
    changes = S.facts.domain_changes(DEFAULT.vader_domain, S.vader_lexicon())
    plain = S.vader_lexicon()
    assert all(w not in plain for w, _ in changes["added"])
    assert all(plain[w] == old and old != new for w, old, new in changes["changed"])
    assert {w for w, _ in changes["removed"]} == {w for w, v, _ in DEFAULT.vader_domain if v == 0 and w in plain}


# -- figures ------------------------------------------------------------------------------------------------
def test_heatmap_mutes_thin_cells_and_writes_n_in_every_cell(toy):
    from matplotlib.patches import Rectangle

    summary = S.summarize_powers(pd.concat([toy, toy.iloc[3:].assign(sentence_id="s9")]), POWERS, n_boot=200)
    fig = heatmap(summary, powers=POWERS)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    n = summary.set_index(["group", "power"])["n_mentions"]
    assert len(texts) == len(n)  # one label per cell, each with its n
    assert sorted(int(t.rsplit("n=", 1)[1]) for t in texts) == sorted(n.tolist())
    hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert len(hatched) == int(((n > 0) & (n < 5)).sum())  # KG x EU has 6 mentions: coloured
    image = ax.images[0].get_array()
    coloured = ~np.ma.getmaskarray(image)
    assert coloured.sum() == int((n >= 5).sum()) == 1
    small = [t for t in ax.texts if t.get_text().endswith("n=3")]
    assert small and all(t.get_fontsize() < 9 for t in small)
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "fewer than 5 mentions" in legend and "n=0" in legend
    assert "lexicon tone" in ax.get_title().lower() and "lexicon tone" in fig.axes[1].get_ylabel()
    assert "lexicon tone" in dot_plot(summary).axes[0].get_xlabel()
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize("name", ["a$b$c", r"a$\notacommand$b", "$", "cost $5"])
def test_figures_draw_names_with_dollar_signs_as_written(toy, name):
    from c6lab.plots import bar_by_kind
    from c6lab.plots.corpus import plain

    summary = S.summarize_powers(toy.assign(country=toy["country"].replace({"UZ": name})), POWERS, n_boot=200)
    for fig in (heatmap(summary), dot_plot(summary)):
        fig.canvas.draw()  # mathtext would fail on \notacommand, or set b in italics
        # the heatmap has the groups as rows, the dot plot in its legend
        labels = _tick_labels(fig.axes[0].yaxis) + fig.axes[0].get_legend_handles_labels()[1]
        assert plain(name) in labels
    words = pd.DataFrame({"speaker": [name, "B"], "kind": "quote", "n_words": [3, 5]})
    fig = bar_by_kind(words, group="speaker", title=f"Words of {name}")
    fig.canvas.draw()
    assert plain(name) in _tick_labels(fig.axes[0].yaxis)
    matplotlib.pyplot.close("all")
