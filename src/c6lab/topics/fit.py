"""Topic models with honest model selection: coherence and stability, not perplexity.

Two models: NMF on TF-IDF and LDA (batch variational Bayes) on counts, both on
:func:`c6lab.tokenize` tokens. K is chosen by looking at two kinds of evidence side by side:

* **coherence** of each topic's top words, measured on the modelled documents themselves:
  NPMI with *document* co-occurrence (two words co-occur when they appear in the same
  document; on paragraphs of 2-50 tokens a 10-token sliding window, as in gensim's
  ``c_npmi``, would be nearly the same thing but less transparent) and UMass (Mimno et al. 2011);
* **stability** (Greene, O'Callaghan & Cunningham 2014): the average Jaccard agreement of
  the top-word rankings of a reference model and of models refitted on 80% document
  subsamples, or with other random seeds, topics matched one-to-one with the Hungarian
  algorithm.

Perplexity is not used (sklearn issues #6777 and #20032: it is unreliable for choosing K).

Note on seeds: scikit-learn's ``nndsvda`` NMF initialisation runs a *randomized* SVD, so
NMF results do depend (slightly, and at larger K sometimes visibly) on ``random_state``.
:func:`seed_stability` therefore measures both models rather than assuming NMF is
deterministic.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .text import normalize, sentence_spans
from .tokenizer import tokenize

MODELS = ("nmf", "lda")

#: epsilon added to the joint probability in NPMI (as in gensim and Röder et al. 2015)
NPMI_EPS = 1e-12
#: smoothing count added to the co-document frequency in UMass (Mimno et al. 2011 use 1)
UMASS_EPS = 1.0

# document variables carried from the corpus table to each unit
_UNIT_VARS = ("segment_id", "article_id", "outlet", "kind", "speaker_id", "speaker", "country")


# -- units of analysis ----------------------------------------------------------------


def make_units(corpus_df: pd.DataFrame, unit: str = "segment") -> pd.DataFrame:
    """Documents for topic modelling: one row per segment or per sentence.

    Parameters
    ----------
    corpus_df : DataFrame
        Rows of :func:`c6lab.load_corpus` (usually filtered to quotes and paraphrases).
    unit : {"segment", "sentence"}
        ``"segment"`` keeps each annotated segment as one document; ``"sentence"`` splits
        each segment with :func:`c6lab.sentence_spans`.

    Returns
    -------
    DataFrame
        ``unit_id`` (the segment id, or ``<segment_id>.s<n>`` for sentences), the segment's
        document variables (``segment_id, article_id, outlet, kind, speaker_id, speaker,
        country`` where present) and ``text`` (normalised with :func:`c6lab.normalize`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"segment_id": ["s1"], "speaker": ["A"],
    ...                    "text": ["Trade grows. The U.S. is present."]})
    >>> make_units(df, "sentence")[["unit_id", "text"]].values.tolist()
    [['s1.s1', 'Trade grows.'], ['s1.s2', 'The U.S. is present.']]
    """
    if unit not in ("segment", "sentence"):
        raise ValueError(f"unit must be 'segment' or 'sentence', not {unit!r}")
    cols = [c for c in _UNIT_VARS if c in corpus_df.columns]
    if "segment_id" not in cols:
        raise ValueError("corpus_df needs a 'segment_id' column")
    rows = []
    for rec in corpus_df[cols + ["text"]].itertuples(index=False):
        meta = dict(zip(cols, rec[:-1]))
        text = rec[-1]
        if unit == "segment":
            rows.append({"unit_id": meta["segment_id"], **meta, "text": normalize(text)})
        else:
            for i, (a, b) in enumerate(sentence_spans(text), start=1):
                rows.append({"unit_id": f"{meta['segment_id']}.s{i}", **meta,
                             "text": normalize(text[a:b])})
    return pd.DataFrame(rows, columns=["unit_id", *cols, "text"])


# -- fitting --------------------------------------------------------------------------


class TopicModel:
    """A fitted topic model (returned by :func:`fit_topics`; not fitted directly).

    Topics are numbered 1..k in decreasing order of their total weight over the
    documents, so topic 1 is the most prevalent. Topic-word weights are normalised to sum
    to 1 per topic and document-topic weights to sum to 1 per document, for both models.

    Attributes
    ----------
    model : {"nmf", "lda"}
    k : int
    random_state : int
    terms_ : ndarray of str
        Vocabulary (columns of the document-term matrix), alphabetical.
    topic_word_ : ndarray, shape (k, n_terms)
        For LDA the posterior mean topic-word distribution; for NMF the rows of H
        divided by their sums.
    doc_topic_ : ndarray, shape (n_docs, k)
        Topic shares of each document (LDA: posterior topic proportions; NMF: rows of W
        divided by their sums). Rows of documents with no vocabulary term are NaN.
    doc_ids_ : ndarray
    metadata_ : DataFrame or None
    tokens_ : list of list of str
        The tokens of each document (also the reference corpus for coherence).
    n_tokens_ : ndarray of int
    texts_ : list of str
    vectorizer_, estimator_ : the fitted scikit-learn objects.

    Examples
    --------
    >>> docs = ["rail port cargo", "rail cargo freight rail port", "army border threat",
    ...         "border troops", "rail port freight", "threat troops border army"]
    >>> tm = fit_topics(docs, k=2, model="nmf", doc_ids=list("abcdef"))
    >>> tm.topic_words(2)[["topic", "rank", "word"]].values.tolist()
    [[1, 1, 'rail'], [1, 2, 'port'], [2, 1, 'border'], [2, 2, 'troops']]
    >>> tm.representative_docs(1)[["topic", "doc", "text"]].values.tolist()
    [[1, 'b', 'rail cargo freight rail port'], [2, 'f', 'threat troops border army']]
    >>> # rail, port: both in the same 3 of 6 docs -> NPMI 1; border (3/6), troops (2/6),
    >>> # together 2/6 -> log((2/6) / (3/6 * 2/6)) / -log(2/6) = log 2 / log 3 = 0.631
    >>> tm.coherence(2, "npmi").round(3).tolist()
    [1.0, 0.631]
    """

    def __init__(self, model, k, random_state, terms, topic_word, doc_topic, doc_ids,
                 metadata, tokens, texts, vectorizer, estimator):
        self.model = model
        self.k = k
        self.random_state = random_state
        self.terms_ = terms
        self.topic_word_ = topic_word
        self.doc_topic_ = doc_topic
        self.doc_ids_ = doc_ids
        self.metadata_ = metadata
        self.tokens_ = tokens
        self.n_tokens_ = np.array([len(t) for t in tokens], dtype=int)
        self.texts_ = texts
        self.vectorizer_ = vectorizer
        self.estimator_ = estimator

    def __repr__(self) -> str:
        return (f"TopicModel(model={self.model!r}, k={self.k}, random_state={self.random_state}, "
                f"n_docs={len(self.doc_ids_)}, n_terms={len(self.terms_)})")

    @property
    def empty_docs(self) -> list:
        """Ids of documents with no term in the vocabulary (no topic mixture)."""
        return [d for d, row in zip(self.doc_ids_, self.doc_topic_) if np.isnan(row).any()]

    def _order(self, n: int) -> np.ndarray:
        # stable sort on -weight: ties keep alphabetical vocabulary order
        return np.argsort(-self.topic_word_, axis=1, kind="stable")[:, :n]

    def top_words(self, n: int = 10) -> list[list[str]]:
        """Top ``n`` words of each topic, best first (one list per topic, topic 1 first)."""
        return [list(self.terms_[idx]) for idx in self._order(n)]

    def topic_words(self, n: int = 10) -> pd.DataFrame:
        """Tidy top words: ``model, k, topic, rank, word, weight`` (one row per word)."""
        rows = []
        for t, idx in enumerate(self._order(n), start=1):
            for r, j in enumerate(idx, start=1):
                rows.append((self.model, self.k, t, r, self.terms_[j], self.topic_word_[t - 1, j]))
        return pd.DataFrame(rows, columns=["model", "k", "topic", "rank", "word", "weight"])

    def doc_topics(self) -> pd.DataFrame:
        """Tidy document-topic shares: one row per document and topic.

        Columns: ``model, k, doc``, the metadata columns given to :func:`fit_topics`,
        ``n_tokens``, ``topic`` (1..k) and ``weight`` (the document's share of that topic;
        shares of a document sum to 1). Documents with no vocabulary term
        (:attr:`empty_docs`) are left out.
        """
        keep = ~np.isnan(self.doc_topic_).any(axis=1)
        n_docs = int(keep.sum())
        base = pd.DataFrame({"model": self.model, "k": self.k,
                             "doc": np.asarray(self.doc_ids_)[keep]})
        if self.metadata_ is not None:
            meta = self.metadata_.loc[keep].reset_index(drop=True)
            base = pd.concat([base, meta.drop(columns=["model", "k", "doc"], errors="ignore")],
                             axis=1)
        base["n_tokens"] = self.n_tokens_[keep]
        out = base.loc[base.index.repeat(self.k)].reset_index(drop=True)
        out["topic"] = np.tile(np.arange(1, self.k + 1), n_docs)
        out["weight"] = self.doc_topic_[keep].ravel()
        return out

    def representative_docs(self, n: int = 2) -> pd.DataFrame:
        """The ``n`` documents with the largest share of each topic.

        Shares equal to two decimals count as tied and ties go to the longer document
        (then to document order): a long passage almost entirely about the topic is shown
        before a five-word fragment, and floating-point noise cannot reorder the list.

        Returns
        -------
        DataFrame
            ``topic, rank, doc``, the metadata columns, ``n_tokens, weight, text``.
        """
        dt = self.doc_topics()
        dt["_order"] = np.repeat(np.arange(len(dt) // self.k), self.k)
        dt["_key"] = dt["weight"].round(2)
        dt["text"] = np.repeat(
            [t for t, row in zip(self.texts_, self.doc_topic_) if not np.isnan(row).any()], self.k)
        dt = dt.sort_values(["topic", "_key", "n_tokens", "_order"],
                            ascending=[True, False, False, True], kind="stable")
        top = dt.groupby("topic", sort=True).head(n).copy()
        top["rank"] = top.groupby("topic").cumcount() + 1
        skip = ("model", "k", "topic", "rank", "weight", "text", "_order", "_key", "n_tokens")
        cols = ["topic", "rank", *[c for c in dt.columns if c not in skip],
                "n_tokens", "weight", "text"]
        return top[cols].reset_index(drop=True)

    def coherence(self, n: int = 10, measure: str = "npmi", eps: float | None = None) -> np.ndarray:
        """Coherence of each topic's top ``n`` words on the modelled documents.

        See :func:`npmi_coherence` and :func:`umass_coherence`.
        """
        if measure == "npmi":
            return npmi_coherence(self.top_words(n), self.tokens_,
                                  NPMI_EPS if eps is None else eps)
        if measure == "umass":
            return umass_coherence(self.top_words(n), self.tokens_,
                                   UMASS_EPS if eps is None else eps)
        raise ValueError(f"measure must be 'npmi' or 'umass', not {measure!r}")


def _check_prior(name: str, value) -> None:
    if value is not None and not (0 <= value <= 1):
        raise ValueError(f"{name} must lie in [0, 1] (got {value})")


def _identity(tokens):
    return tokens


def _fit_tokens(tokens: list[list[str]], k: int, model: str, random_state: int, *,
                min_df=1, max_df=1.0, max_iter: int | None = None,
                doc_topic_prior: float | None = None, topic_word_prior: float | None = None):
    """Fit on already tokenised documents; returns (vectorizer, estimator, terms, H, W)."""
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, not {model!r}")
    if not (isinstance(k, (int, np.integer)) and k >= 1):
        raise ValueError(f"k must be a positive integer (got {k!r})")
    if model == "nmf":
        if doc_topic_prior is not None or topic_word_prior is not None:
            raise ValueError("Dirichlet priors apply to LDA only")
        vec = TfidfVectorizer(analyzer=_identity, min_df=min_df, max_df=max_df)
        X = vec.fit_transform(tokens)
        # nndsvda: SVD-based start; enough iterations for the tiny matrices used here
        est = NMF(n_components=k, init="nndsvda", max_iter=max_iter or 2000, tol=1e-4,
                  random_state=random_state)
        W = est.fit_transform(X)
        H = est.components_
    else:
        _check_prior("doc_topic_prior", doc_topic_prior)
        _check_prior("topic_word_prior", topic_word_prior)
        vec = CountVectorizer(analyzer=_identity, min_df=min_df, max_df=max_df)
        X = vec.fit_transform(tokens)
        est = LatentDirichletAllocation(
            n_components=k, learning_method="batch", max_iter=max_iter or 50,
            doc_topic_prior=doc_topic_prior, topic_word_prior=topic_word_prior,
            random_state=random_state)
        W = est.fit_transform(X)
        H = est.components_
    terms = vec.get_feature_names_out()
    empty = np.asarray(X.sum(axis=1)).ravel() == 0
    return vec, est, terms, H, W, empty


def fit_topics(
    docs: Sequence[str],
    k: int,
    model: str = "nmf",
    random_state: int = 0,
    *,
    doc_ids: Sequence | None = None,
    metadata: pd.DataFrame | None = None,
    tokenizer: Callable[[str], list[str]] | None = None,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    max_iter: int | None = None,
    doc_topic_prior: float | None = None,
    topic_word_prior: float | None = None,
) -> TopicModel:
    """Fit an NMF (on TF-IDF) or LDA (batch, on counts) topic model.

    Parameters
    ----------
    docs : sequence of str
        One string per document, tokenised with ``tokenizer``.
    k : int
        Number of topics.
    model : {"nmf", "lda"}
    random_state : int
        Seed of the LDA initialisation and of NMF's randomized-SVD start.
    doc_ids : sequence, optional
        Document identifiers; default the index of ``docs`` if it is a Series, else 0..n-1.
    metadata : DataFrame, optional
        One row per document (same order); its columns are carried into
        :meth:`TopicModel.doc_topics` and :meth:`TopicModel.representative_docs`.
    tokenizer : callable, optional
        Default :func:`c6lab.tokenize` (stopwords removed, phrases joined, names unified).
    min_df, max_df : int or float
        Document-frequency limits of the vocabulary, as in scikit-learn's vectorizers.
        ``min_df=2`` drops words found in one document only, which on a small corpus
        otherwise make "topics" out of single paragraphs.
    max_iter : int, optional
        Default 2000 for NMF (stops earlier at ``tol=1e-4``), 50 for LDA (batch LDA
        runs all of them; there is no convergence test unless ``evaluate_every`` is set).
    doc_topic_prior, topic_word_prior : float in [0, 1], optional
        LDA's Dirichlet priors (alpha, eta); default 1/k as in scikit-learn.

    Returns
    -------
    TopicModel

    Examples
    --------
    >>> docs = ["rail port cargo", "rail cargo freight rail port", "army border threat",
    ...         "border troops", "rail port freight", "threat troops border army"]
    >>> tm = fit_topics(docs, k=2, model="nmf")
    >>> tm.top_words(2)
    [['rail', 'port'], ['border', 'troops']]
    >>> tm.doc_topics().groupby("doc")["weight"].sum().round(6).unique().tolist()
    [1.0]
    """
    docs = list(docs) if not isinstance(docs, pd.Series) else docs
    if doc_ids is None:
        doc_ids = docs.index.to_numpy() if isinstance(docs, pd.Series) else np.arange(len(docs))
    texts = [str(d) for d in docs]
    doc_ids = np.asarray(doc_ids)
    if len(doc_ids) != len(texts):
        raise ValueError("doc_ids must have one entry per document")
    if metadata is not None:
        if len(metadata) != len(texts):
            raise ValueError("metadata must have one row per document")
        metadata = metadata.reset_index(drop=True)
    tok = tokenizer if tokenizer is not None else tokenize
    tokens = [tok(t) for t in texts]
    return _model_from_tokens(tokens, texts, k, model, random_state, doc_ids, metadata,
                              min_df=min_df, max_df=max_df, max_iter=max_iter,
                              doc_topic_prior=doc_topic_prior, topic_word_prior=topic_word_prior)


def _model_from_tokens(tokens, texts, k, model, random_state, doc_ids=None, metadata=None,
                       **options) -> TopicModel:
    vec, est, terms, H, W, empty = _fit_tokens(tokens, k, model, random_state, **options)
    if doc_ids is None:
        doc_ids = np.arange(len(tokens))
    with np.errstate(invalid="ignore", divide="ignore"):
        topic_word = H / H.sum(axis=1, keepdims=True)
        doc_topic = W / W.sum(axis=1, keepdims=True)
    doc_topic[empty] = np.nan
    # topic 1 = the largest total share over documents (stable for ties)
    totals = np.nansum(doc_topic, axis=0)
    order = np.argsort(-totals, kind="stable")
    return TopicModel(model, k, random_state, terms, topic_word[order], doc_topic[:, order],
                      doc_ids, metadata, tokens, texts, vec, est)


# -- coherence ------------------------------------------------------------------------


def _doc_counts(words: list[str], docs: Iterable[Iterable[str]]):
    """Number of documents, D(w) per word and D(w_i, w_j) per pair (document co-occurrence)."""
    index = {w: i for i, w in enumerate(words)}
    sets = [set(d) for d in docs]
    B = np.zeros((len(sets), len(words)), dtype=np.int64)
    for r, s in enumerate(sets):
        for w in s & index.keys():
            B[r, index[w]] = 1
    return len(sets), B.sum(axis=0), B.T @ B


def npmi_coherence(topics: Sequence[Sequence[str]], docs: Iterable[Iterable[str]],
                   eps: float = NPMI_EPS) -> np.ndarray:
    """Mean NPMI of the top-word pairs of each topic, with *document* co-occurrence.

    P(w) = D(w) / N and P(w_i, w_j) = D(w_i, w_j) / N, where D counts the documents that
    contain the word(s) and N is the number of documents. For each pair::

        NPMI = log[(P(w_i, w_j) + eps) / (P(w_i) P(w_j))] / -log(P(w_i, w_j) + eps)

    averaged over all pairs i < j of a topic's words. NPMI lies in [-1, 1]: 1 for words
    that always occur together, 0 for independence. Pairs that never co-occur score
    close to -1 (exactly -1 only as ``eps`` -> 0; with the default ``eps=1e-12`` and
    word probabilities around 0.1 about -0.83). Pairs with a word absent from ``docs``
    are undefined and skipped; a topic with no defined pair is NaN.

    Parameters
    ----------
    topics : sequence of sequence of str
        Top words of each topic.
    docs : iterable of iterable of str
        The reference corpus as token lists (order and repeats within a document do not
        matter).
    eps : float
        Added to the joint probability to keep the logarithm finite.

    Returns
    -------
    ndarray, one value per topic

    Examples
    --------
    >>> docs = [["a", "b"], ["a", "b"], ["c"], ["c"]]
    >>> npmi_coherence([["a", "b"]], docs).round(6).tolist()   # always together
    [1.0]
    """
    topics = [list(t) for t in topics]
    docs = [list(d) for d in docs]
    out = np.full(len(topics), np.nan)
    for t, words in enumerate(topics):
        n, d1, d2 = _doc_counts(words, docs)
        vals = []
        for i, j in itertools.combinations(range(len(words)), 2):
            if d1[i] == 0 or d1[j] == 0:
                continue
            p_ij = d2[i, j] / n + eps
            vals.append(np.log(p_ij / ((d1[i] / n) * (d1[j] / n))) / -np.log(p_ij))
        if vals:
            out[t] = float(np.mean(vals))
    return out


def umass_coherence(topics: Sequence[Sequence[str]], docs: Iterable[Iterable[str]],
                    eps: float = UMASS_EPS) -> np.ndarray:
    """Mean UMass coherence of each topic (Mimno et al. 2011), document co-occurrence.

    For the topic's words in rank order w_1, w_2, ... (best first)::

        UMass = mean over j < i of log[(D(w_i, w_j) + eps) / D(w_j)]

    where D counts documents. The conditioning word w_j is the higher-ranked one. Mimno
    et al. use ``eps = 1`` (the default); values are <= log(1 + eps / D(w_j)), higher is
    more coherent, and they are not comparable across corpora of different size. Pairs
    whose higher-ranked word is absent from ``docs`` are skipped.

    Examples
    --------
    >>> docs = [["a", "b"], ["a", "b"], ["c"], ["c"]]
    >>> umass_coherence([["a", "b"]], docs).round(6).tolist()   # log((2 + 1) / 2)
    [0.405465]
    """
    topics = [list(t) for t in topics]
    docs = [list(d) for d in docs]
    out = np.full(len(topics), np.nan)
    for t, words in enumerate(topics):
        _, d1, d2 = _doc_counts(words, docs)
        vals = [np.log((d2[i, j] + eps) / d1[j])
                for i in range(1, len(words)) for j in range(i) if d1[j] > 0]
        if vals:
            out[t] = float(np.mean(vals))
    return out


# -- stability ------------------------------------------------------------------------


def average_jaccard(r1: Sequence[str], r2: Sequence[str], t: int | None = None) -> float:
    """Average Jaccard agreement of two ranked lists (Greene et al. 2014).

    ``AJ = (1/t) * sum_{d=1..t} |R1[:d] & R2[:d]| / |R1[:d] | R2[:d]|``: top-ranked words
    weigh more, because they enter every prefix.

    Parameters
    ----------
    r1, r2 : sequence of str
        Rankings, best first.
    t : int, optional
        Depth; default the length of the shorter list.

    Examples
    --------
    >>> average_jaccard(["a", "b", "c"], ["b", "a", "d"])   # (0 + 1 + 2/4) / 3
    0.5
    """
    t = min(len(r1), len(r2)) if t is None else t
    if t < 1:
        raise ValueError("t must be >= 1")
    total = 0.0
    for d in range(1, t + 1):
        a, b = set(r1[:d]), set(r2[:d])
        total += len(a & b) / len(a | b)
    return total / t


def match_topics(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]],
                 t: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Match the topics of two models one-to-one, maximising total average Jaccard.

    Uses the Hungarian algorithm (:func:`scipy.optimize.linear_sum_assignment`).

    Parameters
    ----------
    a, b : sequence of rankings
        Top-word lists of each topic of two models with the same number of topics.
    t : int, optional
        Ranking depth passed to :func:`average_jaccard`.

    Returns
    -------
    match : ndarray of int
        ``match[i]`` is the (0-based) topic of ``b`` paired with topic ``i`` of ``a``.
    scores : ndarray of float
        Average Jaccard of each pair.

    Examples
    --------
    >>> a = [["x", "y"], ["p", "q"]]
    >>> b = [["p", "q"], ["x", "y"]]
    >>> match, scores = match_topics(a, b)
    >>> match.tolist(), scores.tolist()
    ([1, 0], [1.0, 1.0])
    """
    if len(a) != len(b):
        raise ValueError(f"models have different numbers of topics ({len(a)} and {len(b)})")
    sim = np.array([[average_jaccard(x, y, t) for y in b] for x in a])
    rows, cols = linear_sum_assignment(sim, maximize=True)
    match = np.empty(len(a), dtype=int)
    match[rows] = cols
    return match, sim[np.arange(len(a)), match]


def agreement(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]],
              t: int | None = None) -> float:
    """Agreement of two topic models: mean average Jaccard over Hungarian-matched topics.

    Examples
    --------
    >>> agreement([["x", "y"], ["p", "q"]], [["p", "q"], ["x", "y"]])
    1.0
    """
    return float(match_topics(a, b, t)[1].mean())


def subsample_indices(n_docs: int, n_subsamples: int = 5, frac: float = 0.8,
                      random_state: int = 0) -> list[np.ndarray]:
    """Sorted document indices of ``n_subsamples`` random subsamples without replacement.

    Examples
    --------
    >>> [len(s) for s in subsample_indices(10, 3, 0.8)]
    [8, 8, 8]
    """
    if not 0 < frac <= 1:
        raise ValueError("frac must be in (0, 1]")
    rng = np.random.default_rng(random_state)
    size = max(1, int(round(frac * n_docs)))
    return [np.sort(rng.choice(n_docs, size=size, replace=False)) for _ in range(n_subsamples)]


def _tokenise_all(docs, tokenizer):
    # strings are tokenised; anything else is taken as an already tokenised document
    tok = tokenizer if tokenizer is not None else tokenize
    return [tok(d) if isinstance(d, str) else list(d) for d in docs]


def _subsample_runs(tokens, ref_words, k, model, n_subsamples, frac, top_t, random_state,
                    options) -> np.ndarray:
    """Matched average Jaccard per subsample (rows) and reference topic (columns)."""
    out = []
    for idx in subsample_indices(len(tokens), n_subsamples, frac, random_state):
        sub = [tokens[i] for i in idx]
        run = _model_from_tokens(sub, sub, k, model, random_state, **options).top_words(top_t)
        out.append(match_topics(ref_words, run, top_t)[1])
    return np.array(out).reshape(len(out), k)


def _seed_runs(tokens, ref_words, k, model, n_seeds, top_t, random_state, options) -> np.ndarray:
    out = []
    for s in range(random_state + 1, random_state + 1 + n_seeds):
        run = _model_from_tokens(tokens, tokens, k, model, s, **options).top_words(top_t)
        out.append(agreement(ref_words, run, top_t))
    return np.array(out)


def subsample_stability(docs: Sequence[str], k: int, model: str = "nmf", *,
                        n_subsamples: int = 5, frac: float = 0.8, top_t: int = 10,
                        random_state: int = 0, tokenizer=None, per_topic: bool = False,
                        **options) -> np.ndarray:
    """Agreement of models fitted on document subsamples with the full-data model.

    The reference model is fitted on all documents with ``random_state``; each of
    ``n_subsamples`` models is fitted on a random ``frac`` of the documents
    (:func:`subsample_indices`) with the same seed, so only the data change. Agreement is
    :func:`agreement` of the top-``top_t`` word rankings. Greene et al. (2014) call the
    mean of these values the stability of k.

    Parameters
    ----------
    docs : sequence of str (or of token lists, used as they are)
    k : int
    model : {"nmf", "lda"}
    n_subsamples, frac : int, float
    top_t : int
        Ranking depth.
    random_state : int
        Seed of the models and of the subsamples.
    tokenizer : callable, optional
    per_topic : bool
        Return the matched average Jaccard of every reference topic (topic 1 first) in
        every subsample instead of the mean per subsample.
    **options
        Passed to :func:`fit_topics`.

    Returns
    -------
    ndarray
        One agreement per subsample, in [0, 1]; with ``per_topic`` an array of shape
        ``(n_subsamples, k)``.

    Examples
    --------
    >>> docs = ["rail port cargo", "rail cargo freight rail port", "army border threat",
    ...         "border troops", "rail port freight", "threat troops border army"] * 2
    >>> stab = subsample_stability(docs, 2, "nmf", n_subsamples=3, top_t=3)
    >>> stab.shape, bool(((stab >= 0) & (stab <= 1)).all())
    ((3,), True)
    """
    tokens = _tokenise_all(docs, tokenizer)
    ref = _model_from_tokens(tokens, tokens, k, model, random_state, **options).top_words(top_t)
    runs = _subsample_runs(tokens, ref, k, model, n_subsamples, frac, top_t, random_state,
                           options)
    return runs if per_topic else runs.mean(axis=1)


def seed_stability(docs: Sequence[str], k: int, model: str = "lda", *, n_seeds: int = 3,
                   top_t: int = 10, random_state: int = 0, tokenizer=None,
                   **options) -> np.ndarray:
    """Agreement of models fitted with seeds ``random_state + 1 .. + n_seeds`` with the
    model fitted with ``random_state``, all on the full data.

    Meaningful for LDA (random initialisation). For NMF it measures the effect of the
    randomized SVD in scikit-learn's ``nndsvda`` start, which is small but not zero.
    Parameters are those of :func:`subsample_stability`.

    Returns
    -------
    ndarray, one agreement per extra seed

    Examples
    --------
    >>> docs = ["rail port cargo", "rail cargo freight rail port", "army border threat",
    ...         "border troops", "rail port freight", "threat troops border army"] * 2
    >>> seed_stability(docs, 2, "lda", n_seeds=2, top_t=1).tolist()   # top word of each topic
    [1.0, 1.0]
    """
    tokens = _tokenise_all(docs, tokenizer)
    ref = _model_from_tokens(tokens, tokens, k, model, random_state, **options).top_words(top_t)
    return _seed_runs(tokens, ref, k, model, n_seeds, top_t, random_state, options)


def select_k(docs: Sequence[str], ks: Iterable[int] = range(2, 7),
             models: Sequence[str] = MODELS, *, top_n: int = 10, n_subsamples: int = 5,
             frac: float = 0.8, n_seeds: int = 3, random_state: int = 0, tokenizer=None,
             return_models: bool = False, **options):
    """Coherence and stability of every (model, k): the table to choose K from.

    Parameters
    ----------
    docs : sequence of str (or of token lists, used as they are)
    ks : iterable of int
    models : sequence of {"nmf", "lda"}
    top_n : int
        Top words per topic used for coherence and as ranking depth for stability.
    n_subsamples, frac : int, float
        Subsamples for :func:`subsample_stability` (the same subsamples for every k and
        model, so the comparison is paired).
    n_seeds : int
        Extra seeds for :func:`seed_stability` (0 skips it).
    random_state : int
    tokenizer : callable, optional
    return_models : bool
        Also return the full-data models, ``{(model, k): TopicModel}`` (documents numbered
        0..n-1, no metadata).
    **options
        Passed to :func:`fit_topics` (``min_df``, ``max_iter``, LDA priors ...).

    Returns
    -------
    DataFrame, or (DataFrame, dict) with ``return_models``
        One row per model and k: ``model, k, npmi, umass`` (means over topics of the
        full-data model), ``stability`` (mean subsample agreement), ``stability_sd`` (its
        standard deviation over subsamples), ``stability_min``, ``stability_seeds`` (mean
        agreement across seeds; NaN if ``n_seeds=0``), ``n_docs``, ``n_terms``.

    Examples
    --------
    >>> docs = ["rail port cargo", "rail cargo freight rail port", "army border threat",
    ...         "border troops", "rail port freight", "threat troops border army"] * 2
    >>> tab = select_k(docs, ks=[2, 3], models=["nmf"], top_n=3, n_subsamples=2, n_seeds=0)
    >>> tab[["model", "k", "n_docs"]].values.tolist()
    [['nmf', 2, 12], ['nmf', 3, 12]]
    """
    docs = list(docs)
    tokens = _tokenise_all(docs, tokenizer)
    texts = [d if isinstance(d, str) else " ".join(d) for d in docs]
    rows, fitted = [], {}
    for model in models:
        for k in ks:
            tm = _model_from_tokens(tokens, texts, k, model, random_state, **options)
            fitted[(model, k)] = tm
            ref = tm.top_words(top_n)
            sub = _subsample_runs(tokens, ref, k, model, n_subsamples, frac, top_n,
                                  random_state, options).mean(axis=1)
            seeds = (_seed_runs(tokens, ref, k, model, n_seeds, top_n, random_state, options)
                     if n_seeds > 0 else np.array([np.nan]))
            rows.append({
                "model": model, "k": k,
                "npmi": float(np.nanmean(tm.coherence(top_n, "npmi"))),
                "umass": float(np.nanmean(tm.coherence(top_n, "umass"))),
                "stability": float(sub.mean()), "stability_sd": float(sub.std(ddof=1))
                if len(sub) > 1 else np.nan, "stability_min": float(sub.min()),
                "stability_seeds": float(seeds.mean()),
                "n_docs": len(tokens), "n_terms": len(tm.terms_),
            })
    table = pd.DataFrame(rows)
    return (table, fitted) if return_models else table


# -- shares by group ------------------------------------------------------------------


def topic_share(doc_topics: pd.DataFrame, by: str | Sequence[str] = "country", *,
                weight: str = "tokens", n_boot: int = 2000, ci: float = 0.9,
                random_state: int = 0) -> pd.DataFrame:
    """Share of each topic in each group's documents, with a bootstrap interval.

    Parameters
    ----------
    doc_topics : DataFrame
        Output of :meth:`TopicModel.doc_topics` (needs ``doc, topic, weight, n_tokens`` and
        the ``by`` columns).
    by : str or list of str
    weight : {"tokens", "docs"}
        ``"tokens"``: the share of the group's tokens, i.e. document shares weighted by
        document length; ``"docs"``: the plain mean over documents.
    n_boot : int
        Bootstrap resamples of the group's documents (with replacement). The interval
        treats documents as independent, which paragraphs of one speaker are not: read it
        as a lower bound on the uncertainty.
    ci : float
        Coverage of the percentile interval.
    random_state : int

    Returns
    -------
    DataFrame
        ``*by, topic, share, ci_low, ci_high, n_docs, n_tokens`` and ``n_speakers`` when
        ``speaker_id`` is present. Shares of one group sum to 1 over topics.

    Examples
    --------
    >>> import pandas as pd
    >>> dt = pd.DataFrame({"doc": [1, 1, 2, 2], "country": ["AZ"] * 4,
    ...                    "n_tokens": [10, 10, 30, 30], "topic": [1, 2, 1, 2],
    ...                    "weight": [1.0, 0.0, 0.5, 0.5]})
    >>> # topic 1: (10 * 1.0 + 30 * 0.5) / 40 = 0.625
    >>> sh = topic_share(dt, n_boot=0)
    >>> sh["share"].tolist(), sh["n_docs"].tolist()
    ([0.625, 0.375], [2, 2])
    """
    by = [by] if isinstance(by, str) else list(by)
    if weight not in ("tokens", "docs"):
        raise ValueError("weight must be 'tokens' or 'docs'")
    alpha = (1 - ci) / 2
    rng = np.random.default_rng(random_state)
    rows = []
    for key, g in doc_topics.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        wide = g.pivot_table(index="doc", columns="topic", values="weight", sort=True)
        lengths = g.drop_duplicates("doc").set_index("doc")["n_tokens"].reindex(wide.index)
        W = wide.to_numpy()
        w = lengths.to_numpy(dtype=float) if weight == "tokens" else np.ones(len(W))
        share = (W * w[:, None]).sum(axis=0) / w.sum()
        if n_boot > 0:
            idx = rng.integers(0, len(W), size=(n_boot, len(W)))
            boot = (W[idx] * w[idx][:, :, None]).sum(axis=1) / w[idx].sum(axis=1)[:, None]
            low, high = np.quantile(boot, [alpha, 1 - alpha], axis=0)
        else:
            low = high = np.full(len(share), np.nan)
        extra = {"n_docs": len(W), "n_tokens": int(lengths.sum())}
        if "speaker_id" in g.columns:
            extra["n_speakers"] = g["speaker_id"].nunique()
        for j, topic in enumerate(wide.columns):
            rows.append({**dict(zip(by, key)), "topic": topic, "share": float(share[j]),
                         "ci_low": float(low[j]), "ci_high": float(high[j]), **extra})
    return pd.DataFrame(rows)
