"""Every notebook's prose on the bundled corpus plus two articles with new Kyrgyz commentators
(added with ``c6lab corpus add``), word lists of its own (a phrase, a stopword, a new power:
Kazakhstan), and only the Kyrgyz commentators quoted: one run of all four notebooks (conftest's
``fifth_speaker_run``), read by the checks of ``test_narrative_keywords_topics`` (notebooks 01,
02) and ``test_narrative_corpus_tone`` (00, 03), by ``test_own_corpus`` and by the quotes-only
test of ``test_determinism``. One run instead of one per pair of notebooks and per
corpus: the suite starts fewer kernels."""

from __future__ import annotations

import re

import pytest
from test_narrative_corpus_tone import (
    check_corpus_notebook,
    check_no_bundled_interpretation,
    check_tone_notebook,
    rendered,
    table,
)
from test_narrative_keywords_topics import _no_interpretation_shows, _read, check_keywords, check_topics


@pytest.fixture
def fifth_and_sixth(fifth_speaker_run):
    """The bundled corpus plus the two articles, every notebook run with few replicates."""
    return fifth_speaker_run


def test_keywords_and_topics_count_the_new_speakers(fifth_and_sixth):
    _, out = fifth_and_sixth
    slice_table = _read(out, "keywords_slice.csv").set_index("group")
    assert slice_table.loc["KG", "speakers"] == "Aibek Mamytov; Aigul Temirova; Edil Osmonbetov"
    check_keywords(out)
    check_topics(out)
    # two groups with more than one speaker: each speaker of each is left out in turn
    assert set(_read(out, "keywords_leave_one_out.csv")["group"]) == {"AZ", "KG"}
    for name in ("01_keywords", "02_topics"):
        _no_interpretation_shows(out / "notebooks" / f"{name}.ipynb", "is another one")


def test_the_new_commentators_appear_in_every_statement_of_corpus_and_tone(fifth_and_sixth):
    corpus, out = fifth_and_sixth
    speakers = table(out, "corpus_speakers.csv")
    assert len(speakers) == 6 and {"Aigul Temirova", "Aibek Mamytov"} <= set(speakers["speaker"])
    check_corpus_notebook(out, corpus)
    check_tone_notebook(out, corpus)
    check_no_bundled_interpretation(out)
    # their mentions have no hand label yet: counted, not validated, and resting on unreviewed proposals
    mentions = table(out, "power_mentions.csv").drop_duplicates("mention_id")
    new_articles = set(mentions.loc[mentions["speaker"].isin(["Aigul Temirova", "Aibek Mamytov"]), "article_id"])
    assert len(new_articles) == 2
    unlabelled = mentions[mentions["gold"].isna()]
    # exactly the mentions of the new articles (their titles and narrative too) lack a label, and
    # those of the new power, which no hand label names
    new_power = mentions["power"] == "KZ"
    assert new_power.sum() > 0 and mentions.loc[new_power, "gold"].isna().all()
    assert set(unlabelled.loc[unlabelled["power"] != "KZ", "article_id"]) == new_articles
    assert len(unlabelled) == (mentions["article_id"].isin(new_articles) | new_power).sum()
    assert mentions["article_id"].isin(new_articles).sum() > 3
    tone = " ".join(rendered(out, "03_sentiment"))
    assert re.search(rf"; {len(unlabelled)} mentions found have no label yet and are left out", tone)
    assert "KG = Aibek Mamytov, Aigul Temirova and Edil Osmonbetov" in tone
    # of the mentions in the speech analysed, the new speakers' rest on proposals nobody reviewed
    spoken = mentions[mentions["kind"].isin(["quote", "paraphrase"])]
    new_speech = spoken[spoken["article_id"].isin(new_articles)]
    assert len(new_speech) >= 3
    assert re.search(rf"Unreviewed proposals: {len(new_speech)} of the {len(spoken)} mentions", tone)
