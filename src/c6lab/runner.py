"""Execute the notebooks in order: what ``c6lab run`` and ``make run`` do."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .paths import REPO_ROOT


def notebook_paths(notebook_dir: Path, only: list[str] | None = None) -> list[Path]:
    """Notebooks of ``notebook_dir`` in name order, optionally only those named."""
    paths = sorted(notebook_dir.glob("[0-9][0-9]_*.ipynb"))
    if only:
        names = {p.stem for p in paths}
        missing = [n for n in only if n not in names]
        if missing:
            raise SystemExit(f"c6lab run: no notebook named {', '.join(missing)} in {notebook_dir}")
        paths = [p for p in paths if p.stem in only]
    return paths


def run_notebooks(only: list[str] | None = None, in_place: bool = False,
                  notebook_dir: Path | None = None, build_dir: Path | None = None) -> int:
    """Execute notebooks with papermill; return a process exit code."""
    import papermill as pm  # imported here: heavy, and only the runner needs it

    notebook_dir = notebook_dir or REPO_ROOT / "notebooks"
    build_dir = build_dir or REPO_ROOT / "build" / "notebooks"
    build_dir.mkdir(parents=True, exist_ok=True)
    for path in notebook_paths(notebook_dir, only):
        out = build_dir / path.name
        print(f"c6lab run: {path.name}", file=sys.stderr)
        try:
            pm.execute_notebook(str(path), str(out), cwd=str(notebook_dir), progress_bar=True,
                                kernel_name="python3")
        except pm.PapermillExecutionError as exc:
            print(f"c6lab run: {path.name} failed in cell {exc.exec_count}:\n"
                  f"{exc.ename}: {exc.evalue}", file=sys.stderr)
            print("".join(exc.traceback), file=sys.stderr)
            return 1
        if in_place:
            shutil.copyfile(out, path)
    return 0
