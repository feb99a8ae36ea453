"""suggest_k: the notebook's rule for choosing the model and K, as a function."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from c6lab.counts import DocumentTermMatrix
from c6lab.topics import select_k, suggest_k


def _planted(k: int, n_docs: int = 90, length: int = 14, noise: float = 0.1, seed: int = 7):
    """Documents drawn from ``k`` topics with disjoint vocabularies, plus shared background words."""
    rng = np.random.default_rng(seed)
    vocab = [[f"t{t}w{i}" for i in range(8)] for t in range(k)]
    background = [f"bg{i}" for i in range(10)]
    docs = []
    for d in range(n_docs):
        topic = d % k
        docs.append([rng.choice(background) if rng.random() < noise else rng.choice(vocab[topic])
                     for _ in range(length)])
    return DocumentTermMatrix.from_tokens(docs)


@pytest.mark.parametrize("planted", [3, 4])
def test_finds_the_planted_number_of_topics(planted):
    table = select_k(_planted(planted), ks=range(2, 7), models=("nmf", "lda"), top_n=5, n_subsamples=4,
                     n_seeds=2, random_state=0)
    assert suggest_k(table)[1] == planted


def _table(rows):
    return pd.DataFrame(rows, columns=["model", "k", "npmi", "stability"])


def test_ties_within_the_tolerance_take_the_larger_k():
    t = _table([("nmf", 2, 0.2, 0.80), ("nmf", 3, 0.2, 0.78), ("nmf", 4, 0.2, 0.60)])
    assert suggest_k(t) == ("nmf", 3)
    assert suggest_k(t, tolerance=0.0) == ("nmf", 2)


def test_incoherent_k_are_never_chosen_while_a_coherent_one_exists():
    t = _table([("nmf", 2, -0.1, 0.95), ("nmf", 3, 0.01, 0.50)])
    assert suggest_k(t) == ("nmf", 3)
    assert suggest_k(_table([("nmf", 2, -0.3, 0.9), ("nmf", 3, -0.1, 0.5)])) == ("nmf", 3)  # best NPMI


def test_model_by_mean_stability_and_override():
    t = _table([("nmf", 2, 0.1, 0.5), ("nmf", 3, 0.1, 0.5), ("lda", 2, 0.1, 0.9), ("lda", 3, 0.2, 0.2)])
    assert suggest_k(t)[0] == "lda"  # 0.55 against 0.5
    assert suggest_k(t, model="nmf") == ("nmf", 3)
    with pytest.raises(ValueError, match="columns"):
        suggest_k(t.drop(columns="npmi"))
