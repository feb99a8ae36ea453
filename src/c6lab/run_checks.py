"""What a run checks of its corpus: valid before the first kernel starts, unchanged after
every notebook and at the end (the notebooks must all have seen the corpus the report
describes), and what the runner keeps of it while the kernels run."""

from __future__ import annotations

from pathlib import Path

from .run_errors import CorpusInvalid, RunError


def check_corpus(root: Path):
    """Open the corpus at ``root`` after validating it; :class:`CorpusInvalid` if it has problems."""
    from . import open_corpus
    from .errors import CorpusError

    if not root.exists():
        raise RunError(f"corpus folder {root} not found")
    if not root.is_dir():
        raise RunError(f"corpus {root} is a file, not a folder")
    try:
        return open_corpus(root)  # validates as `c6lab corpus validate` does (once: at size that is minutes)
    except CorpusError as exc:
        problems = exc.problems
    raise CorpusInvalid(f"the corpus {root} has {len(problems)} problem(s); nothing was run "
                        f"(`c6lab corpus validate --corpus {root}` lists them too):", problems)


def corpus_version_now(root: Path) -> str:
    """The corpus's version now (``"invalid"`` if its word lists no longer parse)."""
    from .corpus.model import corpus_version
    from .errors import CorpusError

    try:
        return corpus_version(root)
    except (CorpusError, OSError, ValueError):
        return "invalid"


def corpus_state(root: Path) -> tuple:
    """Path, size and modification time of every file of the corpus and of the package word
    lists it falls back on (nothing is read: a tenth of a second where the digest takes seconds)."""
    from .corpus.cache import file_signature
    from .lexicons import default_dir

    return file_signature(root), file_signature(default_dir())


def check_unchanged(root: Path, version: str, when: str, state: tuple | None = None) -> None:
    # between notebooks files whose sizes and times are those of the start are not read again;
    # the check at the end (no ``state``) always compares the digest
    if state is not None and corpus_state(root) == state:
        return
    now = corpus_version_now(root)
    if now != version:
        raise RunError(f"the corpus {root} changed during the run (version {version} at the start, {now} {when}); "
                       "the notebooks may have seen different corpora, so nothing was replaced: run again")


def after_notebook(root: Path, version: str, stem: str, state: tuple) -> None:
    """Between notebooks: the corpus must be unchanged, and this process gives back what the
    last notebook's messages and outputs left in its heap (a kernel of the next notebook may
    need it)."""
    check_unchanged(root, version, f"after {stem}", state)
    give_back_freed_memory()


def unreviewed_segments(corpus) -> int:
    """How many segments are proposals nobody has reviewed (0 for a corpus without the column)."""
    status = getattr(corpus, "review_status", None)
    return int(status()["n_unreviewed"].sum()) if status else 0


def give_back_freed_memory() -> None:
    """Return the memory of the dropped corpus to the system for the kernels (as Dask's workers do).

    glibc keeps the small blocks of freed Python objects for reuse: after opening a corpus of
    20,000 articles this process would hold about 250 MB more for the whole run.
    """
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to give back
        pass
