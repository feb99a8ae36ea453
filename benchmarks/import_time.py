"""`import c6lab` against `import pandas`: the ratio of their start-up times.

Each import runs in a fresh interpreter (``python -X importtime`` is not used: it adds its
own cost). The two are run in alternating turns so that load on a shared machine hits
both alike; the figure is the median of the per-turn ratios. Goal (issue 15): <= 1.2.

    .venv/bin/python benchmarks/import_time.py [--turns 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import _timing  # noqa: F401  (takes this folder off the import path)

HEAVY = ("scipy", "sklearn", "matplotlib", "nltk", "vaderSentiment", "jinja2", "gensim", "torch", "transformers")


def _once(statement: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=15)
    turns = ap.parse_args().turns
    _once("import c6lab")  # warm the file cache for both
    base = _once("pass")
    pandas, ours = [], []
    for _ in range(turns):
        pandas.append(_once("import pandas") - base)
        ours.append(_once("import c6lab") - base)
    ratios = [o / p for o, p in zip(ours, pandas)]
    loaded = subprocess.run([sys.executable, "-c", "import sys, c6lab; print(' '.join(sorted(m for m in "
                             f"{HEAVY!r} if m in sys.modules)))"], check=True, capture_output=True, text=True)
    print(f"interpreter start-up alone: {base * 1000:.0f} ms (subtracted from both)")
    print(f"import pandas: median {statistics.median(pandas) * 1000:.0f} ms over {turns} turns")
    print(f"import c6lab:  median {statistics.median(ours) * 1000:.0f} ms")
    print(f"ratio c6lab / pandas: median {statistics.median(ratios):.2f} "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f}); goal <= 1.2")
    print(f"heavy modules loaded by import c6lab: {loaded.stdout.strip() or 'none'}")


if __name__ == "__main__":
    main()
