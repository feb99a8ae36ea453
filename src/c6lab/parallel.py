"""Tokens, counts and tone as Dask partitions: the results of one process, on a cluster.

An :class:`Engine` is the execution setting handed down like the word lists: ``Engine()``
runs everything in this process (its methods *are* the single-process functions),
``Engine(workers=2)`` starts a ``distributed.LocalCluster`` on this machine, and
``Engine(scheduler="tcp://host:8786")`` uses a running Dask scheduler (any ``distributed``
cluster: dask-jobqueue on an HPC, Kubernetes, ``dask scheduler`` by hand)::

    corpus = c6lab.open_corpus(root)
    speech = corpus.select(["quote", "paraphrase"])
    with c6lab.parallel.Engine(workers=2) as engine:
        counts = engine.dfm(speech, corpus.lexicons)
        scored = engine.score_mentions(speech, lexicons=corpus.lexicons)

What is partitioned: the segment table is cut into contiguous runs of rows, only where the
article changes (:func:`partition_bounds`; the number of partitions depends on the table
alone). Each worker tokenises, counts, splits sentences, finds and masks the mentions and
scores them, for its rows. What stays here (the client): the table itself, the combining
of the sparse counts (one vocabulary, the union, sorted as :meth:`DocumentTermMatrix.from_tokens`
sorts it), the rows of the tone table in the original order and each voice's baseline
(a voice spans partitions, so the workers return the baseline scores sentence by
sentence and the means are taken here, over the same numbers in the same order). Keyness,
topic models and every summary run on the combined results, in this process.

The results are identical to one process, to the byte of every CSV written from them
(``tests/test_parallel.py`` compares them on a two-worker cluster). Each partition's result
carries the versions of c6lab, vaderSentiment, Python and the Unicode database of the
worker that made it; a worker that differs from this process is an error, not a quiet
difference. A scorer that scores in batches (a transformer model) sees batches cut at
partition boundaries; VADER scores each sentence on its own, so for it nothing changes.
"""

from __future__ import annotations

import math
import os
import pickle
import sys
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from .counts import UNITS, DocumentTermMatrix, dfm
from .lexicons import Lexicons, resolve

#: rows of the segment table per partition, unless an Engine is told otherwise
PARTITION_SIZE = 1000


class SchedulerUnreachable(ConnectionError):
    """The Dask scheduler could not be reached (the message is one line naming its address)."""


class VersionMismatch(RuntimeError):
    """A worker runs other versions than this process, so its results could differ."""


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

    from . import __version__

    try:
        vader = version("vaderSentiment")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        vader = "?"
    return (("c6lab", __version__), ("vaderSentiment", vader),
            ("Python", f"{sys.version_info[0]}.{sys.version_info[1]}"), ("Unicode", unicodedata.unidata_version))


def _pack(obj) -> bytes:
    # one pickle for a whole partition or result: distributed would otherwise serialise a
    # list element by element (seconds for a few thousand texts or rows)
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def _task(func: Callable, part: bytes, *args) -> bytes:
    """Run ``func`` on a worker's partition; the result travels with the worker's versions."""
    try:
        from distributed import get_worker

        where = get_worker().address
    except (ImportError, ValueError):
        where = "this process"
    return _pack((where, versions(), func(pickle.loads(part), *args)))


# -- what a worker does with one partition ----------------------------------------------------
def _dfm_part(texts: list[str], lex: Lexicons, unit: str, tokenizer):
    """The partition's counts (own vocabulary) and what the client needs for its docvars."""
    m = dfm(pd.DataFrame({"_row": np.arange(len(texts)), "text": texts}), lex, unit=unit, tokenizer=tokenizer)
    dv = m.docvars
    extra = ({"n_sentences": dv["n_sentences"].to_numpy()} if unit == "segment" else
             {c: dv[c].to_numpy() for c in ("_row", "sentence_no", "sentence_start", "sentence_end")})
    return m.matrix, m.terms, extra


def _scorer_of(spec, lex: Lexicons):
    from .sentiment.scoring import get_scorer

    if isinstance(spec, tuple):  # (method name, window, domain): built on the worker, once per call
        return get_scorer(spec[0], spec[1], spec[2], lexicons=lex)
    return spec


def _tone_part(part: pd.DataFrame, lex: Lexicons, spec, mentions: bool):
    """Scored mention rows of the partition and, per segment, the scores of its plain sentences."""
    from .sentiment.mentions import docvars_of, mention_rows, segment_sentences
    from .sentiment.scorers import _score

    scorer = _scorer_of(spec, lex)
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


def _mentions_part(part: pd.DataFrame, lex: Lexicons):
    from .sentiment.mentions import corpus_mentions

    return corpus_mentions(part, lex)[0]


def _score_texts_part(texts: list[str], lex: Lexicons, spec, split: bool, batch_size: int):
    from .sentiment.scorers import score_texts

    return score_texts(texts, _scorer_of(spec, lex), lexicons=lex, split=split, batch_size=batch_size)


# -- the engine -------------------------------------------------------------------------------
class Engine:
    """Where tokenising, counting and tone scoring run: here, or as Dask partitions.

    Parameters
    ----------
    scheduler : str or distributed cluster, optional
        Address of a running Dask scheduler (``"tcp://host:8786"``), or a cluster object
        with a ``scheduler_address`` (``dask_jobqueue.SLURMCluster``, ``LocalCluster``).
    workers : int, optional
        Start a ``LocalCluster`` of this many worker processes (one thread each) on this
        machine; it is closed with the engine.
    partition_size : int
        Rows of the segment table per partition (see :func:`partition_bounds`).
    timeout : float
        Seconds to wait for the scheduler.

    With neither ``scheduler`` nor ``workers`` everything runs in this process. Use it as
    a context manager (or call :meth:`close`).

    Examples
    --------
    >>> import c6lab
    >>> corpus = c6lab.open_corpus()
    >>> with Engine() as engine:  # one process: the same functions, called directly
    ...     counts = engine.dfm(corpus.segments, corpus.lexicons)
    >>> engine, counts.n_docs == len(corpus.segments)
    (Engine(one process), True)
    """

    def __init__(self, scheduler=None, *, workers: int | None = None, partition_size: int = PARTITION_SIZE,
                 timeout: float = 10):
        partition_bounds(pd.DataFrame(), partition_size)  # checks the value
        self.partition_size = partition_size
        self._client = self._cluster = None
        self._scattered: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        if scheduler is not None and workers is not None:
            raise ValueError("give a scheduler address or a number of workers, not both")
        if workers is not None:
            if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
                raise ValueError(f"workers must be a positive integer, got {workers!r}")
            self._cluster = _local_cluster(int(workers))
            from distributed import Client

            self._client = Client(self._cluster, set_as_default=False)
        elif scheduler is not None:
            self._client = _connect(scheduler, timeout)

    # -- life cycle ---------------------------------------------------------------------------
    @property
    def address(self) -> str | None:
        """The scheduler's address (hand it to the notebooks), ``None`` for one process."""
        return self._client.scheduler.address if self._client is not None else None

    @property
    def n_workers(self) -> int:
        """Workers connected now (1 for one process)."""
        return len(self._client.scheduler_info()["workers"]) if self._client is not None else 1

    def wait_for_workers(self, n_workers: int = 1, timeout: float | None = None) -> None:
        """Block until ``n_workers`` workers are connected (a batch system starts them late)."""
        if self._client is not None:
            self._client.wait_for_workers(n_workers, timeout=timeout)

    def close(self) -> None:
        """Disconnect (and stop the LocalCluster this engine started); safe to call twice."""
        self._scattered = weakref.WeakKeyDictionary()
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._client is None:
            return "Engine(one process)"
        return f"Engine(scheduler={self.address!r}, workers={self.n_workers})"

    # -- running partitions ---------------------------------------------------------------------
    def _lexicons(self, lex: Lexicons):
        # once per engine and word lists: each worker unpickles them once and keeps their
        # compiled forms (tokenizer, sentence splitter, alias matcher) for every later call
        fut = self._scattered.get(lex)
        if fut is None:
            fut = self._scattered[lex] = self._client.scatter(lex, broadcast=True, hash=False)
        return fut

    def _ship(self, obj):
        """A custom tokenizer or scorer: sent to the cluster once per call, not once per partition."""
        return obj if obj is None or isinstance(obj, tuple) else self._client.scatter(obj, hash=False)

    def _map(self, func: Callable, parts: list, *args) -> list:
        """``func(part, *args)`` for every part on the cluster; results in the order of ``parts``."""
        client = self._client
        parts_f = client.scatter([_pack(p) for p in parts], hash=False)
        futures = [client.submit(_task, func, p, *args, pure=False) for p in parts_f]
        out = [pickle.loads(b) for b in client.gather(futures)]
        mine = versions()
        for where, theirs, _ in out:
            if theirs != mine:
                diff = ", ".join(f"{k} {v}" for k, v in theirs)
                here = ", ".join(f"{k} {v}" for k, v in mine)
                raise VersionMismatch(f"worker {where} runs {diff}; this process {here}: "
                                      "install the same versions on every worker")
        return [r for _, _, r in out]

    def _local(self, corpus_df: pd.DataFrame) -> list[tuple[int, int]] | None:
        """The partitions of ``corpus_df``, or None when it runs in this process."""
        if self._client is None or len(corpus_df) == 0:
            return None
        return partition_bounds(corpus_df, self.partition_size)

    # -- the partitioned steps --------------------------------------------------------------------
    def dfm(self, corpus_df: pd.DataFrame, lexicons: Lexicons | None = None, *, unit: str = "segment",
            tokenizer: Callable[[str], list[str]] | None = None) -> DocumentTermMatrix:
        """:func:`c6lab.dfm`, partitioned: the same matrix, vocabulary and document variables.

        Examples
        --------
        >>> df = pd.DataFrame({"segment_id": ["s1"], "text": ["Ports grow."]})
        >>> Engine().dfm(df).terms.tolist()
        ['grow', 'ports']
        """
        bounds = self._local(corpus_df)
        if bounds is None or unit not in UNITS or "text" not in corpus_df.columns:
            return dfm(corpus_df, lexicons, unit=unit, tokenizer=tokenizer)  # (its errors, too)
        lex = resolve(lexicons)
        texts = corpus_df["text"].tolist()
        parts = self._map(_dfm_part, [texts[a:b] for a, b in bounds], self._lexicons(lex), unit,
                          self._ship(tokenizer))
        matrix, terms = _combine([(m, t) for m, t, _ in parts])
        if unit == "segment":
            docvars = corpus_df.reset_index(drop=True).copy()
            docvars["n_sentences"] = np.concatenate([x["n_sentences"] for _, _, x in parts])
            return DocumentTermMatrix(matrix, terms, docvars)
        rows = np.concatenate([x["_row"] + a for (a, _), (_, _, x) in zip(bounds, parts)])
        starts = np.concatenate([x["sentence_start"] for _, _, x in parts])
        ends = np.concatenate([x["sentence_end"] for _, _, x in parts])
        docvars = corpus_df.iloc[rows].reset_index(drop=True).copy()
        docvars["sentence_no"] = np.concatenate([x["sentence_no"] for _, _, x in parts])
        docvars["sentence_start"] = starts
        docvars["sentence_end"] = ends
        docvars["text"] = [texts[i][a:b] for i, a, b in zip(rows.tolist(), starts.tolist(), ends.tolist())]
        return DocumentTermMatrix(matrix, terms, docvars)

    def score_mentions(self, corpus_df: pd.DataFrame, method="masked_sentence", window: int = 5,
                       domain: bool = False, *, lexicons: Lexicons | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.score_mentions`, partitioned: the same table, row for row."""
        from .sentiment.mentions import MENTION_COLUMNS, docvars_of
        from .sentiment.scorers import get_scorer, score_mentions

        bounds = self._local(corpus_df)
        if bounds is None or not {"text", "segment_id"} <= set(corpus_df.columns):
            return score_mentions(corpus_df, method, window, domain, lexicons=lexicons)
        lex = resolve(lexicons)
        scorer = get_scorer(method, window, domain, lexicons=lex)  # checks the arguments here
        spec = self._ship((method, window, domain) if isinstance(method, str) else scorer)
        parts = self._map(_tone_part, self._slices(corpus_df, bounds), self._lexicons(lex), spec, True)
        docvars = docvars_of(corpus_df)
        df = pd.DataFrame([r for rows, _ in parts for r in rows],
                          columns=docvars + MENTION_COLUMNS + ["scored_text", "compound"])
        # from here on as score_mentions
        df.insert(len(df.columns) - 2, "method", scorer.name)
        df.insert(len(df.columns) - 2, "lexicon", scorer.lexicon)
        base = _baseline_table(corpus_df, [s for _, per in parts for s in per])
        df["voice"] = _voice(df) if len(df) else pd.Series(dtype=str)
        df = df.merge(base.rename(columns={"n_sentences": "n_baseline_sentences"}), on="voice", how="left")
        df["relative"] = (df["compound"] - df["baseline"]).round(4)
        return df

    def speaker_baselines(self, corpus_df: pd.DataFrame, domain: bool = False, *,
                          lexicons: Lexicons | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.speaker_baselines`, partitioned."""
        from .sentiment.scorers import speaker_baselines

        bounds = self._local(corpus_df)
        if bounds is None or not {"text", "segment_id"} <= set(corpus_df.columns):
            return speaker_baselines(corpus_df, domain, lexicons=lexicons)
        lex = resolve(lexicons)
        spec = ("masked_sentence", 5, domain)
        _scorer_of(spec, lex)  # checks domain here
        parts = self._map(_tone_part, self._slices(corpus_df, bounds), self._lexicons(lex), spec, False)
        return _baseline_table(corpus_df, [s for _, per in parts for s in per])

    def find_mentions(self, corpus_df: pd.DataFrame, *, lexicons: Lexicons | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.find_mentions`, partitioned."""
        from .sentiment.mentions import MENTION_COLUMNS, docvars_of, find_mentions

        bounds = self._local(corpus_df)
        if bounds is None or not {"text", "segment_id"} <= set(corpus_df.columns):
            return find_mentions(corpus_df, lexicons=lexicons)
        lex = resolve(lexicons)
        parts = self._map(_mentions_part, self._slices(corpus_df, bounds), self._lexicons(lex))
        return pd.DataFrame([r for rows in parts for r in rows], columns=docvars_of(corpus_df) + MENTION_COLUMNS)

    def score_texts(self, sentences: Iterable[str], method="masked_sentence", window: int = 5,
                    domain: bool = False, *, lexicons: Lexicons | None = None, split: bool = False,
                    batch_size: int = 4096) -> pd.DataFrame:
        """:func:`c6lab.sentiment.score_texts`, partitioned (``partition_size`` texts each)."""
        from .sentiment.scorers import get_scorer, score_texts

        if isinstance(sentences, str) or self._client is None:
            return score_texts(sentences, method, window, domain, lexicons=lexicons, split=split,
                               batch_size=batch_size)
        texts = list(sentences)
        bad = next((i for i, t in enumerate(texts) if not isinstance(t, str)), None)
        if not texts or bad is not None:  # its own message for a bad item
            return score_texts(texts, method, window, domain, lexicons=lexicons, split=split, batch_size=batch_size)
        lex = resolve(lexicons)
        scorer = get_scorer(method, window, domain, lexicons=lex)
        spec = self._ship((method, window, domain) if isinstance(method, str) else scorer)
        bounds = partition_bounds(pd.DataFrame(index=range(len(texts))), self.partition_size)
        frames = self._map(_score_texts_part, [texts[a:b] for a, b in bounds], self._lexicons(lex), spec,
                           split, batch_size)
        for (a, _), f in zip(bounds, frames):
            f["sentence_index"] += a
        full = [f for f in frames if len(f)]
        if not full:
            return frames[0]
        return pd.concat(full, ignore_index=True) if len(full) > 1 else full[0].reset_index(drop=True)

    @staticmethod
    def _slices(corpus_df: pd.DataFrame, bounds: Sequence[tuple[int, int]]) -> list[pd.DataFrame]:
        # only the columns the tone steps read travel to the workers
        from .sentiment.mentions import DOCVARS

        keep = [c for c in corpus_df.columns if c in {*DOCVARS, "text", "char_start"}]
        sub = corpus_df[keep]
        return [sub.iloc[a:b] for a, b in bounds]


def _local_cluster(n_workers: int):
    """A LocalCluster of single-threaded worker processes, leaving this process's environment as it was."""
    import dask
    from distributed import LocalCluster

    # the nannies write their workers' variables (OMP_NUM_THREADS=1, PYTHONHASHSEED ...) into
    # this process's environment; notebook kernels started from here must not inherit them
    # (one BLAS thread, another hash seed: slower, and BLAS sums could differ in the last bits)
    keys = {*dask.config.get("distributed.nanny.pre-spawn-environ"), "PYTHONHASHSEED"}
    before = {k: os.environ.get(k) for k in keys}
    try:
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None)
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            elif os.environ.get(k) != v:
                os.environ[k] = v


def _connect(scheduler, timeout: float):
    from distributed import Client

    address = getattr(scheduler, "scheduler_address", scheduler)
    if not isinstance(address, str) or not address.strip():
        raise ValueError(f"scheduler must be an address like tcp://host:8786 or a Dask cluster, not {scheduler!r}")
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, ValueError, TimeoutError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {address}: {first}") from None


def _combine(parts: list[tuple[sparse.csr_matrix, np.ndarray]]) -> tuple[sparse.csr_matrix, np.ndarray]:
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


def _voice(df: pd.DataFrame) -> pd.Series:
    from .sentiment import scorers  # the voice as score_mentions defines it

    return scorers._voice(df)


def _baseline_table(corpus_df: pd.DataFrame, per_segment: list[list[float]]) -> pd.DataFrame:
    """Each voice's baseline from the plain-sentence scores of every segment (as scorers._baselines)."""
    voices = _voice(corpus_df)
    scores: dict[str, list[float]] = {v: [] for v in voices}
    for voice, vals in zip(voices, per_segment, strict=True):
        scores[voice].extend(vals)
    rows = [{"voice": v, "n_sentences": len(s),
             "baseline": round(float(np.mean(s)), 4) if s and not np.isnan(s).any() else np.nan}
            for v, s in scores.items()]
    return pd.DataFrame(rows, columns=["voice", "n_sentences", "baseline"])
