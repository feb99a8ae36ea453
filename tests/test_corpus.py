"""The loader: the real corpus loads as annotated, and malformed corpora fail clearly."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

import c6lab
from c6lab import CorpusError, load_corpus, validate_corpus
from c6lab.corpus.validate import review_items
from c6lab.paths import REPO_ROOT

CORPUS = REPO_ROOT / "corpus"

# ---------------------------------------------------------------- the real corpus


def test_four_commentators_with_their_countries():
    df = load_corpus(kinds=["quote", "paraphrase"])
    got = dict(df.drop_duplicates("speaker_id").set_index("speaker")["country"])
    assert got == {
        "Farid Shafiyev": "AZ",
        "Roza Bayramli": "AZ",
        "Ranokhon Tursunova": "UZ",
        "Edil Osmonbetov": "KG",
    }


def test_segments_rebuild_the_raw_files_byte_for_byte():
    df = load_corpus()
    for raw_file, segs in df.groupby("raw_file"):
        raw = (CORPUS / raw_file).read_bytes()
        assert "".join(segs.sort_values("char_start")["text"]).encode("utf-8") == raw


def test_raw_files_match_recorded_sha256():
    with (CORPUS / "articles.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert hashlib.sha256((CORPUS / row["raw_file"]).read_bytes()).hexdigest() == row["sha256"]


def test_multi_paragraph_quote_belongs_to_its_speaker():
    # Tursunova's first quote opens once ("In a period ...") and runs over six paragraphs.
    df = load_corpus()
    para = df[df["text"].str.startswith("Humanitarian cooperation")]
    assert para[["kind", "speaker"]].values.tolist() == [["quote", "Ranokhon Tursunova"]]


def test_kinds_filter_and_unknown_kind():
    df = load_corpus(kinds=["boilerplate"])
    assert set(df["kind"]) == {"boilerplate"}
    assert len(df) == 3  # app download, "What is your opinion", "Leave the first comment"
    with pytest.raises(ValueError, match="unknown kind"):
        load_corpus(kinds=["quotes"])


def test_teasers_are_kept_as_unrelated_not_deleted():
    df = load_corpus(kinds=["unrelated"])
    assert any("Moskalkova" in t for t in df["text"])
    assert sum("European Conference on Azerbaijani Studies" in t for t in df["text"]) == 2


def test_typo_is_kept_as_published():
    df = load_corpus()
    assert df["text"].str.contains("shitfing").sum() == 1


def test_loading_modifies_nothing(corpus_copy):
    before = {p: p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()}
    load_corpus(corpus_copy)
    validate_corpus(corpus_copy)
    assert {p: p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()} == before


def test_valid_corpus_has_no_problems():
    assert validate_corpus() == []


# ---------------------------------------------------------------- malformed corpora


def _rewrite(path: Path, edit) -> None:
    """Apply ``edit(rows) -> rows`` to a CSV file, keeping its header."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    rows = edit(rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _set(rows, index, **values):
    rows[index].update(values)
    return rows


def _problem(root: Path) -> CorpusError:
    with pytest.raises(CorpusError) as info:
        load_corpus(root)
    return info.value


def _fix_sha(root: Path, raw_file: str) -> None:
    digest = hashlib.sha256((root / raw_file).read_bytes()).hexdigest()
    _rewrite(root / "articles.csv",
             lambda rows: [dict(r, sha256=digest) if r["raw_file"] == raw_file else r for r in rows])


CALIBER = "raw/caliberaz_c6_expert_opinions.txt"


def test_missing_column(corpus_copy):
    path = corpus_copy / "segments.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # drop the 'kind' column (5th) from every line; no field in this table contains a comma
    path.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 4) for line in lines) + "\n")
    err = _problem(corpus_copy)
    assert [(p.file, p.row, p.field) for p in err.problems] == [("segments.csv", 1, "kind")]
    assert "missing column" in str(err)


def test_unknown_speaker(corpus_copy):
    _rewrite(corpus_copy / "segments.csv", lambda r: _set(r, 5, speaker_id="aliyev"))
    err = _problem(corpus_copy)
    # row 5 of the data is line 7 of the file (header is line 1, data starts at line 2)
    assert [(p.file, p.row, p.field) for p in err.problems] == [("segments.csv", 7, "speaker_id")]
    assert "unknown speaker 'aliyev'" in str(err)


def test_quote_without_speaker(corpus_copy):
    _rewrite(corpus_copy / "segments.csv", lambda r: _set(r, 6, speaker_id=""))
    err = _problem(corpus_copy)
    assert (err.problems[0].row, err.problems[0].field) == (8, "speaker_id")
    assert "a quote needs a speaker" in str(err)


def test_duplicate_segment_id(corpus_copy):
    _rewrite(corpus_copy / "segments.csv",
             lambda r: _set(r, 3, segment_id=r[2]["segment_id"]))
    err = _problem(corpus_copy)
    assert [(p.row, p.field) for p in err.problems] == [(5, "segment_id")]
    assert "duplicate id 'caliberaz_c6_experts-003'" in str(err)


def test_overlapping_offsets(corpus_copy):
    # segment 2 starts 10 characters before segment 1 ends
    _rewrite(corpus_copy / "segments.csv",
             lambda r: _set(r, 1, char_start=str(int(r[1]["char_start"]) - 10)))
    err = _problem(corpus_copy)
    assert [(p.row, p.field) for p in err.problems] == [(3, "char_start")]
    assert "overlap: starts at 81, previous segment ends at 91" in str(err)


def test_gapped_offsets(corpus_copy):
    _rewrite(corpus_copy / "segments.csv",
             lambda r: _set(r, 1, char_start=str(int(r[1]["char_start"]) + 5)))
    err = _problem(corpus_copy)
    assert [(p.row, p.field) for p in err.problems] == [(3, "char_start")]
    assert "gap: characters 91-96" in str(err)


def test_offsets_past_the_end(corpus_copy):
    n = len((corpus_copy / CALIBER).read_text(encoding="utf-8"))
    _rewrite(corpus_copy / "segments.csv", lambda r: _set(r, 49, char_end=str(n + 3)))
    err = _problem(corpus_copy)
    assert (err.problems[0].row, err.problems[0].field) == (51, "char_end")
    assert f"{n + 3} is past the end of {CALIBER} ({n} characters)" in str(err)


def test_non_integer_offset(corpus_copy):
    _rewrite(corpus_copy / "segments.csv", lambda r: _set(r, 0, char_end="ninety"))
    err = _problem(corpus_copy)
    assert (err.problems[0].row, err.problems[0].field) == (2, "char_end")


def test_wrong_sha256(corpus_copy):
    raw = corpus_copy / CALIBER
    raw.write_bytes(raw.read_bytes().replace(b"Baku hosted", b"Baku held  "))
    err = _problem(corpus_copy)
    assert [(p.file, p.row, p.field) for p in err.problems] == [("articles.csv", 2, "sha256")]
    assert "the raw text changed after annotation" in str(err)


def test_non_utf8_raw_file(corpus_copy):
    raw = corpus_copy / CALIBER
    data = raw.read_bytes()
    bad = data.replace("Türkiye".encode(), "Türkiye".encode("cp1252"), 1)
    raw.write_bytes(bad)
    _fix_sha(corpus_copy, CALIBER)
    err = _problem(corpus_copy)
    offset = data.index("Türkiye".encode()) + 1  # the byte after "T"
    assert err.problems[0].file == CALIBER
    assert f"not valid UTF-8 at byte {offset} (0xfc)" in str(err)
    assert err.problems[0].row == data[:offset].count(b"\n") + 1


def test_bom_in_raw_file(corpus_copy):
    raw = corpus_copy / CALIBER
    raw.write_bytes(b"\xef\xbb\xbf" + raw.read_bytes())
    _fix_sha(corpus_copy, CALIBER)
    err = _problem(corpus_copy)
    assert "byte-order mark" in str(err)
    assert err.problems[0].file == CALIBER


def test_bom_in_table_is_harmless(corpus_copy):
    path = corpus_copy / "speakers.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_corpus(corpus_copy).equals(load_corpus())


def test_crlf_tables_load_identically(corpus_copy):
    for name in ("articles.csv", "speakers.csv", "segments.csv"):
        p = corpus_copy / name
        p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    assert load_corpus(corpus_copy).equals(load_corpus())


def test_raw_file_converted_to_crlf_is_caught(corpus_copy):
    raw = corpus_copy / CALIBER
    raw.write_bytes(raw.read_bytes().replace(b"\n", b"\r\n"))
    err = _problem(corpus_copy)
    assert ("articles.csv", 2, "sha256") in [(p.file, p.row, p.field) for p in err.problems]


def test_empty_raw_file(corpus_copy):
    raw = corpus_copy / CALIBER
    raw.write_bytes(b"")
    _fix_sha(corpus_copy, CALIBER)
    err = _problem(corpus_copy)
    assert (err.problems[0].file, str(err.problems[0])) == (CALIBER, f"{CALIBER}: empty file")


def test_empty_table(corpus_copy):
    (corpus_copy / "speakers.csv").write_bytes(b"")
    err = _problem(corpus_copy)
    assert [(p.file, p.row) for p in err.problems] == [("speakers.csv", 1)]
    assert "empty file" in str(err)


def test_raw_file_outside_corpus(corpus_copy):
    _rewrite(corpus_copy / "articles.csv", lambda r: _set(r, 0, raw_file="../../etc/passwd"))
    err = _problem(corpus_copy)
    assert (err.problems[0].row, err.problems[0].field) == (2, "raw_file")
    assert "outside the corpus folder" in str(err)


def test_bad_country_and_unknown_country(corpus_copy):
    _rewrite(corpus_copy / "speakers.csv",
             lambda r: _set(_set(r, 0, country="Azerbaijan"), 2, country="??"))
    err = _problem(corpus_copy)
    # a malformed code is an error; "??" (not known yet) is only a review item
    assert [(p.row, p.field) for p in err.problems] == [(2, "country")]
    assert "not an ISO 3166 alpha-2 code" in str(err.problems[0])
    items = review_items(corpus_copy)
    assert [(p.row, p.field) for p in items] == [(4, "country")]
    assert "unknown country for Edil Osmonbetov" in str(items[0])


def test_unknown_country_loads_with_the_speaker_in_no_country_group(corpus_copy):
    _rewrite(corpus_copy / "speakers.csv", lambda r: _set(r, 2, country="??"))
    df = load_corpus(corpus_copy, kinds=["quote"])
    assert set(df.loc[df["speaker"] == "Edil Osmonbetov", "country"]) == {""}


def test_every_problem_is_reported_not_just_the_first(corpus_copy):
    _rewrite(corpus_copy / "segments.csv",
             lambda r: _set(_set(r, 5, speaker_id="nobody"), 10, kind="opinion"))
    problems = validate_corpus(corpus_copy)
    assert [(p.row, p.field) for p in problems] == [(7, "speaker_id"), (12, "kind")]
    with pytest.raises(CorpusError, match="2 problems"):
        load_corpus(corpus_copy)


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder not found"):
        load_corpus(tmp_path / "nowhere")


def test_columns_of_the_loaded_table():
    df = c6lab.load_corpus()
    required = ["article_id", "segment_id", "outlet", "title", "kind", "speaker_id", "speaker",
                "country", "text", "char_start", "char_end", "raw_file"]
    assert set(required) <= set(df.columns)
    assert df["segment_id"].is_unique


# ---------------------------------------------------------------- reading at size


def test_repeated_cells_are_held_once_and_unique_ones_are_not_pooled(tmp_path):
    from c6lab.io import read_csv_rows

    path = tmp_path / "t.csv"
    path.write_text("aid,sid\n" + "".join(f"a{i // 3},s{i}\n" for i in range(9)), encoding="utf-8")
    _, rows = read_csv_rows(path, ["aid", "sid"])
    assert [r["aid"] for _, r in rows] == ["a0"] * 3 + ["a1"] * 3 + ["a2"] * 3
    assert rows[0][1]["aid"] is rows[2][1]["aid"]  # one object for the repeated value
    assert [line for line, _ in rows] == list(range(2, 11))


def test_tree_digest_orders_paths_part_by_part(tmp_path):
    from c6lab.io import tree_digest

    # "a-b/x" sorts after "a/b" by parts ("a" < "a-b"), before it as a string ("-" < "/")
    for rel, data in (("a/b", b"1"), ("a-b/x", b"2"), (".c6lab-cache/t", b"3")):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    expected = hashlib.sha256(b"a/b\x001a-b/x\x002").hexdigest()
    assert tree_digest(tmp_path, exclude=[".c6lab-cache"]) == expected
    assert tree_digest(tmp_path) != expected


def test_segment_table_is_built_without_the_raw_texts_kept(corpus_copy):
    from c6lab.corpus import model
    from c6lab.corpus.validate import validate_tables

    _, (articles, speakers, segments, _) = validate_tables(corpus_copy)
    frame = model._segment_frame(articles, speakers, segments)
    assert all("_text" not in a for a in articles.values())  # each raw text dropped once cut
    assert frame.equals(load_corpus(corpus_copy))
