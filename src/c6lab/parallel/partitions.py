"""How the segment table is cut, what a worker does with one partition, how the results join.

Everything here runs on either side of the wire: :func:`partition_bounds` and the combining
functions (``combine``, ``baseline_table``) in the process that holds the corpus, the
``*_part`` functions on the workers (each wrapped by :func:`task`, which sends the result
back with the worker's :func:`versions`). See :mod:`c6lab.parallel`.
"""

from __future__ import annotations

import math
import pickle
import sys
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from ..counts import dfm
from ..lexicons import Lexicons

PARTITION_SIZE = 1000


def partition_bounds(corpus_df: pd.DataFrame, partition_size: int = PARTITION_SIZE) -> list[tuple[int, int]]:
    """Row ranges ``(start, stop)`` that cut ``corpus_df`` into contiguous partitions.

    ``ceil(n_rows / partition_size)`` partitions are aimed at; each cut is the place where
    the ``article_id`` changes nearest to an even cut, so an article is never split (an
    article longer than ``partition_size`` is one partition). Without ``article_id`` the
    cuts are even. The result depends on the table alone, never on the cluster.

    Examples
    --------
    >>> df = pd.DataFrame({"article_id": list("aaabbcdddd"), "text": [""] * 10})
    >>> partition_bounds(df, 4)
    [(0, 3), (3, 6), (6, 10)]
    >>> partition_bounds(df, 100)
    [(0, 10)]
    """
    if isinstance(partition_size, bool) or not isinstance(partition_size, int | np.integer) or partition_size < 1:
        raise ValueError(f"partition_size must be a positive integer, got {partition_size!r}")
    n = len(corpus_df)
    if n == 0:
        return []
    k = math.ceil(n / partition_size)
    if "article_id" in corpus_df.columns:
        art = corpus_df["article_id"].to_numpy()
        allowed = np.flatnonzero(art[1:] != art[:-1]) + 1  # first row of a new article
    else:
        allowed = np.arange(1, n)
    cuts: list[int] = []
    for j in range(1, k):
        if not len(allowed):
            break
        target = j * n / k
        i = int(np.searchsorted(allowed, target))
        near = [allowed[x] for x in (i - 1, i) if 0 <= x < len(allowed)]
        cut = int(min(near, key=lambda c: (abs(c - target), c)))
        if cut > (cuts[-1] if cuts else 0):
            cuts.append(cut)
    edges = [0, *cuts, n]
    return list(zip(edges[:-1], edges[1:]))


@lru_cache(maxsize=1)
def versions() -> tuple[tuple[str, str], ...]:
    """What the results depend on besides the data: c6lab, vaderSentiment, Python, Unicode."""
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__

    try:
        vader = version("vaderSentiment")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        vader = "?"
    return (("c6lab", __version__), ("vaderSentiment", vader),
            ("Python", f"{sys.version_info[0]}.{sys.version_info[1]}"), ("Unicode", unicodedata.unidata_version))


def pack(obj) -> bytes:
    # one pickle for a whole partition or result: distributed would otherwise serialise a
    # list element by element (seconds for a few thousand texts or rows)
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def task(func: Callable, part: bytes, *args) -> bytes:
    """Run ``func`` on a worker's partition; the result travels with the worker's versions."""
    try:
        from distributed import get_worker

        where = get_worker().address
    except (ImportError, ValueError):
        where = "this process"
    return pack((where, versions(), func(pickle.loads(part), *args)))




# -- what a worker does with one partition ----------------------------------------------------
def dfm_part(texts: list[str], lex: Lexicons, unit: str, tokenizer):
    """The partition's counts (own vocabulary) and what the client needs for its docvars."""
    m = dfm(pd.DataFrame({"_row": np.arange(len(texts)), "text": texts}), lex, unit=unit, tokenizer=tokenizer)
    dv = m.docvars
    extra = ({"n_sentences": dv["n_sentences"].to_numpy()} if unit == "segment" else
             # as integers even where the partition has no sentence (an empty column is object)
             {c: dv[c].to_numpy(dtype=np.int64) for c in ("_row", "sentence_no", "sentence_start", "sentence_end")})
    return m.matrix, m.terms, extra


def scorer_of(spec, lex: Lexicons):
    from ..sentiment.scoring import get_scorer

    if isinstance(spec, tuple):  # (method name, window, domain): built on the worker, once per call
        return get_scorer(spec[0], spec[1], spec[2], lexicons=lex)
    return spec


def tone_part(part: pd.DataFrame, lex: Lexicons, spec, mentions: bool):
    """Scored mention rows of the partition and, per segment, the scores of its plain sentences."""
    from ..sentiment.mentions import docvars_of, mention_rows, segment_sentences
    from ..sentiment.scorers import _score

    scorer = scorer_of(spec, lex)
    baseline = getattr(scorer, "baseline", None)
    docvars = docvars_of(part)
    has_raw = {"article_id", "char_start"} <= set(part.columns)
    rows, targets, plain_scores = [], [], []
    for rec, sents in segment_sentences(part, lex):
        plain = [s for s in sents if not s.targets]
        # as scorers._baselines: one call per segment with plain sentences
        plain_scores.append((baseline(plain) if baseline else [np.nan] * len(plain)) if plain else [])
        if mentions:
            for row, sent, k in mention_rows(rec, sents, docvars, has_raw):
                rows.append(row)
                if k == 0:
                    targets.append(sent)
    if mentions:
        for row, res in zip(rows, _score(scorer, targets), strict=True):
            row["scored_text"], row["compound"] = res.text, res.score
    return rows, plain_scores


def mentions_part(part: pd.DataFrame, lex: Lexicons):
    from ..sentiment.mentions import corpus_mentions

    return corpus_mentions(part, lex)[0]


def score_texts_part(texts: list[str], lex: Lexicons, spec, split: bool, batch_size: int):
    from ..sentiment.scorers import score_texts

    return score_texts(texts, scorer_of(spec, lex), lexicons=lex, split=split, batch_size=batch_size)


def combine(parts: list[tuple[sparse.csr_matrix, np.ndarray]]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """One matrix over the union of the partitions' vocabularies, sorted as from_tokens sorts it."""
    terms = sorted(set().union(*(t.tolist() for _, t in parts)))
    column = {t: i for i, t in enumerate(terms)}
    indptr, indices, data, offset = [np.zeros(1, dtype=np.int64)], [], [], 0
    for m, t in parts:
        # local columns are sorted and so are their global numbers: rows stay in canonical order
        remap = np.fromiter((column[x] for x in t.tolist()), dtype=np.int64, count=len(t))
        indices.append(remap[m.indices] if len(t) else np.zeros(0, dtype=np.int64))
        data.append(m.data)
        indptr.append(m.indptr[1:].astype(np.int64) + offset)
        offset += m.nnz
    n_docs = sum(m.shape[0] for m, _ in parts)
    out = sparse.csr_matrix((np.concatenate(data).astype(np.int64), np.concatenate(indices), np.concatenate(indptr)),
                            shape=(n_docs, len(terms)))
    out.sum_duplicates()
    return out, np.asarray(terms, dtype=object)


def voices_of(df: pd.DataFrame) -> pd.Series:
    from ..sentiment import scorers  # the voice as score_mentions defines it

    return scorers._voice(df)


def baseline_table(corpus_df: pd.DataFrame, per_segment: list[list[float]]) -> pd.DataFrame:
    """Each voice's baseline from the plain-sentence scores of every segment (as scorers._baselines)."""
    voices = voices_of(corpus_df)
    scores: dict[str, list[float]] = {v: [] for v in voices}
    for voice, vals in zip(voices, per_segment, strict=True):
        scores[voice].extend(vals)
    rows = [{"voice": v, "n_sentences": len(s),
             "baseline": round(float(np.mean(s)), 4) if s and not np.isnan(s).any() else np.nan}
            for v, s in scores.items()]
    return pd.DataFrame(rows, columns=["voice", "n_sentences", "baseline"])

