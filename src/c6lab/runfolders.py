"""The output folders of ``c6lab run``: checked, locked, written fresh and swapped in whole.

A run writes into fresh folders beside its targets (``OUT.partial-*``) and, once everything
is written, puts them in place with :func:`swap`. The swap is journaled: before the first
rename a journal naming every rename is written beside each target (``.OUT.c6lab-swap.json``),
so a run killed halfway through the renames is finished by the next run (:func:`recover`),
never left half old and half new. One lock per target (:func:`lock_targets`) keeps two runs
from writing the same folder; holding it, a run removes fresh folders that killed runs left
behind (those kept by ``--debug`` carry :data:`KEPT` and stay).

Examples
--------
>>> import tempfile, pathlib
>>> parent = pathlib.Path(tempfile.mkdtemp())
>>> target = parent / "run"
>>> new = fresh(target)
>>> _ = (new / "a.txt").write_text("new")
>>> swap([(new, target)])
>>> sorted(p.name for p in parent.iterdir()), (target / "a.txt").read_text()
(['run'], 'new')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .io import atomic_write_bytes, excel_safe_csv

MANIFEST = "manifest.json"
KEPT = ".kept-by-debug"  # in a fresh folder that --debug keeps for inspection: never cleaned up
_JOURNAL_FORMAT = "c6lab-swap/1"


class FolderError(RuntimeError):
    """An output folder cannot be used (another run holds it, a journal is damaged)."""


def is_run_folder(folder: Path) -> bool:
    """Whether ``folder`` holds the ``manifest.json`` of an earlier run."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and str(data.get("format", "")).startswith("c6lab-run/")


def fresh(target: Path) -> Path:
    """A new empty folder beside ``target`` (``NAME.partial-XXXX``) for a run to write into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{target.name}.partial-", dir=target.parent))
    # mkdtemp makes it private (0700); once swapped in it is an ordinary folder (0777 less the umask)
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


def delete(folder: Path | None) -> None:
    if folder is None:
        return
    if folder.is_symlink():
        folder.unlink()
    else:
        shutil.rmtree(folder, ignore_errors=True)


def _note(message: str) -> None:
    print(f"c6lab run: note: {message}", file=sys.stderr)


def check_target(target: Path, label: str, own: bool, keep: dict[str, Path]) -> None:
    """Refuse to replace a folder that is not ours, or that holds the corpus, notebooks or cwd."""
    for what, inner in keep.items():
        if inner == target or inner.is_relative_to(target):
            raise FolderError(f"{label} {target}: a run replaces this folder whole, and it holds {what} "
                              f"({inner}); give another folder")
    if not target.exists():
        return
    if not target.is_dir():
        raise FolderError(f"{label} {target}: is a file, not a folder")
    if own or is_run_folder(target) or not any(target.iterdir()):
        return
    raise FolderError(f"{label} {target}: the folder exists and was not written by c6lab run "
                      f"(it has no {MANIFEST}); a run replaces its folder whole, so give a new or empty folder")


def make_excel_safe(results_dir: Path) -> int:
    """Rewrite every table of ``results_dir`` with :func:`c6lab.io.excel_safe_csv`; how many changed."""
    changed = 0
    for path in sorted(results_dir.rglob("*.csv")):
        data = path.read_bytes()
        safe = excel_safe_csv(data)
        if safe != data:
            atomic_write_bytes(path, safe)
            changed += 1
    return changed


# ------------------------------------------------------------------ lock


def _lock_path(target: Path) -> Path:
    # in the temp folder, not beside the target: no stray file in a repository or a results folder
    key = hashlib.sha256(str(target).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"c6lab-run-{key}.lock"


@contextmanager
def lock_targets(targets: list[Path]):
    """Hold one lock per target for the whole run; :class:`FolderError` if another run holds one."""
    from filelock import FileLock, Timeout

    with ExitStack() as stack:
        for target in sorted(set(targets)):  # one order for every run: no deadlock
            lock = FileLock(_lock_path(target))
            try:
                stack.enter_context(lock.acquire(timeout=0))
            except Timeout:
                raise FolderError(f"another c6lab run is writing {target}; wait until it has finished") from None
        yield


# ------------------------------------------------------------------ journaled swap


def _journal_path(target: Path) -> Path:
    return target.parent / f".{target.name}.c6lab-swap.json"


def _aside_name(target: Path) -> Path:
    return target.with_name(f"{target.name}.old-{uuid.uuid4().hex[:8]}")


def swap(pairs: list[tuple[Path, Path]]) -> None:
    """Put each fresh folder in place of its target, as one step for the next run to see.

    The journal is written first; the renames follow (targets aside, fresh folders in);
    the old targets and the journal are deleted last. An exception rolls the renames back;
    a kill leaves the journal, and :func:`recover` finishes the swap.
    """
    entries = [{"fresh": str(f), "target": str(t), "old": str(_aside_name(t))} for f, t in pairs]
    data = (json.dumps({"format": _JOURNAL_FORMAT, "renames": entries}, indent=1) + "\n").encode("utf-8")
    journals = [atomic_write_bytes(_journal_path(t), data) for _, t in pairs]
    done: list[tuple[Path, Path]] = []  # renames made, to undo on an exception
    try:
        for e in entries:
            target, old = Path(e["target"]), Path(e["old"])
            if target.exists() or target.is_symlink():
                os.rename(target, old)
                done.append((target, old))
        for e in entries:
            os.rename(e["fresh"], e["target"])
            done.append((Path(e["fresh"]), Path(e["target"])))
    except BaseException:
        for src, dst in reversed(done):
            os.rename(dst, src)
        for j in journals:
            j.unlink(missing_ok=True)
        raise
    _finish(entries, journals)


def _finish(entries: list[dict], journals: list[Path]) -> None:
    # the new folders are in place: from here on, the journal only says what to delete
    for e in entries:
        delete(Path(e["old"]))
    for j in journals:
        j.unlink(missing_ok=True)


def recover(target: Path) -> None:
    """Finish a swap into ``target`` that a killed run left half done (see :func:`swap`).

    Every fresh folder named in a journal was complete before the journal was written, so
    the swap is completed, not undone. Call it holding the target's lock.
    """
    journal = _journal_path(target)
    if not journal.is_file():
        return
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        entries = [{k: str(e[k]) for k in ("fresh", "target", "old")} for e in data["renames"]]
        assert data["format"] == _JOURNAL_FORMAT
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        raise FolderError(f"{journal} is damaged; look at {target} and the folders beside it, "
                          "then delete the journal") from None
    for e in entries:
        new, final, old = Path(e["fresh"]), Path(e["target"]), Path(e["old"])
        if new.exists():
            if final.exists() or final.is_symlink():
                if old.exists():
                    raise FolderError(f"{journal}: {final}, {new} and {old} all exist; "
                                      "look at them, then delete the journal")
                os.rename(final, old)
        # in a second pass: a target may only be filled once every target is aside
    for e in entries:
        if Path(e["fresh"]).exists():
            os.rename(e["fresh"], e["target"])
    _finish(entries, [_journal_path(Path(e["target"])) for e in entries])
    _note(f"finished putting in place the output of a run that was interrupted while swapping ({target})")


def clean_leftovers(target: Path) -> list[Path]:
    """Remove fresh and set-aside folders beside ``target`` left by killed runs; return them.

    Call it holding the target's lock (so no live run owns them) and after :func:`recover`.
    Folders that ``--debug`` kept (they hold :data:`KEPT`) are left alone.
    """
    if not target.parent.is_dir():
        return []
    # exactly the names fresh() and swap() give (mkdtemp's 8 characters, 8 hex digits): not "results.old-2023"
    ours = re.compile(re.escape(target.name) + r"\.(partial-[a-z0-9_]{8}|old-[0-9a-f]{8})")
    removed = []
    for p in sorted(target.parent.iterdir()):
        if not ours.fullmatch(p.name) or not p.is_dir() or p.is_symlink() or (p / KEPT).exists():
            continue
        delete(p)
        removed.append(p)
    if removed:
        _note(f"removed {', '.join(str(p) for p in removed)}, left by a run that was interrupted")
    return removed


def keep(folder: Path) -> Path:
    """Mark a fresh folder as kept for inspection (``--debug``): no later run removes it."""
    (folder / KEPT).write_text("kept by c6lab run --debug for inspection; delete the folder when done\n",
                               encoding="utf-8")
    return folder


# ------------------------------------------------------------------ README of a results folder

README = """# Results of a c6lab run

Every file here was written by `c6lab run`, which replaces this folder whole: do not keep
your own files in it. `manifest.json` says which corpus (folder and version), which
parameters and which package versions produced it; the executed notebooks and the report are
in the build folder it names.

- Tables (`*.csv`): UTF-8, comma-separated, one header row, LF line ends, no index column;
  numbers with 6 significant digits; an empty cell is a missing value.
- Figures (`figures/*.png`).

Opening a table in a spreadsheet: a text cell that begins with `=`, `+`, `-` or `@` (for
example a quotation that starts with "=") may be read as a formula and evaluated.
{excel_line}
"""

_EXCEL_ON = ("This run was made with `--excel-safe`: such text cells begin with an apostrophe (`'`), which\n"
             "a spreadsheet hides and takes as \"this is text\"; numbers such as -0.5 are unchanged.\n"
             "Remove the apostrophe before reading these tables with another program.")
_EXCEL_OFF = ("These tables are written as they are (for pandas, R and other programs); run\n"
              "`c6lab run --excel-safe` to prefix such cells with an apostrophe (`'`) so that a\n"
              "spreadsheet shows them as text.")


def results_readme(excel_safe: bool) -> bytes:
    """The ``README.md`` a run writes into its results folder."""
    return README.format(excel_line=_EXCEL_ON if excel_safe else _EXCEL_OFF).encode("utf-8")


__all__ = ["KEPT", "MANIFEST", "FolderError", "check_target", "clean_leftovers", "delete", "fresh", "is_run_folder",
           "keep", "lock_targets", "make_excel_safe", "recover", "results_readme", "swap"]


CHECKSUMS = "results.sha256"  # beside the stored notebooks: the tables a run of the bundled study writes


def table_checksums(results_dir: Path) -> bytes:
    """``sha256sum`` lines for every CSV table under ``results_dir``, sorted by path.

    ``c6lab run --in-place`` stores them as ``notebooks/results.sha256`` with the notebooks'
    outputs, so anyone re-running the study can check that their tables are identical
    (``cd results && sha256sum -c ../notebooks/results.sha256``), and the tests can check one
    fresh run against the stored record instead of running twice. Figures are left out: their
    bytes depend on the fonts installed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x\\n1\\n")
    >>> table_checksums(folder).decode()[:16], table_checksums(folder).decode()[64:]
    ('daff832f802000e6', '  a.csv\\n')
    """
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(results_dir).as_posix()}\n"
             for p in sorted(results_dir.rglob("*.csv")) if p.is_file()]
    return "".join(lines).encode("utf-8")
