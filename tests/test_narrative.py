"""Narrative helpers: prose filled from values, never from memory."""

from __future__ import annotations

import jinja2
import pytest

import c6lab
from c6lab.narrative import Prose, count, for_bundled_study, is_bundled_study, prose, span


def test_prose_is_markdown_and_refuses_a_missing_value():
    p = prose("{{ n | count('speaker') }} said {{ words | join_names }}", n=3, words=["a", "b", "c"])
    assert p == "three speakers said a, b and c" and isinstance(p, Prose) and p._repr_markdown_() == p
    with pytest.raises(jinja2.UndefinedError):
        prose("{{ n | count('speaker') }} and {{ forgotten }}", n=3)


def test_counts_and_spans():
    assert [count(n, "token") for n in (0, 1, 10, 11, 12345)] == [
        "no tokens", "one token", "ten tokens", "11 tokens", "12 345 tokens"]
    assert count(2, "country", "countries") == "two countries"
    assert span([609, 169, 400]) == "169–609" and span([5]) == "5" and span([0.1234, 0.5], 2) == "0.12–0.50"


def test_interpretation_only_for_the_bundled_study(corpus_copy):
    bundled = c6lab.open_corpus()
    assert is_bundled_study(bundled)
    assert for_bundled_study(bundled, "K = {{ k }} reads well.", k=3) == "K = 3 reads well."
    assert "changed the parameters" in for_bundled_study(bundled, "K = 3 reads well.", defaults=False)
    with (corpus_copy / "lexicons" / "stopwords.txt").open("a", encoding="utf-8") as fh:
        fh.write("region\n")
    other = c6lab.open_corpus(corpus_copy)
    assert not is_bundled_study(other)
    line = for_bundled_study(other, "K = 3 reads well.")
    assert "K = 3" not in line and other.version in line
