"""Validation never passes a bad value and never crashes (issue 14, item 3).

One test per failure a hostile review found in ``c6lab corpus validate`` (each failed before:
a traceback, a false "OK", or a misleading message), then property tests that throw
arbitrary tables and texts at ``validate_corpus`` and ``open_corpus``: the only outcome is a
valid corpus or :class:`CorpusError` problems naming file, row and field.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import subprocess
import sys
import tempfile
import unicodedata
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import c6lab
from c6lab import CorpusError, Problem, open_corpus, validate_corpus
from c6lab.cli import main as cli
from c6lab.corpus.validate import (
    ARTICLE_COLUMNS,
    SEGMENT_COLUMNS,
    SPEAKER_COLUMNS,
    country_problem,
    date_problem,
    iso_countries,
    review_items,
)
from c6lab.io import MAX_CELL_CHARS, read_csv_rows
from c6lab.lexicons import FILES


def tz_country_codes() -> set[str] | None:
    """The peer list of country codes: iso3166.tab of the tz database (tzdata or pytz), if installed."""
    for package in ("tzdata", "pytz"):
        try:
            text = resources.files(package).joinpath("zoneinfo", "iso3166.tab").read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError):
            continue
        return {line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#")}
    return None


TZ_CODES = tz_country_codes()

TEXT = "Title line\nNarrative here.\n“A quote,” she said.\n"
SPANS = [(0, 11, "title", ""), (11, 27, "narrative", ""), (27, 48, "quote", "karimova")]
TABLES = ("articles.csv", "speakers.csv", "segments.csv")


def _csv(fields, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(fields)
    w.writerows(rows)
    return buf.getvalue()


def small_tables(text: str = TEXT) -> dict[str, str]:
    """The three tables of a one-article corpus (texts), the raw text under raw/a.txt."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {
        "articles.csv": _csv(ARTICLE_COLUMNS, [["a", "Kabar", "Title line", "", "2025-12-03", "en", "raw/a.txt",
                                                digest]]),
        "speakers.csv": _csv(SPEAKER_COLUMNS, [["karimova", "Aida Karimova", "UZ", "", ""]]),
        "segments.csv": _csv(SEGMENT_COLUMNS, [["a", f"a-{i}", s, e, k, spk]
                                               for i, (s, e, k, spk) in enumerate(SPANS)]),
    }


def write_corpus(root: Path, tables: dict[str, str | bytes], raw: bytes = TEXT.encode("utf-8")) -> Path:
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "raw" / "a.txt").write_bytes(raw)
    for name, content in tables.items():
        (root / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


@pytest.fixture
def small(tmp_path) -> Path:
    root = write_corpus(tmp_path / "c", small_tables())
    assert validate_corpus(root) == [] and len(open_corpus(root).segments) == 3
    return root


def replace_cell(root: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell (``row`` 0 = first data row) of a well-formed table."""
    path = root / table
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    fields = list(rows[0])
    rows[row][column] = value
    path.write_text(_csv(fields, [[r[f] for f in fields] for r in rows]), encoding="utf-8", newline="")


def where(problems) -> list[tuple]:
    return [(p.file, p.row, p.field) for p in problems]


def run_cli(root: Path, capsys) -> tuple[int, list[str], str]:
    code = cli(["corpus", "validate", "--corpus", str(root)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out.splitlines(), out.err


# ---------------------------------------------------------------- one test per failure in the issue


@pytest.mark.parametrize("table", TABLES)
def test_header_only_table_is_a_valid_empty_table(small, table):
    path = small / table
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    problems = validate_corpus(small)  # no traceback; what is missing is named
    if table == "speakers.csv":  # the quote's speaker is gone
        assert where(problems) == [("segments.csv", 4, "speaker_id")]
    elif table == "segments.csv":
        assert where(problems) == [("segments.csv", None, "article_id")]
        assert "article 'a' has no segments" in problems[0].message
    else:  # segments of an article no table has
        assert where(problems) == [("segments.csv", r, "article_id") for r in (2, 3, 4)]


def test_a_corpus_of_header_only_tables_is_valid_and_says_no_articles_yet(tmp_path, capsys):
    root = write_corpus(tmp_path / "c", {n: t.splitlines()[0] + "\n" for n, t in small_tables().items()})
    (root / "raw" / "a.txt").unlink()
    assert validate_corpus(root) == [] and review_items(root) == []
    assert len(open_corpus(root).segments) == 0
    code, lines, _ = run_cli(root, capsys)
    assert code == 0 and lines[0].startswith("corpus OK: no articles yet (version ")


def test_empty_corpus_from_init_validates_with_exit_0(tmp_path, capsys):
    root = tmp_path / "mine"
    assert cli(["corpus", "init", str(root)]) == 0
    capsys.readouterr()
    code, lines, _ = run_cli(root, capsys)
    assert code == 0 and "no articles yet" in lines[0] and not any(ln.startswith("to review") for ln in lines)


def test_a_200_kB_cell_is_a_clear_error_not_a_csv_error(small, capsys):
    notes = ["", "x" * 200_000, ""]  # the csv module's own limit is 131072: it raised csv.Error
    (small / "segments.csv").write_text(_csv([*SEGMENT_COLUMNS, "note"], [
        ["a", f"a-{i}", s, e, k, spk, notes[i]] for i, (s, e, k, spk) in enumerate(SPANS)]), encoding="utf-8")
    problems = validate_corpus(small)
    assert where(problems) == [("segments.csv", 3, "note")]
    assert problems[0].message.startswith(f"cell longer than {MAX_CELL_CHARS} characters (200000)")
    with pytest.raises(CorpusError) as info:
        open_corpus(small)
    assert where(info.value.problems) == [("segments.csv", 3, "note")]
    code, lines_out, err = run_cli(small, capsys)
    assert code == 1 and len(lines_out) == 1 and "1 problem(s) found" in err


def test_country_xx_is_not_a_country(small):
    replace_cell(small, "speakers.csv", 0, "country", "XX")
    problems = validate_corpus(small)
    assert where(problems) == [("speakers.csv", 2, "country")]
    assert "'XX' is not an ISO 3166 alpha-2 code" in problems[0].message


@pytest.mark.parametrize(("code", "hint"), [("uz", "'UZ'"), ("UK", "'GB'")])
def test_a_near_miss_country_gets_a_hint(small, code, hint):
    replace_cell(small, "speakers.csv", 0, "country", code)
    assert f"did you mean {hint}?" in validate_corpus(small)[0].message


def test_extra_countries_csv_declares_a_code_iso_does_not_have(small):
    replace_cell(small, "speakers.csv", 0, "country", "XK")
    assert where(validate_corpus(small)) == [("speakers.csv", 2, "country")]
    (small / "extra_countries.csv").write_text("code,name,note\nXK,Kosovo,user-assigned code\n", encoding="utf-8")
    assert validate_corpus(small) == []
    assert open_corpus(small).segments["country"].tolist() == ["", "", "XK"]
    # a declared code must be free in ISO, well-formed, named, and declared once
    (small / "extra_countries.csv").write_text("code,name\nXK,Kosovo\nAZ,Other\nxq,Lower\nXQ,\nXK,Again\n",
                                               encoding="utf-8")
    assert where(validate_corpus(small)) == [("extra_countries.csv", r, f) for r, f in
                                             ((3, "code"), (4, "code"), (5, "name"), (6, "code"))]


def test_eu_is_accepted_and_unknown_stays_a_review_item(small):
    replace_cell(small, "speakers.csv", 0, "country", "EU")
    assert validate_corpus(small) == []
    replace_cell(small, "speakers.csv", 0, "country", "??")
    assert validate_corpus(small) == [] and where(review_items(small)) == [("speakers.csv", 2, "country")]


@pytest.mark.parametrize("value", ["2024-13-45", "2024-13", "2023-02-29", "2024-04-31", "0000", "2024-1-5",
                                   "٢٠٢٤", "2024-02-29T10:00", "20240229"])
def test_published_must_be_a_real_calendar_date(small, value):
    replace_cell(small, "articles.csv", 0, "published", value)
    problems = validate_corpus(small)
    assert where(problems) == [("articles.csv", 2, "published")]


@pytest.mark.parametrize("value", ["", "2024", "2025-12", "2024-02-29", "1999-12-31"])
def test_partial_and_leap_dates_are_fine(small, value):
    replace_cell(small, "articles.csv", 0, "published", value)
    assert validate_corpus(small) == []


def test_a_duplicated_header_column_is_an_error_not_a_silent_winner(small):
    path = small / "speakers.csv"
    path.write_text("speaker_id,name,country,affiliation,role,country\nkarimova,Aida Karimova,UZ,,,XX\n",
                    encoding="utf-8")
    problems = validate_corpus(small)
    assert where(problems) == [("speakers.csv", 1, "country")]
    assert "column named twice" in problems[0].message


@pytest.mark.parametrize("value", ["٢٧", "２７", "²⁷", "-27", "27.0", " 2 7", "1" * 16])
def test_offsets_are_ascii_digits(small, value):
    replace_cell(small, "segments.csv", 1, "char_end", value)  # '٢٧' is 27 to int() and isdigit()
    problems = validate_corpus(small)
    assert ("segments.csv", 3, "char_end") in where(problems)
    assert "is not an offset (digits 0-9 only" in str(problems[0])


def test_a_nul_byte_in_a_cell_is_an_error_naming_the_field(small):
    replace_cell(small, "speakers.csv", 0, "affiliation", "University\x00 of X")
    problems = validate_corpus(small)
    assert where(problems) == [("speakers.csv", 2, "affiliation")]
    assert "control character U+0000" in problems[0].message


def test_a_nul_byte_in_a_raw_text_is_an_error(tmp_path):
    text = TEXT.replace("Narrative", "Narr\x00tive")
    root = write_corpus(tmp_path / "c", small_tables(text), raw=text.encode())
    problems = validate_corpus(root)
    assert where(problems) == [("raw/a.txt", 2, None)] and "control character U+0000" in problems[0].message


def test_a_form_feed_in_a_raw_text_is_a_page_break_and_fine(tmp_path):
    text = TEXT.replace("\n“A", "\f“A")
    assert validate_corpus(write_corpus(tmp_path / "c", small_tables(text), raw=text.encode())) == []


def test_an_unclosed_quote_is_reported_as_such(small):
    path = small / "segments.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",narrative,", ',"narrative,')  # the quote swallows the rest of the file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate_corpus(small)
    assert [str(p) for p in problems] == ["segments.csv, row 3, field 'kind': unclosed quote starting on line 3"]


def test_text_after_a_closing_quote_is_a_quoting_error(small):
    path = small / "speakers.csv"
    path.write_text('speaker_id,name,country,affiliation,role\nkarimova,"Aida" Karimova,UZ,,\n', encoding="utf-8")
    problems = validate_corpus(small)
    assert where(problems) == [("speakers.csv", 2, "name")] and "closing quote" in problems[0].message


@pytest.mark.parametrize(("line", "field"), [("karimova,Aida Karimova,UZ", "affiliation"),
                                             ("karimova,Aida Karimova,UZ,,,extra", "column 6")])
def test_rows_with_too_few_or_too_many_fields(small, line, field):
    (small / "speakers.csv").write_text(f"speaker_id,name,country,affiliation,role\n{line}\n", encoding="utf-8")
    assert where(validate_corpus(small)) == [("speakers.csv", 2, field)]


def test_a_raw_file_name_with_a_newline_cannot_forge_an_ok_line(small, capsys):
    forged = "raw/x.txt\ncorpus OK: 2 articles, 99 segments, 4 speakers (version 0123456789ab)"
    replace_cell(small, "articles.csv", 0, "raw_file", forged)
    code, lines, _ = run_cli(small, capsys)
    assert code == 1
    assert not any(ln.startswith("corpus OK") for ln in lines)
    assert any("raw/x.txt\\ncorpus OK" in ln for ln in lines)
    # the same name as a leftover file in raw/: reported on one escaped line
    replace_cell(small, "articles.csv", 0, "raw_file", "raw/a.txt")
    (small / "raw" / "x.txt\ncorpus OK: fake").write_text("left over", encoding="utf-8")
    code, lines, _ = run_cli(small, capsys)
    assert code == 0 and sum(ln.startswith("corpus OK") for ln in lines) == 1
    assert "to review: raw/x.txt\\ncorpus OK: fake: no row of articles.csv names this file" in "\n".join(lines)


def test_escapes_keep_every_problem_on_one_line():
    p = Problem("raw/a\nb\u202e.txt", 3, "no\rte", "bad \x1b[31mvalue\x00")
    assert str(p) == "raw/a\\nb\\u202e.txt, row 3, field 'no\\rte': bad \\x1b[31mvalue\\x00"


def test_unreferenced_raw_files_are_reported_but_leave_the_corpus_usable(small, capsys):
    (small / "raw" / ".a.txt.x1y2.tmp").write_bytes(b"half")  # a killed add's temp file
    (small / "raw" / "sub").mkdir()
    (small / "raw" / "sub" / "b.txt").write_text("orphan", encoding="utf-8")
    assert validate_corpus(small) == [] and len(open_corpus(small).segments) == 3
    assert where(review_items(small)) == [("raw/.a.txt.x1y2.tmp", None, None), ("raw/sub/b.txt", None, None)]
    code, lines, _ = run_cli(small, capsys)
    assert code == 0 and sum(ln.startswith("to review: raw/") for ln in lines) == 2


def test_a_raw_file_named_with_dot_segments_is_not_an_orphan(small):
    # the orphan check compares normalised paths: raw/./a.txt is raw/a.txt, so nothing is left over
    replace_cell(small, "articles.csv", 0, "raw_file", "raw/./a.txt")
    assert validate_corpus(small) == [] and review_items(small) == []


def test_control_character_in_a_word_list_names_file_and_line(small):
    (small / "lexicons").mkdir()
    (small / "lexicons" / "stopwords.txt").write_text("the\na\x07nd\n", encoding="utf-8")
    problems = validate_corpus(small)
    assert [(Path(p.file).name, p.row) for p in problems] == [("stopwords.txt", 2)]


def test_cli_one_line_per_problem_and_non_zero_exit_on_every_bad_corpus(small, capsys):
    replace_cell(small, "speakers.csv", 0, "country", "XX")
    replace_cell(small, "articles.csv", 0, "published", "2024-13-45")
    replace_cell(small, "segments.csv", 2, "char_start", "٢٧")
    code, lines, err = run_cli(small, capsys)
    assert code == 1 and "4 problem(s) found" in err
    assert [ln.split(":")[0] for ln in lines] == ["articles.csv, row 2, field 'published'",
                                                  "speakers.csv, row 2, field 'country'",
                                                  "segments.csv, row 4, field 'char_start'",
                                                  "segments.csv, field 'char_end'"]  # its span is then uncovered


def test_cli_subprocess_no_traceback_on_a_table_of_random_bytes(small):
    (small / "segments.csv").write_bytes(bytes(range(256)) * 4)
    r = subprocess.run([sys.executable, "-c", "import sys; from c6lab.cli import main; sys.exit(main())",
                        "corpus", "validate", "--corpus", str(small)], capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stdout.splitlines() == ["segments.csv, row 2: not valid UTF-8 at byte 128 (0x80); "
                                     "re-save the file as UTF-8"]


# ---------------------------------------------------------------- the data list


@pytest.mark.skipif(TZ_CODES is None, reason="neither tzdata nor pytz is installed")
def test_iso_list_matches_the_tz_database():
    # the tz database's iso3166.tab lists the 249 officially assigned codes
    assert len(TZ_CODES) == 249 and set(iso_countries()) - {"EU"} == TZ_CODES


def test_every_demonym_country_is_accepted_by_validation():
    # `c6lab corpus add` proposes countries from demonyms.csv: validation must accept each
    path = Path(c6lab.__file__).parent / "data" / "lexicons" / "demonyms.csv"
    _, rows = read_csv_rows(path, ("word", "country"))
    assert {r["country"] for _, r in rows} <= set(iso_countries())


def test_value_checks_directly():
    assert date_problem("2024-02-29") is None and "no month 13" in date_problem("2024-13-45")
    assert "day is out of range" in date_problem("2023-02-29")
    assert country_problem("KG", iso_countries()) is None and country_problem("??", iso_countries()) is None
    assert country_problem("XK", iso_countries()) and country_problem("XK", {"XK": "Kosovo"}) is None


# ---------------------------------------------------------------- property tests

# any character but surrogates (they cannot be written as UTF-8)
ANY_CHAR = st.characters(exclude_categories=("Cs",))
# characters that matter to a CSV parser or a validator, drawn often
NASTY = st.sampled_from(list(',"\n\r\t\x00\x07\x1b\x85\u2028\u202e\ufeff ٢７-.?'))
CELL = st.one_of(st.text(ANY_CHAR, max_size=12), st.text(NASTY, max_size=6),
                 st.sampled_from(["", "a", "a-0", "??", "XX", "2024-13-45", "a-1", "0", "11", "27", "48", "quote",
                                  "title", "karimova",
                                  "UZ", "raw/a.txt", "raw/../../x", "yes", "no", "2025-12-03", "2024-02-30",
                                  "٢٧", "x" * 140_000]))
PROPERTY = settings(max_examples=100, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_outcome(root: Path) -> None:
    """The property: no exception but CorpusError; every problem placed; valid means loadable and exact."""
    problems = validate_corpus(root)
    assert all(isinstance(p, Problem) for p in problems)
    for p in problems:
        assert isinstance(p.file, str) and p.file
        assert p.row is None or (isinstance(p.row, int) and p.row >= 1)
        assert p.field is None or (isinstance(p.field, str) and p.field)
        assert p.message and "\n" not in str(p) and "\r" not in str(p)
        if p.file in TABLES and p.row is not None and p.row > 1:
            assert p.field, p  # a problem inside a table names its field
    review_items(root)  # never raises either
    try:
        corpus = open_corpus(root)
    except CorpusError as exc:
        assert problems and set(exc.problems) == set(problems)
        return
    assert problems == []
    for raw_file, segs in corpus.segments.groupby("raw_file"):  # valid = the spans rebuild every text
        assert "".join(segs.sort_values("char_start")["text"]) == (root / raw_file).read_bytes().decode()
    assert_every_value_good(root)


def real_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD of the calendar (checked without c6lab's code)."""
    parts = value.split("-")
    if [len(p) for p in parts] not in ([4], [4, 2], [4, 2, 2]) or not all(p.isascii() and p.isdigit() for p in parts):
        return False
    try:
        datetime.date(*([int(p) for p in parts] + [1, 1])[:3])
    except ValueError:
        return False
    return True


def assert_every_value_good(root: Path) -> None:
    """A corpus that validates holds no bad value: an oracle independent of the validator."""
    countries = (TZ_CODES or set(iso_countries())) | {"EU", "??"}
    for name in TABLES:
        rows = [r for r in csv.reader(io.StringIO((root / name).read_bytes().decode("utf-8-sig"), newline="")) if r]
        header = [h.strip() for h in rows[0]]
        assert len(set(header)) == len(header)
        for r in rows[1:]:
            assert len(r) == len(header)
            for cell in r:
                assert len(cell) <= MAX_CELL_CHARS
                assert not [c for c in cell if unicodedata.category(c) == "Cc" and c not in "\t\n\r"]
            row = {h: v.strip() for h, v in zip(header, r)}
            if name == "speakers.csv":
                assert row["country"] in countries
            elif name == "articles.csv":
                assert row["published"] == "" or real_date(row["published"])
            else:
                assert all(row[f].isascii() and row[f].isdigit() for f in ("char_start", "char_end"))


@PROPERTY
@given(table=st.sampled_from(TABLES), row=st.integers(0, 2), column=st.integers(0, 7), value=CELL)
def test_any_single_cell_value(table, row, column, value):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_corpus(Path(tmp) / "c", small_tables())
        rows = list(csv.reader(io.StringIO((root / table).read_text(encoding="utf-8"), newline="")))
        r = rows[1 + row % (len(rows) - 1)]
        r[column % len(r)] = value
        (root / table).write_text(_csv(rows[0], rows[1:]), encoding="utf-8", newline="")
        check_outcome(root)


@PROPERTY
@given(table=st.sampled_from(TABLES),
       header=st.lists(st.one_of(st.sampled_from([*ARTICLE_COLUMNS, *SPEAKER_COLUMNS, *SEGMENT_COLUMNS, "note"]),
                                 CELL), max_size=9),
       rows=st.lists(st.lists(CELL, max_size=9), max_size=4),
       quoted=st.booleans())
def test_any_table(table, header, rows, quoted):
    if quoted:  # well-formed CSV with arbitrary header and cells
        content = _csv(header, rows)
    else:  # joined by hand: stray quotes, commas and line breaks break the format
        content = "\n".join(",".join(r) for r in [header, *rows])
    with tempfile.TemporaryDirectory() as tmp:
        check_outcome(write_corpus(Path(tmp) / "c", {**small_tables(), table: content}))


@PROPERTY
@given(table=st.sampled_from([*TABLES, "raw/a.txt", "extra_countries.csv"]), data=st.binary(max_size=300))
def test_any_bytes(table, data):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_corpus(Path(tmp) / "c", small_tables())
        (root / table).write_bytes(data)
        check_outcome(root)


@PROPERTY
@given(text=st.text(st.one_of(ANY_CHAR, NASTY), min_size=1, max_size=80), cuts=st.lists(st.integers(0, 80)),
       fix_sha=st.booleans())
def test_any_raw_text_and_offsets(text, cuts, fix_sha):
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    segs = _csv(SEGMENT_COLUMNS, [["a", f"a-{i}", s, e, "narrative", ""]
                                  for i, (s, e) in enumerate(zip(bounds, bounds[1:]))])
    tables = {**small_tables(text if fix_sha else TEXT), "segments.csv": segs}
    with tempfile.TemporaryDirectory() as tmp:
        check_outcome(write_corpus(Path(tmp) / "c", tables, raw=text.encode("utf-8")))


@PROPERTY
@given(name=st.sampled_from(sorted(FILES.values())),
       data=st.one_of(st.binary(max_size=200),
                      st.lists(st.lists(CELL, max_size=5), min_size=1, max_size=4)
                      .map(lambda rows: _csv(rows[0], rows[1:]).encode("utf-8"))))
def test_any_word_list(name, data):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_corpus(Path(tmp) / "c", small_tables())
        (root / "lexicons").mkdir()
        (root / "lexicons" / name).write_bytes(data)
        check_outcome(root)


# ---------------------------------------------------------------- further values a table may hold


@pytest.mark.parametrize(("table", "column", "value"), [
    ("speakers.csv", "name", "Aida\nKarimova"), ("speakers.csv", "name", "Aida | Karimova"),
    ("articles.csv", "title", "Title\u2028line"), ("articles.csv", "outlet", "Kabar\nNews"),
    ("articles.csv", "language", "English"), ("articles.csv", "language", "e"),
])
def test_names_titles_and_languages(small, table, column, value):
    replace_cell(small, table, 0, column, value)
    assert where(validate_corpus(small)) == [(table, 2, column)]


@pytest.mark.parametrize("value", ["", "en", "ru", "kaa", "en-GB"])
def test_language_codes_that_are_fine(small, value):
    replace_cell(small, "articles.csv", 0, "language", value)
    assert validate_corpus(small) == []


def test_an_unreadable_raw_file_is_a_problem_not_an_oserror(small, monkeypatch):
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)  # root reads any file, so chmod cannot show it
    problems = validate_corpus(small)
    assert where(problems) == [("articles.csv", 2, "raw_file")]
    assert problems[0].message == "raw/a.txt cannot be read: Permission denied"


def test_a_missing_or_wrong_corpus_folder_is_named_on_one_line(tmp_path, capsys):
    nowhere = tmp_path / "no\ncorpus OK: fake"
    code, lines, _ = run_cli(nowhere, capsys)
    assert code == 1 and lines == [f"{str(tmp_path)}/no\\ncorpus OK: fake: corpus folder not found"]
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    code, lines, _ = run_cli(tmp_path / "file.txt", capsys)
    assert code == 1 and lines == [f"{tmp_path / 'file.txt'}: is a file, not a corpus folder"]
