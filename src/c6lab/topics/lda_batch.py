"""Several batch LDA fits with the same K, run side by side: scikit-learn's algorithm, vectorised.

scikit-learn's batch ``LatentDirichletAllocation`` updates each document's topic mixture in
a Python loop (a few numpy calls per document and inner iteration). On the short
paragraphs of a study corpus that loop is the whole cost of :func:`c6lab.topics.select_k`
(45 LDA fits). :func:`fit_lda_together` runs the same variational Bayes updates, from the
same random draws, for every document of every fit at once: the documents of all fits
are stacked into one block-diagonal matrix (the E-step of one document does not depend on
the others), each document stops iterating when scikit-learn's would (mean change below
``mean_change_tol``), and each fit's M-step is scikit-learn's. The fitted estimators are
scikit-learn objects (``transform`` works) whose topic-word and document-topic matrices
equal those of ``fit_transform`` up to rounding in the last bits (sums taken in another
order); the test suite compares them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

#: the E-step drops converged documents (and their nonzeros) from its arrays when fewer than this
#: share of the rows it holds are still iterating; until then they are computed and ignored (the
#: same results for any share; 0.5 was about 5% faster than 0.75 on the bundled corpus and at 10x)
DROP_BELOW = 0.5


def _e_step(X: sparse.csr_matrix, E: np.ndarray, prior: float, max_iter: int, tol: float,
            gamma: np.ndarray, sstats: bool):
    """scikit-learn's ``_update_doc_distribution`` for every row of ``X`` at once.

    ``gamma`` (the initial document-topic parameters) is updated in place; returns
    ``(gamma, suff_stats)`` (``suff_stats`` before the product with ``E``, or None).
    """
    from sklearn.decomposition._online_lda_fast import _dirichlet_expectation_2d

    n, k = gamma.shape
    eps = np.finfo(X.dtype).eps
    edt = np.exp(_dirichlet_expectation_2d(gamma))
    lens = np.diff(X.indptr)
    act = np.arange(n)  # the documents still iterating, and their nonzeros below
    # topics along the first axis: every product and sum runs over contiguous documents or nonzeros
    cnts, e_cols = X.data, np.ascontiguousarray(E[:, X.indices])  # (k, nnz)
    g_a, e_a = gamma.T.copy(), edt.T.copy()  # (k, n)

    def layout(lens):
        loc = np.repeat(np.arange(len(lens)), lens)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        return loc, lens > 0, starts[lens > 0]

    loc, nonempty, starts = layout(lens)
    live = np.ones(n, dtype=bool)  # not yet converged (converged rows are dropped now and then)
    n_live = n
    for _ in range(max_iter):
        prod = np.take(e_a, loc, axis=1)
        prod *= e_cols
        norm_phi = prod.sum(axis=0)
        norm_phi += eps
        np.divide(cnts, norm_phi, out=norm_phi)
        np.multiply(e_cols, norm_phi, out=prod)
        if len(starts) == len(act):  # every document has a word (an empty one gets 0)
            s = np.add.reduceat(prod, starts, axis=1)
        else:
            s = np.zeros((k, len(act)))
            if len(starts):
                s[:, nonempty] = np.add.reduceat(prod, starts, axis=1)
        s *= e_a
        s += prior
        new_e = _dirichlet_expectation_2d(s.T)
        np.exp(new_e, out=new_e)
        change = g_a - s
        np.abs(change, out=change)
        done = change.sum(axis=0) / k < tol
        g_a, e_a = s, np.ascontiguousarray(new_e.T)
        newly = np.flatnonzero(done & live)
        if len(newly):  # as scikit-learn: a document stops at its first small change
            rows = act[newly]
            gamma[rows], edt[rows] = g_a[:, newly].T, e_a[:, newly].T
            live[newly] = False
            n_live -= len(newly)
            if not n_live:
                break
            if n_live < DROP_BELOW * len(act):  # drop the converged rows and their nonzeros
                nz = np.repeat(live, lens)
                act, g_a, e_a, lens, live = act[live], g_a[:, live], e_a[:, live], lens[live], live[live]
                cnts, e_cols = cnts[nz], e_cols[:, nz]
                loc, nonempty, starts = layout(lens)
    else:
        gamma[act[live]], edt[act[live]] = g_a[:, live].T, e_a[:, live].T  # documents that used every iteration
    if not sstats:
        return gamma, None
    rows = np.repeat(np.arange(n), np.diff(X.indptr))
    norm_phi = (edt[rows] * E[:, X.indices].T).sum(axis=1) + eps
    ratio = sparse.csr_matrix((X.data / norm_phi, X.indices, X.indptr), shape=X.shape)
    return gamma, np.asarray((ratio.T @ edt).T)


def fit_lda_together(estimators: Sequence, Xs: Sequence) -> list[np.ndarray]:
    """Fit each batch ``LatentDirichletAllocation`` of ``estimators`` on its matrix in ``Xs``, all at once.

    The same as ``[est.fit_transform(X) for est, X in zip(estimators, Xs)]`` (scikit-learn's
    initialisation, random draws and updates, up to rounding), but every E-step of every fit
    is one vectorised pass. The estimators must share ``n_components``, ``max_iter``, the
    document-topic prior and the E-step settings, use ``learning_method="batch"`` and no
    perplexity check (``evaluate_every <= 0``). The variational bound (``bound_``) is not
    computed.

    Returns
    -------
    list of ndarray
        Each fit's document-topic shares (rows sum to 1), as ``fit_transform`` returns them;
        the estimators are fitted in place.

    Examples
    --------
    >>> from sklearn.decomposition import LatentDirichletAllocation as LDA
    >>> X = sparse.csr_matrix(np.array([[3, 1, 0, 0], [2, 2, 0, 1], [0, 0, 4, 2], [0, 1, 3, 3]]))
    >>> W, W2 = fit_lda_together([LDA(n_components=2, random_state=0), LDA(n_components=2, random_state=1)], [X, X])
    >>> bool(np.allclose(W, LDA(n_components=2, random_state=0).fit_transform(X), rtol=0, atol=1e-12))
    True
    """
    from sklearn.decomposition._online_lda_fast import _dirichlet_expectation_2d

    mats = []
    for est, X in zip(estimators, Xs, strict=True):
        est._validate_params()
        X = est._check_non_neg_array(X, reset_n_features=True, whom="LatentDirichletAllocation.fit")
        if X.dtype != np.float64:  # scikit-learn would compute in float32: not this vectorised path
            raise ValueError("fit_lda_together fits float64 (or integer) matrices only")
        est._init_latent_vars(X.shape[1], dtype=X.dtype)
        mats.append(sparse.csr_matrix(X))
    first = estimators[0]
    shared = ("n_components", "max_iter", "doc_topic_prior_", "max_doc_update_iter", "mean_change_tol")
    for est in estimators:
        if est.learning_method != "batch" or est.evaluate_every > 0:
            raise ValueError("fit_lda_together fits batch LDA without perplexity checks only")
        if any(getattr(est, a) != getattr(first, a) for a in shared):
            raise ValueError(f"the estimators must share {', '.join(shared)}")
    k = first.n_components
    X = sparse.block_diag(mats, format="csr")  # one row per document of every fit
    col_ends = np.cumsum([m.shape[1] for m in mats])

    def e_step(random_init: bool, sstats: bool):
        gamma = (np.vstack([e.random_state_.gamma(100.0, 0.01, (m.shape[0], k)) for e, m in zip(estimators, mats)])
                 if random_init else np.ones((X.shape[0], k)))
        E = np.hstack([e.exp_dirichlet_component_ for e in estimators])
        return _e_step(X, E, first.doc_topic_prior_, first.max_doc_update_iter, first.mean_change_tol,
                       gamma, sstats)

    for _ in range(first.max_iter):
        _, suff = e_step(True, True)
        for est, part in zip(estimators, np.split(suff, col_ends[:-1], axis=1)):
            part = part * est.exp_dirichlet_component_  # scikit-learn's batch M-step
            est.components_ = est.topic_word_prior_ + part
            est.exp_dirichlet_component_ = np.exp(_dirichlet_expectation_2d(est.components_))
            est.n_batch_iter_ += 1
            est.n_iter_ += 1
    gamma, _ = e_step(False, False)  # transform(): the E-step from a flat start
    return [g / g.sum(axis=1)[:, np.newaxis] for g in np.split(gamma, np.cumsum([m.shape[0] for m in mats])[:-1])]
