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
