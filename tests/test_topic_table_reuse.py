"""topic_table reads the per-topic subsample agreements select_k computed instead of refitting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import c6lab
from c6lab.topics import select_k, topic_table
from c6lab.topics import share as share_mod


def _counts():
    rng = np.random.default_rng(5)
    a = ["rail", "port", "cargo", "freight", "route"]
    b = ["army", "border", "threat", "troops", "security"]
    c = ["gas", "oil", "pipeline", "energy", "export"]
    texts = [" ".join(rng.choice(vocab, size=8)) + " " + " ".join(rng.choice(a + b + c, size=2))
             for vocab in (a, b, c) for _ in range(8)]
    return c6lab.dfm(pd.DataFrame({"text": texts}))


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_topic_table_stability_is_that_of_fresh_refits_without_refitting(model, monkeypatch):
    counts = _counts()
    _, fitted = select_k(counts, [2, 3], [model], top_n=4, n_subsamples=3, n_seeds=0, return_models=True)
    tm = fitted[(model, 3)]
    calls = []
    original = share_mod._refits
    monkeypatch.setattr(share_mod, "_refits", lambda *a, **k: (calls.append(1), original(*a, **k))[1])
    reused = topic_table(tm, top_n=4, n_subsamples=3)
    assert not calls  # no refit: select_k's agreements
    tm._agreements.clear()
    fresh = topic_table(tm, top_n=4, n_subsamples=3)
    assert calls  # refitted now
    np.testing.assert_array_equal(reused["stability"], fresh["stability"])
    assert reused["stability"].between(0, 1).all()
    # other settings than select_k's: refits, not the stored values
    calls.clear()
    topic_table(fitted[(model, 2)], top_n=3, n_subsamples=3)
    topic_table(fitted[(model, 2)], top_n=4, n_subsamples=2)
    assert len(calls) == 2
