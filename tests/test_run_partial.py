"""--debug (keep_partial): a kernel that dies leaves the executed copy as far as it got."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from c6lab import runner


def test_the_unfinished_run_shows_the_last_cell_a_dead_kernel_reached(tmp_path):
    from test_run_faults import _notebook

    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_dies.ipynb", "n = 1", "print('reached', n)", "import os\nos._exit(9)  # out of memory")
    with pytest.raises(runner.NotebookFailed, match="its kernel died") as info:
        runner.run(out=tmp_path / "run", notebook_dir=nbdir, progress_bar=False, keep_partial=True)
    kept = Path(re.search(r"the unfinished run is kept in (.+)\)$", str(info.value)).group(1))
    (side,) = kept.rglob(".00_dies.running.ipynb")  # saved after every cell, as far as it got
    outputs = [o.get("text", "") for c in nbformat.read(side, as_version=4).cells if c.cell_type == "code"
               for o in c.get("outputs", [])]
    assert outputs == ["reached 1\n"]
