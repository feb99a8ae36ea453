"""The main job end to end, with real kernels: a run of every notebook writes the tables whose
checksums the last ``c6lab run --in-place`` stored (``notebooks/results.sha256``), so the results
are the same run after run; a run on a small corpus of one's own replaces the output whole and
every notebook copes with it; a notebook that fails leaves the previous output as it was.

The bundled study is run once (the session's ``bundled_run`` in conftest, which the Dask
comparison in ``test_parallel`` reads too) and compared with the stored record, not run twice:
the record was written by another process, often on another day, which is the stronger check.
When a change alters a result on purpose, ``c6lab run --in-place`` refreshes the record with the
stored outputs, and the diff of ``results.sha256`` shows which tables changed. The run on one
article of it (``one_article_run``) is read by ``test_narrative_keywords_topics`` too."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import c6lab
from c6lab import runfolders as F
from c6lab import runner
from c6lab.corpus import bundled_corpus_root


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _filter_csv(path: Path, keep) -> list[dict]:
    """Keep the rows for which ``keep(row)`` holds; every column is kept as it is; return the dropped rows."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if keep(r))
    return [r for r in rows if not keep(r)]


def small_corpus(dest: Path, article: str = "anewz_bayramli_c6") -> Path:
    """The bundled corpus cut down to one article (and so one speaker), with its own word lists
    and the hand labels of that article's mentions; columns the tables may gain are kept."""
    import shutil

    shutil.copytree(bundled_corpus_root(), dest)
    dropped = _filter_csv(dest / "articles.csv", lambda r: r["article_id"] == article)
    for row in dropped:  # the verbatim files of the other articles go too
        for column in ("raw_file", "source_file"):
            if row.get(column):
                (dest / row[column]).unlink(missing_ok=True)
    _filter_csv(dest / "segments.csv", lambda r: r["article_id"] == article)
    with (dest / "segments.csv").open(newline="", encoding="utf-8") as fh:
        speakers = {r["speaker_id"] for r in csv.DictReader(fh)} - {""}
    _filter_csv(dest / "speakers.csv", lambda r: r["speaker_id"] in speakers)
    _filter_csv(dest / "annotations" / "power_sentiment_gold.csv",
                lambda r: r["mention_id"].startswith(article + ":"))
    assert len(speakers) == 1
    return dest


@pytest.fixture
def first_run(bundled_run):
    """Every notebook on the bundled corpus, into OUT; the files it wrote (conftest: one run)."""
    return bundled_run


def _results(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k.removeprefix("results/"): v for k, v in files.items() if k.startswith("results/")}


def test_a_run_writes_the_tables_of_the_stored_record_and_a_report(first_run):
    out, files = first_run
    first = _results(files)
    assert {"keywords.csv", "topic_selection.csv", "topics.csv", "doc_topics.csv", "power_sentiment.csv",
            "power_mentions.csv", "figures/00_words_per_speaker.png"} <= set(first)
    stored = (runner.REPO_ROOT / "notebooks" / F.CHECKSUMS).read_text(encoding="utf-8").splitlines()
    fresh = F.table_checksums(out / "results").decode("utf-8").splitlines()
    # the same tables, byte for byte (a name that differs is a changed result, or a stale record)
    assert [line.split("  ")[1] for line in stored] == [line.split("  ")[1] for line in fresh]
    assert sorted(set(fresh) - set(stored)) == []
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "version <code>" in page and page.count('href="notebooks/') == 4
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks"] == ["00_corpus", "01_keywords", "02_topics", "03_sentiment"]
    assert manifest["parameters"]["02_topics"]["k_max"] == 6 and manifest["given"] == {}


# what nbval compares (make test's --nbval, with tests/nbval_sanitize.cfg): every output but images,
# execution counts and metadata; consecutive stream outputs joined; memory addresses masked
_NOT_COMPARED = ("metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
                 "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg")


def _as_nbval_compares(outputs) -> dict[str, list]:
    import re
    from collections import defaultdict

    from nbval.plugin import transform_streams_for_comparison

    def masked(value):
        return re.sub(r"0x[0-9a-fA-F]+", "0xADDRESS", value) if isinstance(value, str) else value

    flat = defaultdict(list)
    for output in transform_streams_for_comparison(outputs):
        for key, value in output.items():
            if key == "data":
                for mime, data in value.items():
                    if mime not in _NOT_COMPARED:
                        flat[mime].append(masked(data))
            elif key not in _NOT_COMPARED:
                flat[key].append(masked(value))
    return dict(flat)


def test_the_stored_outputs_are_those_of_the_run(first_run):
    # the comparison nbval makes, on the session's run (papermill's cell of the same defaults and
    # the two folders aside) instead of a fifth execution of every notebook
    out, _ = first_run
    for stored_path in runner.notebook_paths(runner.REPO_ROOT / "notebooks"):
        stored = [c for c in nbformat.read(stored_path, as_version=4).cells if c.cell_type == "code"]
        ran = [c for c in nbformat.read(out / "notebooks" / stored_path.name, as_version=4).cells
               if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])]
        assert [c.source for c in ran] == [c.source for c in stored], stored_path.name
        for i, (mine, theirs) in enumerate(zip(stored, ran, strict=True), 1):
            assert _as_nbval_compares(theirs.outputs) == _as_nbval_compares(mine.outputs), (
                f"{stored_path.name}, code cell {i}: the stored outputs are not this run's "
                "(`c6lab run --in-place` refreshes them)")


def test_the_record_is_what_sha256sum_checks(first_run, tmp_path):
    import subprocess

    out, _ = first_run
    record = runner.REPO_ROOT / "notebooks" / F.CHECKSUMS
    check = subprocess.run(["sha256sum", "--check", "--quiet", str(record)], cwd=out / "results",
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    # and a changed table fails the check, naming it
    (tmp_path / "results").mkdir()
    for line in record.read_text(encoding="utf-8").splitlines():
        name = line.split("  ")[1]
        (tmp_path / "results" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "results" / name).write_bytes((out / "results" / name).read_bytes())
    (tmp_path / "results" / "keywords.csv").write_text("word\n", encoding="utf-8")
    check = subprocess.run(["sha256sum", "--check", "--quiet", str(record)], cwd=tmp_path / "results",
                           capture_output=True, text=True)
    assert check.returncode == 1 and "keywords.csv: FAILED" in check.stdout


def test_report_and_notebook_pages_are_offline_and_work_in_a_browser(first_run, browser):
    import re

    out, _ = first_run
    pages = [out / "report.html", out / "explorer.html", *sorted((out / "notebooks").glob("*.html"))]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        # nothing is loaded from another host (links to papers in the text are not loads)
        assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html), page.name
    report = (out / "report.html").read_text(encoding="utf-8")
    assert 'href="explorer.html"' in report and report.count('href="notebooks/') == 4
    assert "<title>01 · Keywords" in (out / "notebooks" / "01_keywords.html").read_text(encoding="utf-8")
    from selenium.webdriver.common.by import By

    browser.get((out / "report.html").as_uri())
    assert browser.find_elements(By.CSS_SELECTOR, "h2")  # the page rendered
    browser.get((out / "notebooks" / "01_keywords.html").as_uri())
    # MathJax typesets after load: wait for it (up to 10 s), no longer than it takes
    from selenium.webdriver.support.ui import WebDriverWait

    typeset = WebDriverWait(browser, 10, poll_frequency=0.1).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".MathJax, .MathJax_Display"))
    assert typeset  # formulas typeset offline
    browser.get((out / "explorer.html").as_uri())
    assert browser.find_elements(By.CSS_SELECTOR, "#kw-table tbody tr")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_the_report_states_only_this_runs_numbers(first_run):
    import pandas as pd

    out, _ = first_run
    tables = pd.read_html(io.StringIO((out / "report.html").read_text(encoding="utf-8")))
    results = out / "results"
    # keyword tables: every (word, z, counts) row is a row of keywords.csv
    kw = pd.read_csv(results / "keywords.csv", keep_default_na=False)
    kw = kw[kw["design"] == "one_vs_rest"].set_index(["word", "count_group", "count_reference"])
    shown = [t for t in tables if list(t.columns[:4]) == ["word", "z", "count in group", "count elsewhere"]]
    assert shown
    for table in shown:
        for row in table.itertuples(index=False):
            z = kw.loc[(row[0], row[2], row[3]), "z"]
            assert (pd.Series(z).round(2) == round(row[1], 2)).any()
    # tone rows: n and mean are those of power_sentiment.csv (headline method)
    tone = next(t for t in tables if list(t.columns) == ["group", "power", "n", "mean", "interval"])
    summary = pd.read_csv(results / "power_sentiment.csv")
    head = summary[(summary["method"] == "masked_sentence") & (summary["lexicon"] == "vader")]
    head = head.set_index(["group", "power"])
    for row in tone.itertuples(index=False):
        assert head.loc[(row.group, row.power), "n_mentions"] == row.n
        assert round(head.loc[(row.group, row.power), "mean_compound"], 2) == round(row.mean, 2)
    # speakers and their token counts
    speakers = next(t for t in tables if list(t.columns) == ["speaker", "country", "tokens quoted or paraphrased"])
    corpus = c6lab.open_corpus()
    speech = corpus.select(["quote", "paraphrase"])
    tokens = pd.Series(c6lab.dfm(speech, corpus.lexicons).n_tokens).groupby(speech["speaker"].values).sum()
    assert dict(zip(speakers["speaker"], speakers.iloc[:, 2])) == tokens.to_dict()


def test_a_small_corpus_of_ones_own_replaces_the_output_and_every_notebook_copes(one_article_run):
    # one article of the bundled corpus, run into (a copy of) the bundled run's folder, with few
    # replicates: this is about the output folder and notebooks that cope, not the intervals
    own, out, before, start = one_article_run
    files = _files(out)
    # nothing of the earlier run survives: no keyword table, no figure of the groups it had
    assert "results/figures/01_keywords_AZ_vs_KG.png" in before
    assert not [name for name in files if name.startswith("results/figures/01_keywords_")]
    assert "results/keywords.csv" not in files and "results/keywords_slice.csv" in files
    assert all(p.stat().st_mtime >= start - 1 for p in out.rglob("*") if p.is_file())
    manifest = json.loads(files["manifest.json"])
    assert manifest["corpus"]["folder"] == str(own.resolve())
    assert {"notebooks/00_corpus.html", "notebooks/01_keywords.html", "notebooks/02_topics.html",
            "notebooks/03_sentiment.html", "results/topics.csv", "results/power_sentiment.csv"} <= set(files)
    nb = nbformat.read(out / "notebooks" / "01_keywords.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("name") == "stdout" or o["output_type"] == "error"]
    said = [o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})]
    assert any(m.startswith("The keyword comparison needs at least two groups in `country`; this corpus has\n"
                            "one group, so the comparisons below are skipped:\n* **AZ**: one speaker") for m in said)


def test_a_notebook_that_fails_leaves_the_previous_output(first_run, tmp_path):
    out, _ = first_run
    before = _files(out)
    # the notebooks cope with any corpus and parameter now; a notebook with a bug still fails
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(runner.REPO_ROOT / "notebooks" / "00_corpus.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('a bug in the notebook')"))
    nbformat.write(nb, notebooks / "00_corpus.ipynb")
    with pytest.raises(runner.NotebookFailed) as info:
        runner.run(out=out, notebook_dir=notebooks, progress_bar=False)
    message = str(info.value)
    assert message.startswith("notebooks/00_corpus.ipynb failed in cell ") and "a bug in the notebook" in message
    assert _files(out) == before
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def only_one_group_quoted(corpus: Path, country: str) -> None:
    """Every commentator but those of ``country`` only paraphrased: the groups compare, the quotes cannot."""
    segments = corpus / "segments.csv"
    with (corpus / "speakers.csv").open(newline="", encoding="utf-8") as fh:
        quoted = {r["speaker_id"] for r in csv.DictReader(fh) if r["country"] == country}
    with segments.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    assert quoted and any(r["kind"] == "quote" and r["speaker_id"] in quoted for r in rows)
    for row in rows:
        if row["kind"] == "quote" and row["speaker_id"] not in quoted:
            row["kind"] = "paraphrase"
    with segments.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_keywords_when_only_one_group_is_quoted(fifth_speaker_run):
    # conftest's run on the bundled corpus plus new Kyrgyz commentators, in which only the
    # Kyrgyz commentators are quoted (the others only paraphrased)
    corpus, out = fifth_speaker_run
    speech = c6lab.open_corpus(corpus).select(["quote", "paraphrase"])
    assert set(speech.loc[speech["kind"] == "quote", "country"]) == {"KG"} and speech["country"].nunique() > 1
    written = {p.name for p in (out / "results").iterdir()}
    assert {"keywords.csv", "keywords_bootstrap.csv", "keywords_robustness.csv"} <= written
    # no quotes-only comparison: no word gets a quotes-only rank, and survival rests on the other checks
    robustness = pd.read_csv(out / "results" / "keywords_robustness.csv")
    assert robustness["rank_quotes_only"].isna().all() and robustness["survives"].any()
    nb = nbformat.read(out / "notebooks" / "01_keywords.ipynb", as_version=4)
    said = "\n".join(o["data"]["text/markdown"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
                     if "text/markdown" in o.get("data", {}))
    assert "The quotes alone have one group in `country`: there is no quotes-only comparison" in said
    assert "(Without the quotes-only check: the quotes alone have fewer than two groups.)" in said
