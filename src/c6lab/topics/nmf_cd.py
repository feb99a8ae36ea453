"""scikit-learn's coordinate-descent NMF with the transposed matrix made once, not at every iteration.

``NMF(solver="cd")`` alternates two half-steps per iteration, the second on ``X.T``; for a
sparse ``X`` each ``X.T`` builds a new matrix object, and on the small matrices of a study
corpus that overhead (with the sparse product's own) is most of a fit. :class:`CachedNMF`
is ``NMF`` whose coordinate-descent loop uses one CSR copy of ``X.T``: the products sum the
same terms in the same order (scipy's CSC and CSR kernels both add a row's terms in column
order), so the factors are identical; the test suite compares them with scikit-learn's.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.decomposition._cdnmf_fast import _update_cdnmf_fast
from sklearn.exceptions import ConvergenceWarning

try:  # the kernel of scipy's sparse @ dense, without its dispatch (most of a product's time on these matrices)
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # another scipy: the operator, the same kernel
    _csr_matvecs = None


def _sparse_dot(X, D):
    """``X @ D`` for a CSR ``X`` and a dense ``D``: for float64 values, scipy's kernel called directly
    (the same floats); otherwise the operator."""
    if (_csr_matvecs is None or X.dtype != np.float64 or D.dtype != np.float64 or not D.flags.c_contiguous
            or X.indptr.dtype != X.indices.dtype):
        return X @ D
    out = np.zeros((X.shape[0], D.shape[1]))
    _csr_matvecs(X.shape[0], X.shape[1], D.shape[1], X.indptr, X.indices, X.data, D.ravel(), out.ravel())
    return out


def _half_step(X, W, Ht, l1_reg, l2_reg, order):
    """scikit-learn's ``_update_coordinate_descent`` without shuffling (``order``: the components in turn)."""
    n_components = Ht.shape[1]
    HHt = np.dot(Ht.T, Ht)
    XHt = _sparse_dot(X, Ht)
    if l2_reg != 0.0:
        HHt.flat[:: n_components + 1] += l2_reg
    if l1_reg != 0.0:
        XHt -= l1_reg
    return _update_cdnmf_fast(W, HHt, XHt, order)


def _coordinate_descent(X, W, H, tol, max_iter, l1_reg_W, l1_reg_H, l2_reg_W, l2_reg_H):
    """scikit-learn's ``_fit_coordinate_descent`` (``update_H=True``, no shuffle), ``X`` sparse."""
    W = np.ascontiguousarray(W)
    Ht = np.ascontiguousarray(H.T)
    X = X.tocsr()
    XT = X.T.tocsr()  # once: the rows of X.T with their terms in column order
    order = np.arange(W.shape[1], dtype=np.intp)
    for n_iter in range(1, max_iter + 1):
        violation = _half_step(X, W, Ht, l1_reg_W, l2_reg_W, order)
        violation += _half_step(XT, Ht, W, l1_reg_H, l2_reg_H, order)
        if n_iter == 1:
            violation_init = violation
        if violation_init == 0 or violation / violation_init <= tol:
            break
    return W, Ht.T, n_iter


class CachedNMF(NMF):
    """``NMF`` whose coordinate-descent fit on a sparse matrix makes ``X.T`` once (same factors)."""

    def _fit_transform(self, X, y=None, W=None, H=None, update_H=True):
        if not (sparse.issparse(X) and update_H and self.solver == "cd" and not self.shuffle
                and self.verbose == 0 and self.beta_loss in ("frobenius", 2)):
            return super()._fit_transform(X, y, W, H, update_H)  # scikit-learn's own path
        self._check_params(X)
        W, H = self._check_w_h(X, W, H, update_H)
        l1_reg_W, l1_reg_H, l2_reg_W, l2_reg_H = self._compute_regularization(X)
        W, H, n_iter = _coordinate_descent(X, W, H, self.tol, self.max_iter, l1_reg_W, l1_reg_H,
                                           l2_reg_W, l2_reg_H)
        if n_iter == self.max_iter and self.tol > 0:
            warnings.warn(f"Maximum number of iterations {self.max_iter} reached. Increase it to "
                          "improve convergence.", ConvergenceWarning, stacklevel=2)
        return W, H, n_iter
