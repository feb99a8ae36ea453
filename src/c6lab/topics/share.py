"""Tables about a fitted model: its topics, and how much of each group's text each topic holds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import stats
from ..counts import DocumentTermMatrix
from .fit import TopicModel
from .stability import _refits


def document_summary(counts: DocumentTermMatrix, group_by: str = "country") -> pd.DataFrame:
    """How many documents and tokens each group contributes to a topic model.

    Returns
    -------
    DataFrame
        ``group_by, n_speakers`` (distinct ``speaker_id``; 0 without that column),
        ``n_segments`` or ``n_sentences`` (the documents: named after the matrix's unit),
        ``n_tokens, median_tokens_per_doc``; groups sorted, documents without a value in
        ``group_by`` left out.

    Examples
    --------
    >>> import c6lab
    >>> df = pd.DataFrame({"country": ["AZ", "AZ", "KG"], "speaker_id": ["a", "b", "c"],
    ...                    "text": ["Rail and ports.", "Rail.", "Army border troops."]})
    >>> document_summary(c6lab.dfm(df)).values.tolist()
    [['AZ', 2, 2, 3, 1.5], ['KG', 1, 1, 3, 3.0]]
    """
    groups, ind = counts.indicator(group_by)
    dv = counts.docvars
    n_docs_col = "n_sentences" if "sentence_no" in dv.columns else "n_segments"
    n_tokens = counts.n_tokens
    rows = []
    for k, g in enumerate(groups):
        docs = np.sort(ind.getrow(k).indices)
        rows.append({group_by: g,
                     "n_speakers": dv["speaker_id"].iloc[docs].nunique() if "speaker_id" in dv else 0,
                     n_docs_col: len(docs), "n_tokens": int(n_tokens[docs].sum()),
                     "median_tokens_per_doc": float(np.median(n_tokens[docs]))})
    return pd.DataFrame(rows, columns=[group_by, "n_speakers", n_docs_col, "n_tokens",
                                       "median_tokens_per_doc"])


def label_topics(model: TopicModel, labels: Mapping[str, str] | None = None,
                 n_words: int = 3) -> dict[int, str]:
    """Human labels of the topics, keyed by each topic's first ``n_words`` top words.

    A label written for a topic is used only while that topic comes out of the model
    (its first top words, joined with spaces, are a key of ``labels``); any other topic
    is ``"(unlabelled) w1 / w2 / w3"``.

    Examples
    --------
    >>> import c6lab
    >>> docs = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port",
    ...     "army border threat", "border troops", "rail port freight", "threat troops border army"]})
    >>> tm = c6lab.topics.fit_topics(c6lab.dfm(docs), 2)
    >>> label_topics(tm, {"rail port": "Transport"}, n_words=2)
    {1: 'Transport', 2: '(unlabelled) border / troops'}
    """
    labels = dict(labels or {})
    return {t: labels.get(" ".join(words[:n_words]), "(unlabelled) " + " / ".join(words[:n_words]))
            for t, words in enumerate(model.top_words(n_words), start=1)}


def topic_table(model: TopicModel, top_n: int = 10, labels: Mapping[str, str] | None = None,
                n_subsamples: int = 5, frac: float = 0.8) -> pd.DataFrame:
    """One row per topic: label, top words, prevalence, coherence and stability.

    Parameters
    ----------
    model : TopicModel
    top_n : int
        Top words shown, and used for coherence and as stability depth.
    labels : dict, optional
        Human labels keyed by a topic's three top words (:func:`label_topics`).
    n_subsamples, frac : int, float
        Subsamples for the per-topic stability (:func:`c6lab.topics.subsample_stability`
        of the documents the model was fitted on, with its seed and fitting options);
        ``n_subsamples=0`` leaves it NaN. For a model :func:`c6lab.topics.select_k` returned,
        with its ``n_subsamples``, ``frac`` and ``top_n``, the refits select_k made are used.

    Returns
    -------
    DataFrame
        ``topic, label, top_words`` (joined with ", "), ``share_of_docs`` (the mean
        share of the topic over the documents with a topic mixture), ``npmi, umass``
        (:meth:`TopicModel.coherence` of the top ``top_n`` words) and ``stability`` (the
        topic's average Jaccard agreement with its matched topic, averaged over the
        subsamples).

    Examples
    --------
    >>> import c6lab
    >>> docs = pd.DataFrame({"text": ["rail port cargo", "rail cargo freight rail port",
    ...     "army border threat", "border troops", "rail port freight", "threat troops border army"]})
    >>> tab = topic_table(c6lab.topics.fit_topics(c6lab.dfm(docs), 2), top_n=2, n_subsamples=0)
    >>> tab[["topic", "top_words", "npmi"]].round(3).values.tolist()
    [[1, 'rail, port', 1.0], [2, 'border, troops', 0.631]]
    """
    words = model.top_words(top_n)
    known = getattr(model, "_agreements", {}).get((n_subsamples, frac, top_n))
    if known is not None:  # select_k made these refits already (same documents, seed and options)
        stability = known.mean(axis=0)
    elif n_subsamples > 0:
        # subsample_stability(model.fit_counts(), ..., per_topic=True), with this model as the reference
        stability = _refits(model.fit_counts(), model.k, model.model, n_subsamples, frac, 0, top_n,
                            model.random_state, model.options_, ref=model.top_words(top_n))[1].mean(axis=0)
    else:
        stability = np.full(model.k, np.nan)
    return pd.DataFrame({
        "topic": range(1, model.k + 1),
        "label": list(label_topics(model, labels).values()),
        "top_words": [", ".join(w) for w in words],
        "share_of_docs": model.doc_topics().groupby("topic")["weight"].mean().to_numpy(),
        "npmi": model.coherence(top_n, "npmi"),
        "umass": model.coherence(top_n, "umass"),
        "stability": stability,
    })


#: from this many documents in a group, :func:`topic_share` sums each bootstrap replicate from the
#: number of times each document was drawn (see _bootstrap_shares); below, document by document
BOOT_COUNTS_MIN_DOCS = 50_000


def topic_share(doc_topics: pd.DataFrame, group_by: str | Sequence[str] = "country", *,
                weight: str = "tokens", n_boot: int = 2000, confidence: float = 0.9,
                random_state: int = 0) -> pd.DataFrame:
    """Share of each topic in each group's documents, with a bootstrap interval.

    Parameters
    ----------
    doc_topics : DataFrame
        Output of :meth:`TopicModel.doc_topics` (needs ``doc, topic, weight, n_tokens`` and
        the ``group_by`` columns).
    group_by : str or list of str
    weight : {"tokens", "docs"}
        ``"tokens"``: the share of the group's tokens, i.e. document shares weighted by
        document length; ``"docs"``: the plain mean over documents.
    n_boot : int
        Bootstrap resamples of the group's documents (with replacement; 0 gives no
        interval). The interval treats documents as independent, which paragraphs of one
        speaker are not: read it as a lower bound on the uncertainty. In a group of
        :data:`BOOT_COUNTS_MIN_DOCS` documents or more, a replicate is summed from how often
        each document was drawn (the same draws; equal to about 1e-14), which keeps the cost
        linear in the number of documents.
    confidence : float
        Coverage of the percentile interval (:func:`c6lab.stats.percentile_interval`).
    random_state : int
        Seed of one generator that draws every group's resamples in turn (groups sorted),
        each a :func:`c6lab.stats.resample_rows`.

    Returns
    -------
    DataFrame
        ``*group_by, topic, share, ci_low, ci_high, n_docs, n_tokens`` and ``n_speakers``
        when ``speaker_id`` is present. Shares of one group sum to 1 over topics.

    Examples
    --------
    >>> dt = pd.DataFrame({"doc": [1, 1, 2, 2], "country": ["AZ"] * 4,
    ...                    "n_tokens": [10, 10, 30, 30], "topic": [1, 2, 1, 2],
    ...                    "weight": [1.0, 0.0, 0.5, 0.5]})
    >>> # topic 1: (10 * 1.0 + 30 * 0.5) / 40 = 0.625
    >>> sh = topic_share(dt, n_boot=0)
    >>> sh["share"].tolist(), sh["n_docs"].tolist()
    ([0.625, 0.375], [2, 2])
    """
    by = [group_by] if isinstance(group_by, str) else list(group_by)
    if weight not in ("tokens", "docs"):
        raise ValueError("weight must be 'tokens' or 'docs'")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence!r}")
    rng = stats.generator(random_state)
    rows = []
    used = list(dict.fromkeys([*by, "doc", "topic", "weight", "n_tokens"]
                              + (["speaker_id"] if "speaker_id" in doc_topics.columns else [])))
    for key, g in doc_topics[used].groupby(by, sort=True):  # only the columns used: groups are copies
        key = key if isinstance(key, tuple) else (key,)
        W, topics, lengths = _wide(g)
        w = lengths.astype(float) if weight == "tokens" else np.ones(len(W))
        share = (W * w[:, None]).sum(axis=0) / w.sum()
        if n_boot > 0:
            boot = _bootstrap_shares(W, w, n_boot, rng)
            low, high = stats.percentile_interval(boot, confidence, axis=0)
        else:
            low = high = np.full(len(share), np.nan)
        extra = {"n_docs": len(W), "n_tokens": int(lengths.sum())}
        if "speaker_id" in g.columns:
            extra["n_speakers"] = g["speaker_id"].nunique()
        for j, topic in enumerate(topics):
            rows.append({**dict(zip(by, key)), "topic": topic, "share": float(share[j]),
                         "ci_low": float(low[j]), "ci_high": float(high[j]), **extra})
    return pd.DataFrame(rows)


def _wide(g: pd.DataFrame):
    """``(W, topics, lengths)``: one row per document (sorted), one column per topic (sorted).

    The same as ``g.pivot_table(index="doc", columns="topic", values="weight")`` and each
    document's first ``n_tokens``, without pivot_table's intermediate tables; a table with a
    missing value or a repeated (doc, topic) pair goes through pivot_table itself.
    """
    doc_codes, docs = pd.factorize(g["doc"], sort=True)
    topic_codes, topics = pd.factorize(g["topic"], sort=True)
    weights = g["weight"].to_numpy(dtype=float)
    pairs = doc_codes.astype(np.int64) * max(1, len(topics)) + topic_codes
    if (doc_codes < 0).any() or (topic_codes < 0).any() or np.isnan(weights).any() or \
            len(np.unique(pairs)) < len(pairs) or len(pairs) < len(docs) * len(topics):
        wide = g.pivot_table(index="doc", columns="topic", values="weight", sort=True)
        lengths = g.drop_duplicates("doc").set_index("doc")["n_tokens"].reindex(wide.index)
        return wide.to_numpy(), wide.columns, lengths.to_numpy()
    W = np.empty((len(docs), len(topics)))
    W[doc_codes, topic_codes] = weights
    first = np.unique(doc_codes, return_index=True)[1]  # each document's first row, documents sorted
    return W, topics, g["n_tokens"].to_numpy()[first]


def _bootstrap_shares(W: np.ndarray, w: np.ndarray, n_boot: int, rng: np.random.Generator,
                      counts_from: int | None = None) -> np.ndarray:
    """``(n_boot, K)`` weighted mean shares of resampled rows, a few replicates at a time.

    Drawing the replicates in chunks takes the same numbers from ``rng`` as one draw of all
    of them (numpy fills row after row), so the intervals do not depend on the chunk size;
    holding every replicate at once would take ``n_boot * n_docs * K`` floats (GBs at 20,000 articles).

    From ``counts_from`` rows on (default :data:`BOOT_COUNTS_MIN_DOCS`) a replicate is summed
    from how often each row was drawn (the same draws, added in another order: equal to the
    row-by-row sums to about 1e-14). Gathering the drawn rows one by one reads the rows at
    random: once they no longer fit in the processor's cache, each read costs several times
    more, and the bootstrap grew faster than the number of documents (14x from 15,000 to
    150,000 documents per group).
    """
    n = len(W)
    # the products are those of W[idx] * w[idx] (each row's, made once), summed in the same order
    weighted = W * w[:, None]
    if n >= (BOOT_COUNTS_MIN_DOCS if counts_from is None else counts_from):
        step = max(1, 2_000_000 // max(1, n))
        out = np.empty((n_boot, W.shape[1]))
        for start in range(0, n_boot, step):
            m = min(step, n_boot - start)
            idx = stats.resample_rows(n, m, rng) + (np.arange(m, dtype=np.int64) * n)[:, None]
            drawn = np.bincount(idx.ravel(), minlength=m * n).reshape(m, n).astype(float)
            out[start:start + m] = (drawn @ weighted) / (drawn @ w)[:, None]
        return out
    step = max(1, 2_000_000 // max(1, W.shape[0] * W.shape[1]))
    out = []
    for start in range(0, n_boot, step):
        idx = stats.resample_rows(n, min(step, n_boot - start), rng)
        out.append(weighted[idx].sum(axis=1) / w[idx].sum(axis=1)[:, None])
    return np.concatenate(out)
