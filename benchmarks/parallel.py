"""Dask partitions against one process: the same steps, the same corpus, the time of each.

Builds (or reuses) an n-times corpus with ``benchmarks/synthetic.py``, then times, in this
process and on a ``LocalCluster`` of ``--workers`` worker processes: the segment counts
(``dfm``), the sentence counts, the tone table (``score_mentions``, masked sentence) and
the mention search. Each step is checked to give the identical result before its time is
printed. The cluster's start-up is timed apart (a cluster that stays up pays it once).
Every step runs once on the cluster before it is timed (workers import c6lab and compile
the word lists on first use); each time is the best of ``--repeats`` runs. Prints seconds
and the ratio dask / one process (below 1: the cluster is faster).

First it measures what the machine can give: the same counting in ``--workers`` plain
processes side by side, without Dask (``capacity``: about ``--workers`` with free cores,
1 or less on a machine busy with other work). The ratios mean something only against it.

Run: .venv/bin/python benchmarks/parallel.py --scale 100 --workers 2
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

try:
    import _timing  # noqa: F401  first: takes this folder off the import path (see _timing.py)
except ModuleNotFoundError:  # a worker process re-imports this script with that path already fixed
    pass
import numpy as np
import pandas as pd

import c6lab
from c6lab.parallel import Engine

HERE = Path(__file__).resolve().parent


def same(a, b) -> bool:
    if isinstance(a, c6lab.DocumentTermMatrix):
        return (a.terms.tolist() == b.terms.tolist() and a.docvars.equals(b.docvars)
                and all(np.array_equal(getattr(a.matrix, p), getattr(b.matrix, p))
                        for p in ("indptr", "indices", "data")))
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    return True


def timed(fn, repeats: int = 1):
    """Fastest of ``repeats`` calls, in seconds, and the result."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _count(texts: list[str]) -> float:
    """Seconds to count ``texts`` in the calling process (the pool's work in the capacity check)."""
    from c6lab.parallel.partitions import dfm_part

    t0 = time.perf_counter()
    dfm_part(texts, c6lab.Lexicons.default(), "segment", None)
    return time.perf_counter() - t0


def capacity(texts: list[str], n: int) -> float:
    """How many processes' worth of work this machine does with ``n`` running at once (no Dask).

    ``n`` plain processes count the same texts side by side; ``n`` free cores give about
    ``n``, a machine busy with other work less.
    """
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(n) as pool:
        list(pool.map(_count, [texts[:50]] * n))  # start the processes, import c6lab
        alone = min(pool.submit(_count, texts).result() for _ in range(2))
        t0 = time.perf_counter()
        list(pool.map(_count, [texts] * n))
        together = time.perf_counter() - t0
    return n * alone / together


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3, help="best of this many runs per step")
    ap.add_argument("--corpus", type=Path, default=None, help="default: /tmp/c6lab_dask_<scale>x (built if missing)")
    args = ap.parse_args()
    root = args.corpus or Path(f"/tmp/c6lab_dask_{args.scale}x")
    if not root.exists():
        subprocess.run([sys.executable, str(HERE / "synthetic.py"), "--scale", str(args.scale), "--out", str(root)],
                       check=True)
    corpus = c6lab.open_corpus(root)
    lex, speech = corpus.lexicons, corpus.select(["quote", "paraphrase", "narrative"])
    print(f"corpus: {root} ({len(corpus.articles)} articles, {len(speech)} segments, "
          f"{speech['text'].str.len().sum() / 1e6:.1f} M characters)")
    steps = {
        "counts (segments)": lambda run: run.dfm(speech, lex),
        "counts (sentences)": lambda run: run.dfm(speech, lex, unit="sentence"),
        "tone (score_mentions)": lambda run: run.score_mentions(speech, lexicons=lex),
        "mentions (find_mentions)": lambda run: run.find_mentions(speech, lexicons=lex),
    }
    print(f"capacity of this machine for {args.workers} processes side by side (no Dask): "
          f"{capacity(speech['text'].tolist()[:5000], args.workers):.2f} processes' worth")
    one = Engine()
    single = {name: timed(lambda f=f: f(one), args.repeats) for name, f in steps.items()}
    t_start, engine = timed(lambda: Engine(workers=args.workers))
    with engine:
        for f in steps.values():  # every worker imports, unpickles the lists and compiles them once
            f(engine)
        print(f"LocalCluster of {args.workers} workers started in {t_start:.1f} s")
        print(f"{'step':26s} {'one process':>12s} {'dask':>8s} {'ratio':>6s}")
        total = [0.0, 0.0]
        for name, f in steps.items():
            t_dask, out = timed(lambda f=f: f(engine), args.repeats)
            t_one, ref = single[name]
            assert same(ref, out), name
            total[0] += t_one
            total[1] += t_dask
            print(f"{name:26s} {t_one:11.2f}s {t_dask:7.2f}s {t_dask / t_one:6.2f}")
        print(f"{'all four':26s} {total[0]:11.2f}s {total[1]:7.2f}s {total[1] / total[0]:6.2f}  (identical results)")


if __name__ == "__main__":
    main()
