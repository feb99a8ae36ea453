"""Fitting NMF and LDA on a document-term matrix: :func:`fit_topics` and :class:`TopicModel`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..counts import DocumentTermMatrix
from ..text import normalize
from .coherence import NPMI_EPS, UMASS_EPS, npmi_coherence, umass_coherence

MODELS = ("nmf", "lda")


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
                 transformer, estimator):
        self.model = model
        self.k = k
        self.random_state = random_state
        self.counts_ = counts
        self.terms_ = terms
        self.topic_word_ = topic_word
        self.doc_topic_ = doc_topic
        self.doc_ids_ = doc_ids(counts)
        self.n_tokens_ = counts.n_tokens
        self.options_ = options
        self.transformer_ = transformer
        self.estimator_ = estimator

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
        keep = ~np.isnan(self.doc_topic_).any(axis=1)
        n_docs = int(keep.sum())
        base = pd.DataFrame({"model": self.model, "k": self.k, "doc": self.doc_ids_[keep]})
        meta = self.counts_.docvars.loc[keep].reset_index(drop=True)
        meta = meta.drop(columns=["model", "k", "doc", "text", "n_tokens", "topic", "weight"],
                         errors="ignore")
        base = pd.concat([base, meta], axis=1)
        base["n_tokens"] = self.n_tokens_[keep]
        out = base.loc[base.index.repeat(self.k)].reset_index(drop=True)
        out["topic"] = np.tile(np.arange(1, self.k + 1), n_docs)
        out["weight"] = self.doc_topic_[keep].ravel()
        return out

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
        dt = self.doc_topics()
        dt["_order"] = np.repeat(np.arange(len(dt) // self.k), self.k)
        dt["_key"] = dt["weight"].round(2)
        dv = self.counts_.docvars
        texts = dv["text"].astype(str).map(normalize) if "text" in dv.columns else pd.Series("", index=dv.index)
        keep = ~np.isnan(self.doc_topic_).any(axis=1)
        dt["text"] = np.repeat(texts.to_numpy()[keep], self.k)
        dt = dt.sort_values(["topic", "_key", "n_tokens", "_order"],
                            ascending=[True, False, False, True], kind="stable")
        top = dt.groupby("topic", sort=True).head(top_n).copy()
        top["rank"] = top.groupby("topic").cumcount() + 1
        skip = ("model", "k", "topic", "rank", "weight", "text", "_order", "_key", "n_tokens")
        cols = ["topic", "rank", *[c for c in dt.columns if c not in skip],
                "n_tokens", "weight", "text"]
        return top[cols].reset_index(drop=True)

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
               topic_word_prior: float | None = None) -> TopicModel:
    """Fit an NMF (on TF-IDF) or LDA (batch variational Bayes, on counts) topic model.

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
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import TfidfTransformer

    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, not {model!r}")
    if not (isinstance(k, (int, np.integer)) and k >= 1):
        raise ValueError(f"k must be a positive integer (got {k!r})")
    if not isinstance(counts, DocumentTermMatrix):
        raise TypeError(f"counts must be a c6lab.DocumentTermMatrix (c6lab.dfm), not {type(counts).__name__}")
    options = {"min_df": min_df, "max_df": max_df, "max_iter": max_iter,
               "doc_topic_prior": doc_topic_prior, "topic_word_prior": topic_word_prior}
    trimmed = counts.trim(min_df, max_df)
    if trimmed.n_terms == 0:
        raise ValueError(f"no term is left after min_df={min_df!r}, max_df={max_df!r} "
                         f"({counts.n_docs} documents, {counts.n_terms} terms)")
    if model == "nmf":
        if doc_topic_prior is not None or topic_word_prior is not None:
            raise ValueError("Dirichlet priors apply to LDA only")
        transformer = TfidfTransformer()
        X = transformer.fit_transform(trimmed.matrix)
        # nndsvda: SVD-based start; enough iterations for the tiny matrices used here
        est = NMF(n_components=k, init="nndsvda", max_iter=max_iter or 2000, tol=1e-4,
                  random_state=random_state)
    else:
        _check_prior("doc_topic_prior", doc_topic_prior)
        _check_prior("topic_word_prior", topic_word_prior)
        transformer, X = None, trimmed.matrix
        est = LatentDirichletAllocation(
            n_components=k, learning_method="batch", max_iter=max_iter or 50,
            doc_topic_prior=doc_topic_prior, topic_word_prior=topic_word_prior,
            random_state=random_state)
    W = est.fit_transform(X)
    H = est.components_
    with np.errstate(invalid="ignore", divide="ignore"):
        topic_word = H / H.sum(axis=1, keepdims=True)
        doc_topic = W / W.sum(axis=1, keepdims=True)
    doc_topic[trimmed.n_tokens == 0] = np.nan
    # topic 1 = the largest total share over documents (stable for ties)
    order = np.argsort(-np.nansum(doc_topic, axis=0), kind="stable")
    return TopicModel(model, k, random_state, counts, trimmed.terms, topic_word[order],
                      doc_topic[:, order], options, transformer, est)
