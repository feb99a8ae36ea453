"""Fitting NMF and LDA on a document-term matrix: :func:`fit_topics` and :class:`TopicModel`."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from ..counts import DocumentTermMatrix
from ..text import normalize
from .coherence import NPMI_EPS, UMASS_EPS, npmi_coherence, umass_coherence

MODELS = ("nmf", "lda")
#: ``solver`` of :func:`fit_topics`: "auto" is "online" from :data:`ONLINE_MIN_DOCS` documents on
SOLVERS = ("auto", "batch", "online")
#: from this many (fitted) documents on, ``solver="auto"`` uses online LDA and minibatch NMF. Batch
#: LDA makes 50 passes over every document (a Python loop per document in scikit-learn): at 1,000
#: paragraphs a fit takes seconds, and select_k makes 45 of them. Batch NMF stays faster than
#: MiniBatchNMF up to tens of thousands of paragraphs (measured: docs/performance.md). The bundled
#: corpus (44 segments) is far below both.
ONLINE_MIN_DOCS = {"nmf": 20_000, "lda": 1_000}
#: batch LDA fits that :func:`fit_topics_many` runs side by side hold at most this many nonzero
#: counts together (the vectorised E-step keeps a few float arrays of this length times K)
TOGETHER_MAX_NNZ = 2_000_000


def resolve_solver(model: str, n_docs: int, solver: str = "auto") -> str:
    """``"batch"`` or ``"online"``: ``solver`` itself, or for ``"auto"`` by :data:`ONLINE_MIN_DOCS`.

    Examples
    --------
    >>> resolve_solver("lda", 44), resolve_solver("lda", 5000), resolve_solver("nmf", 5000)
    ('batch', 'online', 'batch')
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {SOLVERS}, not {solver!r}")
    if solver != "auto":
        return solver
    return "online" if n_docs >= ONLINE_MIN_DOCS[model] else "batch"


def doc_ids(counts: DocumentTermMatrix) -> np.ndarray:
    """Document identifiers: the segment id, ``<segment_id>.s<n>`` for sentences, else 0..n-1.

    Examples
    --------
    >>> import c6lab, pandas as pd
    >>> df = pd.DataFrame({"segment_id": ["s1"], "text": ["Trade grows. The U.S. is present."]})
    >>> doc_ids(c6lab.dfm(df, unit="sentence")).tolist()
    ['s1.s1', 's1.s2']
    """
    dv = counts.docvars
    if "segment_id" not in dv.columns:
        return np.arange(counts.n_docs)
    seg = dv["segment_id"].astype(str)
    if "sentence_no" in dv.columns:
        return (seg + ".s" + dv["sentence_no"].astype(str)).to_numpy(dtype=object)
    return seg.to_numpy(dtype=object)


class TopicModel:
    """A fitted topic model (returned by :func:`fit_topics`; not built directly).

    Topics are numbered 1..k in decreasing order of their total weight over the
    documents, so topic 1 is the most prevalent. Topic-word weights are normalised to sum
    to 1 per topic and document-topic weights to sum to 1 per document, for both models.

    Attributes
    ----------
    model : {"nmf", "lda"}
    k : int
    random_state : int
    counts_ : DocumentTermMatrix
        The matrix the model was fitted on, before ``min_df``/``max_df``: its rows are
        the documents, its document variables their metadata, and its binary form the
        reference corpus of :meth:`coherence`.
    terms_ : ndarray of str
        Vocabulary of the model (after ``min_df``/``max_df``), alphabetical.
    topic_word_ : ndarray, shape (k, n_terms)
        For LDA the posterior mean topic-word distribution; for NMF the rows of H
        divided by their sums.
    doc_topic_ : ndarray, shape (n_docs, k)
        Topic shares of each document (LDA: posterior topic proportions; NMF: rows of W
        divided by their sums). Rows of documents with no vocabulary term are NaN.
    doc_ids_ : ndarray
        See :func:`doc_ids`.
    n_tokens_ : ndarray of int
        Tokens per document (all of them, not only the model's vocabulary).
    options_ : dict
        ``min_df, max_df, max_iter, doc_topic_prior, topic_word_prior`` as given, so a
        refit (:func:`c6lab.topics.subsample_stability`) uses the same settings.
    transformer_, estimator_ : the fitted scikit-learn objects (``transformer_`` is the
        ``TfidfTransformer`` of NMF, ``None`` for LDA).
    fit_rows_ : ndarray of int or None
        The rows of ``counts_`` the model was fitted on (``fit_topics(..., fit_rows=)``:
        :func:`c6lab.topics.select_k` on a large corpus); ``None``: all of them. The
        other documents get their topic shares from the fitted model
        (``estimator_.transform``), computed the first time ``doc_topic_`` is read.

    Examples
    --------
    >>> import c6lab, pandas as pd
    >>> docs = pd.DataFrame({"segment_id": list("abcdef"), "text": [
    ...     "rail port cargo", "rail cargo freight rail port", "army border threat",
    ...     "border troops", "rail port freight", "threat troops border army"]})
    >>> tm = fit_topics(c6lab.dfm(docs), k=2, model="nmf")
    >>> tm.topic_words(2)[["topic", "rank", "word"]].values.tolist()
    [[1, 1, 'rail'], [1, 2, 'port'], [2, 1, 'border'], [2, 2, 'troops']]
    >>> tm.representative_docs(1)[["topic", "doc", "text"]].values.tolist()
    [[1, 'b', 'rail cargo freight rail port'], [2, 'f', 'threat troops border army']]
    >>> # rail, port: both in the same 3 of 6 docs -> NPMI 1; border (3/6), troops (2/6),
    >>> # together 2/6 -> log((2/6) / (3/6 * 2/6)) / -log(2/6) = log 2 / log 3 = 0.631
    >>> tm.coherence(2, "npmi").round(3).tolist()
    [1.0, 0.631]
    """

    def __init__(self, model, k, random_state, counts, terms, topic_word, doc_topic, options,
                 transformer, estimator, fit_rows=None, order=None):
        self.model = model
        self.k = k
        self.random_state = random_state
        self.counts_ = counts
        self.terms_ = terms
        self.topic_word_ = topic_word
        self._doc_topic = doc_topic
        self.doc_ids_ = doc_ids(counts)
        self.n_tokens_ = counts.n_tokens
        self.options_ = options
        self.transformer_ = transformer
        self.estimator_ = estimator
        self.fit_rows_ = fit_rows
        self._order_ = order
        # {(n_subsamples, frac, top_n): matched average Jaccard of every subsample refit (rows) and topic
        # (columns)}, kept by select_k so that topic_table does not fit the same refits again
        self._agreements = {}

    @property
    def doc_topic_(self) -> np.ndarray:
        if self._doc_topic is None:  # fitted on some rows: every document's shares from the model
            self._doc_topic = self.transform(self.counts_)
        return self._doc_topic

    def transform(self, counts: DocumentTermMatrix) -> np.ndarray:
        """Topic shares (rows sum to 1, NaN without a vocabulary term) of the documents of ``counts``.

        Their terms are matched to the model's vocabulary by name; topics in the model's order.
        """
        cols = counts.columns(self.terms_)
        have = np.flatnonzero(cols >= 0)
        # a sparse 0/1 matrix picks the model's terms (a term the documents lack stays a zero column)
        pick = sparse.csr_matrix((np.ones(len(have), dtype=np.int64), (cols[have], have)),
                                 shape=(counts.n_terms, len(self.terms_)))
        X = (counts.matrix @ pick).tocsr()
        n_in_vocab = np.asarray(X.sum(axis=1)).ravel()
        if self.transformer_ is not None:
            X = self.transformer_.transform(X)
        W = self.estimator_.transform(X)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = W / W.sum(axis=1, keepdims=True)
        out[n_in_vocab == 0] = np.nan
        return out[:, self._order_] if self._order_ is not None else out

    def fit_counts(self) -> DocumentTermMatrix:
        """The documents the model was fitted on (all of :attr:`counts_` unless ``fit_rows_``)."""
        return self.counts_ if self.fit_rows_ is None else self.counts_.subset(self.fit_rows_)

    def __repr__(self) -> str:
        return (f"TopicModel(model={self.model!r}, k={self.k}, random_state={self.random_state}, "
                f"n_docs={len(self.doc_ids_)}, n_terms={len(self.terms_)})")

    @property
    def empty_docs(self) -> list:
        """Ids of documents with no term in the vocabulary (no topic mixture)."""
        return [d for d, row in zip(self.doc_ids_, self.doc_topic_) if np.isnan(row).any()]

    def _order(self, top_n: int) -> np.ndarray:
        # stable sort on -weight: ties keep alphabetical vocabulary order
        return np.argsort(-self.topic_word_, axis=1, kind="stable")[:, :top_n]

    def top_words(self, top_n: int = 10) -> list[list[str]]:
        """Top ``top_n`` words of each topic, best first (one list per topic, topic 1 first)."""
        return [[str(w) for w in self.terms_[idx]] for idx in self._order(top_n)]

    def topic_words(self, top_n: int = 10) -> pd.DataFrame:
        """Tidy top words: ``model, k, topic, rank, word, weight`` (one row per word)."""
        rows = []
        for t, idx in enumerate(self._order(top_n), start=1):
            for r, j in enumerate(idx, start=1):
                rows.append((self.model, self.k, t, r, str(self.terms_[j]), self.topic_word_[t - 1, j]))
        return pd.DataFrame(rows, columns=["model", "k", "topic", "rank", "word", "weight"])

    def doc_topics(self) -> pd.DataFrame:
        """Tidy document-topic shares: one row per document and topic.

        Columns: ``model, k, doc``, the document variables of the matrix (all but
        ``text``), ``n_tokens``, ``topic`` (1..k) and ``weight`` (the document's share of
        that topic; shares of a document sum to 1). Documents with no vocabulary term
        (:attr:`empty_docs`) are left out.
        """
        keep = np.flatnonzero(~np.isnan(self.doc_topic_).any(axis=1))
        rows = np.repeat(keep, self.k)  # built column by column at its final length (no wide copy)
        out = self._docvars(rows)
        out.insert(0, "doc", self.doc_ids_[rows])
        out.insert(0, "k", self.k)
        out.insert(0, "model", self.model)
        out["n_tokens"] = self.n_tokens_[rows]
        out["topic"] = np.tile(np.arange(1, self.k + 1), len(keep))
        out["weight"] = self.doc_topic_[keep].ravel()
        return out

    def _docvars(self, rows) -> pd.DataFrame:
        """The document variables of ``rows`` (all but ``text`` and the names doc_topics uses), new index."""
        dv = self.counts_.docvars
        meta = dv.drop(columns=[c for c in ("model", "k", "doc", "text", "n_tokens", "topic", "weight")
                                if c in dv.columns])
        return meta.take(rows).reset_index(drop=True)

    def representative_docs(self, top_n: int = 2) -> pd.DataFrame:
        """The ``top_n`` documents with the largest share of each topic.

        Shares equal to two decimals count as tied and ties go to the longer document
        (then to document order): a long passage almost entirely about the topic is shown
        before a five-word fragment, and floating-point noise cannot reorder the list.

        Returns
        -------
        DataFrame
            ``topic, rank, doc``, the document variables, ``n_tokens, weight, text``
            (the document's text, :func:`c6lab.normalize` d).
        """
        keep = np.flatnonzero(~np.isnan(self.doc_topic_).any(axis=1))
        shares = self.doc_topic_[keep]
        key, n_tokens = np.round(shares, 2), self.n_tokens_[keep]
        picks = []  # (topic, row) of the top_n documents of each topic, best first
        for t in range(self.k):
            best = np.lexsort((np.arange(len(keep)), -n_tokens, -key[:, t]))[:top_n]
            picks += [(t, i) for i in best]
        topic = np.array([t for t, _ in picks], dtype=int)
        pos = np.array([i for _, i in picks], dtype=int)
        rows = keep[pos]
        out = self._docvars(rows)
        out.insert(0, "doc", self.doc_ids_[rows])
        out.insert(0, "rank", np.concatenate([np.arange(1, (topic == t).sum() + 1) for t in range(self.k)]))
        out.insert(0, "topic", topic + 1)
        out["n_tokens"] = n_tokens[pos]
        out["weight"] = shares[pos, topic]
        dv = self.counts_.docvars
        out["text"] = (dv["text"].take(rows).astype(str).map(normalize).to_numpy() if "text" in dv.columns
                       else "")
        return out

    def coherence(self, top_n: int = 10, measure: str = "npmi", eps: float | None = None) -> np.ndarray:
        """Coherence of each topic's top ``top_n`` words on the modelled documents.

        Document co-occurrence in :attr:`counts_`; see
        :func:`c6lab.topics.npmi_coherence` and :func:`c6lab.topics.umass_coherence`.
        """
        if measure == "npmi":
            return npmi_coherence(self.top_words(top_n), self.counts_, NPMI_EPS if eps is None else eps)
        if measure == "umass":
            return umass_coherence(self.top_words(top_n), self.counts_, UMASS_EPS if eps is None else eps)
        raise ValueError(f"measure must be 'npmi' or 'umass', not {measure!r}")


def _check_prior(name: str, value) -> None:
    if value is not None and not (0 <= value <= 1):
        raise ValueError(f"{name} must lie in [0, 1] (got {value})")


def fit_topics(counts: DocumentTermMatrix, k: int, model: str = "nmf", random_state: int = 0, *,
               min_df: int | float = 1, max_df: int | float = 1.0, max_iter: int | None = None,
               doc_topic_prior: float | None = None,
               topic_word_prior: float | None = None, solver: str = "auto",
               fit_rows=None) -> TopicModel:
    """Fit an NMF (on TF-IDF) or LDA (variational Bayes, on counts) topic model.

    Parameters
    ----------
    counts : DocumentTermMatrix
        :func:`c6lab.dfm` of the documents: one per segment, or per sentence with
        ``unit="sentence"``. Its document variables travel to :meth:`TopicModel.doc_topics`.
    k : int
        Number of topics.
    model : {"nmf", "lda"}
    random_state : int
        Seed of the LDA initialisation and of NMF's randomized-SVD start.
    min_df, max_df : int or float
        Document-frequency limits of the vocabulary, with scikit-learn's meaning
        (:meth:`c6lab.DocumentTermMatrix.trim`). ``min_df=2`` drops words found in one
        document only, which on a small corpus otherwise make "topics" out of single
        paragraphs.
    max_iter : int, optional
        Default 2000 for NMF (stops earlier at ``tol=1e-4``), 50 for LDA (batch LDA
        runs all of them; there is no convergence test unless ``evaluate_every`` is set).
    doc_topic_prior, topic_word_prior : float in [0, 1], optional
        LDA's Dirichlet priors (alpha, eta); default 1/k as in scikit-learn.
    solver : {"auto", "batch", "online"}
        ``"batch"``: scikit-learn's ``NMF`` and batch ``LatentDirichletAllocation``.
        ``"online"``: ``MiniBatchNMF`` (batches of 2048 documents, ``max_iter`` default 30
        passes) and online LDA (``learning_method="online"``, batches of 512, ``max_iter``
        default 10 passes), both on the sparse matrix, for large corpora. ``"auto"``
        (default): online from :data:`ONLINE_MIN_DOCS` fitted documents on (1,000 for
        LDA, 20,000 for NMF), batch below, so results on small corpora are those of the
        batch algorithms.
    fit_rows : array of int, optional
        Fit on these rows of ``counts`` only (``min_df``/``max_df`` apply to them); the
        model still describes every document, the others through the fitted model
        (:attr:`TopicModel.fit_rows_`). :func:`c6lab.topics.select_k` uses it on large
        corpora.

    Returns
    -------
    TopicModel

    Notes
    -----
    NMF's input is scikit-learn's ``TfidfTransformer`` (l2 norm, smoothed idf) applied
    to the trimmed counts: the same matrix as ``TfidfVectorizer`` with the same
    ``min_df``/``max_df`` on the same tokens.

    Examples
    --------
    >>> import c6lab, pandas as pd
    >>> docs = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port",
    ...     "army border threat", "border troops", "rail port freight", "threat troops border army"]})
    >>> tm = fit_topics(c6lab.dfm(docs), k=2, model="nmf")
    >>> tm.top_words(2)
    [['rail', 'port'], ['border', 'troops']]
    >>> tm.doc_topics().groupby("doc")["weight"].sum().round(6).unique().tolist()
    [1.0]
    """
    job = _prepare(counts, k, model, random_state, min_df=min_df, max_df=max_df, max_iter=max_iter,
                   doc_topic_prior=doc_topic_prior, topic_word_prior=topic_word_prior, solver=solver,
                   fit_rows=fit_rows)
    return _finish(job, _fit_estimator(job))


def _lda_together():
    """:func:`c6lab.topics.lda_batch.fit_lda_together`, or None where scikit-learn lacks its private kernel."""
    try:
        from sklearn.decomposition._online_lda_fast import _dirichlet_expectation_2d  # noqa: F401

        from .lda_batch import fit_lda_together
    except ImportError:  # another scikit-learn than the pinned one: its own fits, one by one (same results)
        return None
    return fit_lda_together


def _cached_nmf():
    """:class:`c6lab.topics.nmf_cd.CachedNMF` (scikit-learn's NMF, its X.T made once per fit), or NMF."""
    try:
        from .nmf_cd import CachedNMF
    except ImportError:  # another scikit-learn than the pinned one: its own NMF, slower, the same factors
        from sklearn.decomposition import NMF

        return NMF
    return CachedNMF


def fit_topics_many(counts: Iterable[DocumentTermMatrix], k: int, model: str = "nmf",
                    random_states: Iterable[int] | None = None, **options) -> Iterator[TopicModel]:
    """:func:`fit_topics` of every matrix in ``counts`` (seed: the next of ``random_states``, default 0).

    Yields the same models as ``fit_topics(c, k, model, s, **options)`` for each ``c`` and ``s``,
    in order, one at a time: a matrix is read when its model is fitted, so a caller that
    keeps what it needs of each model holds one at a time. Batch LDA fits in a row (up to
    :data:`TOGETHER_MAX_NNZ` nonzero counts) run side by side
    (:func:`c6lab.topics.lda_batch.fit_lda_together`: scikit-learn's updates, vectorised over
    the documents of every fit), which is what makes :func:`c6lab.topics.select_k` cheap.

    Examples
    --------
    >>> import c6lab, pandas as pd
    >>> docs = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port",
    ...     "army border threat", "border troops", "rail port freight", "threat troops border army"]})
    >>> m = c6lab.dfm(docs)
    >>> a, b = fit_topics_many([m, m], 2, "lda", [0, 1])
    >>> a.top_words(2) == fit_topics(m, 2, "lda", 0).top_words(2), b.random_state
    (True, 1)
    """
    fit_lda_together = _lda_together()

    seeds = itertools.repeat(0) if random_states is None else iter(random_states)
    pending: list[_Job] = []  # batch LDA fits waiting to run together

    def flush():
        if len(pending) > 1 and fit_lda_together:
            with one_blas_thread():
                shares = fit_lda_together([j.est for j in pending], [j.X for j in pending])
        else:
            shares = [_fit_estimator(j) for j in pending]
        done = [_finish(j, W) for j, W in zip(pending, shares, strict=True)]
        pending.clear()
        return done

    for c in counts:
        job = _prepare(c, k, model, next(seeds), **options)
        if model == "lda" and job.solver == "batch":
            if pending and sum(j.X.nnz for j in pending) + job.X.nnz > TOGETHER_MAX_NNZ:
                yield from flush()
            pending.append(job)
            continue
        yield from flush()
        yield _finish(job, _fit_estimator(job))
    yield from flush()


class _Job(NamedTuple):
    """One model to fit: its input and its unfitted scikit-learn estimator."""
    counts: DocumentTermMatrix
    k: int
    model: str
    random_state: int
    trimmed: DocumentTermMatrix
    X: object
    transformer: object
    est: object
    solver: str
    options: dict
    fit_rows: np.ndarray | None


def _prepare(counts, k, model, random_state, *, min_df=1, max_df=1.0, max_iter=None, doc_topic_prior=None,
             topic_word_prior=None, solver="auto", fit_rows=None) -> _Job:
    from sklearn.decomposition import LatentDirichletAllocation, MiniBatchNMF
    from sklearn.feature_extraction.text import TfidfTransformer

    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, not {model!r}")
    if not (isinstance(k, (int, np.integer)) and k >= 1):
        raise ValueError(f"k must be a positive integer (got {k!r})")
    if not isinstance(counts, DocumentTermMatrix):
        raise TypeError(f"counts must be a c6lab.DocumentTermMatrix (c6lab.dfm), not {type(counts).__name__}")
    fitted = counts if fit_rows is None else counts.subset(fit_rows)
    solver = resolve_solver(model, fitted.n_docs, solver)
    options = {"min_df": min_df, "max_df": max_df, "max_iter": max_iter,
               "doc_topic_prior": doc_topic_prior, "topic_word_prior": topic_word_prior, "solver": solver}
    trimmed = fitted.trim(min_df, max_df)
    if trimmed.n_terms == 0:
        raise ValueError(f"no term is left after min_df={min_df!r}, max_df={max_df!r} "
                         f"({counts.n_docs} documents, {counts.n_terms} terms)")
    if model == "nmf":
        if doc_topic_prior is not None or topic_word_prior is not None:
            raise ValueError("Dirichlet priors apply to LDA only")
        transformer = TfidfTransformer()
        X = transformer.fit_transform(trimmed.matrix)
        if solver == "online":
            est = MiniBatchNMF(n_components=k, init="nndsvda", batch_size=2048, max_iter=max_iter or 30,
                               tol=1e-4, random_state=random_state)
        else:  # nndsvda: SVD-based start; enough iterations for the tiny matrices used here
            est = _cached_nmf()(n_components=k, init="nndsvda", max_iter=max_iter or 2000, tol=1e-4,
                            random_state=random_state)
    else:
        _check_prior("doc_topic_prior", doc_topic_prior)
        _check_prior("topic_word_prior", topic_word_prior)
        transformer, X = None, trimmed.matrix
        online = {"batch_size": 512} if solver == "online" else {}
        est = LatentDirichletAllocation(
            n_components=k, learning_method=solver, max_iter=max_iter or (10 if online else 50),
            doc_topic_prior=doc_topic_prior, topic_word_prior=topic_word_prior,
            random_state=random_state, **online)
    rows = None if fit_rows is None else np.asarray(fit_rows)
    return _Job(counts, k, model, random_state, trimmed, X, transformer, est, solver, options, rows)


def one_blas_thread():
    """A context in which BLAS (NumPy's and SciPy's OpenBLAS) runs on one thread.

    The topic fits make many small matrix products (MiniBatchNMF's batches, LDA's E-steps):
    measured at 1000x on 2 cores, BLAS threads waiting on each other made the fixed-K stage
    take 53 s instead of 9 s. One thread also makes the fits independent of the machine's
    number of cores (threaded BLAS may sum in another order); the bundled run's tables are
    the same bytes either way (``notebooks/results.sha256``).
    """
    global _THREADPOOLS
    if _THREADPOOLS is None:  # finding the loaded BLAS libraries once (each lookup scans them)
        from threadpoolctl import ThreadpoolController

        _THREADPOOLS = ThreadpoolController()
    return _THREADPOOLS.limit(limits=1, user_api="blas")


_THREADPOOLS = None


def _fit_estimator(job: _Job) -> np.ndarray:
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings(), one_blas_thread():
        if job.solver == "online":  # a fixed number of passes over a large corpus is the point, not a failure
            warnings.simplefilter("ignore", ConvergenceWarning)
        return job.est.fit_transform(job.X)


def _finish(job: _Job, W: np.ndarray) -> TopicModel:
    H = job.est.components_
    with np.errstate(invalid="ignore", divide="ignore"):
        topic_word = H / H.sum(axis=1, keepdims=True)
        doc_topic = W / W.sum(axis=1, keepdims=True)
    doc_topic[job.trimmed.n_tokens == 0] = np.nan
    # topic 1 = the largest total share over the fitted documents (stable for ties)
    order = np.argsort(-np.nansum(doc_topic, axis=0), kind="stable")
    rows = job.fit_rows
    return TopicModel(job.model, job.k, job.random_state, job.counts, job.trimmed.terms, topic_word[order],
                      doc_topic[:, order] if rows is None else None, job.options, job.transformer, job.est,
                      fit_rows=rows, order=order)
