"""Tone scoring time against the length of one text: the log-log slope should be near 1.

score_text runs on one text of 10 kB, 100 kB and 1 MB (``--max-mb 10`` adds 10 MB) in
two shapes, built from the corpus's own paragraphs:

* ``paragraphs``: the corpus paragraphs that mention a power, repeated, one per line;
* ``one run``: the same words with every sentence end and line break removed, so the
  whole text is one "sentence" (the case that was quadratic: 1 MB took minutes).

Prints seconds and mentions per size and the slope of log(time) on log(size) per shape
and method (1.0: linear; 2.0: quadratic). Not a test: timings depend on the machine.

Run: .venv/bin/python benchmarks/linear_tone.py [--max-mb 10]
"""

from __future__ import annotations

import argparse
import math
import re
import time

from _timing import best_of  # noqa: F401  (first: it fixes the import path, see _timing.py)

import c6lab
from c6lab.sentiment import score_text


def texts(size: int) -> dict[str, str]:
    corpus = c6lab.open_corpus()
    paras = [t for t in corpus.select()["text"] if corpus.lexicons.alias_matcher.regex.search(t)]
    block = "\n".join(paras)
    para_text = ("\n".join([block] * (size // len(block) + 1)))[:size]
    run = re.sub(r"[.!?]+|\n", " ", para_text)
    return {"paragraphs": para_text, "one run": run}


def slope(sizes: list[int], times: list[float]) -> float:
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main(max_mb: float = 1.0) -> None:
    sizes = [s for s in (10_000, 100_000, 1_000_000, 10_000_000) if s <= max_mb * 1e6]
    score_text("China.")  # read the lists and the lexicon before timing
    results: dict[tuple[str, str], list[float]] = {}
    for size in sizes:
        for shape, text in texts(size).items():
            for method in ("masked_sentence", "window"):
                t0 = time.perf_counter()
                n = len(score_text(text, method=method))
                dt = time.perf_counter() - t0
                results.setdefault((shape, method), []).append(dt)
                print(f"{shape:10s} {method:16s} {size / 1e3:8.0f} kB {dt:8.2f} s {n:7d} mentions", flush=True)
    for (shape, method), times in results.items():
        print(f"log-log slope {shape:10s} {method:16s}: {slope(sizes, times):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=1.0)
    main(parser.parse_args().max_mb)
