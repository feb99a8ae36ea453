"""c6lab run: parameters, failures that name the cell, the report."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from c6lab import open_corpus, runner
from c6lab.cli import main as cli


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


def test_parse_parameters_reads_yaml_values():
    assert runner.parse_parameters(["k_max=4", "group_by=outlet", "kinds=[quote, paraphrase]", "x="]) == {
        "k_max": 4, "group_by": "outlet", "kinds": ["quote", "paraphrase"], "x": ""}
    with pytest.raises(runner.RunError, match="name=value"):
        runner.parse_parameters(["k_max"])


def test_declared_parameters(tmp_path):
    nb = _notebook(tmp_path / "01_x.ipynb", "a = 1  # it's a comment\nb = [1, 2]", "c = 3")
    assert runner.declared_parameters(nb) == {"a": "1", "b": "[1, 2]"}


def test_only_and_unknown_names(tmp_path):
    _notebook(tmp_path / "00_a.ipynb", "x = 1")
    _notebook(tmp_path / "01_b.ipynb", "y = 1")
    assert [p.name for p in runner.notebook_paths(tmp_path, ["01_b"])] == ["01_b.ipynb"]
    with pytest.raises(runner.RunError, match="no notebook named 02_c"):
        runner.notebook_paths(tmp_path, ["02_c"])
    with pytest.raises(runner.RunError, match="no notebook has a parameter named z"):
        runner.run_notebooks(parameters={"z": 1}, notebook_dir=tmp_path, build_dir=tmp_path / "build")


def test_parameters_reach_only_the_notebooks_that_declare_them_and_failures_name_the_cell(tmp_path):
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_ok.ipynb", "n = 1", "assert n == 5, n")
    _notebook(nbdir / "01_fail.ipynb", "m = 1", "x = 1", "1 / 0")
    build = tmp_path / "build"
    out = runner.run_notebooks(parameters={"n": 5}, notebook_dir=nbdir, build_dir=build, progress_bar=False,
                               only=["00_ok"])
    assert [p.name for p in out] == ["00_ok.ipynb"]
    with pytest.raises(runner.RunError) as info:
        runner.run_notebooks(notebook_dir=nbdir, build_dir=build, progress_bar=False, only=["01_fail"])
    msg = str(info.value)
    # cell 4 of the notebook: markdown, parameters, x = 1, 1 / 0
    assert "nb/01_fail.ipynb failed in cell 4" in msg and "ZeroDivisionError" in msg


def test_in_place_cannot_take_parameters(tmp_path):
    with pytest.raises(runner.RunError, match="cannot be combined"):
        runner.run_notebooks(parameters={"a": 1}, in_place=True, notebook_dir=tmp_path)


def test_cli_run_reports_a_bad_parameter(capsys):
    assert cli(["run", "-p", "no_such_parameter=1", "--no-progress"]) == 1
    assert "no notebook has a parameter named no_such_parameter" in capsys.readouterr().err


def test_corpus_version_changes_with_any_file(corpus_copy):
    v1 = open_corpus(corpus_copy).version
    assert open_corpus(corpus_copy).version == v1
    (corpus_copy / "lexicons" / "phrases.txt").write_text("green economy\n", encoding="utf-8")
    v2 = open_corpus(corpus_copy).version
    assert v2 != v1
    # a list falling back to the package default is part of the version too: same lists, same version
    (corpus_copy / "lexicons" / "stopwords.txt").unlink()
    assert open_corpus(corpus_copy).version != v2
