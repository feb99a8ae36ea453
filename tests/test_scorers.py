"""The scorer interface: method names map to scorer objects, score_texts gives one long
table equal to score_text's rows, scorers of one's own plug in and are checked, tone
scoring stays linear in structure (one tokenisation per sentence, bounded sentences), and
the optional transformer scorer's plumbing on a tiny random model built here (skipped,
saying why, where transformers or torch are not installed)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import c6lab
from c6lab import Lexicons
from c6lab import sentiment as S
from c6lab.lexicons import Alias
from c6lab.sentiment import scoring
from c6lab.sentiment.mentions import masked_sentences
from c6lab.sentiment.vadercache import VaderCache
from c6lab.sentiment.validation import THRESHOLD, label_from_compound

DEFAULT = Lexicons.default()


def vader_compound(s: float) -> float:
    return s / math.sqrt(s * s + 15)


# -- method names and scorer objects -----------------------------------------------------------
def test_method_names_map_to_the_vader_scorers():
    assert type(S.get_scorer("masked_sentence")) is S.MaskedVader
    assert type(S.get_scorer("naive_sentence")) is S.NaiveVader
    w = S.get_scorer("window", window=3, domain=True)
    assert type(w) is S.WindowVader and w.window == 3 and w.lexicon == "vader+domain"
    assert [S.get_scorer(m).name for m in S.METHODS] == list(S.METHODS)
    mine = S.MaskedVader()
    assert S.get_scorer(mine) is mine
    with pytest.raises(ValueError, match="method must be one of"):
        S.get_scorer("paragraph")
    with pytest.raises(ValueError, match="window must be a non-negative integer"):
        S.get_scorer("window", window=-1)
    with pytest.raises(TypeError, match="domain must be True or False"):
        S.MaskedVader(domain="yes")


def test_string_and_object_give_the_same_table():
    text = "Peace came to the region after many long years, and then the EU arrived. China left."
    for method, obj in (("masked_sentence", S.MaskedVader()), ("naive_sentence", S.NaiveVader()),
                        ("window", S.WindowVader(2))):
        by_name = S.score_text(text, method=method, window=2)
        pd.testing.assert_frame_equal(by_name, S.score_text(text, method=obj))


def test_vader_labels_follow_the_validation_threshold():
    assert scoring.VADER_THRESHOLD == THRESHOLD
    values = [0.05, 0.0499, 0.0, -0.0499, -0.05, 0.9]
    assert [scoring.label_from_score(v) for v in values] == label_from_compound(values).tolist()


def test_window_scorer_with_several_mentions_in_one_sentence():
    # each mention gets its own window of the masked sentence (tokens split once)
    text = "Peace came for the people of China, and after many long years came war with Russia."
    df = S.score_text(text, method="window", window=2)
    assert df["scored_text"].tolist() == ["people of _cn_, and after", "war with _ru_."]
    # peace 2.5 is not in China's window; war -2.9 -> -2.9 / sqrt(8.41 + 15) = -0.5994 is in Russia's
    assert df["compound"].tolist() == [0.0, pytest.approx(vader_compound(-2.9), abs=1e-4)]
    assert df["label"].tolist() == [0, -1]


# -- score_texts ------------------------------------------------------------------------------------
SENTENCES = ["Peace with China.", "No power here.", "", "Russia's war in Ukraine is a crisis.",
             "LET US GO.", "The EU and the US met. Trump left."]


def test_score_texts_by_hand():
    df = S.score_texts(SENTENCES)
    assert list(df.columns) == ["sentence_index", "power", "alias", "alias_type", "start", "end", "score",
                                "label", "method", "lexicon"]
    assert df[["sentence_index", "power", "alias"]].values.tolist() == [
        [0, "CN", "China"], [3, "RU", "Russia"], [5, "EU", "EU"], [5, "US", "US"], [5, "US", "Trump"]]
    # peace 2.5 -> 2.5 / sqrt(21.25) = 0.5423; war -2.9 + crisis -3.1 = -6 -> -0.8402
    assert df["score"].tolist()[:2] == [pytest.approx(0.5423, abs=1e-4), pytest.approx(-0.8402, abs=1e-4)]
    assert df["label"].tolist()[:2] == [1, -1]
    # split=False: the item is one sentence, the offsets are into it
    for r in df.itertuples():
        assert SENTENCES[r.sentence_index][r.start:r.end] == r.alias
    assert set(df["method"]) == {"masked_sentence"} and set(df["lexicon"]) == {"vader"}


def test_score_texts_equals_score_text_row_by_row():
    corpus = c6lab.open_corpus()
    texts = corpus.select()["text"].tolist()
    for method in S.METHODS:
        batch = S.score_texts(texts, method=method, split=True, lexicons=corpus.lexicons)
        one = pd.concat([S.score_text(t, method=method, lexicons=corpus.lexicons).assign(sentence_index=i)
                         for i, t in enumerate(texts)], ignore_index=True)
        assert len(batch) == len(one) > 20
        assert batch["sentence_index"].tolist() == one["sentence_index"].tolist()
        for col in ("power", "alias", "start", "end", "label"):
            assert batch[col].tolist() == one[col].tolist(), col
        assert batch["score"].tolist() == one["compound"].tolist()
    # and the mentions are those of find_mentions
    found = S.find_mentions(corpus.select(), lexicons=corpus.lexicons)
    assert len(S.score_texts(texts, split=True, lexicons=corpus.lexicons)) == len(found)


def test_score_texts_batches_give_the_same_table():
    texts = SENTENCES * 7
    whole = S.score_texts(texts)
    pd.testing.assert_frame_equal(whole, S.score_texts(texts, batch_size=2))
    pd.testing.assert_frame_equal(whole, S.score_texts(iter(texts), batch_size=1))


def test_score_texts_bad_input():
    empty = S.score_texts([])
    assert empty.empty and "sentence_index" in empty.columns
    with pytest.raises(TypeError, match="not one string"):
        S.score_texts("China.")
    with pytest.raises(TypeError, match=r"sentences\[1\] is int"):
        S.score_texts(["China.", 5])
    with pytest.raises(ValueError, match="batch_size"):
        S.score_texts(["China."], batch_size=0)


def test_score_texts_on_a_corpus_of_its_own_lists():
    # a new power with its own aliases, built in memory
    lex = DEFAULT.replace(aliases=(*DEFAULT.aliases, Alias("KZ", "Kazakhstan", False, "state"),
                                   Alias("KZ", "Kazakhs", True, "state")))
    df = S.score_texts(["Kazakhs welcome peace.", "KAZAKHSTAN and China."], lexicons=lex)
    assert df[["sentence_index", "power", "alias"]].values.tolist() == [
        [0, "KZ", "Kazakhs"], [1, "KZ", "KAZAKHSTAN"], [1, "CN", "China"]]
    # "welcome" 2.0 + "peace" 2.5 = 4.5 -> 4.5 / sqrt(20.25 + 15) = 0.7579
    assert df["score"].iloc[0] == pytest.approx(vader_compound(4.5), abs=1e-4)
    assert S.score_texts(["Kazakhs welcome peace."]).empty  # not in the package's lists


# -- scorers of one's own --------------------------------------------------------------------------
class Sign(S.Scorer):
    """+0.5 for a sentence with "good", -0.5 with "bad", else 0; baseline 0.25."""

    name, lexicon = "sign", "words"

    def score(self, sentences):
        out = []
        for s in sentences:
            value = 0.5 if "good" in s.text else -0.5 if "bad" in s.text else 0.0
            out.extend(S.Scored(s.text, value, int(np.sign(value))) for _ in s.targets)
        return out

    def baseline(self, sentences):
        return [0.25] * len(sentences)


def test_own_scorer_in_score_text_and_score_mentions():
    df = S.score_text("China is good. Russia is bad. The EU is here.", method=Sign())
    assert df[["power", "compound", "label", "method", "lexicon"]].values.tolist() == [
        ["CN", 0.5, 1, "sign", "words"], ["RU", -0.5, -1, "sign", "words"], ["EU", 0.0, 0, "sign", "words"]]
    segs = pd.DataFrame({"article_id": ["a", "a"], "segment_id": ["s1", "s2"], "kind": ["quote"] * 2,
                         "speaker_id": ["x", "x"], "char_start": [0, 40],
                         "text": ["China is good. Nothing here.", "Calm day. Russia is bad."]})
    scored = S.score_mentions(segs, method=Sign())
    assert scored[["mention_id", "compound", "baseline", "n_baseline_sentences", "relative"]].values.tolist() == [
        ["a:0-5", 0.5, 0.25, 2, 0.25], ["a:50-56", -0.5, 0.25, 2, -0.75]]
    assert set(scored["method"]) == {"sign"}


def test_a_scorer_without_baseline_gives_nan_baselines():
    class NoBase:  # duck-typed: name, lexicon and score are enough
        name, lexicon = "nobase", "none"

        def score(self, sentences):
            return [S.Scored(s.text, 0.1, 1) for s in sentences for _ in s.targets]

    segs = pd.DataFrame({"segment_id": ["s1"], "speaker_id": ["x"], "text": ["China grew. Calm."]})
    scored = S.score_mentions(segs, method=NoBase())
    assert scored["compound"].tolist() == [0.1] and scored["baseline"].isna().all()


@pytest.mark.parametrize("bad", [
    lambda sents: [],  # too few results
    lambda sents: [S.Scored("x", 1.5, 1) for s in sents for _ in s.targets],  # out of range
    lambda sents: [S.Scored("x", 0.5, 2) for s in sents for _ in s.targets],  # not a label
])
def test_a_scorer_that_breaks_the_contract_is_refused(bad):
    class Broken(S.Scorer):
        name, lexicon = "broken", ""

        def score(self, sentences):
            return bad(sentences)

    with pytest.raises(ValueError, match="scorer 'broken'"):
        S.score_text("China and Russia.", method=Broken())
    with pytest.raises(ValueError, match="scorer 'broken'"):
        S.score_texts(["China and Russia."], method=Broken())


# -- one analysis per segment, bounded sentences ------------------------------------------------------
def test_score_mentions_analyses_each_segment_once(monkeypatch):
    from c6lab.sentiment import mentions

    corpus = c6lab.open_corpus()
    speech = corpus.select(["quote", "paraphrase"])
    calls = []
    original = mentions.masked_sentences

    def counting(text, *args, **kwargs):
        calls.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(mentions, "masked_sentences", counting)
    scored = S.score_mentions(speech, lexicons=corpus.lexicons)
    assert len(calls) == len(speech) and len(scored) > 0  # mentions and baselines from one pass


def test_long_sentences_are_bounded():
    from c6lab.sentiment.mentions import MAX_SENTENCE_CHARS

    text = ("word " * 3000) + "China."
    sents = list(masked_sentences(text))
    assert max(s.end - s.start for s in sents) <= MAX_SENTENCE_CHARS
    assert "".join(text[s.start:s.end] + " " for s in sents).split() == text.split()


# -- the transformer scorer ----------------------------------------------------------------------------
def test_import_c6lab_does_not_import_transformers():
    code = ("import sys, c6lab, c6lab.sentiment, c6lab.sentiment.transformer; "
            "print(sorted(m for m in ('transformers', 'torch') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_missing_model_folder_is_one_line(tmp_path):
    from c6lab.sentiment.transformer import ModelError, TransformerScorer

    with pytest.raises(ModelError, match="no model folder at") as err:
        TransformerScorer(tmp_path / "nothing")
    assert "\n" not in str(err.value)
    with pytest.raises(ModelError, match="has no config.json"):
        TransformerScorer(tmp_path)


WORDS = "the text is positive negative neutral about china russia us eu . , and met left good bad".split()


def _tiny_model(folder, labels):
    """A randomly initialised 2-layer BERT with a 3-way head and a tiny WordPiece vocabulary."""
    torch = pytest.importorskip("torch", reason="torch is not installed (pip install 'c6lab[models]')")
    transformers = pytest.importorskip("transformers",
                                       reason="transformers is not installed (pip install 'c6lab[models]')")
    vocab = folder / "vocab.txt"
    folder.mkdir(parents=True, exist_ok=True)
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizer(str(vocab))
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=len(WORDS) + 5, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=37, max_position_embeddings=64, initializer_range=0.5, num_labels=3,
        id2label=dict(enumerate(labels)), label2id={n: i for i, n in enumerate(labels)})
    model = transformers.BertForSequenceClassification(config)
    model.save_pretrained(folder / "model")
    tokenizer.save_pretrained(folder / "model")
    return folder / "model"


@pytest.fixture(scope="module")
def nli_model(tmp_path_factory):
    return _tiny_model(tmp_path_factory.mktemp("nli"), ["entailment", "neutral", "contradiction"])


@pytest.fixture(scope="module")
def classifier_model(tmp_path_factory):
    return _tiny_model(tmp_path_factory.mktemp("cls"), ["negative", "neutral", "positive"])


TEXTS = ["China and Russia met.", "Nothing here.", "The US left. The EU is good, Russia bad."]


def test_nli_scorer_plumbing(nli_model):
    from c6lab.sentiment.transformer import TransformerScorer

    scorer = TransformerScorer(nli_model, batch_size=4)
    assert (scorer.kind, scorer.name, scorer.lexicon) == ("nli", "nli", "model")
    df = S.score_texts(TEXTS, method=scorer, split=True)
    assert df[["sentence_index", "power"]].values.tolist() == [[0, "CN"], [0, "RU"], [2, "US"], [2, "EU"],
                                                              [2, "RU"]]
    assert df["score"].between(-1, 1).all() and set(df["label"]) <= {-1, 0, 1}
    assert df["score"].nunique() > 1  # the random model does not give one constant
    # one row per mention in score_text too, with the sentence as the model read it
    one = S.score_text(TEXTS[2], method=scorer)
    assert one["scored_text"].tolist() == ["The US left.", "The EU is good, Russia bad.",
                                           "The EU is good, Russia bad."]
    assert one["compound"].tolist() == df["score"].tolist()[2:]


def test_nli_scorer_against_the_zero_shot_pipeline(nli_model):
    # transformers' own zero-shot pipeline: softmax over the entailment logits of the
    # three hypotheses, as the scorer computes them
    transformers = pytest.importorskip("transformers")
    from c6lab.sentiment.transformer import TransformerScorer

    scorer = TransformerScorer(nli_model)
    pipe = transformers.pipeline("zero-shot-classification", model=scorer.model, tokenizer=scorer.tokenizer)
    df = S.score_text("China and Russia met.", method=scorer)
    for row in df.itertuples():
        out = pipe(row.sentence, candidate_labels=["positive", "negative", "neutral"],
                   hypothesis_template="The text is {} about " + row.alias + ".")
        p = dict(zip(out["labels"], out["scores"], strict=True))
        assert row.compound == pytest.approx(p["positive"] - p["negative"], abs=1e-4)
        assert row.label == {"positive": 1, "negative": -1, "neutral": 0}[max(p, key=p.get)]


def test_classifier_scorer_plumbing(classifier_model):
    torch = pytest.importorskip("torch")
    from c6lab.sentiment.transformer import TransformerScorer

    scorer = TransformerScorer(classifier_model, name="tiny")
    assert scorer.kind == "classifier" and scorer.stances == {0: -1, 1: 0, 2: 1}
    df = S.score_text("China and Russia met. The EU left.", method=scorer)
    assert df["method"].tolist() == ["tiny"] * 3
    # by hand: the model's softmax on the sentence, P(positive) - P(negative)
    enc = scorer.tokenizer(["China and Russia met."], return_tensors="pt")
    with torch.no_grad():
        p = torch.softmax(scorer.model(**enc).logits, dim=1)[0].tolist()
    assert df["compound"].iloc[0] == pytest.approx(round(p[2] - p[0], 4))
    assert df["label"].iloc[0] == [-1, 0, 1][int(np.argmax(p))]
    # pairs: the alias is the second input, so two mentions of one sentence may differ
    paired = S.score_text("China and Russia met.", method=TransformerScorer(classifier_model, pair=True))
    assert len(paired) == 2 and paired["compound"].between(-1, 1).all()


def test_model_with_unusable_labels_is_refused(tmp_path):
    from c6lab.sentiment.transformer import ModelError, TransformerScorer

    path = _tiny_model(tmp_path / "odd", ["apples", "pears", "plums"])
    with pytest.raises(ModelError, match="three labels naming negative, neutral and positive"):
        TransformerScorer(path)
    with pytest.raises(ModelError, match="an NLI model needs an 'entailment' label"):
        TransformerScorer(path, kind="nli")


def test_corpus_mentions_still_takes_an_old_style_score_function():
    # (sentence, placeholder offset) -> (scored text, compound), as before the scorer objects
    segs = pd.DataFrame({"segment_id": ["s1"], "text": ["Trump met Xi. Calm."]})
    rows, docvars = S.mentions.corpus_mentions(segs, score=lambda sent, at: (sent.masked[at:at + 4], 0.5))
    assert docvars == ["segment_id"]
    assert [(r["power"], r["scored_text"], r["compound"]) for r in rows] == [("US", "_us_", 0.5),
                                                                            ("CN", "_cn_", 0.5)]


# -- every setting from one analysis (MentionScores, VaderCache) ----------------------------------
def _tricky_texts(n: int = 3000) -> list[str]:
    """Texts made of VADER's rule words, rated words in any case, words it has no entry for,
    punctuation and an emoji: the stand-ins of VaderCache must change no score."""
    pool = ["not", "no", "never", "so", "this", "but", "BUT", "least", "at", "very", "kind", "of", "without",
            "doubt", "isn't", "don't", "the", "bomb", "shit", "bad", "ass", "extremely", "barely", "GOOD",
            "good", "Good!", "great?", "terrible", "war", "peace", "cooperation", "like", "united", "corridor",
            "ROADS", "Roads", "roads,", "(cargo)", "US", "u.s.", "A.", "x", "!!", "?", "??", ":)", "--", "1998",
            "zqx", "ZQX!", "_us_", "_pw_war_", "_x_", "\U0001f600", "caf\u00e9", "\u201cGood\u201d", "nor", "or"]
    rng = np.random.default_rng(7)
    return [" ".join(rng.choice(pool, size=rng.integers(1, 14))) for _ in range(n)]


def test_vader_cache_gives_vaders_own_score_of_every_text():
    lex = DEFAULT.replace(vader_domain=(*DEFAULT.vader_domain, ("corridor", 1.5, "test"), ("like", 0.0, "test")))
    cache = VaderCache(lex)
    plain, dom = scoring._analyser(lex, False), scoring._analyser(lex, True)
    corpus = c6lab.open_corpus()
    texts = _tricky_texts() + [s for t in corpus.segments["text"] for s in c6lab.sentences(t)]
    for t in texts:
        assert cache.compounds(t) == (plain.polarity_scores(t)["compound"], dom.polarity_scores(t)["compound"]), t
    assert cache.n_scored < 2 * len(set(texts))  # at most once per text and lexicon, often less
    before = cache.n_scored
    assert cache.compound("Cargo moves west, slowly!", False) == cache.compound("Trains head north, quickly!", False)
    assert cache.n_scored == before + 1  # words VADER has no entry for: one reading for both
    # the domain changes: "corridor" is rated only with them, "like" only without
    assert cache.compound("a good corridor", True) != cache.compound("a good corridor", False)
    assert cache.compound("a good cargo", True) == cache.compound("a good cargo", False)


def _tone_corpus() -> pd.DataFrame:
    rows = [
        ("a1", "narrative", "", "", "The U.S. and the E.U. met in Baku. Nothing was agreed."),
        ("a1", "quote", "p1", "KZ", "Regional cooperation with China is not bad at all. We trust Russia less."),
        ("a1", "quote", "p1", "KZ", "Ports grow. Nothing else."),
        ("a2", "paraphrase", "p2", "AZ", "Türkiye and the United States build a great corridor, but roads are poor!"),
        ("a2", "narrative", "", "", ""),
        ("a3", "quote", "p3", "UZ", "Trump met Xi. Putin's envoy was angry about the South China Sea."),
        ("a3", "quote", "p2", "AZ", "China's rail line is a wonderful success for everyone, says the EU."),
        ("a4", "paraphrase", "p1", "KZ", "Good news. Great days. China, China and China again."),
    ]
    df = pd.DataFrame(rows, columns=["article_id", "kind", "speaker_id", "country", "text"])
    df.insert(1, "segment_id", [f"{a}_s{i}" for i, a in enumerate(df["article_id"], 1)])
    df["char_start"] = np.arange(len(df)) * 1000
    return df


def test_mention_scores_give_score_mentions_tables_for_every_setting_and_subset():
    df = _tone_corpus()
    lex = DEFAULT.replace(vader_domain=(*DEFAULT.vader_domain, ("corridor", 1.5, "test")))
    tone = S.MentionScores(df, lexicons=lex, settings=S.tone_settings(4, windows=(1, 3)))
    subset = df[df["kind"] != "narrative"].iloc[::-1]  # filtered, reordered, index not 0..n-1
    for seg in (None, subset, df.iloc[:0]):
        table = df if seg is None else seg
        pd.testing.assert_frame_equal(tone.find_mentions(seg), S.find_mentions(table, lexicons=lex))
        for method, k, domain in tone.settings:
            want = S.score_mentions(table, method, k, domain, lexicons=lex)
            pd.testing.assert_frame_equal(tone.score_mentions(method, k, domain, segments=seg), want,
                                          check_exact=True)
        for domain in (False, True):
            pd.testing.assert_frame_equal(tone.speaker_baselines(domain, segments=seg),
                                          S.speaker_baselines(table, domain, lexicons=lex), check_exact=True)
    got = tone.score_mentions("window", 1, True)
    # 2 + 2 + 2 + 3 (South China Sea is not China) + 2 + 3 mentions
    assert len(got) == 14 and (got["method"] == "window").all() and (got["lexicon"] == "vader+domain").all()


def test_mention_scores_say_what_they_cannot_give():
    df = _tone_corpus()
    tone = S.MentionScores(df, settings=[("masked_sentence", 5, False)])
    with pytest.raises(ValueError, match="was not scored"):
        tone.score_mentions("window", 3)
    with pytest.raises(ValueError, match="not in the table"):
        tone.score_mentions(segments=df.assign(segment_id="elsewhere"))
    with pytest.raises(TypeError, match="by name"):
        S.MentionScores(df, settings=[(S.MaskedVader(), 5, False)])
    with pytest.raises(ValueError, match="method must be"):
        S.MentionScores(df, settings=[("sentence", 5, False)])


def test_mention_scores_of_a_corpus_without_mentions_are_score_mentions_tables():
    df = pd.DataFrame({"article_id": ["a"], "segment_id": ["a-1"], "kind": ["quote"], "speaker_id": ["k"],
                       "char_start": [0], "text": ["Trade is growing quickly. Markets open."]})
    tone = S.MentionScores(df)
    for method, k, domain in tone.settings:
        pd.testing.assert_frame_equal(tone.score_mentions(method, k, domain), S.score_mentions(df, method, k, domain))
    assert tone.find_mentions().empty and tone.score_mentions().empty
    # "growing" +0.7 is the one rated word: the baseline is the mean of compound(0.7) and 0
    by_hand = round((round(vader_compound(0.7), 4) + 0.0) / 2, 4)
    assert tone.speaker_baselines().values.tolist() == S.speaker_baselines(df).values.tolist() == [["k", 2, by_hand]]
