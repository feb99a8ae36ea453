"""The nbval suite against the same notebooks cut to their import cells: the ratio of their times.

The cut notebooks keep every cell up to and including the first one that imports c6lab (the
parameters cell and the imports), so the reference pays for the kernels, the imports and
nbval itself, and the ratio is what the analyses add. Both suites run with the options of
`make test`, in alternating turns, in this process's environment. Goal (issue 15): <= 1.5.

    .venv/bin/python benchmarks/nbval_ratio.py [--turns 2] [--libraries] [--allow-output-differences]

``--libraries`` imports matplotlib, scipy.stats and scikit-learn in the import cell of both
suites (c6lab imports them when an analysis first needs them): the ratio then leaves out the
libraries' first import, about a second per notebook that fits topics or scores tone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _timing  # noqa: F401  (takes this folder off the import path)

REPO = Path(__file__).resolve().parents[1]
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", str(REPO / "tests" / "nbval_sanitize.cfg"),
         "-p", "no:cacheprovider", "-q"]


#: --libraries: what the analyses import when first used (c6lab imports them lazily)
LIBRARIES = "import matplotlib.pyplot, scipy.stats, sklearn.decomposition, sklearn.metrics  # noqa\n"


def _cut(notebook: Path, out: Path, whole: bool = False, libraries: bool = False) -> None:
    """The notebook cut after its import cell (or ``whole``), the libraries imported there first."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and "import c6lab" in "".join(cell["source"]):
            if libraries:
                cell["source"] = [LIBRARIES, *cell["source"]] if isinstance(cell["source"], list) else \
                    LIBRARIES + cell["source"]
            if not whole:
                nb["cells"] = nb["cells"][: i + 1]
            break
    out.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def _suite(folder: Path, allow_differences: bool = False) -> float:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "pytest", *NBVAL, str(folder)], cwd=REPO,
                       stdout=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if p.returncode == 1 and allow_differences:  # cells whose output differs from the stored one
        print(f"  ({folder.name}: {p.stdout.strip().splitlines()[-1]})")
    elif p.returncode != 0:
        sys.exit(f"nbval failed on {folder.name}:\n{p.stdout[-3000:]}")
    return seconds


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
    a = ap.parse_args()
    turns = a.turns
    with tempfile.TemporaryDirectory() as tmp:
        full, cut = Path(tmp) / "full", Path(tmp) / "cut"
        full.mkdir()
        cut.mkdir()
        for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
            _cut(nb, full / nb.name, whole=True, libraries=a.libraries)
            _cut(nb, cut / nb.name, libraries=a.libraries)
        times_full, times_cut = [], []
        for _ in range(turns):
            times_cut.append(_suite(cut, a.allow_output_differences))
            times_full.append(_suite(full, a.allow_output_differences))
    f, c = min(times_full), min(times_cut)
    print(f"nbval, every notebook whole:         {f:6.1f} s (best of {turns})")
    print(f"nbval, notebooks cut to their imports: {c:6.1f} s")
    print(f"ratio (goal <= 1.5): {f / c:.2f}")


if __name__ == "__main__":
    main()
