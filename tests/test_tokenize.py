"""The tokenizer: domain cases with exact expected token lists."""

from __future__ import annotations

import pickle
import unicodedata

import pytest
from sklearn.feature_extraction.text import CountVectorizer

from c6lab import Lexicons, Tokenizer, tokenize


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
    assert tokenize("the Middle Corridor", stopwords=False) == ["the", "middle_corridor"]
    assert tokenize("the Middle Corridor", phrases=False) == ["middle", "corridor"]
    assert tokenize("the U.S.", variants=False, stopwords=False) == ["the", "u.s"]
    assert Tokenizer(stopwords=["corridor"], phrases=False)("Middle Corridor") == ["middle"]


def test_longest_phrase_wins():
    tok = Tokenizer(phrases=["central asia", "central asia plus"], stopwords=False)
    assert tok("Central Asia plus one") == ["central_asia_plus", "one"]


def test_works_as_countvectorizer_analyzer():
    cv = CountVectorizer(analyzer=tokenize)
    X = cv.fit_transform(["The US and us.", "The U.S. and the Middle Corridor."])
    vocab = cv.get_feature_names_out().tolist()
    assert vocab == ["middle_corridor", "united_states"]
    assert X.toarray().tolist() == [[0, 1], [1, 1]]


def test_tokenizer_instance_pickles_for_pipelines():
    tok = Tokenizer(stopwords=False)
    clone = pickle.loads(pickle.dumps(tok))
    assert clone("the U.S.") == tok("the U.S.") == ["the", "united_states"]


def test_spans_point_into_normalised_text():
    norm, toks = Tokenizer().spans("Ties with the “U.S.” grow.")
    assert norm == 'Ties with the "U.S." grow.'
    assert [(t.token, norm[t.start:t.end]) for t in toks] == [
        ("ties", "Ties"), ("united_states", "U.S."), ("grow", "grow")]


def test_lists_of_a_corpus_folder_are_used_and_others_default(tmp_path):
    (tmp_path / "variants.csv").write_text("variant,token,case_sensitive\nKG,kyrgyzstan,yes\n")
    (tmp_path / "phrases.txt").write_text("# a student's phrase\ngreen economy\n")
    (tmp_path / "stopwords.txt").write_text("of\n")
    lex = Lexicons.from_dir(tmp_path)
    assert Tokenizer(lex)("The green economy of KG and the US") == ["the", "green_economy", "kyrgyzstan", "and",
                                                                    "the", "us"]
    assert tokenize("The green economy of KG", lexicons=lex) == ["the", "green_economy", "kyrgyzstan"]
    origin = lex.origin()
    assert origin["phrases.txt"] == origin["stopwords.txt"] == origin["variants.csv"] == "corpus"
    assert origin["powers.csv"] == origin["abbreviations.txt"] == "default"
    # the package defaults are untouched by reading another folder
    assert tokenize("The green economy of KG") == ["green", "economy", "kg"]


def test_lexicons_survive_pickling_with_their_lists():
    lex = Lexicons.default().replace(stopwords=frozenset({"corridor"}))
    _ = lex.tokenizer("warm the cache")
    clone = pickle.loads(pickle.dumps(lex))
    assert clone.tokenizer("the Middle Corridor") == ["the", "middle_corridor"]
    assert pickle.loads(pickle.dumps(Tokenizer(lex)))("Middle Corridor") == ["middle_corridor"]


@pytest.mark.parametrize("text, expected", [
    ("LET US GO", ["let", "go"]),  # in capitals "US" is the pronoun (a stopword)
    ("THE US AND CHINA", ["china"]),  # ...also here: the documented price of the rule
    ("Let US troops go", ["let", "united_states", "troops", "go"]),
    ("the E.U. and the EU", ["european_union", "european_union"]),
    ("U.S.-led talks", ["united_states", "led", "talks"]),
    ("China's Belt and Road", ["china", "belt_and_road_initiative"]),
    ("the Belt and Road Initiative", ["belt_and_road_initiative"]),
    ("the BRI", ["belt_and_road_initiative"]),
])
def test_text_a_user_would_bring(text, expected):
    assert tokenize(text) == expected


def test_pipe_is_the_batch_form_of_the_call():
    tok = Tokenizer()
    texts = ["The U.S. and China.", "", "Middle Corridor"]
    assert list(tok.pipe(texts)) == [tok(t) for t in texts]
