"""The short cuts of notebook 03's tone stage give what the long way gives.

Each test builds its own small corpus table and compares the fast path with the general one
(or with a count by hand): the masking of a text without a mention, the sentence counts per
group, and the gold check done once for settings that share their mentions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from c6lab import sentiment as S
from c6lab.lexicons import Lexicons
from c6lab.sentiment import facts
from c6lab.sentiment.mentions import MAX_SENTENCE_CHARS, clean, mask, masked_sentences
from c6lab.sentiment.validation import check_gold
from c6lab.text import sentence_spans

LEX = Lexicons.default()


@pytest.mark.parametrize("text", [
    "No power here. None at all.",
    "\u201cGood\u201d\u2014it said. Fine \u2013 fine.",  # curly quotes and dashes are cleaned
    "   Leading space.  Trailing space.   ",
    ("word " * (MAX_SENTENCE_CHARS // 2)).strip() + ".",  # cut into pieces at white space
    "",
])
def test_text_without_mention_masked_as_the_general_path(text):
    sents = list(masked_sentences(text, LEX))
    assert all(not s.targets for s in sents)
    for s in sents:
        assert s.text == text[s.start:s.end] and s.text == s.text.strip() and s.text
        assert s.cleaned == clean(s.text)
        # what mask() makes of a sentence with no match: the general path
        assert s.masked == mask(s.cleaned, s.start, [])[0]
    if len(text) > MAX_SENTENCE_CHARS:
        assert len(sents) > 1 and all(len(s.text) <= MAX_SENTENCE_CHARS for s in sents)
    assert [s.number for s in sents] == list(range(len(sents)))


def test_text_with_a_mention_still_masked():
    sents = list(masked_sentences("Trust grows. China builds roads.", LEX))
    assert [s.masked for s in sents] == ["Trust grows.", "_cn_ builds roads."]
    assert [len(s.targets) for s in sents] == [0, 1]


def _speech():
    return pd.DataFrame({
        "article_id": ["a", "a", "b", "b", "c"],
        "segment_id": ["a1", "a2", "b1", "b2", "c1"],
        "kind": "quote",
        "speaker_id": ["x", "y", "x", "z", "w"],
        "country": ["UZ", "KG", "UZ", "KZ", "KG"],
        "text": ["China came. It left. Then rain.", "Fine.", "Russia spoke. Yes.", "One. Two. Three. Four.",
                 "No full stop here"]})


def test_sentences_per_group_counted_by_hand():
    speech = _speech()
    mentions = S.find_mentions(speech, lexicons=LEX)
    table = facts.mentions_per_group(speech, mentions, ["US", "CN", "RU"], "country", LEX)
    # by hand: UZ 3 + 2, KG 1 + 1, KZ 4
    assert table["n_sentences"].to_dict() == {"KG": 2, "KZ": 4, "UZ": 5}
    # and as the splitter counts them, segment by segment
    for g, n in table["n_sentences"].items():
        assert n == sum(len(sentence_spans(t, LEX)) for t in speech.loc[speech["country"] == g, "text"])
    assert table.loc["UZ", "CN"] == 1 and table.loc["UZ", "RU"] == 1 and table.loc["KG", "CN"] == 0


def test_sentences_per_group_of_an_empty_speech():
    speech = _speech().iloc[:0]
    table = facts.mentions_per_group(speech, S.find_mentions(speech, lexicons=LEX), ["US"], "country", LEX)
    assert len(table) == 0 and "n_sentences" in table


def _scored(methods=("m1", "m2")):
    one = pd.DataFrame({"mention_id": ["a:0-5", "a:10-15", "b:0-5"], "power": ["US", "CN", "RU"],
                        "alias": ["Trump", "China", "Putin"], "lexicon": "vader",
                        "compound": [0.5, -0.4, 0.0], "article_id": ["a", "a", "b"]})
    return pd.concat([one.assign(method=m) for m in methods], ignore_index=True)


def _gold():
    return pd.DataFrame({"mention_id": ["a:0-5", "a:10-15", "b:0-5"], "power": ["US", "CN", "RU"],
                         "alias": ["Trump", "China", "Putin"], "label": [1, -1, 0]})


def test_gold_problem_reported_for_every_setting_that_shares_the_mentions():
    gold = _gold().assign(power=["US", "CN", "KZ"])  # the label of b:0-5 names another power
    with pytest.raises(ValueError) as err:
        S.evaluate(_scored(), gold, n_boot=9)
    msg = str(err.value)
    assert "m1/vader: b:0-5: gold says power 'KZ'" in msg and "m2/vader: b:0-5: gold says power 'KZ'" in msg


def test_gold_checked_again_where_a_setting_has_other_mentions():
    scored = _scored()
    # the second setting found another alias at b:0-5: only that setting's check may say so
    scored.loc[(scored["method"] == "m2") & (scored["mention_id"] == "b:0-5"), "alias"] = "Moscow"
    with pytest.raises(ValueError) as err:
        S.confusion(scored, _gold())
    problems = str(err.value).splitlines()[1:]
    expected = [f"{m}/vader: {p}" for m, part in scored.groupby("method", sort=False)
                for p in check_gold(part, _gold())]
    assert problems == expected == ["m2/vader: b:0-5: gold says alias 'Putin', the finder 'Moscow'"]


def test_shared_mentions_give_the_same_measures_per_setting():
    v = S.evaluate(_scored(), _gold(), n_boot=99)
    assert v["method"].tolist() == ["m1", "m2"]
    cols = ["n_mentions", "accuracy", "macro_f1", "macro_f1_ci_low", "macro_f1_ci_high", "kappa"]
    assert v.iloc[0][cols].tolist() == v.iloc[1][cols].tolist()
    assert v.iloc[0]["accuracy"] == pytest.approx(1.0)  # 0.5 -> +1, -0.4 -> -1, 0.0 -> 0: all agree


def _check_gold_the_long_way(mentions, gold):
    # check_gold as it was written first: duplicated, sets and a merge on the ids themselves
    out = []
    for name, df in (("mentions", mentions), ("gold", gold)):
        out += [f"{mid}: repeated in {name}" for mid in df.loc[df["mention_id"].duplicated(), "mention_id"]]
    m, g = set(mentions["mention_id"]), set(gold["mention_id"])
    out += [f"{mid}: found but has no gold label" for mid in sorted(m - g)]
    out += [f"{mid}: gold label but no such mention" for mid in sorted(g - m)]
    both = mentions[["mention_id", "power", "alias"]].drop_duplicates("mention_id").merge(
        gold[["mention_id", "power", "alias"]].drop_duplicates("mention_id"), on="mention_id", suffixes=("", "_gold"))
    for r in both.itertuples(index=False):
        for col in ("power", "alias"):
            if getattr(r, col) != getattr(r, f"{col}_gold"):
                out.append(f"{r.mention_id}: gold says {col} {getattr(r, f'{col}_gold')!r}, "
                           f"the finder {getattr(r, col)!r}")
    return out


def test_check_gold_as_the_long_way_on_every_kind_of_problem():
    rng = np.random.default_rng(0)
    ids = [f"{a}:{i}-{i + 5}" for a in "abcdefg" for i in range(0, 60, 6)]
    powers, aliases = np.array(["US", "CN", "RU"]), np.array(["Trump", "China", "Putin", "Xi"])
    for trial in range(30):
        mentions = pd.DataFrame({"mention_id": rng.choice(ids, 40), "power": rng.choice(powers, 40),
                                 "alias": rng.choice(aliases, 40)}, index=rng.permutation(40) + 7)
        gold = pd.DataFrame({"mention_id": rng.choice(ids, 35), "power": rng.choice(powers, 35),
                             "alias": rng.choice(aliases, 35)})
        if trial % 3 == 0:  # also with the gold taken from the mentions, few problems
            gold = mentions.drop_duplicates("mention_id").iloc[::-1].reset_index(drop=True)
            gold.loc[0, "alias"] = "Moscow"
        got = check_gold(mentions, gold)
        assert got == _check_gold_the_long_way(mentions, gold)
        assert trial % 3 != 0 or any("gold says alias 'Moscow'" in p for p in got)
    empty = pd.DataFrame({"mention_id": [], "power": [], "alias": []}, dtype=object)
    assert check_gold(empty, empty) == []
    assert check_gold(empty, gold) == _check_gold_the_long_way(empty, gold) != []


def test_baselines_reused_across_settings_as_computed_per_call():
    from c6lab.sentiment.runs import MentionScores

    speech = _speech()
    tone = MentionScores(speech, lexicons=LEX, settings=S.tone_settings(5, windows=(3, 5)))
    for domain in (False, True):
        first = tone.score_mentions("masked_sentence", 5, domain)
        first["baseline"] = 99.0  # the caller's copy: the next setting must not see it
        for method, k in (("naive_sentence", 5), ("window", 3), ("masked_sentence", 5)):
            again = tone.score_mentions(method, k, domain)
            fresh = MentionScores(speech, lexicons=LEX, settings=S.tone_settings(5, windows=(3, 5)))
            pd.testing.assert_frame_equal(again, fresh.score_mentions(method, k, domain))
            base = tone.speaker_baselines(domain).set_index("voice")["baseline"]
            assert again["baseline"].tolist() == again["voice"].map(base).tolist()
    # speaker x's sentences without a mention, scored by VADER itself
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    x = tone.speaker_baselines(False).set_index("voice").loc["x"]
    plain = [vader.polarity_scores(t)["compound"] for t in ("It left.", "Then rain.", "Yes.")]
    assert x["n_sentences"] == 3 and x["baseline"] == round(float(np.mean(plain)), 4) != 0
