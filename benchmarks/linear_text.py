"""Time against text length, 10 kB to 10 MB, for the per-text steps that must stay linear.

One text per size, built from the bundled corpus's paragraphs in a shuffled order (fixed
``random_state``) with a numbered sentence between them, so no two stretches are the same.
Stages: normalising, sentence splitting, tokenising (one call, the batch call on the
paragraphs, and the spans used by concordances) and segment numbering (the paragraph of
every segment, as the corpus loader computes it; one segment per paragraph).

Then the same for texts built to be hard: a run of dots, dots and quotes, dense
initials, one long word, long white space, many possessives.

Prints CPU seconds (best of several runs) per size and, per stage, the slope of log(time) against log(size) fitted
with ``numpy.polyfit``: 1 is linear, 2 quadratic. The smallest sizes carry a fixed cost,
so the slope is fitted from 100 kB up.

Run: .venv/bin/python benchmarks/linear_text.py [--max-mb 10]
"""

from __future__ import annotations

import argparse
import time

import _timing  # noqa: F401  (fixes the import path, see _timing.py)
import numpy as np

import c6lab
from c6lab.corpus.model import _segment_frame
from c6lab.text import SentenceSplitter

SIZES_KB = (10, 30, 100, 300, 1_000, 3_000, 10_000)


def build_text(n_chars: int, paragraphs: list[str], random_state: int = 0) -> str:
    """About ``n_chars`` characters: shuffled paragraphs, each after a numbered sentence."""
    rng = np.random.default_rng(random_state)
    out, size, k = [], 0, 0
    while size < n_chars:
        for i in rng.permutation(len(paragraphs)):
            k += 1
            para = f"Report {k} covered item {k * 7919 % 100_003}. {paragraphs[i]}"
            out.append(para)
            size += len(para) + 1
            if size >= n_chars:
                break
    return "\n".join(out)


def _segment_numbering(text: str) -> None:
    articles = {"a1": {"_text": text, "outlet": "o", "title": "t", "published": "2024", "raw_file": "a1.txt"}}
    pos, segments = 0, []
    for n, line in enumerate(text.split("\n")):
        segments.append({"article_id": "a1", "segment_id": f"s{n}", "kind": "narrative", "speaker_id": "",
                         "char_start": pos, "char_end": pos + len(line)})
        pos += len(line) + 1
    _segment_frame(articles, {}, segments)


def _timed(fn, arg, repeats: int) -> float:
    # CPU time of this process: on a machine shared with other work, wall time mostly
    # measures the others
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        fn(arg)
        best = min(best, time.process_time() - t0)
    return best


def main(max_mb: float = 10.0) -> None:
    corpus = c6lab.open_corpus()
    paragraphs = sorted({p for t in corpus.segments["text"] for p in t.split("\n") if p.strip()})
    tok, split = c6lab.Tokenizer(), SentenceSplitter(corpus.lexicons)
    tok("warm up")
    stages = {
        "normalize": c6lab.normalize,
        "sentence split": split.spans,
        "tokenize (call)": tok,
        "tokenize (pipe)": lambda t: list(tok.pipe(t.split("\n"))),
        "token spans": tok.spans,
        "segment numbering": _segment_numbering,
    }
    sizes = [kb * 1000 for kb in SIZES_KB if kb <= max_mb * 1000]
    times = {name: [] for name in stages}
    print(f"{'size':>10} " + " ".join(f"{name:>18}" for name in stages) + "   (seconds)")
    for size in sizes:
        text = build_text(size, paragraphs)
        repeats = 3 if size <= 3_000_000 else 2
        row = []
        for name, fn in stages.items():
            t = _timed(fn, text, repeats)
            times[name].append(t)
            row.append(t)
        print(f"{len(text):>10} " + " ".join(f"{t:>18.4f}" for t in row), flush=True)
    fit = [i for i, s in enumerate(sizes) if s >= 100_000]
    if len(fit) >= 2:
        print("\nlog-log slope (time ~ size^slope), fitted from 100 kB up:")
        for name in stages:
            x = np.log([sizes[i] for i in fit])
            y = np.log([max(times[name][i], 1e-9) for i in fit])
            print(f"  {name:18s} {np.polyfit(x, y, 1)[0]:.2f}")


# texts a user (or an attacker) can bring: each must stay linear too
HOSTILE = {
    "run of dots": lambda n: "." * n + "x",
    "dots and quotes": lambda n: '."' * (n // 2) + "x",
    "initials": lambda n: "The U.S. met Dr. J. D. Smith. " * (n // 30),
    "one long word": lambda n: "ab-" * (n // 3),
    "white space": lambda n: "A." + " \n\t" * (n // 3) + "B.",
    "possessives": lambda n: "Türkiye's Belt and Road's " * (n // 26),
}


def hostile(sizes=(100_000, 400_000, 1_600_000)) -> None:
    tok, split = c6lab.Tokenizer(), SentenceSplitter()
    print(f"\nhostile texts (CPU seconds at {', '.join(f'{s // 1000} kB' for s in sizes)}; slope)")
    for name, make in HOSTILE.items():
        for stage, fn in (("sentence split", split.spans), ("tokenize", tok)):
            ts = [_timed(fn, make(n), 2) for n in sizes]
            slope = np.polyfit(np.log(sizes), np.log([max(t, 1e-9) for t in ts]), 1)[0]
            print(f"  {name:16s} {stage:15s} " + " ".join(f"{t:8.4f}" for t in ts) + f"   {slope:.2f}",
                  flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=10.0, help="largest text, in MB (default 10)")
    parser.add_argument("--no-hostile", action="store_true", help="skip the table of hostile texts")
    args = parser.parse_args()
    main(args.max_mb)
    if not args.no_hostile:
        hostile()
