"""c6lab corpus suggest-phrases: NLTK's collocation scores on the corpus's own tokens."""

from __future__ import annotations

import numpy as np
from scipy.stats import power_divergence

import c6lab
from c6lab.cli import main as cli
from c6lab.collocations import suggest_phrases

TEXTS = [
    "The green economy grows in Bishkek. Officials praised the green economy.",
    "A green economy needs transport links. Transport links are costly.",
    "The green economy and transport links were discussed. Green tea was served.",
    "Belt and Road projects. The Middle Corridor grows.",
]


def test_candidates_are_counted_within_sentences_and_scored_like_g2():
    table = suggest_phrases(TEXTS, min_count=3)
    assert sorted(table["phrase"]) == ["green economy", "transport links"]  # "green tea" occurs once
    row = table.set_index("phrase").loc["green economy"]
    assert row["count"] == 4
    # the same 2x2 table by hand, on the tokens the finder sees (stopwords kept, phrases joined)
    tok = c6lab.Tokenizer(stopwords=False)
    sents = [tok(s) for t in TEXTS for s in c6lab.sentences(t)]
    bigrams = [b for s in sents for b in zip(s, s[1:])]
    words = [w for s in sents for w in s]
    n = len(words)  # NLTK's finder counts the total from the word frequencies
    a = sum(b == ("green", "economy") for b in bigrams)
    first = words.count("green")
    second = words.count("economy")
    table2 = np.array([[a, first - a], [second - a, n - first - second + a]], dtype=float)
    g2, _ = power_divergence(table2.ravel(), f_exp=_expected(table2).ravel(), lambda_="log-likelihood")
    assert np.isclose(row["likelihood_ratio"], g2)


def _expected(t):
    return np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()


def test_no_candidate_starts_or_ends_with_a_stopword_and_known_phrases_are_not_proposed():
    table = suggest_phrases(TEXTS * 3, min_count=2, top_n=100)
    stop = c6lab.Lexicons.default().stopwords
    for phrase in table["phrase"]:
        words = phrase.split()
        assert words[0] not in stop and words[-1] not in stop
    # "Middle Corridor" and "Belt and Road" are already one token each (phrases.txt, variants.csv)
    assert not table["phrase"].str.contains("middle|belt").any()


def test_the_corpus_lists_decide_what_is_a_candidate():
    lex = c6lab.Lexicons.default()
    mine = lex.replace(phrases=(*lex.phrases, "green economy"))
    assert "green economy" not in suggest_phrases(TEXTS, mine, min_count=3)["phrase"].tolist()


def test_cli_lists_candidates_of_a_corpus(corpus_copy, capsys):
    assert cli(["corpus", "suggest-phrases", "--corpus", str(corpus_copy), "--min-count", "3"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["phrase", "n_words", "count", "likelihood_ratio", "pmi"]
    assert "phrases.txt" in out
    assert cli(["corpus", "suggest-phrases", "--corpus", str(corpus_copy), "--kinds", "quotes"]) == 2
