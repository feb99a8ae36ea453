"""Notebooks: paired .py files in sync, a parameters cell, clean stored outputs."""

from __future__ import annotations

import json
import re

import pytest

from c6lab.paths import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _read(path):
    import jupytext  # here, not at collection: only the worker that runs these tests pays for it

    return jupytext.read(path)


def _cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_paired_py_file_is_in_sync(path):
    py = path.with_suffix(".py")
    assert py.exists(), f"{py.name} missing: pair it with jupytext --set-formats ipynb,py:percent"
    assert _cells(_read(path)) == _cells(_read(py)), (
        f"{path.name} and {py.name} differ: run `jupytext --sync {py.name}`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_has_a_papermill_parameters_cell_first(path):
    code = [c for c in _read(path).cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_are_complete_and_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code if c["source"]), "unexecuted cells"
    counts = [c["execution_count"] for c in code]
    assert counts == sorted(counts), "cells were executed out of order"
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    text = json.dumps(outputs)
    assert not re.search(r"/(work|root|home|tmp)/", text), "a machine path in stored outputs"
