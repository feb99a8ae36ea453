"""Shared by the benchmark scripts: a clean import path and a best-of-n timer.

``benchmarks/tokenize.py`` shares its name with the standard library's tokenize module,
so this folder is taken off the import path as soon as a script imports this module;
otherwise ``import sklearn`` (or ``inspect``) would import that script instead.
"""

from __future__ import annotations

import os
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]


def best_of(fn, docs, repeats: int = 3) -> float:
    """Fastest of ``repeats`` passes of ``fn`` over ``docs``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for d in docs:
            fn(d)
        best = min(best, time.perf_counter() - t0)
    return best
