"""A corpus other than the bundled one, with its own word lists: the same results through
Python and through ``c6lab run --corpus`` (conftest's ``fifth_speaker_run``: these lists and two
articles with new commentators, one run read here and in ``test_narrative_fifth_speaker``)."""

from __future__ import annotations

import pandas as pd
import pytest

import c6lab
from c6lab import keywords, sentiment


def add_own_lists(root):
    """A phrase, a stopword and a new power (Kazakhstan) in the word lists of the corpus at ``root``."""
    lex = root / "lexicons"
    with (lex / "phrases.txt").open("a", encoding="utf-8") as fh:
        fh.write("regional cooperation\n")
    with (lex / "stopwords.txt").open("a", encoding="utf-8") as fh:
        fh.write("azerbaijan\n")
    with (lex / "powers.csv").open("a", encoding="utf-8") as fh:
        fh.write("KZ,Kazakhstan,no,state,\n")
    with (lex / "power_names.csv").open("a", encoding="utf-8") as fh:
        fh.write("KZ,Kazakhstan,#56B4E9\n")
    return root


@pytest.fixture
def own_corpus(corpus_copy):
    """The bundled corpus with its own phrase, stopword and a new power (Kazakhstan)."""
    return add_own_lists(corpus_copy)


def _python_results(root):
    corpus = c6lab.open_corpus(root)
    speech = corpus.select(["quote", "paraphrase"])
    counts = c6lab.dfm(speech, corpus.lexicons)
    # the keyword notebook's defaults: both designs, words seen at least twice
    return (keywords.keyness(counts, group_by="country", design="both", min_count=2),
            sentiment.find_mentions(corpus.segments, lexicons=corpus.lexicons))


def test_python_uses_the_corpus_lists(own_corpus):
    kw, mentions = _python_results(own_corpus)
    corpus = c6lab.open_corpus(own_corpus)
    terms = set(c6lab.dfm(corpus.segments, corpus.lexicons).terms)
    assert "regional_cooperation" in terms and "azerbaijan" not in terms
    bundled = c6lab.open_corpus()
    assert {"regional", "azerbaijan"} <= set(c6lab.dfm(bundled.segments, bundled.lexicons).terms)
    assert "azerbaijan" not in set(kw["word"])
    kz = mentions[mentions["power"] == "KZ"]
    assert len(kz) == c6lab.open_corpus(own_corpus).segments["text"].str.count("Kazakhstan").sum() > 0


def test_cli_run_on_the_copy_gives_the_same_tables(fifth_speaker_run):
    # conftest's run of every notebook on the bundled corpus with these lists, plus two articles
    # with new commentators (test_narrative_fifth_speaker reads the same run)
    own_corpus, out = fifth_speaker_run
    kw, mentions = _python_results(own_corpus)
    from_cli = pd.read_csv(out / "results" / "keywords.csv", keep_default_na=False)
    key = ["comparison", "word", "count_group", "count_reference", "n_group", "n_reference"]
    ours = kw[key].sort_values(key).reset_index(drop=True)
    theirs = from_cli[key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    cli_mentions = pd.read_csv(out / "results" / "power_mentions.csv", keep_default_na=False)
    # every method and lexicon scores the same mentions of the whole corpus
    assert set(cli_mentions["mention_id"]) == set(mentions["mention_id"])
    assert "KZ" in set(cli_mentions["power"])
    summary = pd.read_csv(out / "results" / "power_sentiment.csv", keep_default_na=False)
    assert "KZ" in set(summary["power"])
    assert (out / "report.html").is_file() and (out / "notebooks" / "03_sentiment.html").is_file()
    assert own_corpus.name in (out / "report.html").read_text(encoding="utf-8")
