"""The tokenizer: domain cases with exact expected token lists."""

from __future__ import annotations

import pickle
import unicodedata

import pytest
from sklearn.feature_extraction.text import CountVectorizer

from c6lab import Tokenizer, tokenize


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the U.S. and the US", ["united_states", "united_states"]),
        ("USA, United States and the United States of America", ["united_states"] * 3),
        ("Let us see what the US does for us.", ["let", "see", "united_states"]),  # "does": stopword
        ("Türkiye, Turkey and TÜRKIYE", ["turkiye", "turkiye", "turkiye"]),
        ("the Middle Corridor", ["middle_corridor"]),
        ("China's Belt and Road Initiative", ["china", "belt_and_road_initiative"]),
        ("the Trans-Caspian International Transport Route",
         ["trans_caspian_international_transport_route"]),
        ("the Organisation of Turkic States (OTS)",
         ["organisation_of_turkic_states", "organisation_of_turkic_states"]),
        ("Central Asia and the South Caucasus via the Caspian Sea",
         ["central_asia", "south_caucasus", "caspian_sea"]),
        ("the C5+1 format becomes C6", ["c5+1", "format", "becomes", "c6"]),
        ("good-neighbourliness and multi-vector policy", ["good-neighbourliness", "multi-vector", "policy"]),
        ("issues—especially transport", ["issues", "especially", "transport"]),
        ("USAID is not the USA", ["usaid", "united_states"]),
        ("the U.S.'s role and Türkiye's ports", ["united_states", "role", "turkiye", "ports"]),
    ],
)
def test_tokenize_cases(text, expected):
    assert tokenize(text) == expected


def test_decomposed_unicode_is_one_token():
    assert tokenize(unicodedata.normalize("NFD", "Türkiye's ports")) == ["turkiye", "ports"]


def test_stopwords_and_phrases_can_be_switched_off():
    assert tokenize("the Middle Corridor", stopwords=None) == ["the", "middle_corridor"]
    assert tokenize("the Middle Corridor", phrases=None) == ["middle", "corridor"]
    assert tokenize("the U.S.", variants=None, stopwords=None) == ["the", "u.s"]
    assert Tokenizer(stopwords=["corridor"], phrases=None)("Middle Corridor") == ["middle"]


def test_longest_phrase_wins():
    tok = Tokenizer(phrases=["central asia", "central asia plus"], stopwords=None)
    assert tok("Central Asia plus one") == ["central_asia_plus", "one"]


def test_works_as_countvectorizer_analyzer():
    cv = CountVectorizer(analyzer=tokenize)
    X = cv.fit_transform(["The US and us.", "The U.S. and the Middle Corridor."])
    vocab = cv.get_feature_names_out().tolist()
    assert vocab == ["middle_corridor", "united_states"]
    assert X.toarray().tolist() == [[0, 1], [1, 1]]


def test_tokenizer_instance_pickles_for_pipelines():
    tok = Tokenizer(stopwords=None)
    clone = pickle.loads(pickle.dumps(tok))
    assert clone("the U.S.") == tok("the U.S.") == ["the", "united_states"]


def test_spans_point_into_normalised_text():
    norm, toks = Tokenizer().spans("Ties with the “U.S.” grow.")
    assert norm == 'Ties with the "U.S." grow.'
    assert [(t.token, norm[t.start:t.end]) for t in toks] == [
        ("ties", "Ties"), ("united_states", "U.S."), ("grow", "grow")]


def test_edited_phrase_list_is_used(tmp_path):
    for name in ("stopwords.txt", "abbreviations.txt", "boilerplate_patterns.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "variants.csv").write_text("variant,token,case_sensitive\nKG,kyrgyzstan,yes\n")
    (tmp_path / "phrases.txt").write_text("# a student's phrase\ngreen economy\n")
    tok = Tokenizer(lexicon_dir=tmp_path)
    assert tok("The green economy of KG") == ["the", "green_economy", "of", "kyrgyzstan"]
