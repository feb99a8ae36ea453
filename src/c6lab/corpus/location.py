"""Where the bundled study corpus is: the convenience default when no folder is given."""

from __future__ import annotations

from pathlib import Path

from ..errors import CorpusError, Problem


def bundled_corpus_root() -> Path:
    """The study's own corpus: ``corpus/`` of the repository this package sits in."""
    return Path(__file__).resolve().parents[3] / "corpus"


def root_or_bundled(root: str | Path | None) -> Path:
    """``root`` as a Path, or the bundled corpus when it is ``None``."""
    if root is not None:
        return Path(root)
    bundled = bundled_corpus_root()
    if not bundled.is_dir():
        raise CorpusError([Problem(str(bundled), None, None,
                                   "no corpus given and the bundled corpus is not here "
                                   "(c6lab installed without its repository): pass a corpus folder")])
    return bundled
