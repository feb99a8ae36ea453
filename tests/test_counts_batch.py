"""c6lab.dfm counts with the lists' batch tokenizer (Tokenizer.pipe): the matrix one call per text gives."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import c6lab
from c6lab import Lexicons
from c6lab.lexicons import Variant

# lists of one's own: a case-sensitive variant, a variant of several words under a phrase, a stopword
OWN = Lexicons.default().replace(
    variants=(Variant("van Gogh", "van_gogh", True), Variant("New York NY", "nyc", True), Variant("KG", "kg", True)),
    phrases=("nyc mayor", "van Gogh museum"), stopwords=frozenset({"the", "and"}))

_PIECES = st.sampled_from(["The", "U.S.", "van Gogh", "museum.", "New York NY", "mayor", "KG", "kg", "Türkiye's",
                           "Straße", "\u00a0", "—", "Dr.", "Smith", "said:", "\n", "?", "Ünal", "ＵＳ", "\u200b"])
_TEXTS = st.lists(st.lists(_PIECES, max_size=20).map(" ".join), min_size=1, max_size=12)


def _same(texts: list[str], lexicons: Lexicons, unit: str) -> None:
    df = pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(texts))], "text": texts})
    batch = c6lab.dfm(df, lexicons, unit=unit)
    one_by_one = c6lab.dfm(df, lexicons, unit=unit, tokenizer=lambda t: lexicons.tokenizer(t))
    assert batch.terms.tolist() == one_by_one.terms.tolist()
    assert (batch.matrix != one_by_one.matrix).nnz == 0
    pd.testing.assert_frame_equal(batch.docvars, one_by_one.docvars)


@pytest.mark.parametrize("unit", ["segment", "sentence"])
@settings(max_examples=60, deadline=None)
@given(texts=_TEXTS)
def test_batch_counts_are_the_counts_of_one_call_per_text(texts, unit):
    _same(texts, OWN, unit)
    _same(texts, Lexicons.default(), unit)


def test_a_tokenizer_given_is_called_once_per_document():
    calls = []

    def tok(text):
        calls.append(text)
        return text.lower().split()

    df = pd.DataFrame({"segment_id": ["a", "b"], "text": ["Ports grow. Roads too.", "Ports"]})
    m = c6lab.dfm(df, tokenizer=tok, unit="sentence")
    assert calls == ["Ports grow.", "Roads too.", "Ports"]
    assert m.terms.tolist() == ["grow.", "ports", "roads", "too."]


@settings(max_examples=60, deadline=None)
@given(texts=_TEXTS)
def test_word_counts_count_the_running_words_of_each_text(texts):
    from c6lab.describe import running_words, word_counts

    df = pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(texts))], "speaker": "A", "kind": "quote",
                       "text": texts})
    table = word_counts(c6lab.dfm(df), group_by=["speaker"])
    assert table["n_words"].tolist() == [sum(running_words(t) for t in texts)]
