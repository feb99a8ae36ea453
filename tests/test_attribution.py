"""Segment proposals for articles nobody annotated, measured against hand annotation.

The articles in ``tests/articles/`` were written for these tests (invented people, see its
README) and annotated by hand; the gold CSVs are the known values. The rules of
``c6lab.corpus.attribution`` were developed on the ``dev`` articles. The held-out ones were
written and annotated before the rules were changed, in two rounds (``heldout``,
``heldout2``); their first-contact numbers are in the README, the thresholds below were
fixed before they were first measured.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

import c6lab
from c6lab import CorpusError, Lexicons, validate_corpus
from c6lab.corpus.attribution import Speakers, propose_segments
from c6lab.corpus.evaluation import GoldSegment, read_gold, score_article, summarise
from c6lab.text import normalize

ARTICLES = Path(__file__).resolve().parent / "articles"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LEX = Lexicons.default()


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


META = _rows(ARTICLES / "articles.csv")
DEV = [m["article_id"] for m in META if m["split"] == "dev"]
HELDOUT = [m["article_id"] for m in META if m["split"].startswith("heldout")]


@cache
def proposal(article_id: str):
    """Propose segments as ``c6lab corpus add`` would in the bundled corpus (no --speaker)."""
    meta = next(m for m in META if m["article_id"] == article_id)
    text = (ARTICLES / meta["file"]).read_text(encoding="utf-8")
    gold = read_gold(ARTICLES / f"{article_id}.gold.csv", text)
    known = _rows(CORPUS / "speakers.csv") + _rows(ARTICLES / "speakers.csv")
    others = {a["article_id"]: (CORPUS / a["raw_file"]).read_text(encoding="utf-8")
              for a in _rows(CORPUS / "articles.csv")}
    speakers = Speakers(known, {}, LEX.not_person_words)
    segments = propose_segments(text, meta["title"], others, speakers, lexicons=LEX)
    names = {r["speaker_id"]: r["name"] for r in speakers.rows + speakers.new}
    return text, gold, segments, speakers, score_article(text, gold, segments, names, speakers.new)


def pooled(ids: list[str]):
    return summarise(proposal(a)[4] for a in ids)


def test_splits_are_as_documented():
    assert len(DEV) >= 4 and len(HELDOUT) >= 2
    assert sorted(DEV + HELDOUT) == sorted(p.name.removesuffix(".gold.csv") for p in ARTICLES.glob("*.gold.csv"))


@pytest.mark.parametrize("article_id", DEV + HELDOUT)
def test_proposals_cover_every_character_once(article_id):
    text, _, segments, _, _ = proposal(article_id)
    assert segments[0].start == 0 and segments[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(segments, segments[1:]))
    assert all(bool(s.speaker) == (s.kind in ("quote", "paraphrase")) for s in segments)


# ------------------------------------------------------------------ development articles


def test_development_articles_per_kind():
    """The rules were written on these four: every kind >= 0.95 precision and recall."""
    table, _ = pooled(DEV)
    for kind in ("title", "narrative", "quote", "paraphrase", "boilerplate", "unrelated"):
        assert table.loc[kind, "precision"] >= 0.95, kind
        assert table.loc[kind, "recall"] >= 0.95, kind


def test_development_articles_speakers_and_countries():
    _, rest = pooled(DEV)
    assert rest["speaker_accuracy"] == 1.0
    assert rest["wrong_speaker_chars"] == 0
    assert rest["not_gold_speakers"] == []  # no institution, outlet or title proposed as a person
    assert (rest["country_wrong"], rest["country_unknown"]) == (0, 0)


# ------------------------------------------------------------------ held-out articles
# Thresholds fixed before the held-out articles were first measured: what makes a draft
# worth reviewing. Quotes are found by their marks, so they should almost all be found and
# attributed; reported speech depends on wording never seen, so its recall may be lower;
# a wrong country is worse than "??", so none is allowed.


def test_heldout_articles_per_kind():
    table, _ = pooled(HELDOUT)
    assert table.loc["title", "recall"] == 1.0
    assert table.loc["quote", "precision"] >= 0.9 and table.loc["quote", "recall"] >= 0.9
    assert table.loc["paraphrase", "precision"] >= 0.9 and table.loc["paraphrase", "recall"] >= 0.6
    assert table.loc["speech", "recall"] >= 0.8
    assert table.loc["narrative", "precision"] >= 0.8
    assert table.loc["set_aside", "precision"] >= 0.9 and table.loc["set_aside", "recall"] >= 0.7


def test_heldout_articles_speakers_and_countries():
    _, rest = pooled(HELDOUT)
    assert rest["speaker_accuracy"] >= 0.95
    assert rest["country_wrong"] == 0
    assert rest["not_gold_speakers"] == []


@pytest.mark.parametrize("article_id", DEV + HELDOUT)
def test_no_quote_or_paraphrase_is_given_to_the_wrong_person(article_id):
    errors = proposal(article_id)[4].wrong_speaker
    assert errors == [], "\n".join(f"{e['gold']} -> {e['proposed']}: {e['text']}" for e in errors)


# ------------------------------------------------------------------ the cases users reported


def _propose(text: str, title: str = "Title", countries: dict | None = None, rows: list | None = None):
    speakers = Speakers(rows or [], countries or {}, LEX.not_person_words)
    segments = propose_segments(text, title, {}, speakers, lexicons=LEX)
    return [(s.kind, s.speaker, normalize(text[s.start:s.end])) for s in segments], speakers


def test_expert_introduced_in_one_paragraph_quoted_in_the_next():
    text = ("Title\n"
            "Historian and international relations expert Dilnoza Rakhimova notes that the C6 gives the region "
            "one voice.\n"
            "\u201cWe are a bridge between East and West.\n"
            "Nobody here chooses sides,\u201d she said.\n"
            "According to her, the ports must grow.\n")
    got, speakers = _propose(text)
    assert got[1:] == [
        ("narrative", "", "Historian and international relations expert Dilnoza Rakhimova notes that"),
        ("paraphrase", "rakhimova", "the C6 gives the region one voice."),
        ("quote", "rakhimova", '"We are a bridge between East and West.'),  # opens before the break
        ("quote", "rakhimova", 'Nobody here chooses sides,"'),  # closes after it
        ("narrative", "", "she said."),
        ("narrative", "", "According to her,"),
        ("paraphrase", "rakhimova", "the ports must grow."),
    ]
    assert speakers.new[0]["country"] == "??"  # nothing in the text says where she is from


def test_official_quoted_by_surname_after_the_quote():
    text = ("Title\n"
            "U.S. Deputy Assistant Secretary of State Michael Harlan visited Astana.\n"
            "\u201cWe back the corridor,\u201d Harlan said during a meeting with officials.\n")
    got, speakers = _propose(text)
    assert got[2][:2] == ("quote", "harlan")
    assert [(r["name"], r["country"]) for r in speakers.new] == [("Michael Harlan", "US")]


@pytest.mark.parametrize("sentence", [
    "The Institute for Strategic Studies said that trade grew.",
    "Bakyt Sydykov, head of the Institute for Strategic Studies, noted the report. The Strategic Studies team "
    "said that trade grew.",
    "The Ministry of Foreign Affairs stressed that the talks went well.",
    "Kabar news agency reported that trade grew, Trend said.",
])
def test_institutions_ministries_and_outlets_are_never_speakers(sentence):
    got, speakers = _propose(f"Title\n{sentence}\n")
    assert all(k != "paraphrase" for k, _, _ in got)
    assert speakers.new == []


def test_page_furniture_is_set_aside_not_deleted():
    text = ("Title\nUzbek expert Aziz Karimov said the corridor will grow fast.\n"
            "Tags: Azerbaijan, Uzbekistan, C6\nLeave the first comment\n"
            "You can download the app from Google Play and the App Store\n"
            "What is your opinion on this topic?\n")
    got, _ = _propose(text)
    assert [k for k, _, _ in got] == ["title", "narrative", "paraphrase"] + ["boilerplate"] * 4
    assert "".join(t for _, _, t in got).replace(" ", "") == normalize(text).replace(" ", "")


def test_title_is_found_even_when_it_contains_quotation_marks():
    got, _ = _propose('Experts: \u201cA bridge, not a gatekeeper\u201d\nText follows.\n',
                      title='Experts: "A bridge, not a gatekeeper"')
    assert got[0][:2] == ("title", "")


# ------------------------------------------------------------------ countries and names


@pytest.mark.parametrize("intro, country", [
    ("Kyrgyz analyst Bakyt Sydykov", "KG"),
    ("Bakyt Sydykov, an expert from Uzbekistan,", "UZ"),
    ("Uzbek political scientist Bakyt Sydykov", "UZ"),
    ("Russian Ambassador to Uzbekistan Bakyt Sydykov", "RU"),  # the first, not the nearest
    ("Bakyt Sydykov, a Baku-based analyst,", "AZ"),
    ("Bakyt Sydykov, who visited Tashkent last week,", "??"),  # a relative clause is not an apposition
    ("Bakyt Sydykov", "??"),
])
def test_country_from_the_introducing_phrase(intro, country):
    _, speakers = _propose(f"Title\n{intro} said that the route matters.\n")
    assert [(r["name"], r["country"]) for r in speakers.new] == [("Bakyt Sydykov", country)]


def test_country_given_by_the_user_wins():
    _, speakers = _propose("Title\nKyrgyz analyst Bakyt Sydykov said that the route matters.\n",
                           countries={"Bakyt Sydykov": "KZ"})
    assert speakers.new[0]["country"] == "KZ"


def test_a_full_name_is_not_a_known_speaker_of_the_same_surname():
    known = [{"speaker_id": "sydykov", "name": "Timur Sydykov", "country": "KG", "affiliation": "", "role": ""}]
    got, speakers = _propose("Title\nBakyt Sydykov said that trade grows.\n\u201cIt does,\u201d Sydykov said.\n",
                             rows=known)
    assert {s for _, s, _ in got if s} == {"sydykov_2"}
    assert speakers.new[0]["name"] == "Bakyt Sydykov" and speakers.matched == []


def test_she_and_he_follow_the_persons_gender():
    text = ("Title\nUzbek expert Nodira Yusupova spoke first. Kyrgyz analyst Bakyt Sydykov followed.\n"
            '"It grows," she said.\n"It shrinks," he said.\n')
    got, _ = _propose(text)
    assert [(k, s) for k, s, _ in got if k == "quote"] == [("quote", "yusupova"), ("quote", "sydykov")]


# ------------------------------------------------------------------ the evaluation itself


def test_score_counts_characters_by_hand():
    text = "Title\nAnn X said the port grows.\n"
    gold = [GoldSegment(0, 6, "title"), GoldSegment(6, 17, "narrative"),
            GoldSegment(17, 33, "paraphrase", "Ann X", "UZ")]
    proposed = [c6lab.corpus.attribution.Segment(0, 6, "title"),
                c6lab.corpus.attribution.Segment(6, 21, "narrative"),
                c6lab.corpus.attribution.Segment(21, 33, "paraphrase", "b")]
    score = score_article(text, gold, proposed, {"b": "Bob Y"}, [{"name": "Bob Y", "country": "??"}])
    # non-space characters: "AnnXsaid" (8) narrative; "theportgrows." (13) paraphrase
    assert score.kinds.loc["narrative", ["tp", "proposed", "gold"]].tolist() == [8, 11, 8]
    assert score.kinds.loc["paraphrase", ["tp", "proposed", "gold"]].tolist() == [10, 10, 13]
    assert (score.speech_both, score.speech_same_speaker) == (10, 0)
    assert score.wrong_speaker == [{"start": 21, "end": 32, "gold": "ann x", "proposed": "bob y",
                                    "text": "port grows."}]
    _, rest = summarise([score])
    assert rest["not_gold_speakers"] == ["Bob Y"]


def test_gold_file_problems_name_file_row_and_field(tmp_path):
    path = tmp_path / "a.gold.csv"
    path.write_text("char_start,char_end,kind,speaker,country,note,text\n0,5,title,,,,Title\n"
                    "5,9,quote,,,,x\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        read_gold(path, "Title abc\n")
    got = [(p.row, p.field) for p in info.value.problems]
    assert got == [(3, "speaker"), (3, "text"), (None, "char_end")]


@pytest.mark.parametrize("text, row, field, message", [
    ("word,country\nKyrgyz,Kyrgyzstan\n", 2, "country", "not an ISO 3166 alpha-2 code"),
    ("word,country\nKyrgyz,KG\nKyrgyz,KZ\n", 3, "word", "already listed on line 2"),
    ("word,country\n,KG\n", 2, "word", "empty"),
])
def test_malformed_demonyms_file_is_reported_with_file_row_and_field(corpus_copy, text, row, field, message):
    (corpus_copy / "lexicons" / "demonyms.csv").write_text(text, encoding="utf-8")
    problems = validate_corpus(corpus_copy)
    assert [(p.file, p.row, p.field) for p in problems] == [("lexicons/demonyms.csv", row, field)]
    assert message in problems[0].message
