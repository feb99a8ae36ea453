"""Tokens, counts and tone as Dask partitions: the results of one process, on a cluster.

An :class:`Engine` is the execution setting handed down like the word lists: ``Engine()``
runs everything in this process (its methods *are* the single-process functions),
``Engine(n_jobs=2)`` runs the partitions of a large table in two processes of this machine
(joblib, no Dask), ``Engine(workers=2)`` starts a ``distributed.LocalCluster`` on this machine, and
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

from .engine import Engine, SchedulerUnreachable, VersionMismatch
from .partitions import PARTITION_SIZE, partition_bounds, versions

__all__ = ["PARTITION_SIZE", "Engine", "SchedulerUnreachable", "VersionMismatch", "partition_bounds", "versions"]
