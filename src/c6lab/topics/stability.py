"""Stability of topics (Greene, O'Callaghan & Cunningham 2014) and the table to choose K from.

Agreement of two models is the mean average Jaccard of their top-word rankings over
topics matched one-to-one by the Hungarian algorithm; stability is the agreement of
refits (on document subsamples, or with other seeds) with the full-data model.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .. import stats
from ..counts import DocumentTermMatrix
from .fit import MODELS, TopicModel, fit_topics_many, resolve_solver

#: columns of the :func:`select_k` table
SELECTION_COLUMNS = ("model", "k", "npmi", "umass", "stability", "stability_sd", "stability_min",
                     "stability_seeds", "n_docs", "n_terms")
#: above this many documents :func:`select_k` fits its models on a random sample of this many: its
#: 90 fits then cost the same at any corpus size (coherence is still measured on every document)
SELECT_MAX_DOCS = 1000
#: below this many fitted documents :func:`select_k` fits in this process whatever ``n_jobs`` says:
#: starting worker processes (about a second) costs more than the fits of a small table
PARALLEL_MIN_DOCS = 300


def average_jaccard(r1: Sequence[str], r2: Sequence[str], top_n: int | None = None) -> float:
    """Average Jaccard agreement of two ranked lists (Greene et al. 2014).

    ``AJ = (1/t) * sum_{d=1..t} |R1[:d] & R2[:d]| / |R1[:d] | R2[:d]|`` with ``t = top_n``:
    top-ranked words weigh more, because they enter every prefix.

    Parameters
    ----------
    r1, r2 : sequence of str
        Rankings, best first.
    top_n : int, optional
        Depth ``t``; default the length of the shorter list.

    Examples
    --------
    >>> average_jaccard(["a", "b", "c"], ["b", "a", "d"])   # (0 + 1 + 2/4) / 3
    0.5
    """
    t = min(len(r1), len(r2)) if top_n is None else top_n
    if t < 1:
        raise ValueError("top_n must be >= 1")
    total = 0.0
    for d in range(1, t + 1):
        a, b = set(r1[:d]), set(r2[:d])
        total += len(a & b) / len(a | b)
    return total / t


def match_topics(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]],
                 top_n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Match the topics of two models one-to-one, maximising total average Jaccard.

    Uses the Hungarian algorithm (:func:`scipy.optimize.linear_sum_assignment`).

    Parameters
    ----------
    a, b : sequence of rankings
        Top-word lists of each topic of two models with the same number of topics.
    top_n : int, optional
        Ranking depth passed to :func:`average_jaccard`.

    Returns
    -------
    match : ndarray of int
        ``match[i]`` is the (0-based) topic of ``b`` paired with topic ``i`` of ``a``.
    scores : ndarray of float
        Average Jaccard of each pair.

    Examples
    --------
    >>> match, scores = match_topics([["x", "y"], ["p", "q"]], [["p", "q"], ["x", "y"]])
    >>> match.tolist(), scores.tolist()
    ([1, 0], [1.0, 1.0])
    """
    if len(a) != len(b):
        raise ValueError(f"models have different numbers of topics ({len(a)} and {len(b)})")
    sim = np.array([[average_jaccard(x, y, top_n) for y in b] for x in a])
    rows, cols = linear_sum_assignment(sim, maximize=True)
    match = np.empty(len(a), dtype=int)
    match[rows] = cols
    return match, sim[np.arange(len(a)), match]


def agreement(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]],
              top_n: int | None = None) -> float:
    """Agreement of two topic models: mean average Jaccard over Hungarian-matched topics.

    Examples
    --------
    >>> agreement([["x", "y"], ["p", "q"]], [["p", "q"], ["x", "y"]])
    1.0
    """
    return float(match_topics(a, b, top_n)[1].mean())


def subsample_indices(n_docs: int, n_subsamples: int = 5, frac: float = 0.8,
                      random_state: int = 0) -> list[np.ndarray]:
    """Sorted document indices of ``n_subsamples`` random subsamples without replacement.

    One generator (:func:`c6lab.stats.generator`) draws the subsamples in turn, each of
    ``round(frac * n_docs)`` documents.

    Examples
    --------
    >>> [len(s) for s in subsample_indices(10, 3, 0.8)]
    [8, 8, 8]
    """
    if not 0 < frac <= 1:
        raise ValueError("frac must be in (0, 1]")
    rng = stats.generator(random_state)
    size = max(1, int(round(frac * n_docs)))
    return [np.sort(rng.choice(n_docs, size=size, replace=False)) for _ in range(n_subsamples)]


def _rows(counts: DocumentTermMatrix, idx) -> DocumentTermMatrix:
    """The counts of rows ``idx`` without their document variables: all a refit reads
    (``counts.subset`` would copy the variables, texts included, for every subsample)."""
    return DocumentTermMatrix(counts.matrix[idx], counts.terms)


def _refits(counts, k, model, n_subsamples, frac, n_seeds, top_n, random_state, options, ref=None):
    """The reference model, and the matched average Jaccard of every subsample refit (rows) and
    reference topic (columns) and of every seed refit (mean over topics).

    All fits of one call go to :func:`fit_topics_many` together (batch LDA fits run side by
    side); ``ref``, the top words of the reference model if it is already fitted, saves its
    refit (the model returned is then None).
    """
    subs = subsample_indices(counts.n_docs, n_subsamples, frac, random_state) if n_subsamples > 0 else []
    # the matrices are made one at a time, as each model is fitted; each refit is kept as its top words
    mats = itertools.chain([counts] if ref is None else [], (_rows(counts, idx) for idx in subs),
                           itertools.repeat(counts, n_seeds))
    states = ([random_state] if ref is None else []) + [random_state] * len(subs) + \
        list(range(random_state + 1, random_state + 1 + n_seeds))
    models = fit_topics_many(mats, k, model, states, **options)
    tm = next(models) if ref is None else None
    ref_words = ref if ref is not None else tm.top_words(top_n)
    runs = [m.top_words(top_n) for m in models]
    sub = np.array([match_topics(ref_words, r, top_n)[1] for r in runs[:len(subs)]]).reshape(len(subs), k)
    seed = np.array([agreement(ref_words, r, top_n) for r in runs[len(subs):]])
    return tm, sub, seed


def subsample_stability(counts: DocumentTermMatrix, k: int, model: str = "nmf", *,
                        n_subsamples: int = 5, frac: float = 0.8, top_n: int = 10,
                        random_state: int = 0, per_topic: bool = False,
                        **options) -> np.ndarray:
    """Agreement of models fitted on document subsamples with the full-data model.

    The reference model is fitted on all documents (rows of ``counts``) with
    ``random_state``; each of ``n_subsamples`` models is fitted on a random ``frac`` of
    the rows (:func:`subsample_indices`, :meth:`c6lab.DocumentTermMatrix.subset`) with the
    same seed, so only the data change (``min_df``/``max_df`` apply to the subsample).
    Agreement is :func:`agreement` of the top-``top_n`` word rankings. Greene et al.
    (2014) call the mean of these values the stability of k.

    Parameters
    ----------
    counts : DocumentTermMatrix
    k : int
    model : {"nmf", "lda"}
    n_subsamples, frac : int, float
    top_n : int
        Ranking depth.
    random_state : int
        Seed of the models and of the subsamples.
    per_topic : bool
        Return the matched average Jaccard of every reference topic (topic 1 first) in
        every subsample instead of the mean per subsample.
    **options
        Passed to :func:`fit_topics` (``min_df``, ``max_iter``, LDA priors ...).

    Returns
    -------
    ndarray
        One agreement per subsample, in [0, 1]; with ``per_topic`` an array of shape
        ``(n_subsamples, k)``.

    Examples
    --------
    >>> import c6lab
    >>> docs = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port",
    ...     "army border threat", "border troops", "rail port freight", "threat troops border army"] * 2})
    >>> stab = subsample_stability(c6lab.dfm(docs), 2, "nmf", n_subsamples=3, top_n=3)
    >>> stab.shape, bool(((stab >= 0) & (stab <= 1)).all())
    ((3,), True)
    """
    runs = _refits(counts, k, model, n_subsamples, frac, 0, top_n, random_state, options)[1]
    return runs if per_topic else runs.mean(axis=1)


def seed_stability(counts: DocumentTermMatrix, k: int, model: str = "lda", *, n_seeds: int = 3,
                   top_n: int = 10, random_state: int = 0, **options) -> np.ndarray:
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
    >>> import c6lab
    >>> docs = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port",
    ...     "army border threat", "border troops", "rail port freight", "threat troops border army"] * 2})
    >>> seed_stability(c6lab.dfm(docs), 2, "lda", n_seeds=2, top_n=1).tolist()   # top word of each topic
    [1.0, 1.0]
    """
    return _refits(counts, k, model, 0, 1.0, n_seeds, top_n, random_state, options)[2]


def k_problems(counts: DocumentTermMatrix, ks: Iterable[int], *, n_subsamples: int = 5,
               frac: float = 0.8, random_state: int = 0, min_df: int | float = 1,
               max_df: int | float = 1.0, **options) -> dict[int, str]:
    """Why some numbers of topics cannot be fitted (and their stability not measured).

    K topics need at least K documents and K vocabulary terms (after ``min_df`` and
    ``max_df``), in the full data and in every subsample that :func:`select_k` refits
    (the same subsamples: :func:`subsample_indices` with ``n_subsamples``, ``frac`` and
    ``random_state``). A tiny corpus can miss this for every K.

    Parameters
    ----------
    counts : DocumentTermMatrix
    ks : iterable of int
    n_subsamples, frac, random_state, min_df, max_df : as in :func:`select_k`
    **options
        Other fitting options (ignored here), so the arguments of :func:`select_k` can
        be passed on as they are.

    Returns
    -------
    dict
        ``{k: reason}`` for every K that cannot be fitted, the reason one plain
        sentence; empty when every K can be.

    Examples
    --------
    >>> import c6lab
    >>> docs = pd.DataFrame({"text": ["rail port cargo", "rail port", "army border", "army border port"]})
    >>> k_problems(c6lab.dfm(docs), [2, 3, 4, 5], min_df=2)
    {4: 'K = 4 is more than the 3 documents of an 80% subsample', 5: 'K = 5 is more than the 4 documents'}
    >>> k_problems(c6lab.dfm(docs), [2], min_df=5)[2]
    'no term is used in at least 5 documents (min_df = 5), so no topic model can be fitted'
    """
    def terms_left(m: DocumentTermMatrix) -> int:
        return m.trim(min_df, max_df).n_terms

    limits = f"min_df = {min_df:g}" + ("" if max_df == 1.0 else f", max_df = {max_df:g}")
    full_terms = terms_left(counts)
    subsamples = (subsample_indices(counts.n_docs, n_subsamples, frac, random_state)
                  if n_subsamples > 0 and counts.n_docs > 0 else [])
    sub_sizes = [(len(ix), terms_left(_rows(counts, ix))) for ix in subsamples]
    out = {}
    for k in ks:
        k = int(k)
        if full_terms == 0:
            what = (f"in at least {min_df:g} documents" if isinstance(min_df, (int, np.integer))
                    else f"in at least {min_df:.0%} of the documents")
            out[k] = f"no term is used {what} ({limits}), so no topic model can be fitted"
        elif k > counts.n_docs:
            out[k] = f"K = {k} is more than the {counts.n_docs} documents"
        elif k > full_terms:
            out[k] = f"K = {k} is more than the {full_terms} terms left after {limits}"
        else:
            for n_docs, n_terms in sub_sizes:
                if k > n_docs:
                    out[k] = f"K = {k} is more than the {n_docs} documents of an {frac:.0%} subsample"
                    break
                if k > n_terms:
                    out[k] = (f"K = {k} is more than the {n_terms} terms an {frac:.0%} subsample keeps "
                              f"after {limits}, so its stability cannot be measured")
                    break
    return out


def select_k(counts: DocumentTermMatrix, ks: Iterable[int] = range(2, 7),
             models: Sequence[str] = MODELS, *, top_n: int = 10, n_subsamples: int = 5,
             frac: float = 0.8, n_seeds: int = 3, random_state: int = 0,
             return_models: bool = False, max_docs: int | None = SELECT_MAX_DOCS, n_jobs: int = 1,
             **options):
    """Coherence and stability of every (model, k): the table to choose K from.

    Parameters
    ----------
    counts : DocumentTermMatrix
        :func:`c6lab.dfm` of the documents (segments or sentences).
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
    return_models : bool
        Also return the full-data models, ``{(model, k): TopicModel}``.
    max_docs : int or None
        With more documents than this (default :data:`SELECT_MAX_DOCS`), every model of
        the table (and its subsamples and seeds) is fitted on one random sample of
        ``max_docs`` documents (:func:`subsample_indices` with ``random_state``); coherence
        is still measured on all documents, and the returned models describe all of them
        (:attr:`TopicModel.fit_rows_`). ``None``: always fit on all documents.
    n_jobs : int
        Processes for the fits (joblib); default 1. Every fit has its own seed, so the
        table and the models are the same for any ``n_jobs``. Below
        :data:`PARALLEL_MIN_DOCS` fitted documents the fits run in this process.
    **options
        Passed to :func:`fit_topics` (``min_df``, ``max_iter``, LDA priors, ``solver`` ...).
        ``solver="auto"`` is decided once, from the number of documents fitted.

    Returns
    -------
    DataFrame, or (DataFrame, dict) with ``return_models``
        One row per model and k: ``model, k, npmi, umass`` (means over topics of the
        full-data model), ``stability`` (mean subsample agreement), ``stability_sd`` (its
        standard deviation over subsamples), ``stability_min``, ``stability_seeds`` (mean
        agreement across seeds; NaN if ``n_seeds=0``), ``n_docs``, ``n_terms``.

        A K that cannot be fitted (:func:`k_problems`: more topics than documents or
        terms, in the data or in a subsample) has no row; the table's
        ``attrs["skipped"]`` holds ``{k: reason}`` for those K (empty when none was
        skipped). When every K is skipped the table is empty, with the same columns.
        ``attrs["n_docs_fitted"]`` is the number of documents the models were fitted on
        (``n_docs`` unless the corpus has more than ``max_docs``).

    Examples
    --------
    >>> import c6lab
    >>> docs = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port",
    ...     "army border threat", "border troops", "rail port freight", "threat troops border army"] * 2})
    >>> tab = select_k(c6lab.dfm(docs), ks=[2, 3], models=["nmf"], top_n=3, n_subsamples=2, n_seeds=0)
    >>> tab[["model", "k", "n_docs"]].values.tolist()
    [['nmf', 2, 12], ['nmf', 3, 12]]
    >>> tab = select_k(c6lab.dfm(docs.head(4)), ks=[2, 4], models=["nmf"], top_n=3, n_subsamples=2, n_seeds=0)
    >>> tab["k"].tolist(), tab.attrs["skipped"]
    ([2], {4: 'K = 4 is more than the 3 documents of an 80% subsample'})
    """
    ks = [int(k) for k in ks]
    rows_fit = None
    if max_docs is not None and counts.n_docs > max_docs:
        rows_fit = subsample_indices(counts.n_docs, 1, max_docs / counts.n_docs, random_state)[0]
    base = counts if rows_fit is None else counts.subset(rows_fit)
    skipped = k_problems(base, ks, n_subsamples=n_subsamples, frac=frac, random_state=random_state,
                         **options)
    # the solver is decided once per model, so the subsample and seed refits use the same algorithm
    solver = options.pop("solver", "auto")
    tasks = [(model, k, {**options, "solver": resolve_solver(model, base.n_docs, solver)})
             for model in models for k in ks if k not in skipped]
    args = (top_n, n_subsamples, frac, n_seeds, random_state)
    if n_jobs == 1 or base.n_docs < PARALLEL_MIN_DOCS:
        runs = [_select_one(base, model, k, *args, opts) for model, k, opts in tasks]
    else:  # each fit has its own seed: the same results in any process, in task order
        from joblib import Parallel, delayed

        runs = Parallel(n_jobs=n_jobs)(delayed(_select_one)(base, model, k, *args, opts)
                                       for model, k, opts in tasks)
    rows, fitted = [], {}
    for (model, k, _), (tm, sub, seeds) in zip(tasks, runs, strict=True):
        if rows_fit is not None:  # the model of the sample, describing every document
            agreements = tm._agreements
            tm = TopicModel(tm.model, tm.k, tm.random_state, counts, tm.terms_, tm.topic_word_, None,
                            tm.options_, tm.transformer_, tm.estimator_, fit_rows=rows_fit, order=tm._order_)
            tm._agreements = agreements
        fitted[(model, k)] = tm
        rows.append({
            "model": model, "k": k,
            "npmi": float(np.nanmean(tm.coherence(top_n, "npmi"))),
            "umass": float(np.nanmean(tm.coherence(top_n, "umass"))),
            "stability": float(sub.mean()),
            "stability_sd": float(sub.std(ddof=1)) if len(sub) > 1 else np.nan,
            "stability_min": float(sub.min()),
            "stability_seeds": float(seeds.mean()),
            "n_docs": counts.n_docs, "n_terms": len(tm.terms_),
        })
    table = pd.DataFrame(rows, columns=list(SELECTION_COLUMNS))
    table.attrs["skipped"] = skipped
    table.attrs["n_docs_fitted"] = base.n_docs
    return (table, fitted) if return_models else table


def _select_one(counts, model, k, top_n, n_subsamples, frac, n_seeds, random_state, options):
    """One (model, K) of :func:`select_k`: the model, its subsample and its seed agreements."""
    tm, sub, seeds = _refits(counts, k, model, n_subsamples, frac, n_seeds, top_n, random_state, options)
    if n_subsamples > 0:  # per topic, for c6lab.topics.topic_table (the same refits)
        tm._agreements[(n_subsamples, frac, top_n)] = sub
    return tm, sub.mean(axis=1), seeds if n_seeds > 0 else np.array([np.nan])
