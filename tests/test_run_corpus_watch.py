"""Between notebooks a run compares the corpus files' sizes and times; their bytes when those moved, and at the end."""

from __future__ import annotations

import os

import pytest

from c6lab import run_checks
from c6lab.run_checks import check_unchanged, corpus_state, corpus_version_now
from c6lab.runner import RunError


def test_unmoved_files_are_not_read_again(corpus_copy, monkeypatch):
    version, state = corpus_version_now(corpus_copy), corpus_state(corpus_copy)

    def digest(root):
        raise AssertionError("the corpus was read again")

    monkeypatch.setattr(run_checks, "corpus_version_now", digest)
    check_unchanged(corpus_copy, version, "after 00_corpus", state)


def test_a_file_touched_but_not_changed_is_no_change(corpus_copy):
    version, state = corpus_version_now(corpus_copy), corpus_state(corpus_copy)
    phrases = corpus_copy / "lexicons" / "phrases.txt"
    st = phrases.stat()
    os.utime(phrases, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert corpus_state(corpus_copy) != state
    check_unchanged(corpus_copy, version, "after 00_corpus", state)


def test_a_changed_file_is_caught_after_the_notebook(corpus_copy):
    version, state = corpus_version_now(corpus_copy), corpus_state(corpus_copy)
    with (corpus_copy / "lexicons" / "phrases.txt").open("a", encoding="utf-8") as fh:
        fh.write("green economy\n")
    with pytest.raises(RunError, match="changed during the run .* after 00_corpus\\)"):
        check_unchanged(corpus_copy, version, "after 00_corpus", state)


def test_a_change_that_keeps_size_and_time_is_caught_at_the_end(corpus_copy):
    version, state = corpus_version_now(corpus_copy), corpus_state(corpus_copy)
    phrases = corpus_copy / "lexicons" / "phrases.txt"
    st, data = phrases.stat(), phrases.read_bytes()
    phrases.write_bytes(data.replace(b"a", b"e", 1))  # same length
    os.utime(phrases, ns=(st.st_atime_ns, st.st_mtime_ns))
    check_unchanged(corpus_copy, version, "after 00_corpus", state)  # not seen between notebooks
    with pytest.raises(RunError, match="at the end"):
        check_unchanged(corpus_copy, version, "at the end")
