"""The :class:`Engine`: where tokenising, counting and tone scoring run (see :mod:`c6lab.parallel`)."""

from __future__ import annotations

import math
import pickle
import weakref
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from ..counts import UNITS, Counted, DocumentTermMatrix, dfm, keep, lookup
from ..kernel_env import environment
from ..lexicons import Lexicons, resolve
from . import partitions
from .partitions import (
    PARTITION_SIZE,
    baseline_table,
    combine,
    dfm_part,
    mentions_part,
    pack,
    partition_bounds,
    score_texts_part,
    scorer_of,
    task,
    tone_part,
    versions,
)

#: below this many rows, ``Engine(n_jobs=...)`` handles a table in this process
LOCAL_MIN_ROWS = 20_000


class SchedulerUnreachable(ConnectionError):
    """The Dask scheduler could not be reached (the message is one line naming its address)."""


class VersionMismatch(RuntimeError):
    """A worker runs other versions than this process, so its results could differ."""


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
    n_jobs : int
        Without a cluster: tables of ``local_min_rows`` rows or more are cut into
        ``4 * n_jobs`` partitions run by that many processes of this machine (joblib's loky,
        stopped after each call, so no idle process holds memory), without Dask.
        The same results for any number (1: everything in this process).
    local_min_rows : int
        Below this many rows a table is handled in this process: starting processes and
        sending them the texts costs more than it saves.
    partition_size : int
        Rows of the segment table per partition (see :func:`partition_bounds`).
    timeout : float
        Seconds to wait for the scheduler.

    With neither ``scheduler`` nor ``workers`` everything runs on this machine: in this
    process, or for a large table in ``n_jobs`` processes. Use it as a context manager (or
    call :meth:`close`).

    Examples
    --------
    >>> import c6lab
    >>> corpus = c6lab.open_corpus()
    >>> with Engine() as engine:  # one process: the same functions, called directly
    ...     counts = engine.dfm(corpus.segments, corpus.lexicons)
    >>> engine, counts.n_docs == len(corpus.segments)
    (Engine(one process), True)
    """

    def __init__(self, scheduler=None, *, workers: int | None = None, n_jobs: int = 1,
                 partition_size: int = PARTITION_SIZE, timeout: float = 10, local_min_rows: int = LOCAL_MIN_ROWS):
        partition_bounds(pd.DataFrame(), partition_size)  # checks the value
        for name, value in (("n_jobs", n_jobs), ("local_min_rows", local_min_rows)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.partition_size = partition_size
        self.n_jobs, self.local_min_rows = int(n_jobs), int(local_min_rows)
        self._client = self._cluster = None
        self._scattered: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        if scheduler is not None and workers is not None:
            raise ValueError("give a scheduler address or a number of workers, not both")
        if workers is not None:
            if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
                raise ValueError(f"workers must be a positive integer, got {workers!r}")
            from distributed import Client

            self._cluster = _local_cluster(int(workers))
            try:
                self._client = Client(self._cluster, set_as_default=False)
            except BaseException:
                self._cluster.close()
                raise
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
            return "Engine(one process)" if self.n_jobs == 1 else f"Engine(n_jobs={self.n_jobs})"
        return f"Engine(scheduler={self.address!r}, workers={self.n_workers})"

    # -- running partitions ---------------------------------------------------------------------
    def _lexicons(self, lex: Lexicons):
        if self._client is None:  # processes of this machine: with each partition (a few per call)
            return lex
        # once per engine and word lists: each worker unpickles them once and keeps their
        # compiled forms (tokenizer, sentence splitter, alias matcher) for every later call
        fut = self._scattered.get(lex)
        if fut is None:
            fut = self._scattered[lex] = self._client.scatter(lex, broadcast=True, hash=False)
        return fut

    def _ship(self, obj):
        """A custom tokenizer or scorer: sent to the cluster once per call, not once per partition."""
        if obj is None or isinstance(obj, tuple) or self._client is None:
            return obj
        return self._client.scatter(obj, hash=False)

    def _map(self, func: Callable, parts: list, *args) -> list:
        """``func(part, *args)`` for every part on the cluster (or this machine's processes);
        results in the order of ``parts``."""
        client = self._client
        if client is None:
            return _map_processes(func, parts, args, self.n_jobs)
        parts_f = client.scatter([pack(p) for p in parts], hash=False)
        futures = [client.submit(task, func, p, *args, pure=False) for p in parts_f]
        out = [pickle.loads(b) for b in client.gather(futures)]
        _same_versions((where, theirs) for where, theirs, _ in out)
        return [r for _, _, r in out]

    def check_versions(self) -> None:
        """Raise :class:`VersionMismatch` if a connected worker runs other versions than this process.

        Every partition's result is checked anyway; this checks before any work is sent
        (``c6lab run`` calls it before the first notebook).
        """
        if self._client is not None:
            _same_versions(self._client.run(partitions.versions).items())

    def _local(self, corpus_df: pd.DataFrame) -> list[tuple[int, int]] | None:
        """The partitions of ``corpus_df``, or None when it runs in this process."""
        if len(corpus_df) == 0:
            return None
        if self._client is not None:
            return partition_bounds(corpus_df, self.partition_size)
        if self.n_jobs > 1 and len(corpus_df) >= self.local_min_rows:
            # a few large partitions per process: each compiles the word lists once
            return partition_bounds(corpus_df, math.ceil(len(corpus_df) / (4 * self.n_jobs)))
        return None

    # -- the partitioned steps --------------------------------------------------------------------
    def dfm(self, corpus_df: pd.DataFrame, lexicons: Lexicons | None = None, *, unit: str = "segment",
            tokenizer: Callable[[str], list[str]] | None = None, cache=None) -> DocumentTermMatrix:
        """:func:`c6lab.dfm`, partitioned: the same matrix, vocabulary and document variables
        (and with ``cache``, the same counts kept for the next call).

        Examples
        --------
        >>> df = pd.DataFrame({"segment_id": ["s1"], "text": ["Ports grow."]})
        >>> Engine().dfm(df).terms.tolist()
        ['grow', 'ports']
        """
        bounds = self._local(corpus_df)
        if bounds is None or unit not in UNITS or "text" not in corpus_df.columns:
            return dfm(corpus_df, lexicons, unit=unit, tokenizer=tokenizer, cache=cache)  # (its errors, too)
        lex = resolve(lexicons)
        texts = corpus_df["text"].tolist()
        key, kept = lookup(texts, lex, unit, cache if tokenizer is None else None)
        if kept is not None:
            return kept.matrix_of(corpus_df, texts)
        parts = self._map(dfm_part, [texts[a:b] for a, b in bounds], self._lexicons(lex), unit,
                          self._ship(tokenizer))
        matrix, terms = combine([(m, t) for m, t, _ in parts])
        if unit == "segment":
            counted = Counted(unit, np.concatenate([x["n_sentences"] for _, _, x in parts]).astype(np.int64))
        else:
            rows = np.concatenate([x["_row"] + a for (a, _), (_, _, x) in zip(bounds, parts)])
            if not len(rows):  # not one sentence: the table one process makes of that (object columns)
                return dfm(corpus_df, lex, unit=unit, tokenizer=tokenizer, cache=cache)
            counted = Counted(unit, rows, *(np.concatenate([x[c] for _, _, x in parts])
                                            for c in ("sentence_no", "sentence_start", "sentence_end")))
        result = DocumentTermMatrix(matrix, terms, counted.docvars(corpus_df, texts))
        if key is not None:
            keep(cache, key, result, counted)
        return result

    def score_mentions(self, corpus_df: pd.DataFrame, method="masked_sentence", window: int = 5,
                       domain: bool = False, *, lexicons: Lexicons | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.score_mentions`, partitioned: the same table, row for row."""
        from ..sentiment.mentions import MENTION_COLUMNS, docvars_of
        from ..sentiment.scorers import get_scorer, score_mentions, with_baselines

        bounds = self._local(corpus_df)
        if bounds is None or not {"text", "segment_id"} <= set(corpus_df.columns):
            return score_mentions(corpus_df, method, window, domain, lexicons=lexicons)
        lex = resolve(lexicons)
        scorer = get_scorer(method, window, domain, lexicons=lex)  # checks the arguments here
        spec = self._ship((method, window, domain) if isinstance(method, str) else scorer)
        parts = self._map(tone_part, self._slices(corpus_df, bounds), self._lexicons(lex), spec, True)
        df = pd.DataFrame([r for rows, _ in parts for r in rows],
                          columns=docvars_of(corpus_df) + MENTION_COLUMNS + ["scored_text", "compound"])
        base = baseline_table(corpus_df, [s for _, per in parts for s in per])
        return with_baselines(df, scorer.name, scorer.lexicon, base)  # the end of score_mentions

    def mention_scores(self, corpus_df: pd.DataFrame, *, lexicons: Lexicons | None = None, settings=None):
        """:class:`c6lab.sentiment.MentionScores`, partitioned: each partition analysed and scored
        in every setting on a worker, the parts joined here (the same tables, row for row)."""
        from ..sentiment.runs import SETTINGS, MentionScores, analyse, setting_key

        keys = list(dict.fromkeys(setting_key(*s) for s in (SETTINGS if settings is None else settings)))
        bounds = self._local(corpus_df)
        if bounds is None or not {"text", "segment_id"} <= set(corpus_df.columns):
            return MentionScores(corpus_df, lexicons=lexicons, settings=keys)
        lex = resolve(lexicons)
        parts = self._map(analyse, self._slices(corpus_df, bounds), self._lexicons(lex), keys)
        return MentionScores(corpus_df, lexicons=lex, settings=keys, parts=parts)

    def speaker_baselines(self, corpus_df: pd.DataFrame, domain: bool = False, *,
                          lexicons: Lexicons | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.speaker_baselines`, partitioned."""
        from ..sentiment.scorers import speaker_baselines

        bounds = self._local(corpus_df)
        if bounds is None or not {"text", "segment_id"} <= set(corpus_df.columns):
            return speaker_baselines(corpus_df, domain, lexicons=lexicons)
        lex = resolve(lexicons)
        spec = ("masked_sentence", 5, domain)
        scorer_of(spec, lex)  # checks domain here
        parts = self._map(tone_part, self._slices(corpus_df, bounds), self._lexicons(lex), spec, False)
        return baseline_table(corpus_df, [s for _, per in parts for s in per])

    def find_mentions(self, corpus_df: pd.DataFrame, *, lexicons: Lexicons | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.find_mentions`, partitioned."""
        from ..sentiment.mentions import MENTION_COLUMNS, docvars_of, find_mentions

        bounds = self._local(corpus_df)
        if bounds is None or not {"text", "segment_id"} <= set(corpus_df.columns):
            return find_mentions(corpus_df, lexicons=lexicons)
        lex = resolve(lexicons)
        parts = self._map(mentions_part, self._slices(corpus_df, bounds), self._lexicons(lex))
        return pd.DataFrame([r for rows in parts for r in rows], columns=docvars_of(corpus_df) + MENTION_COLUMNS)

    def score_texts(self, sentences: Iterable[str], method="masked_sentence", window: int = 5,
                    domain: bool = False, *, lexicons: Lexicons | None = None, split: bool = False,
                    batch_size: int = 4096) -> pd.DataFrame:
        """:func:`c6lab.sentiment.score_texts`, partitioned (``partition_size`` texts each)."""
        from ..sentiment.scorers import get_scorer, score_texts

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
        frames = self._map(score_texts_part, [texts[a:b] for a, b in bounds], self._lexicons(lex), spec,
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
        from ..sentiment.mentions import DOCVARS

        keep = [c for c in corpus_df.columns if c in {*DOCVARS, "text", "char_start"}]
        sub = corpus_df[keep]
        return [sub.iloc[a:b] for a, b in bounds]


def _same_versions(reports) -> None:
    """``reports``: ``(worker address, versions)`` pairs, each compared with this process's."""
    mine = versions()
    for where, theirs in reports:
        if tuple(map(tuple, theirs)) != mine:
            diff = ", ".join(f"{k} {v}" for k, v in theirs)
            here = ", ".join(f"{k} {v}" for k, v in mine)
            raise VersionMismatch(f"worker {where} runs {diff}; this process {here}: "
                                  "install the same versions on every worker")


def _map_processes(func: Callable, parts: list, args: tuple, n_jobs: int) -> list:
    """``func(part, *args)`` for every part in ``n_jobs`` processes of this machine (joblib's
    loky: spawned, not forked, since a notebook kernel has threads; and no ``__main__`` guard
    needed in a script). The processes are stopped afterwards: none holds memory while the
    notebook goes on."""
    from joblib import Parallel, delayed
    from joblib.externals.loky import get_reusable_executor

    try:
        return Parallel(n_jobs=min(n_jobs, len(parts)), backend="loky")(delayed(func)(p, *args) for p in parts)
    finally:
        get_reusable_executor().shutdown(wait=True)


def _local_cluster(n_workers: int):
    """A LocalCluster of single-threaded worker processes, leaving this process's environment as it was."""
    import dask
    from distributed import LocalCluster

    # the nannies write their workers' variables (OMP_NUM_THREADS=1, PYTHONHASHSEED ...) into
    # this process's environment; notebook kernels started from here must not inherit them
    # (one BLAS thread, another hash seed: slower, and BLAS sums could differ in the last bits)
    keys = {*dask.config.get("distributed.nanny.pre-spawn-environ"), "PYTHONHASHSEED"}
    with environment(keep=keys):
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None)


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
