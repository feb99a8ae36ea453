"""The worked examples in adapting.md set C6LAB_CORPUS; never let that leak into other tests."""

import os

import pytest


@pytest.fixture(autouse=True)
def _restore_corpus_env():
    before = os.environ.get("C6LAB_CORPUS")
    yield
    if before is None:
        os.environ.pop("C6LAB_CORPUS", None)
    else:
        os.environ["C6LAB_CORPUS"] = before
