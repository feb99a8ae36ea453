"""Changing a corpus folder: read its tables, then stage, validate and commit a change.

Every command that changes a corpus (``add``, ``review --apply``, ``remove``) builds the
complete new tables in memory, checks the would-be corpus in a temporary copy, and only
then writes: new raw files first, then the tables (each by an atomic rename), then
deletions. If a write fails, the files already written are restored. Raw files that exist
are never overwritten.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError, Problem
from ..io import atomic_write_bytes, csv_bytes, read_csv_rows
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


def commit(root: Path, writes: dict[str, bytes], deletes: tuple[str, ...] = (), what: str = "change") -> None:
    """Stage ``writes`` (relative path -> bytes) and ``deletes``, validate, then apply them.

    Raises :class:`CorpusError` with nothing written if the staged corpus does not
    validate (that is a bug in the caller: the message says so).
    """
    with tempfile.TemporaryDirectory(prefix="c6lab-stage-") as tmp:
        stage = Path(tmp) / "corpus"
        shutil.copytree(root, stage)
        for rel, data in writes.items():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_bytes(data)
        for rel in deletes:
            (stage / rel).unlink(missing_ok=True)
        problems = problems_of(stage)
    if problems:
        raise CorpusError(problems + [Problem(f"c6lab corpus {what}", None, None,
                                              "internal error: the change does not validate; nothing was written")])
    _apply(root, writes, deletes)


def _apply(root: Path, writes: dict[str, bytes], deletes: tuple[str, ...]) -> None:
    backups: dict[Path, bytes | None] = {}
    order = sorted(writes, key=lambda rel: not rel.startswith("raw/"))  # new raw files first
    try:
        for rel in order:
            path = root / rel
            backups[path] = path.read_bytes() if path.exists() else None
            atomic_write_bytes(path, writes[rel])
    except BaseException:
        for path, old in backups.items():
            if old is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write_bytes(path, old)
        raise
    for rel in deletes:  # last: the tables no longer point at these files
        (root / rel).unlink(missing_ok=True)
