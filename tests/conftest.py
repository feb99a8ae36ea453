"""Shared fixtures: a private, writable copy of the corpus for tests that break it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A copy of corpus/ in a temporary folder (tests may corrupt it freely)."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest
