"""c6lab run: checks before any kernel, a fresh output folder swapped in whole, the manifest,
failures that name the cell and change nothing, and one-line errors with exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from c6lab import open_corpus, runner
from c6lab.cli import main as cli
from c6lab.corpus import bundled_corpus_root


def _notebook(path: Path, *sources: str, tag_first: bool = True) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A test notebook")]
    for i, src in enumerate(sources):
        cell = nbformat.v4.new_code_cell(src)
        if i == 0 and tag_first:
            cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


# a notebook that writes one figure named after its parameter, in plain Python (quick to start)
WRITES = ("import os, pathlib\n"
          "out = pathlib.Path(results_dir or os.environ['C6LAB_RESULTS'])\n"
          "(out / 'figures').mkdir(parents=True, exist_ok=True)\n"
          "(out / 'figures' / f'group_{n}.png').write_text(str(n))\n"
          "print('wrote', n)")


@pytest.fixture
def nbdir(tmp_path):
    d = tmp_path / "nb"
    d.mkdir()
    _notebook(d / "00_ok.ipynb", "corpus_root = None\nresults_dir = None\nn = 1", WRITES)
    _notebook(d / "01_fail.ipynb", "m = 1", "x = 1", "assert m == 1, 'm must be 1'")
    return d


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(folder.name + "."))


# ------------------------------------------------------------------ notebooks and parameters


def test_declared_parameters(tmp_path):
    nb = _notebook(tmp_path / "01_x.ipynb", "a = 1  # it's a comment\nb = [1, 2]", "c = 3")
    assert runner.declared_parameters(nb) == {"a": "1", "b": "[1, 2]"}
    assert runner.declared_defaults(nb) == {"a": 1, "b": [1, 2]}


def test_only_and_unknown_names(nbdir, tmp_path):
    assert [p.name for p in runner.notebook_paths(nbdir, ["01_fail"])] == ["01_fail.ipynb"]
    with pytest.raises(runner.RunError, match="--only 02_c: no such notebook in nb/"):
        runner.notebook_paths(nbdir, ["02_c"])
    with pytest.raises(runner.RunError, match="no notebook has a parameter named z"):
        runner.run_notebooks(parameters={"z": 1}, notebook_dir=nbdir, build_dir=tmp_path / "build")


def test_parameters_reach_only_the_notebooks_that_declare_them_and_failures_name_the_cell(nbdir, tmp_path):
    build = tmp_path / "build"
    out = runner.run_notebooks(parameters={"n": 5, "results_dir": str(tmp_path / "r")}, notebook_dir=nbdir,
                               build_dir=build, progress_bar=False, only=["00_ok"])
    assert [p.name for p in out] == ["00_ok.ipynb"] and (tmp_path / "r" / "figures" / "group_5.png").is_file()
    with pytest.raises(runner.NotebookFailed) as info:
        runner.run_notebooks(parameters={"m": 2}, notebook_dir=nbdir, build_dir=build, progress_bar=False,
                             only=["01_fail"])
    # cell 4 of the notebook: markdown, parameters, x = 1, the assertion
    assert str(info.value) == ("nb/01_fail.ipynb failed in cell 4 (assert m == 1, 'm must be 1'): "
                               "AssertionError: m must be 1")
    assert "assert m == 1" in runner.strip_ansi(info.value.details)


def _pages(folder: Path) -> set[str]:
    """The files of a run folder, its local copy of MathJax (many files) left out."""
    return {name for name in _files(folder) if not name.startswith("mathjax/")}


# ------------------------------------------------------------------ the output folder


def test_out_holds_exactly_the_last_run_with_its_manifest(nbdir, tmp_path):
    out = tmp_path / "run"
    first = runner.run(parameters={"n": 1}, out=out, notebook_dir=nbdir, only=["00_ok"], progress_bar=False)
    assert first.results_dir == out / "results" and first.report == out / "report.html"
    assert _pages(out) == {"manifest.json", "report.html", "explorer.html", "notebooks/00_ok.ipynb",
                           "notebooks/00_ok.html", "results/figures/group_1.png", "results/README.md"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    root = bundled_corpus_root().resolve()
    assert manifest["format"] == "c6lab-run/1" and manifest["notebooks"] == ["00_ok"]
    assert manifest["corpus"] == {"folder": str(root), "version": open_corpus(root).version,
                                  "unreviewed_segments": 0}
    assert manifest["given"] == {"n": 1}
    assert manifest["parameters"] == {"00_ok": {"corpus_root": str(root), "results_dir": str(out / "results"),
                                                "n": 1}}
    assert manifest["c6lab_version"] and manifest["packages"]["papermill"]
    assert manifest["started"] <= manifest["finished"]
    # the executed copy names the final folder, not the fresh one it ran in
    executed = (out / "notebooks" / "00_ok.ipynb").read_text(encoding="utf-8")
    assert ".partial-" not in executed and json.dumps(str(out / "results"))[1:-1] in executed

    second = runner.run(parameters={"n": 2}, out=out, notebook_dir=nbdir, only=["00_ok"], progress_bar=False)
    assert second.executed == [out / "notebooks" / "00_ok.ipynb"]
    files = _files(out)
    assert "results/figures/group_2.png" in files and "results/figures/group_1.png" not in files
    assert json.loads(files["manifest.json"])["given"] == {"n": 2}
    assert _siblings(out) == []  # no fresh or old folder left beside it


def test_a_failed_run_leaves_the_previous_output_untouched(nbdir, tmp_path):
    out = tmp_path / "run"
    runner.run(out=out, notebook_dir=nbdir, only=["00_ok"], progress_bar=False)
    before = _files(out)
    with pytest.raises(runner.NotebookFailed, match="01_fail.ipynb failed in cell 4"):
        runner.run(parameters={"n": 3, "m": 2}, out=out, notebook_dir=nbdir, progress_bar=False)
    assert _files(out) == before and _siblings(out) == []
    # --debug keeps the unfinished run for inspection, and says where
    with pytest.raises(runner.NotebookFailed) as info:
        runner.run(parameters={"n": 3, "m": 2}, out=out, notebook_dir=nbdir, progress_bar=False,
                   keep_partial=True)
    kept = _siblings(out)
    assert len(kept) == 1 and kept[0].startswith("run.partial-") and kept[0] in str(info.value)
    assert (out.parent / kept[0] / "results" / "figures" / "group_3.png").is_file()
    assert _files(out) == before


def test_default_folders_are_replaced_whole_and_foreign_folders_refused(nbdir, tmp_path):
    build, results = tmp_path / "build", tmp_path / "results"
    runner.run(parameters={"n": 1}, build_dir=build, results_dir=results, notebook_dir=nbdir, only=["00_ok"],
               progress_bar=False)
    runner.run(parameters={"n": 2}, build_dir=build, results_dir=results, notebook_dir=nbdir, only=["00_ok"],
               progress_bar=False)
    assert set(_files(results)) == {"figures/group_2.png", "manifest.json", "README.md"}
    assert _pages(build) == {"manifest.json", "report.html", "explorer.html", "notebooks/00_ok.ipynb",
                             "notebooks/00_ok.html"}
    assert _files(results)["manifest.json"] == _files(build)["manifest.json"]
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    (foreign / "chapter1.tex").write_text("...")
    with pytest.raises(runner.RunError, match=r"results folder .*thesis: the folder exists "
                                              "and was not written by c6lab run"):
        runner.run(build_dir=build, results_dir=foreign, notebook_dir=nbdir, only=["00_ok"], progress_bar=False)
    assert (foreign / "chapter1.tex").is_file()


def test_out_must_be_new_empty_or_an_earlier_run(nbdir, tmp_path, corpus_copy):
    kw = {"notebook_dir": nbdir, "only": ["00_ok"], "progress_bar": False}
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(runner.RunError, match="--out .*busy: the folder exists and was not written by c6lab run"):
        runner.run(out=busy, **kw)
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(runner.RunError, match="is a file, not a folder"):
        runner.run(out=afile, **kw)
    with pytest.raises(runner.RunError, match="a run replaces this folder whole, and it holds the corpus"):
        runner.run(out=tmp_path, corpus=corpus_copy, **kw)
    empty = tmp_path / "empty"
    empty.mkdir()
    runner.run(out=empty, **kw)
    assert (empty / "manifest.json").is_file() and (busy / "notes.txt").read_text() == "mine"


def test_in_place_stores_outputs_without_injected_parameters(nbdir, tmp_path, monkeypatch):
    # no parameter reaches the notebooks: the kernels are told the results folder ($C6LAB_RESULTS)
    results = tmp_path / "results"
    (results / "figures").mkdir(parents=True)
    (results / "figures" / "group_9.png").write_text("from an earlier run")
    (results / "manifest.json").write_text(json.dumps({"format": "c6lab-run/1"}))
    original = nbformat.read(nbdir / "00_ok.ipynb", as_version=4)
    kw = {"notebook_dir": nbdir, "progress_bar": False, "build_dir": tmp_path / "build", "results_dir": results}
    _notebook(nbdir / "02_broken.ipynb", "k = 1", "raise RuntimeError('broken')")
    with pytest.raises(runner.NotebookFailed, match="02_broken"):  # a failure leaves everything as it was
        runner.run(in_place=True, **kw)
    assert set(_files(results)) == {"figures/group_9.png", "manifest.json"} and _siblings(results) == []
    assert nbformat.read(nbdir / "00_ok.ipynb", as_version=4) == original
    runner.run(in_place=True, only=["00_ok"], **kw)
    stored = nbformat.read(nbdir / "00_ok.ipynb", as_version=4)
    assert [c.source for c in stored.cells] == [c.source for c in original.cells]  # no injected cell
    assert stored.cells[2].outputs[0]["text"] == "wrote 1\n"
    assert set(_files(results)) == {"figures/group_1.png", "manifest.json", "README.md"}
    assert _siblings(results) == []
    assert _pages(tmp_path / "build") == {"manifest.json", "report.html", "explorer.html", "notebooks/00_ok.ipynb",
                                          "notebooks/00_ok.html"}
    for bad in ({"parameters": {"n": 2}}, {"out": tmp_path / "o"}):
        with pytest.raises(runner.RunError, match="cannot be combined with -p, --corpus or --out"):
            runner.run(in_place=True, notebook_dir=nbdir, **bad)


def test_in_place_only_for_the_default_corpus(nbdir, corpus_copy, capsys):
    with pytest.raises(runner.RunError, match="--in-place runs the notebooks on the corpus they open by default"):
        runner.run(in_place=True, corpus=corpus_copy, notebook_dir=nbdir)
    assert cli(["run", "--in-place", "--corpus", str(corpus_copy)]) == 1
    assert _one_line(capsys.readouterr().err) == (
        f"c6lab run: --in-place refreshes the outputs stored for the bundled corpus, not for {corpus_copy} "
        "(give no --corpus and unset $C6LAB_CORPUS)")


def test_folders_are_not_parameters(nbdir):
    with pytest.raises(runner.RunError,
                       match="results_dir: give the corpus, the output folder and the Dask scheduler as corpus="):
        runner.run(parameters={"results_dir": "/tmp"}, notebook_dir=nbdir)


def test_corpus_version_changes_with_any_file(corpus_copy):
    v1 = open_corpus(corpus_copy).version
    assert open_corpus(corpus_copy).version == v1
    (corpus_copy / "lexicons" / "phrases.txt").write_text("green economy\n", encoding="utf-8")
    v2 = open_corpus(corpus_copy).version
    assert v2 != v1
    # a list falling back to the package default is part of the version too: same lists, same version
    (corpus_copy / "lexicons" / "stopwords.txt").unlink()
    assert open_corpus(corpus_copy).version != v2


# ------------------------------------------------------------------ the command line


@pytest.fixture
def fake_kernels(monkeypatch):
    """Stand-in for papermill: each 'notebook' writes a figure named after the corpus folder."""
    calls = []

    def fake(only=None, parameters=None, notebook_dir=None, build_dir=None, progress_bar=True, shown=None,
             after_each=None, save_each_cell=False):
        calls.append(dict(parameters))
        figures = Path(parameters["results_dir"]) / "figures"
        figures.mkdir(parents=True, exist_ok=True)
        (figures / f"{Path(parameters['corpus_root']).name}.png").write_text("figure")
        executed = []
        for name in only:
            path = build_dir / "notebooks" / f"{name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nbformat.v4.new_notebook(), path)
            executed.append(path)
        return executed

    monkeypatch.setattr(runner, "run_notebooks", fake)
    return calls


def _one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    return err.strip()


def test_cli_out_swap(fake_kernels, corpus_copy, tmp_path, capsys):
    out = tmp_path / "run"
    other = tmp_path / "other_corpus"
    corpus_copy.rename(other)
    assert cli(["run", "--only", "00_corpus", "--out", str(out), "--no-progress"]) == 0
    assert cli(["run", "--only", "00_corpus", "--corpus", str(other), "--out", str(out), "--no-progress",
                "-p", "concordance_window=3"]) == 0
    assert set(_files(out / "results")) == {"figures/other_corpus.png", "README.md"}
    assert fake_kernels[-1]["concordance_window"] == 3
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["corpus"]["folder"] == str(other) and manifest["given"] == {"concordance_window": 3}
    assert manifest["parameters"]["00_corpus"]["concordance_window"] == 3
    assert manifest["parameters"]["00_corpus"]["concordance_terms"] == ["Middle Corridor", "United States",
                                                                        "China", "Russia"]
    assert f"report: {out / 'report.html'}" in capsys.readouterr().out


def test_cli_missing_corpus(fake_kernels, tmp_path, capsys):
    assert cli(["run", "--corpus", str(tmp_path / "nowhere"), "--no-progress"]) == 1
    assert _one_line(capsys.readouterr().err) == f"c6lab run: corpus folder {tmp_path / 'nowhere'} not found"
    assert fake_kernels == []


def test_cli_invalid_corpus_lists_every_problem(fake_kernels, corpus_copy, capsys):
    articles = corpus_copy / "articles.csv"
    articles.write_text(articles.read_text(encoding="utf-8").replace("c9d2a1686da9", "000000000000"),
                        encoding="utf-8")
    (corpus_copy / "raw" / "anewz_bayramli_c6_interview.txt").unlink()
    assert cli(["run", "--corpus", str(corpus_copy), "--no-progress"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"c6lab run: the corpus {corpus_copy} has ") and "nothing was run" in lines[0]
    assert any(line.startswith("  articles.csv, row 2, field 'sha256': ") for line in lines[1:])
    assert any(line.startswith("  articles.csv, row 3, field 'raw_file': ") for line in lines[1:])
    assert fake_kernels == []


def test_cli_notebook_needs_hand_labels(fake_kernels, corpus_copy, capsys):
    (corpus_copy / "annotations" / "power_sentiment_gold.csv").unlink()
    assert cli(["run", "--corpus", str(corpus_copy), "--no-progress"]) == 1
    assert _one_line(capsys.readouterr().err).startswith(
        "c6lab run: 03_sentiment needs the hand labels of the mentions of the powers in ")
    assert fake_kernels == []
    assert cli(["run", "--corpus", str(corpus_copy), "--only", "00_corpus", "--out",
                str(corpus_copy.parent / "run"), "--no-progress"]) == 0


@pytest.mark.parametrize("args, message", [
    (["--only", "05_nothing"], "c6lab run: --only 05_nothing: no such notebook in notebooks/ (there are: 00_corpus, "),
    (["--in-place", "-p", "k_max=4"], "c6lab run: --in-place refreshes the stored outputs of the default run; "
     "it cannot be combined with -p, --corpus or --out"),
    (["--only", "00_corpus", "-p", "k_max=4"], "c6lab run: -p k_max=4: k_max is a parameter of 02_topics, "
     "which this run does not include"),
])
def test_cli_usage_mistakes_are_one_line(fake_kernels, args, message, capsys):
    assert cli(["run", "--no-progress", *args]) == 1
    assert _one_line(capsys.readouterr().err).startswith(message)
    assert fake_kernels == []


def test_cli_out_refuses_a_foreign_folder(fake_kernels, tmp_path, capsys):
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.tex").write_text("...")
    assert cli(["run", "--out", str(tmp_path / "thesis"), "--no-progress"]) == 1
    assert _one_line(capsys.readouterr().err) == (
        f"c6lab run: --out {tmp_path / 'thesis'}: the folder exists and was not written by c6lab run "
        "(it has no manifest.json); a run replaces its folder whole, so give a new or empty folder")


def test_cli_failed_notebook_exit_3_and_previous_output_kept(fake_kernels, monkeypatch, tmp_path, capsys):
    out = tmp_path / "run"
    assert cli(["run", "--only", "00_corpus", "--out", str(out), "--no-progress"]) == 0
    before = _files(out)

    def failing(**kwargs):
        Path(kwargs["build_dir"], "half-written").write_text("x")
        raise runner.NotebookFailed("notebooks/01_keywords.ipynb failed in cell 10 (results = ...): "
                                    "ValueError: bad", "\x1b[31mTraceback\x1b[0m ...")

    monkeypatch.setattr(runner, "run_notebooks", failing)
    capsys.readouterr()
    assert cli(["run", "--only", "01_keywords", "--out", str(out), "--no-progress"]) == 3
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == ("c6lab run: notebooks/01_keywords.ipynb failed in cell 10 (results = ...): "
                        "ValueError: bad; nothing was replaced (--debug keeps the unfinished run)")
    assert lines[1] == "Traceback ..."  # the cell's traceback, without colour codes when not on a terminal
    assert _files(out) == before and _siblings(out) == []


def test_cli_internal_error_is_one_line_and_traceback_only_with_debug(monkeypatch, capsys):
    def bug(*args, **kwargs):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(runner, "run", bug)
    assert cli(["run", "--no-progress"]) == 4
    assert _one_line(capsys.readouterr().err) == (
        "c6lab: internal error: ZeroDivisionError: division by zero (run with --debug for the traceback)")
    for argv in (["--debug", "run"], ["run", "--debug"]):
        assert cli([*argv, "--no-progress"]) == 4
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err and err.strip().endswith(
            "c6lab: internal error: ZeroDivisionError: division by zero")


def test_cli_internal_error_in_a_real_process_prints_no_traceback():
    code = ("import sys\n"
            "from c6lab import runner\n"
            "def bug(*a, **k):\n"
            "    raise KeyError('boom')\n"
            "runner.run = bug\n"
            "from c6lab.cli import main\n"
            "sys.exit(main(['run', '--no-progress']))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4
    assert proc.stderr == "c6lab: internal error: KeyError: 'boom' (run with --debug for the traceback)\n"


def test_cli_help_documents_the_exit_statuses(capsys):
    with pytest.raises(SystemExit):
        cli(["--help"])
    out = capsys.readouterr().out
    assert "--debug" in out
    for code in ("0    done", "1    the input is wrong", "2    the command line", "3    c6lab run: a notebook failed",
                 "4    internal error", "130  interrupted"):
        assert code in out
