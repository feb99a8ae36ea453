"""Corpus changes as transactions: one lock per corpus, a journal, one atomic commit step.

A change (``corpus add``, ``review --apply``, ``remove``, ``label adopt``) runs as::

    with corpus_transaction(root, what="add") as tx:
        old = tx.read("articles.csv")            # under the lock: nobody changes it meanwhile
        tx.add_raw("raw/x.txt", data)            # a new raw file (never overwrites one in use)
        tx.write("articles.csv", new_table)
        tx.delete("raw/old.txt")
    # here the change is in place, whole; an exception inside the block writes nothing

How a kill at any instant leaves either the old or the new corpus:

1. the lock ``<root>/.c6lab.lock`` is taken (``filelock``), so read-modify-write cannot
   interleave with another change (the lost update of two simultaneous ``add``);
2. every new file is written and fsync'ed under ``<root>/.c6lab-staging/<id>/``, and the
   would-be corpus is validated (a hard-linked view of the folder with the change on top);
3. a journal naming every replace and delete is written beside it and moved to
   ``<root>/.c6lab-journal.json`` by one ``os.replace``: **the commit point**;
4. the staged files are renamed into place and the deletions done, then the journal is
   removed. A journal left by a kill is rolled forward (idempotently) by :func:`recover`,
   which every change runs first and readers run through :func:`recover` too; staging
   left without a journal (a kill before the commit point) is deleted and reported.

Nothing follows a symbolic link out of the corpus: a change refuses a corpus that holds a
symlink, a device, a FIFO or a socket anywhere below its folder (``raw/`` or a table
that is a symlink is the dangerous case: a write through it lands outside the corpus).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from filelock import FileLock, Timeout

from ..errors import CorpusError, Problem
from ..io import sha256_hex

LOCK_NAME = ".c6lab.lock"
STAGING_NAME = ".c6lab-staging"
JOURNAL_NAME = ".c6lab-journal.json"
# top-level names that belong to the transaction machinery, not to the corpus (left out of its version)
INTERNAL_NAMES = (LOCK_NAME, STAGING_NAME, JOURNAL_NAME)
DEFAULT_LOCK_TIMEOUT = 60.0  # seconds a change waits for another one to finish
RAW_COLUMNS = ("raw_file", "source_file")  # the articles.csv columns that reference files in raw/

log = logging.getLogger("c6lab")


class CorpusBusy(CorpusError):
    """Another change to the corpus holds its lock (and did not finish within the timeout)."""


def checkpoint(step: str) -> None:
    """Called between the steps of a commit and of a recovery; does nothing.

    A test (or ``benchmarks/faults.py``) replaces it to stop the process at ``step``, as a
    kill would. Steps: ``stage <i>``, ``staged``, ``validated``, ``journal written``,
    ``committed``, ``apply <i>``, ``applied``, ``journal removed``, ``done``, and in a
    recovery ``recover apply <i>``, ``recovered``.
    """


# ------------------------------------------------------------------ the lock

_LOCKS: dict[str, FileLock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(root: Path) -> FileLock:
    # one FileLock object per corpus and process: nested use in one thread re-enters it
    path = str(Path(root).resolve() / LOCK_NAME)
    with _LOCKS_GUARD:
        if path not in _LOCKS:
            _LOCKS[path] = FileLock(path)
        return _LOCKS[path]


@contextmanager
def corpus_lock(root: str | Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[Path]:
    """Hold the corpus's change lock (``<root>/.c6lab.lock``); roll forward an interrupted change first.

    Re-entrant within one thread. Raises :class:`CorpusBusy` (a one-line
    :class:`CorpusError`) if another process holds it longer than ``timeout`` seconds
    (``timeout < 0`` waits for ever).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with corpus_lock(root) as r:
    ...     (r / ".c6lab.lock").exists()
    True
    """
    root = Path(root)
    if not root.is_dir():
        raise CorpusError([Problem(str(root), None, None, "corpus folder not found")])
    lock = _lock_for(root)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise CorpusBusy([Problem(str(root), None, None, f"another change to this corpus is in progress "
                                  f"(lock {lock.lock_file}); try again when it has finished")]) from None
    except PermissionError:
        raise CorpusError([Problem(str(root), None, None, "cannot create the lock file "
                                   f"{root / LOCK_NAME}: the corpus folder is read-only")]) from None
    try:
        if lock.lock_counter == 1:  # outermost holder: finish what a killed change left
            for note in _recover_locked(root):
                log.warning("c6lab: %s", note)
        yield root
    finally:
        lock.release()


# ------------------------------------------------------------------ layout checks


def file_kind(mode: int) -> str:
    """How a file that is not a regular one is named in messages ("a FIFO (named pipe)" ...)."""
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def scan_corpus(root: str | Path) -> tuple[list[str], list[str]]:
    """Relative folders and regular files of a corpus, refusing anything else.

    Raises :class:`CorpusError` naming every symbolic link, device, FIFO or socket below
    ``root`` (the machinery's own top-level names are skipped). Nothing is opened: only
    ``lstat``, so a link to ``/dev/zero`` is never read.
    """
    root = Path(root)
    dirs, files, problems = [], [], []
    stack = [PurePosixPath()]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = sorted(os.scandir(root / rel_dir), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(str(root / rel_dir), None, None, f"cannot list the folder: {exc.strerror}"))
            continue
        for entry in entries:
            rel = rel_dir / entry.name
            if not rel_dir.parts and entry.name in INTERNAL_NAMES:
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                dirs.append(str(rel))
                stack.append(rel)
            elif stat.S_ISREG(mode):
                files.append(str(rel))
            else:
                problems.append(Problem(str(rel), None, None, f"is {file_kind(mode)}; a corpus folder must hold "
                                        "its own files and folders (replace it by the file it stands for, "
                                        "or remove it)"))
    if problems:
        raise CorpusError(problems)
    return sorted(dirs), sorted(files)


def _check_rel(rel: str) -> str:
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or ".." in p.parts or p.parts[0] in INTERNAL_NAMES or "\\" in rel:
        raise ValueError(f"not a path inside the corpus: {rel!r}")
    return str(p)


def _check_staged(rel: str) -> str:
    p = PurePosixPath(rel)
    if p.is_absolute() or len(p.parts) < 2 or p.parts[0] != STAGING_NAME or ".." in p.parts:
        raise ValueError(f"not a staged file: {rel!r}")
    return str(p)


# ------------------------------------------------------------------ the transaction


class Transaction:
    """A change being prepared under the lock: see :func:`corpus_transaction`."""

    def __init__(self, root: Path, what: str):
        self.root = root
        self.what = what
        self.writes: dict[str, bytes] = {}
        self.deletes: list[str] = []
        self.notices: list[str] = []

    def read(self, rel: str) -> bytes:
        """The bytes of a corpus file as this change will leave it (refusing a symlink)."""
        rel = _check_rel(rel)
        if rel in self.writes:
            return self.writes[rel]
        path = self.root / rel
        if path.is_symlink() or not path.is_file():
            raise CorpusError([Problem(rel, None, None, "not a regular file in the corpus folder")])
        return path.read_bytes()

    def write(self, rel: str, data: bytes) -> None:
        """Replace (or create) ``rel`` with ``data`` when the change commits. Not for raw files."""
        rel = _check_rel(rel)
        if rel.startswith("raw/"):
            raise ValueError("new raw files go through add_raw (raw files are never overwritten)")
        self.writes[rel] = bytes(data)
        if rel in self.deletes:
            self.deletes.remove(rel)

    def add_raw(self, rel: str, data: bytes) -> str:
        """Add a new file under ``raw/``; returns ``rel``.

        Refuses a name that an article already references (raw files are never
        overwritten). A file of that name that no article references (left by a change
        of an older c6lab that was killed) is reused if its bytes are the same, and
        refused otherwise.
        """
        rel = _check_rel(rel)
        if not rel.startswith("raw/"):
            raise ValueError(f"not a raw file: {rel!r}")
        path = self.root / rel
        if rel in self.writes or rel in referenced_raw_files(self.root):
            raise CorpusError([Problem(rel, None, None, "exists and belongs to an article; choose another id "
                                       "with --id (a raw file is never overwritten)")])
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise CorpusError([Problem(rel, None, None, "exists and is not a regular file; remove it")])
        if path.exists():
            if sha256_hex(path.read_bytes()) != sha256_hex(data):
                raise CorpusError([Problem(rel, None, None, "exists but no article references it, and its "
                                           "bytes differ from the new text; move it out of raw/ or choose "
                                           "another id with --id")])
            self.notices.append(f"{rel} was already there, unreferenced and with the same bytes (left by an "
                                "interrupted change): reused")
            return rel
        self.writes[rel] = bytes(data)
        return rel

    def delete(self, rel: str) -> None:
        """Delete ``rel`` when the change commits (after the tables stop referencing it)."""
        rel = _check_rel(rel)
        self.writes.pop(rel, None)
        if rel not in self.deletes:
            self.deletes.append(rel)


def referenced_raw_files(root: Path) -> set[str]:
    """Files that ``articles.csv`` references (raw text and saved page), as written there."""
    from ..io import read_csv_rows

    path = root / "articles.csv"
    if not path.is_file():
        return set()
    _, rows = read_csv_rows(path, ["article_id"], label="articles.csv")
    return {row.get(c, "") for _, row in rows for c in RAW_COLUMNS} - {""}


@contextmanager
def corpus_transaction(root: str | Path, what: str = "change", *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
                       validate: bool = True) -> Iterator[Transaction]:
    """Lock the corpus, collect a change, then stage, validate and commit it in one atomic step.

    Parameters
    ----------
    root : path
        The corpus folder.
    what : str
        Name of the change in messages (``add``, ``review``, ``remove``, ``label adopt``).
    lock_timeout : float, default 60
        Seconds to wait for another change to finish (:class:`CorpusBusy` after that).
    validate : bool, default True
        Validate the would-be corpus before the commit; a change that does not validate
        raises :class:`CorpusError` with nothing written.

    Yields
    ------
    Transaction
        ``tx.read(rel)``, ``tx.write(rel, data)``, ``tx.add_raw(rel, data)``,
        ``tx.delete(rel)``; ``tx.notices`` lists what was recovered or reused.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from c6lab.corpus.create import init_corpus
    >>> root = init_corpus(pathlib.Path(tempfile.mkdtemp()) / "c")
    >>> with corpus_transaction(root, "example") as tx:
    ...     tx.write("annotations/notes.txt", b"checked\\n")
    >>> (root / "annotations/notes.txt").read_text()
    'checked\\n'
    """
    root = Path(root)
    with corpus_lock(root, lock_timeout):
        scan_corpus(root)  # before anything is read: no symlink, device or FIFO below the folder
        tx = Transaction(root, what)
        yield tx  # an exception in the block leaves the corpus as it was: nothing is staged yet
        if tx.writes or tx.deletes:
            _commit(tx, validate)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # not every platform opens folders
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _commit(tx: Transaction, validate: bool) -> None:
    root = tx.root
    stage = root / STAGING_NAME / uuid.uuid4().hex
    files = stage / "files"
    files.mkdir(parents=True)
    try:
        entries = []
        for i, (rel, data) in enumerate(sorted(tx.writes.items(), key=lambda kv: not kv[0].startswith("raw/"))):
            name = f"{i:04d}"
            _write_synced(files / name, data)
            entries.append({"path": rel, "staged": f"{STAGING_NAME}/{stage.name}/files/{name}",
                            "sha256": sha256_hex(data)})
            checkpoint(f"stage {i}")
        _fsync_dir(files)
        checkpoint("staged")
        if validate:
            _validate_view(tx, stage)
        checkpoint("validated")
        journal = {"format": 1, "what": tx.what, "id": stage.name, "writes": entries, "deletes": list(tx.deletes)}
        _write_synced(stage / "journal.json", json.dumps(journal, indent=1).encode("utf-8"))
        checkpoint("journal written")
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        _remove_empty(root / STAGING_NAME)
        raise
    os.replace(stage / "journal.json", root / JOURNAL_NAME)  # the commit point
    _fsync_dir(root)
    checkpoint("committed")
    _roll_forward(root, journal, prefix="")
    checkpoint("done")


def _validate_view(tx: Transaction, stage: Path) -> None:
    """Validate the corpus as the change would leave it, in a hard-linked view of the folder."""
    from .validate import validate_corpus

    root, view = tx.root, stage / "view"
    dirs, files = scan_corpus(root)
    view.mkdir()
    for d in dirs:
        (view / d).mkdir(exist_ok=True)
    for f in files:
        if f in tx.writes or f in tx.deletes:
            continue
        try:
            os.link(root / f, view / f)
        except OSError:  # a file system without hard links: copy
            shutil.copyfile(root / f, view / f)
    for rel, data in tx.writes.items():
        (view / rel).parent.mkdir(parents=True, exist_ok=True)
        (view / rel).write_bytes(data)
    problems = validate_corpus(view)
    shutil.rmtree(view)
    if problems:
        raise CorpusError(problems + [Problem(f"c6lab corpus {tx.what}", None, None,
                                              "internal error: the change does not validate; nothing was written")])


def _roll_forward(root: Path, journal: dict, prefix: str) -> None:
    """Apply a committed journal; safe to repeat after a kill at any step."""
    problems = []
    touched = {root}
    for i, entry in enumerate(journal["writes"]):
        rel = _check_rel(entry["path"])
        target, staged = root / rel, root / _check_staged(entry["staged"])
        if staged.exists():
            if rel.startswith("raw/") and target.exists() and not target.is_symlink() \
                    and sha256_hex(target.read_bytes()) != entry["sha256"]:
                problems.append(f"{rel} exists with other bytes; the raw file was not overwritten")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                touched.add(target.parent)
        elif not target.is_file() or sha256_hex(target.read_bytes()) != entry["sha256"]:
            problems.append(f"{rel}: neither the staged copy nor the committed file is there")
        checkpoint(f"{prefix}apply {i}")
    for j, rel in enumerate(journal["deletes"]):
        (root / _check_rel(rel)).unlink(missing_ok=True)
        touched.add((root / rel).parent)
        checkpoint(f"{prefix}apply {len(journal['writes']) + j}")
    for d in touched:
        _fsync_dir(d)
    checkpoint(f"{prefix}applied")
    if problems:  # keep the journal: a person must look (the message says where)
        raise CorpusError([Problem(str(root / JOURNAL_NAME), None, None,
                                   f"the interrupted {journal.get('what', 'change')} could not be finished: {p}")
                           for p in problems])
    (root / JOURNAL_NAME).unlink()
    _fsync_dir(root)
    checkpoint(f"{prefix}journal removed")
    if str(journal.get("id", "")).isalnum():
        shutil.rmtree(root / STAGING_NAME / journal["id"], ignore_errors=True)
    _remove_empty(root / STAGING_NAME)


def _remove_empty(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass


# ------------------------------------------------------------------ recovery


def pending(root: str | Path) -> bool:
    """True if a committed change is not fully applied yet (a journal is waiting)."""
    return (Path(root) / JOURNAL_NAME).exists()


def recover(root: str | Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> list[str]:
    """Finish a change that a kill interrupted after its commit point; clean staging left before it.

    Cheap when nothing is pending (one ``stat``): readers (``open_corpus``,
    ``validate_corpus``) call it first. With a journal waiting it takes the lock, so it
    also waits for a change in progress to finish. Returns what it did, one line each.

    Raises :class:`CorpusError` if the journal cannot be applied (e.g. a read-only folder).
    """
    root = Path(root)
    if not pending(root):
        return []
    notes: list[str] = []
    lock = _lock_for(root)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise CorpusBusy([Problem(str(root), None, None, "a change to this corpus is in progress (lock "
                                  f"{lock.lock_file}); try again when it has finished")]) from None
    except PermissionError:
        raise CorpusError([Problem(str(root / JOURNAL_NAME), None, None, "an interrupted change is waiting to be "
                                   "finished, and the corpus folder is read-only: run any corpus command "
                                   "with write access to it")]) from None
    try:
        notes = _recover_locked(root) if lock.lock_counter == 1 else []
    finally:
        lock.release()
    for note in notes:
        log.warning("c6lab: %s", note)
    return notes


def _recover_locked(root: Path) -> list[str]:
    notes = []
    journal_path = root / JOURNAL_NAME
    if journal_path.exists():
        try:
            journal = json.loads(journal_path.read_bytes())
            what, n = journal["what"], len(journal["writes"]) + len(journal["deletes"])
        except (ValueError, KeyError, TypeError):
            raise CorpusError([Problem(str(journal_path), None, None, "unreadable journal of an interrupted change; "
                                       "look at it, then delete it")]) from None
        _roll_forward(root, journal, prefix="recover ")
        notes.append(f"{root}: finished an interrupted {what} ({n} file(s)) that had been committed")
        checkpoint("recovered")
    staging = root / STAGING_NAME
    if staging.is_dir() and not staging.is_symlink():
        for leftover in sorted(staging.iterdir()):
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink()
            notes.append(f"{root}: deleted {STAGING_NAME}/{leftover.name}, left by an interrupted change "
                         "(no journal names it: it is not part of the corpus)")
        _remove_empty(staging)
    elif staging.is_symlink():
        staging.unlink()
    # temporary files of atomic writes by older versions, killed half way (only corpus files' names)
    for folder, pattern in ((root, ".*.csv.*.tmp"), (root / "raw", ".*.tmp"), (root / "annotations", ".*.tmp")):
        if folder.is_dir() and not folder.is_symlink():
            for tmp in sorted(folder.glob(pattern)):
                if tmp.is_file() and not tmp.is_symlink():
                    tmp.unlink()
                    notes.append(f"{root}: deleted the temporary file {tmp.relative_to(root)} of an interrupted write")
    return notes


__all__ = ["CorpusBusy", "DEFAULT_LOCK_TIMEOUT", "INTERNAL_NAMES", "Transaction", "corpus_lock",
           "corpus_transaction", "pending", "recover", "referenced_raw_files", "scan_corpus"]
