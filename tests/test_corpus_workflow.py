"""A researcher's own corpus from scratch: init, batch and HTML import, show, review, remove."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import c6lab
from c6lab.cli import main as cli
from c6lab.corpus.ingest import corpus_tree_digest

TEXT = (
    "Uzbek expert: Caspian transit is the priority\n"
    "Tashkent hosted a forum on regional connectivity on Monday.\n"
    "Aida Karimova, a political scientist, said that the Middle Corridor is now the main route to Europe.\n"
    "“Transit through the Caspian is our priority. China and the European Union both invest in it,” "
    "Karimova said.\n"
    "Leave the first comment\n"
)

PAGE = """<!DOCTYPE html><html><head><title>Kyrgyz expert: Middle Corridor opens new doors | 24.kg</title>
<meta property="og:site_name" content="24.kg"><meta property="og:url" content="https://24.kg/english/123/">
<meta property="article:published_time" content="2025-12-03T10:00:00+06:00">
<script>var tracking = "script text";</script></head>
<body><nav><a href="/">Home</a> | <a href="/politics">Politics</a></nav>
<article><h1>Kyrgyz expert: Middle Corridor opens new doors</h1>
<p>Bishkek hosted a round table on transport links with Azerbaijan on Wednesday.</p>
<p>Aibek Dzhumabaev, a transport economist, said that the Middle Corridor gives Kyrgyzstan a second route.</p>
<p>“China remains our largest partner. But the Caspian route matters more every year,” Dzhumabaev noted.</p>
<!-- an HTML comment -->
</article>
<footer>© 24.kg. All rights reserved. Download our app on Google Play.</footer></body></html>
"""


@pytest.fixture
def empty(tmp_path) -> Path:
    root = tmp_path / "mine"
    assert cli(["corpus", "init", str(root)]) == 0
    return root


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    out = {"text": tmp_path / "karimova.txt", "page": tmp_path / "page.html", "binary": tmp_path / "scan.txt"}
    out["text"].write_text(TEXT, encoding="utf-8")
    out["page"].write_text(PAGE, encoding="utf-8")
    out["binary"].write_bytes(b"\x00\x01PDF")
    return out


def _one_line_error(capsys, code, expected_code=1) -> str:
    captured = capsys.readouterr()
    assert code == expected_code
    assert "Traceback" not in captured.err
    return captured.err


def test_init_makes_an_empty_valid_corpus_with_editable_lists(empty, capsys):
    assert c6lab.validate_corpus(empty) == []
    corpus = c6lab.open_corpus(empty)
    assert (len(corpus.articles), len(corpus.segments)) == (0, 0)
    assert set(corpus.lexicons.origin().values()) == {"corpus"}  # every list is a file to edit
    assert "What goes where" in (empty / "README.md").read_text(encoding="utf-8")
    err = _one_line_error(capsys, cli(["corpus", "init", str(empty)]))
    assert "exists and is not an empty folder" in err


def test_batch_add_of_text_and_html_with_one_bad_file(empty, files, capsys):
    before = corpus_tree_digest(empty)
    code = cli(["corpus", "add", str(files["text"]), str(files["binary"]), str(files["page"]),
                "--corpus", str(empty), "--outlet", "Daryo", "--no-progress"])
    captured = capsys.readouterr()
    assert code == 1  # one file failed ...
    assert f"{files['binary']}: not added:" in captured.err and "binary" in captured.err
    assert "2 of 3 file(s) added" in captured.out  # ... and the others went in
    assert before != corpus_tree_digest(empty)
    corpus = c6lab.open_corpus(empty)
    arts = corpus.articles.set_index("article_id")
    assert len(arts) == 2
    text_id = next(a for a in arts.index if "uzbek" in a)
    assert arts.loc[text_id, "title"] == "Uzbek expert: Caspian transit is the priority"  # first line
    assert (empty / arts.loc[text_id, "raw_file"]).read_bytes() == files["text"].read_bytes()
    page = arts.loc[next(a for a in arts.index if "kyrgyz" in a)]
    # the page is kept verbatim and its text extracted beside it, both digests recorded
    assert (empty / page["source_file"]).read_bytes() == files["page"].read_bytes()
    extracted = (empty / page["raw_file"]).read_text(encoding="utf-8")
    assert "Bishkek hosted a round table" in extracted and "Dzhumabaev noted." in extracted
    for furniture in ("Home", "script text", "HTML comment", "All rights reserved"):
        assert furniture not in extracted
    assert (page["published"], page["url"]) == ("2025-12-03", "https://24.kg/english/123/")
    assert page["title"] == "Kyrgyz expert: Middle Corridor opens new doors"
    assert page["outlet"] == "Daryo"  # given on the command line, wins over the page's site name
    # proposals are usable at once: the corpus loads, every new segment is unreviewed
    assert not corpus.segments["reviewed"].any()


def test_an_html_page_takes_its_outlet_from_the_page_and_a_changed_page_is_caught(empty, files):
    assert cli(["corpus", "add", str(files["page"]), "--corpus", str(empty)]) == 0
    art = c6lab.open_corpus(empty).articles.iloc[0]
    assert art["outlet"] == "24.kg"
    page = empty / art["source_file"]
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")
    problems = c6lab.validate_corpus(empty)
    assert [(p.file, p.row, p.field) for p in problems] == [("articles.csv", 2, "source_sha256")]


def test_manifest_rows_are_checked_and_named(empty, files, tmp_path, capsys):
    manifest = tmp_path / "files.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "outlet", "title", "date", "url", "speakers"])
        w.writerow([files["text"].name, "Kun.uz", "", "2025-11", "", "Aida Karimova=UZ"])
        w.writerow([files["page"].name, "", "", "", "", "Aibek Dzhumabaev=Kyrgyzstan"])
    err = _one_line_error(capsys, cli(["corpus", "add", "--manifest", str(manifest), "--corpus", str(empty)]))
    assert f"{manifest}, row 3, field 'speakers'" in err and "'Kyrgyzstan' is not an ISO 3166" in err
    lines = manifest.read_text(encoding="utf-8").replace("=Kyrgyzstan", "=KG")
    manifest.write_text(lines, encoding="utf-8")
    assert cli(["corpus", "add", "--manifest", str(manifest), "--corpus", str(empty), "--no-progress"]) == 0
    corpus = c6lab.open_corpus(empty)
    assert sorted(corpus.articles["outlet"]) == ["24.kg", "Kun.uz"]
    assert corpus.articles.set_index("outlet").loc["Kun.uz", "published"] == "2025-11"
    speakers = corpus.speakers.set_index("name")["country"]
    assert (speakers["Aida Karimova"], speakers["Aibek Dzhumabaev"]) == ("UZ", "KG")


@pytest.mark.parametrize("argv, message", [
    (["corpus", "add"], "give one or more FILEs or --manifest"),
    (["corpus", "add", "a.txt", "b.txt", "--title", "T"], "--title name one article"),
    (["corpus", "show", "nope"], "no article 'nope' in this corpus"),
    (["corpus", "review", "nope"], "no article 'nope' in this corpus"),
    (["corpus", "remove", "nope"], "no article 'nope' in this corpus"),
])
def test_mistakes_are_one_line_errors(empty, capsys, argv, message):
    err = _one_line_error(capsys, cli([*argv, "--corpus", str(empty)]))
    assert message in err and len(err.strip().splitlines()) == 1


def _added(empty, files) -> str:
    assert cli(["corpus", "add", str(files["text"]), "--corpus", str(empty), "--outlet", "Daryo",
                "--speaker", "Aida Karimova=UZ"]) == 0
    return c6lab.open_corpus(empty).articles["article_id"].iloc[0]


def test_show_lists_segments_with_first_words(empty, files, capsys):
    aid = _added(empty, files)
    capsys.readouterr()
    assert cli(["corpus", "show", aid, "--corpus", str(empty)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["segment_id", "kind", "speaker", "country", "reviewed", "text"]
    assert any(line.split()[1] == "title" and "Uzbek expert" in line for line in out[1:])
    assert out[-1].endswith(f"not reviewed: c6lab corpus review {aid}")


def test_review_round_trip_moves_a_boundary_and_marks_everything_reviewed(empty, files, tmp_path, capsys):
    aid = _added(empty, files)
    review = tmp_path / "r.txt"
    assert cli(["corpus", "review", aid, "--corpus", str(empty), "--out", str(review)]) == 0
    text = review.read_text(encoding="utf-8")
    headers = [line for line in text.splitlines() if line.startswith("## ")]
    assert headers[0] == "## title" and "## quote | Aida Karimova | UZ" in headers
    raw_before = (empty / "raw").iterdir().__next__().read_bytes()
    # the reviewer: the forum sentence is the title's subtitle (narrative stays), the first
    # clause is narrative, and a new speaker "Timur Aliev" (KZ) says the quote
    edited = text.replace("## quote | Aida Karimova | UZ", "## quote | Timur Aliev | KZ")
    edited = edited.replace("Tashkent hosted a forum", "Tashkent hosted\n## narrative\na forum")
    review.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert cli(["corpus", "review", aid, "--corpus", str(empty), "--apply", str(review)]) == 0
    corpus = c6lab.open_corpus(empty)
    segs = corpus.segments
    assert segs["reviewed"].all()
    raw = corpus.raw_text(aid)
    assert "".join(segs["text"]) == raw  # still covers the text exactly
    cut = raw.index("a forum")
    assert cut in set(segs["char_start"])  # the new boundary, computed from the moved header line
    quote = segs[segs["kind"] == "quote"]
    assert set(quote["speaker"]) == {"Timur Aliev"} and set(quote["country"]) == {"KZ"}
    assert (empty / "raw").iterdir().__next__().read_bytes() == raw_before  # raw text untouched
    assert not c6lab.corpus.validate.review_items(empty)


@pytest.mark.parametrize("edit, line_of, message", [
    (lambda t: t.replace("our priority", "our top priority"), "our priority", "the text differs"),
    (lambda t: t.replace("## title", "## headline"), "## title", "'headline' is not one of"),
    (lambda t: t.replace("| Aida Karimova | UZ", "| Aida Karimova | Uzbekistan"), "| Aida Karimova | UZ",
     "'Uzbekistan' is not an ISO 3166"),
    # well-formed but not assigned: caught in the review file, not as a failed validation
    (lambda t: t.replace("| Aida Karimova | UZ", "| Aida Karimova | XX"), "| Aida Karimova | UZ",
     "'XX' is not an ISO 3166"),
])
def test_review_apply_refuses_changes_naming_the_line(empty, files, tmp_path, capsys, edit, line_of, message):
    aid = _added(empty, files)
    review = tmp_path / "r.txt"
    assert cli(["corpus", "review", aid, "--corpus", str(empty), "--out", str(review)]) == 0
    text = review.read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if line_of in ln)
    review.write_text(edit(text), encoding="utf-8")
    before = corpus_tree_digest(empty)
    capsys.readouterr()
    err = _one_line_error(capsys, cli(["corpus", "review", aid, "--corpus", str(empty), "--apply", str(review)]))
    assert f"{review}, row {line}" in err and message in err
    assert corpus_tree_digest(empty) == before


def test_review_never_overwrites_an_edited_file(empty, files, tmp_path, capsys):
    aid = _added(empty, files)
    review = tmp_path / "r.txt"
    review.write_text("my edits", encoding="utf-8")
    err = _one_line_error(capsys, cli(["corpus", "review", aid, "--corpus", str(empty), "--out", str(review)]))
    assert "exists" in err and review.read_text(encoding="utf-8") == "my edits"


def test_remove_takes_the_article_out_whole(empty, files):
    assert cli(["corpus", "add", str(files["text"]), str(files["page"]), "--corpus", str(empty), "--outlet", "X",
                "--no-progress"]) == 0
    corpus = c6lab.open_corpus(empty)
    page_id = corpus.articles.loc[corpus.articles["source_file"] != "", "article_id"].iloc[0]
    assert cli(["corpus", "remove", page_id, "--corpus", str(empty)]) == 0
    corpus = c6lab.open_corpus(empty)
    assert page_id not in set(corpus.articles["article_id"]) and page_id not in set(corpus.segments["article_id"])
    assert sorted(p.suffix for p in (empty / "raw").iterdir()) == [".txt"]
    assert c6lab.validate_corpus(empty) == []


def test_the_bundled_corpus_is_never_the_target_of_a_doc_example():
    # the adapting guide works on copies and initialised corpora only
    doc = (Path(__file__).resolve().parents[1] / "docs" / "adapting.md").read_text(encoding="utf-8")
    commands = [line for line in doc.splitlines()
                if any(f"bin/c6lab corpus {verb}" in line for verb in ("add", "remove", "review"))]
    assert len(commands) >= 5
    for line in commands:
        assert "--corpus" in line or line.rstrip().endswith("\\"), line
