"""Loading a corpus from its files against loading its derived tables (``c6lab.corpus.cache``).

For each corpus folder, each way of loading runs in a fresh process (with the libraries a
notebook imports, as ``benchmarks/scale.py`` does) and reports its wall time and the
process's peak resident memory:

=========== =========================================================================
files       ``open_corpus(root, cache=False)``: validate, parse, build the tables
miss        ``open_corpus(root, cache=True)`` with no cache: the same, plus writing it
hit         ``open_corpus(root, cache=True)`` with the cache just written
=========== =========================================================================

and the ratio files / hit, of wall time and of CPU time (the process's own: on a machine
shared with other work, wall time also measures the others). The folder's ``.c6lab-cache``
is deleted first (it is derived data) and left written at the end.

Run: .venv/bin/python benchmarks/load_cache.py CORPUS [CORPUS ...] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import _timing  # noqa: F401  first: takes this folder off the import path

MODES = {"files": False, "miss": True, "hit": True}


def worker(root: str, mode: str) -> dict:
    import resource

    import sklearn.decomposition  # noqa: F401  what a notebook has imported before it loads

    import c6lab
    import c6lab.keywords  # noqa: F401
    import c6lab.sentiment  # noqa: F401
    import c6lab.topics  # noqa: F401

    t0, c0 = time.perf_counter(), time.process_time()
    corpus = c6lab.open_corpus(root, cache=MODES[mode])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"mode": mode, "seconds": seconds, "cpu": cpu, "segments": len(corpus.segments),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(root: Path, mode: str) -> dict:
    if mode == "miss":
        shutil.rmtree(root / ".c6lab-cache", ignore_errors=True)
    p = subprocess.run([sys.executable, __file__, "--worker", mode, str(root)], capture_output=True, text=True,
                       check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpora", nargs="+", type=Path)
    p.add_argument("--repeats", type=int, default=1, help="runs of each mode (the fastest is shown)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        print(json.dumps(worker(str(a.corpora[0]), a.worker)))
        return
    print("| corpus | segments | from files | cache miss (load + write) | cache hit | files / hit |")
    print("|---|---|---|---|---|---|")
    for root in a.corpora:
        best = {}
        for _ in range(a.repeats):
            for mode in MODES:
                r = run(root, mode)
                if mode not in best or r["seconds"] < best[mode]["seconds"]:
                    best[mode] = r
        cells = [f"{best[m]['seconds']:.2f} s, CPU {best[m]['cpu']:.2f} s ({best[m]['peak_mb']:.0f} MB)" for m in MODES]
        size = sum(f.stat().st_size for f in (root / ".c6lab-cache").glob("tables-*.npz")) / 2**20
        print(f"| {root.name} | {best['files']['segments']:,} | " + " | ".join(cells)
              + f" | {best['files']['seconds'] / best['hit']['seconds']:.1f}×, CPU "
              f"{best['files']['cpu'] / best['hit']['cpu']:.1f}× (cache {size:.0f} MB) |")


if __name__ == "__main__":
    main()
