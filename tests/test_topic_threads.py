"""The topic fits run BLAS on one thread, and leave the caller's BLAS threads as they were."""

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info

import c6lab
from c6lab.topics import fit as fit_module
from c6lab.topics import fit_topics, fit_topics_many

DOCS = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port", "army border threat",
                              "border troops", "rail port freight", "threat troops border army"]})


def blas_threads():
    return sorted({p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"})


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_fits_see_one_blas_thread_and_the_caller_keeps_its_own(model, monkeypatch):
    seen = []
    prepare = fit_module._prepare

    def spying(*args, **kwargs):
        job = prepare(*args, **kwargs)
        fit_transform = job.est.fit_transform

        def spy(X):
            seen.append(blas_threads())
            return fit_transform(X)

        job.est.fit_transform = spy  # the instance's method, found before the class's
        return job

    monkeypatch.setattr(fit_module, "_prepare", spying)
    before = blas_threads()
    fit_topics(c6lab.dfm(DOCS), k=2, model=model)
    assert seen == [[1]] and blas_threads() == before


def test_lda_fits_side_by_side_see_one_blas_thread(monkeypatch):
    from c6lab.topics import lda_batch

    seen = []
    together = lda_batch.fit_lda_together

    def spy(estimators, Xs):
        seen.append(blas_threads())
        return together(estimators, Xs)

    monkeypatch.setattr(lda_batch, "fit_lda_together", spy)
    m = c6lab.dfm(DOCS)
    a, b = fit_topics_many([m, m], 2, "lda", [0, 1])
    assert seen == [[1]]
    # side by side equals one by one to rounding (see lda_batch)
    assert np.allclose(a.topic_word_, fit_topics(m, 2, "lda", 0).topic_word_, rtol=0, atol=1e-12)
