"""The nbval suite against the same notebooks cut to their import cells: the ratio of their times.

The cut notebooks keep every cell up to and including the first one that imports c6lab (the
parameters cell and the imports), so the reference pays for the kernels, the imports and
nbval itself, and the ratio is what the analyses add. Both suites run with the options of
`make test` (among them ``-p tests.pytest_startup``, which spares every pytest process the 2 s
import of jsonschema's IRI grammars), in alternating turns, in this process's environment.
Goal (issue 15): <= 1.5.

    .venv/bin/python benchmarks/nbval_ratio.py [--turns 2] [--cells] [--libraries] [--allow-output-differences]

It also prints the CPU time of both suites (pytest and the kernels it ran), which a busy
machine changes less than their wall time. ``--cells`` also prints, from the best whole-suite
turn, each notebook's time in its cells after the import cell (pytest's call durations of nbval's
cell tests) and the slowest of those cells.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _timing  # noqa: F401  (takes this folder off the import path)

REPO = Path(__file__).resolve().parents[1]
NBVAL = ["-p", "tests.pytest_startup", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", str(REPO / "tests" / "nbval_sanitize.cfg"), "-p", "no:cacheprovider", "-q",
         "--durations=0", "--durations-min=0"]
#: a line of pytest's durations report: seconds, phase, notebook, cell number
DURATION = re.compile(r"^([0-9.]+)s call\s+(?:.*/)?([^/]+\.ipynb)::Cell (\d+)$")


#: --libraries: what the analyses import when first used (c6lab imports them lazily)
LIBRARIES = "import matplotlib.pyplot, scipy.stats, sklearn.decomposition, sklearn.metrics  # noqa\n"


def _cut(notebook: Path, out: Path, whole: bool = False, libraries: bool = False) -> int:
    """The notebook cut after its import cell (or ``whole``), the libraries imported there first.

    Returns the number nbval gives the import cell (its count among the code cells).
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = -1
    for i, cell in enumerate(nb["cells"]):
        code += cell["cell_type"] == "code"
        if cell["cell_type"] == "code" and "import c6lab" in "".join(cell["source"]):
            if libraries:
                cell["source"] = [LIBRARIES, *cell["source"]] if isinstance(cell["source"], list) else \
                    LIBRARIES + cell["source"]
            if not whole:
                nb["cells"] = nb["cells"][: i + 1]
            break
    out.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return code


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (pytest and the kernels it waited for)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _suite(folder: Path, allow_differences: bool = False) -> tuple[float, str, float]:
    t0, c0 = time.perf_counter(), _children_cpu()
    p = subprocess.run([sys.executable, "-m", "pytest", *NBVAL, str(folder)], cwd=REPO,
                       stdout=subprocess.PIPE, text=True)
    seconds, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if p.returncode == 1 and allow_differences:  # cells whose output differs from the stored one
        print(f"  ({folder.name}: {p.stdout.strip().splitlines()[-1]})")
    elif p.returncode != 0:
        sys.exit(f"nbval failed on {folder.name}:\n{p.stdout[-3000:]}")
    return seconds, p.stdout, cpu


def _cells(report: str, first_cells: dict[str, int]) -> None:
    """Per notebook: seconds in the cells after the import cell, and the slowest of them."""
    per_nb: dict[str, float] = {}
    slow = []
    for line in report.splitlines():
        m = DURATION.match(line.strip())
        if m and int(m.group(3)) > first_cells.get(m.group(2), -1):
            per_nb[m.group(2)] = per_nb.get(m.group(2), 0.0) + float(m.group(1))
            slow.append((float(m.group(1)), f"{m.group(2)} cell {m.group(3)}"))
    for name, seconds in sorted(per_nb.items()):
        print(f"  {name}: {seconds:5.1f} s in the cells after the import cell")
    print("  slowest: " + ", ".join(f"{where} {sec:.2f} s" for sec, where in sorted(slow, reverse=True)[:6]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=2)
    ap.add_argument("--allow-output-differences", action="store_true",
                    help="time the suites even when some cells' outputs differ from the stored ones "
                         "(stored outputs not yet refreshed); the failures are printed")
    ap.add_argument("--libraries", action="store_true",
                    help="both suites import matplotlib, scipy.stats and scikit-learn in the import cell: "
                         "the ratio of the analyses without the libraries' first import (a diagnostic; "
                         "the goal is on the plain ratio)")
    ap.add_argument("--cells", action="store_true",
                    help="also print each notebook's seconds after its import cell, and the slowest cells")
    a = ap.parse_args()
    turns = a.turns
    with tempfile.TemporaryDirectory() as tmp:
        full, cut = Path(tmp) / "full", Path(tmp) / "cut"
        full.mkdir()
        cut.mkdir()
        first_cells = {}
        for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
            first_cells[nb.name] = _cut(nb, full / nb.name, whole=True, libraries=a.libraries)
            _cut(nb, cut / nb.name, libraries=a.libraries)
        times_full, times_cut = [], []
        for _ in range(turns):
            times_cut.append(_suite(cut, a.allow_output_differences))
            times_full.append(_suite(full, a.allow_output_differences))
    (f, report, _), (c, _, _) = min(times_full), min(times_cut)
    cpu_f, cpu_c = min(t[2] for t in times_full), min(t[2] for t in times_cut)
    print(f"nbval, every notebook whole:         {f:6.1f} s (best of {turns})")
    print(f"nbval, notebooks cut to their imports: {c:6.1f} s")
    print(f"ratio (goal <= 1.5): {f / c:.2f}")
    # CPU time moves less than wall time on a shared machine (a diagnostic; the goal is on wall time)
    print(f"CPU of the suites (pytest and kernels): {cpu_f:.1f} s whole, {cpu_c:.1f} s cut, ratio {cpu_f / cpu_c:.2f}")
    if a.cells:
        _cells(report, first_cells)


if __name__ == "__main__":
    main()
