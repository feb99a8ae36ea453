"""Changing a corpus folder: read its tables, then stage, validate and commit a change.

Every command that changes a corpus (``add``, ``review --apply``, ``remove``) runs inside
:func:`corpus_transaction` (see :mod:`c6lab.corpus.transaction`): it holds the corpus's
lock from the first read to the commit, builds the complete new tables in memory, checks
the would-be corpus, and commits every file in one atomic step (a journal), so a kill at
any instant leaves the old corpus or the new one. Raw files that exist are never
overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..io import csv_bytes, read_csv_rows
from .transaction import (
    DEFAULT_LOCK_TIMEOUT,
    CorpusBusy,
    Transaction,
    corpus_lock,
    corpus_transaction,
    pending,
    recover,
)
from .validate import (
    ARTICLE_COLUMNS,
    ARTICLE_OPTIONAL,
    SEGMENT_COLUMNS,
    SEGMENT_OPTIONAL,
    SPEAKER_COLUMNS,
    validate_corpus,
)

TABLES = {"articles.csv": (ARTICLE_COLUMNS, ARTICLE_OPTIONAL), "speakers.csv": (SPEAKER_COLUMNS, ()),
          "segments.csv": (SEGMENT_COLUMNS, SEGMENT_OPTIONAL)}


@dataclass
class Table:
    """One corpus table as header and rows (dicts of stripped strings)."""

    name: str
    fields: list[str]
    rows: list[dict]

    def to_bytes(self) -> bytes:
        # every column the schema knows is written, so a new optional column appears in order
        required, optional = TABLES[self.name]
        fields = list(dict.fromkeys([*required, *self.fields, *optional]))
        return csv_bytes(fields, self.rows)


def read_table(root: Path, name: str) -> Table:
    """Read ``articles.csv``, ``speakers.csv`` or ``segments.csv`` of a corpus folder."""
    header, rows = read_csv_rows(root / name, TABLES[name][0], label=name)
    return Table(name, header, [row for _, row in rows])


def problems_of(root: Path) -> list[Problem]:
    """Errors of a corpus (review items such as unknown countries are not errors)."""
    return validate_corpus(root)


def commit(root: Path, writes: dict[str, bytes], deletes: tuple[str, ...] = (), what: str = "change",
           lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
    """Stage ``writes`` (relative path -> bytes) and ``deletes``, validate, then commit them atomically.

    A shortcut for one :func:`corpus_transaction` (re-entrant: inside one, it joins the
    lock already held). New files under ``raw/`` go through ``add_raw`` (never
    overwriting a raw file in use). Raises :class:`CorpusError` with nothing written if
    the staged corpus does not validate (that is a bug in the caller: the message says so).
    """
    with corpus_transaction(root, what, lock_timeout=lock_timeout) as tx:
        for rel, data in writes.items():
            tx.add_raw(rel, data) if rel.startswith("raw/") else tx.write(rel, data)
        for rel in deletes:
            tx.delete(rel)


__all__ = ["TABLES", "CorpusBusy", "Table", "Transaction", "commit", "corpus_lock", "corpus_transaction",
           "pending", "problems_of", "read_table", "recover"]
