"""CachedNMF's direct call of scipy's sparse-times-dense kernel: scikit-learn's NMF factors exactly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import sparse

from c6lab.topics import nmf_cd


def _tfidf(seed: int = 0, dtype=np.float64):
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(seed)
    counts = sparse.csr_matrix(rng.poisson(0.3, size=(30, 25)))
    return TfidfTransformer().fit_transform(counts).astype(dtype)


@pytest.mark.parametrize("direct", [True, False])
def test_sparse_dot_is_scipys_product_bit_for_bit(direct, monkeypatch):
    calls = []
    if direct:
        kernel = nmf_cd._csr_matvecs
        assert kernel is not None  # the pinned scipy has it
        monkeypatch.setattr(nmf_cd, "_csr_matvecs", lambda *a: (calls.append(1), kernel(*a))[1])
    else:
        monkeypatch.setattr(nmf_cd, "_csr_matvecs", None)
    X = _tfidf()
    D = np.random.default_rng(1).random((X.shape[1], 4))
    np.testing.assert_array_equal(nmf_cd._sparse_dot(X, D), X @ D)
    assert len(calls) == (1 if direct else 0)
    # transposed and sliced operands: C order is made by the caller, other layouts take the operator
    F = np.asfortranarray(D)
    np.testing.assert_array_equal(nmf_cd._sparse_dot(X, F), X @ F)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("direct", [True, False])
def test_cached_nmf_equals_scikit_learn_with_and_without_the_direct_kernel(dtype, direct, monkeypatch):
    from sklearn.decomposition import NMF

    if not direct:
        monkeypatch.setattr(nmf_cd, "_csr_matvecs", None)
    X = _tfidf(2, dtype)
    for k in (2, 5):
        ref, ours = (cls(n_components=k, init="nndsvda", tol=1e-4, max_iter=500, random_state=3)
                     for cls in (NMF, nmf_cd.CachedNMF))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            W_ref, W = ref.fit_transform(X), ours.fit_transform(X)
        assert W.dtype == W_ref.dtype == dtype  # float32 stays float32, as in scikit-learn
        np.testing.assert_array_equal(W, W_ref)
        np.testing.assert_array_equal(ours.components_, ref.components_)
        assert ours.n_iter_ == ref.n_iter_


def test_lda_e_step_results_do_not_depend_on_when_converged_documents_are_dropped(monkeypatch):
    # dropping converged rows is bookkeeping: never (0), whenever one converges (1.01) and the default
    # give the same floats, and they equal scikit-learn's own fits to rounding
    from sklearn.decomposition import LatentDirichletAllocation as LDA

    from c6lab.topics import lda_batch

    rng = np.random.default_rng(4)
    dense = [rng.poisson(0.4, size=(25, 30)).astype(float) for _ in range(3)]
    dense[0][3] = 0  # a document without words
    Xs = [sparse.csr_matrix(d) for d in dense]
    runs = {}
    for share in (0.0, lda_batch.DROP_BELOW, 1.01):
        monkeypatch.setattr(lda_batch, "DROP_BELOW", share)
        ests = [LDA(n_components=3, random_state=s) for s in range(3)]
        W = lda_batch.fit_lda_together(ests, Xs)
        runs[share] = np.concatenate([w.ravel() for w in W] + [e.components_.ravel() for e in ests])
    first, *others = runs.values()
    for other in others:
        np.testing.assert_array_equal(other, first)
    ref = np.concatenate([LDA(n_components=3, random_state=s).fit_transform(X).ravel() for s, X in enumerate(Xs)])
    np.testing.assert_allclose(first[:ref.size], ref, rtol=0, atol=1e-10)
