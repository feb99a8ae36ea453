"""Adding an article: refusals leave the corpus untouched; proposals match hand annotation."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

import c6lab
from c6lab.cli import main as cli
from c6lab.corpus import transaction
from c6lab.corpus.ingest import IngestError, add_article, corpus_tree_digest

NEW_ARTICLE = (
    "Kyrgyzstan looks west along the Middle Corridor\n"
    "Bishkek hosted a round table on transport links with Azerbaijan.\n"
    "\n"
    "Aibek Dzhumabaev, a transport economist in Bishkek, said that the Middle Corridor gives "
    "Kyrgyzstan a second route to Europe.\n"
    "“China remains our largest partner. But the route through the Caspian Sea and Türkiye "
    "matters more every year.\n"
    "We welcome investment from the European Union and the United States,” Dzhumabaev noted.\n"
    "According to him, Russia’s role in transit is shrinking.\n"
    "Leave the first comment\n"
)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "new_article.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    return path


def refused(corpus: Path, match: str, file, **kwargs) -> None:
    """Assert that adding fails with ``match`` in the message and changes no file."""
    before = corpus_tree_digest(corpus)
    kwargs = {"outlet": "Kabar", "title": "A title", **kwargs}
    with pytest.raises(IngestError) as info:
        add_article(file, corpus=corpus, **kwargs)
    assert match in str(info.value)
    assert corpus_tree_digest(corpus) == before


# ------------------------------------------------------------------ refusals (nothing written)


def test_refuses_missing_file(corpus_copy, tmp_path):
    refused(corpus_copy, "file not found", tmp_path / "nope.txt")


def test_refuses_directory(corpus_copy, tmp_path):
    refused(corpus_copy, "is a directory", tmp_path)


def test_refuses_empty_file(corpus_copy, tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    refused(corpus_copy, "empty file", tmp_path / "e.txt")


def test_refuses_whitespace_only_file(corpus_copy, tmp_path):
    (tmp_path / "w.txt").write_bytes(b" \n\n\t\n")
    refused(corpus_copy, "empty file", tmp_path / "w.txt")


def test_refuses_non_utf8_and_names_the_byte(corpus_copy, tmp_path):
    data = "Türkiye and Azerbaijan".encode("cp1252")  # ü is one byte 0xfc at offset 1
    (tmp_path / "latin.txt").write_bytes(data)
    refused(corpus_copy, "not valid UTF-8 at byte 1 (0xfc); convert it first, e.g. iconv -f cp1252",
            tmp_path / "latin.txt")


def test_refuses_bom(corpus_copy, tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfSome text.\n")
    refused(corpus_copy, "byte-order mark", tmp_path / "bom.txt")


def test_refuses_binary_with_nul(corpus_copy, tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    refused(corpus_copy, "binary file (NUL byte at byte 9)", tmp_path / "x.pdf")


def test_refuses_binary_with_control_characters(corpus_copy, tmp_path):
    (tmp_path / "ctl.bin").write_bytes(bytes(range(1, 9)) * 20 + b"text")
    refused(corpus_copy, "binary file (160 control characters)", tmp_path / "ctl.bin")


def test_refuses_text_already_in_corpus(corpus_copy, tmp_path):
    copy = tmp_path / "again.txt"
    shutil.copyfile(corpus_copy / "raw/anewz_bayramli_c6_interview.txt", copy)
    refused(corpus_copy, "already in the corpus as article 'anewz_bayramli_c6'", copy)


def test_an_outlet_with_slashes_is_a_name_not_a_path(corpus_copy, article):
    result = add_article(article, outlet="../../etc", title="t", corpus=corpus_copy)
    assert result.raw_file == "raw/etc_t.txt" and (corpus_copy / result.raw_file).is_file()
    assert c6lab.load_corpus(corpus_copy).query("article_id == 'etc_t'")["outlet"].unique().tolist() == ["../../etc"]


def test_refuses_id_path_traversal(corpus_copy, article):
    refused(corpus_copy, "--id '../raw/evil' looks like a path", article, article_id="../raw/evil")


def test_refuses_invalid_id(corpus_copy, article):
    refused(corpus_copy, "article id 'Bad Id!' is not valid", article, article_id="Bad Id!")


def test_refuses_existing_id(corpus_copy, article):
    refused(corpus_copy, "an article with id 'anewz_bayramli_c6' already exists", article,
            article_id="anewz_bayramli_c6")


def test_refuses_bad_date(corpus_copy, article):
    refused(corpus_copy, "--published 'last week' is not YYYY", article, published="last week")


def test_refuses_a_date_not_in_the_calendar(corpus_copy, article):
    refused(corpus_copy, "--published '2024-13-45': there is no month 13", article, published="2024-13-45")


def test_refuses_a_speaker_country_outside_iso_3166_naming_the_option(corpus_copy, article):
    # told as the user's mistake, not as a would-be corpus that fails validation
    refused(corpus_copy, "--speaker 'Aibek Dzhumabaev': 'XX' is not an ISO 3166 alpha-2 code", article,
            speakers={"Aibek Dzhumabaev": "XX"})


def test_a_country_the_corpus_declares_is_accepted(corpus_copy, article):
    (corpus_copy / "extra_countries.csv").write_text("code,name,note\nXK,Kosovo,not ISO-assigned\n",
                                                     encoding="utf-8")
    add_article(article, corpus=corpus_copy, outlet="Kabar", title="t", speakers={"Aibek Dzhumabaev": "XK"})
    speakers = c6lab.open_corpus(corpus_copy).speakers
    assert speakers.set_index("name").loc["Aibek Dzhumabaev", "country"] == "XK"


def test_refuses_empty_outlet(corpus_copy, article):
    refused(corpus_copy, "no outlet: give --outlet", article, outlet="  ")


def test_refuses_multiline_title(corpus_copy, article):
    refused(corpus_copy, "--title must be a single line", article, title="One\nTwo")


def test_refuses_when_corpus_is_already_broken(corpus_copy, article):
    seg = corpus_copy / "segments.csv"
    seg.write_text(seg.read_text(encoding="utf-8").replace(",quote,tursunova", ",quote,nobody", 1),
                   encoding="utf-8")
    refused(corpus_copy, "fix them before adding", article)


def test_refuses_missing_corpus(tmp_path, article):
    with pytest.raises(IngestError, match="corpus folder not found"):
        add_article(article, outlet="Kabar", title="t", corpus=tmp_path / "missing")


@pytest.mark.parametrize("value, message", [
    ("Edil Osmonbetov=Kyrgyzstan", "'Kyrgyzstan' is not an ISO 3166 alpha-2 code"),
    ("Edil Osmonbetov", 'write it as "Full Name=CC"'),
])
def test_refuses_bad_speaker_option(corpus_copy, article, value, message, capsys):
    before = corpus_tree_digest(corpus_copy)
    code = cli(["corpus", "add", str(article), "--outlet", "Kabar", "--title", "t",
                "--speaker", value, "--corpus", str(corpus_copy)])
    assert code == 1
    assert message in capsys.readouterr().err
    assert corpus_tree_digest(corpus_copy) == before


def test_failure_while_staging_changes_nothing(corpus_copy, article, monkeypatch):
    before = corpus_tree_digest(corpus_copy)
    real = transaction._write_synced
    calls = []

    def flaky(path, data):
        calls.append(path)
        if len(calls) == 3:  # raw file and one table staged, then the disk "fills up"
            raise OSError("No space left on device")
        return real(path, data)

    monkeypatch.setattr(transaction, "_write_synced", flaky)
    with pytest.raises(OSError):
        add_article(article, outlet="Kabar", title="t", corpus=corpus_copy)
    assert len(calls) == 3
    assert corpus_tree_digest(corpus_copy) == before  # no staging, no journal, no raw file left


def test_failure_after_the_commit_point_is_finished_by_the_next_reader(corpus_copy, article, monkeypatch):
    real = transaction.os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # journal in place and the raw file renamed; then the rename fails
            raise OSError("Input/output error")
        return real(src, dst)

    monkeypatch.setattr(transaction.os, "replace", flaky)
    with pytest.raises(OSError):
        add_article(article, outlet="Kabar", title="t", corpus=corpus_copy)
    monkeypatch.undo()
    assert transaction.pending(corpus_copy)
    df = c6lab.load_corpus(corpus_copy)  # rolls the journal forward first
    assert not transaction.pending(corpus_copy) and not (corpus_copy / transaction.STAGING_NAME).exists()
    assert "kabar_t" in set(df["article_id"])
    assert c6lab.validate_corpus(corpus_copy) == []


# ------------------------------------------------------------------ a successful addition


def test_add_copies_verbatim_and_proposes_attributed_segments(corpus_copy, article):
    result = add_article(article, outlet="Kabar", title="Kyrgyzstan looks west along the Middle Corridor",
                         published="2025-12", speakers={"Aibek Dzhumabaev": "KG"}, corpus=corpus_copy)
    assert result.article_id == "kabar_kyrgyzstan_looks_west_along_the_middle"
    assert (corpus_copy / result.raw_file).read_bytes() == article.read_bytes()
    assert [s["speaker_id"] for s in result.new_speakers] == ["dzhumabaev"]
    df = c6lab.load_corpus(corpus_copy)
    new = df[df["article_id"] == result.article_id]
    got = [(k, s, c6lab.normalize(t)[:30]) for k, s, t in new[["kind", "speaker_id", "text"]].values]
    assert got == [
        ("title", "", "Kyrgyzstan looks west along th"),
        ("narrative", "", "Bishkek hosted a round table o"),
        ("narrative", "", "Aibek Dzhumabaev, a transport "),
        ("paraphrase", "dzhumabaev", "the Middle Corridor gives Kyrg"),
        # one quote over two paragraphs, attributed by the text after its closing mark
        ("quote", "dzhumabaev", '"China remains our largest par'),
        ("quote", "dzhumabaev", 'We welcome investment from the'),
        ("narrative", "", "Dzhumabaev noted."),
        ("narrative", "", "According to him,"),
        ("paraphrase", "dzhumabaev", "Russia's role in transit is sh"),
        ("boilerplate", "", "Leave the first comment"),
    ]
    assert df.loc[df["speaker_id"] == "dzhumabaev", "country"].unique().tolist() == ["KG"]


def test_new_speaker_without_country_is_reported_by_validate(corpus_copy, tmp_path, capsys):
    # nothing in the text says where he is from ("in Bishkek" would: see test_attribution.py)
    article = tmp_path / "no_country.txt"
    article.write_text(NEW_ARTICLE.replace("a transport economist in Bishkek", "a transport economist"),
                       encoding="utf-8")
    assert cli(["corpus", "add", str(article), "--outlet", "Kabar", "--title", "x",
                "--corpus", str(corpus_copy)]) == 0
    assert "new speaker: dzhumabaev = Aibek Dzhumabaev (??)" in capsys.readouterr().out
    # a review item, not an error: the corpus loads and runs, the speaker is in no country group
    assert cli(["corpus", "validate", "--corpus", str(corpus_copy)]) == 0
    out = capsys.readouterr().out
    assert "to review: speakers.csv, row 6, field 'country': unknown country for Aibek Dzhumabaev" in out
    df = c6lab.load_corpus(corpus_copy)
    assert set(df.loc[df["speaker"] == "Aibek Dzhumabaev", "country"]) == {""}


def test_validate_prints_every_problem(corpus_copy, capsys):
    seg = corpus_copy / "segments.csv"
    text = seg.read_text(encoding="utf-8")
    text = text.replace(",quote,tursunova", ",quote,nobody", 1).replace(",title,", ",headline,", 1)
    seg.write_text(text, encoding="utf-8")
    assert cli(["corpus", "validate", "--corpus", str(corpus_copy)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert "segments.csv, row 2, field 'kind': 'headline' is not one of" in lines[0]
    assert "unknown speaker 'nobody'" in lines[1]


def _without(corpus: Path, article_id: str, speaker_ids: list[str], raw: str) -> None:
    """Remove an article (and its speakers) from a corpus copy, as if never added."""
    for name, key, drop in (("articles.csv", "article_id", [article_id]),
                            ("segments.csv", "article_id", [article_id]),
                            ("speakers.csv", "speaker_id", speaker_ids)):
        with (corpus / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        with (corpus / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(r for r in rows if r[key] not in drop)
    (corpus / raw).unlink()


@pytest.mark.parametrize("article_id, speakers, raw, title, minimum", [
    ("caliberaz_c6_experts", ["shafiyev", "tursunova", "osmonbetov"],
     "raw/caliberaz_c6_expert_opinions.txt",
     "Azerbaijan – Central Asia: Transforming regional cooperation Expert opinions on Caliber.Az", 0.95),
    ("anewz_bayramli_c6", ["bayramli"], "raw/anewz_bayramli_c6_interview.txt", "", 0.9),
])
def test_proposals_agree_with_the_hand_annotation(corpus_copy, tmp_path, article_id, speakers, raw,
                                                  title, minimum):
    """Re-adding a seed text: share of characters with the same kind and speaker as by hand."""
    hand = c6lab.load_corpus()
    hand = hand[hand["article_id"] == article_id]
    source = tmp_path / "seed.txt"
    shutil.copyfile(corpus_copy / raw, source)
    _without(corpus_copy, article_id, speakers, raw)
    names = {n: c for n, c in hand[["speaker", "country"]].drop_duplicates().values if n}
    result = add_article(source, outlet="X", title=title, speakers=names, corpus=corpus_copy)
    new = c6lab.load_corpus(corpus_copy)
    new = new[new["article_id"] == result.article_id]
    n = hand["char_end"].max()

    def labels(df):
        out = np.empty(n, dtype=object)
        for s, e, k, sp in df[["char_start", "char_end", "kind", "speaker"]].values:
            out[s:e] = f"{k}/{sp}"
        return out

    agreement = (labels(hand) == labels(new)).mean()
    assert agreement >= minimum
    # and no quote or paraphrase is ever given to the wrong person
    both = [(a, b) for a, b in zip(labels(hand), labels(new)) if a.split("/")[1] and b.split("/")[1]]
    assert all(a.split("/")[1] == b.split("/")[1] for a, b in both)


def test_round_trip_added_article_flows_through_every_analysis(corpus_copy, article):
    """Add an article in a temp corpus, open it, run keywords, topics and sentiment on it."""
    result = add_article(article, outlet="Kabar", title="Kyrgyzstan looks west along the Middle Corridor",
                         speakers={"Aibek Dzhumabaev": "KG"}, corpus=corpus_copy)
    corpus = c6lab.open_corpus(corpus_copy)
    speech = corpus.select(["quote", "paraphrase"])
    assert speech.groupby("country")["speaker_id"].nunique().to_dict() == {"AZ": 2, "KG": 2, "UZ": 1}
    counts = c6lab.dfm(speech, corpus.lexicons)

    # keywords by outlet: the new outlet is a group of its own, with its own token total
    kw = c6lab.keywords.keyness(counts, group_by="outlet")
    kabar = kw[kw["comparison"] == "Kabar vs rest"]
    n_kabar = len(c6lab.tokens(speech[speech["outlet"] == "Kabar"], lexicons=corpus.lexicons))
    assert kabar["n_group"].unique().tolist() == [n_kabar]
    assert "dzhumabaev" not in kabar["word"].tolist()  # narrative is not compared
    assert kabar.loc[kabar["word"] == "middle_corridor", "count_group"].tolist() == [1]

    # topics: every segment of the new article gets topic weights
    model = c6lab.topics.fit_topics(counts, k=2)
    doc_topics = model.doc_topics()
    new_ids = set(speech.loc[speech["article_id"] == result.article_id, "segment_id"])
    assert new_ids <= set(doc_topics["doc"])
    assert doc_topics.groupby("doc")["weight"].sum().gt(0).all()

    # sentiment: the new speaker's mentions of China, the EU, the US and Russia are found and scored
    scored = c6lab.sentiment.score_mentions(corpus.segments, lexicons=corpus.lexicons)
    mine = scored[scored["speaker_id"] == "dzhumabaev"]
    assert sorted(mine["power"].unique()) == ["CN", "EU", "RU", "TR", "US"]
    assert mine["compound"].between(-1, 1).all()


def test_near_duplicates_through_the_index_equal_all_pairs():
    # the index finds exactly what comparing every pair finds (jaccard >= threshold), on random
    # sets drawn from small alphabets (many shared items) and at the edges of the threshold
    import random

    from c6lab.corpus.propose import _near_duplicates, jaccard

    rng = random.Random(0)
    for trial in range(300):
        alphabet = range(rng.randint(1, 12))
        sets = [set(rng.sample(alphabet, rng.randint(0, min(5, len(alphabet)))) if rng.random() > 0.1 else ())
                for _ in range(rng.randint(0, 12))]
        for threshold in (0.0, 0.2, 0.5, 1 / 3, 0.75, 1.0):
            expected = [any(j != i and jaccard(a, b) >= threshold for j, b in enumerate(sets))
                        for i, a in enumerate(sets)]
            assert _near_duplicates(sets, threshold) == expected, (trial, threshold, sets)
