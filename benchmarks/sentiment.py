"""Throughput of c6lab.sentiment.score_text relative to raw VADER polarity_scores.

Both run in this process on the same input: every sentence of the corpus (all kinds,
split with c6lab.sentences), repeated to about ``target`` sentences. Raw VADER scores
each sentence once, unmasked; score_text splits the sentence, finds the aliases of the
five powers, masks them and scores each mention (one VADER call per mention; a sentence
without a mention costs only the search). Prints sentences/s for each and the ratio
(score_text / raw VADER throughput); 0.5 means score_text takes twice as long.

Not a test: timings depend on the machine and its load.

Run: .venv/bin/python benchmarks/sentiment.py
"""

from __future__ import annotations

import os
import sys

# benchmarks/tokenize.py shares its name with the standard library's tokenize module:
# keep this folder off the import path, or "import inspect" would import that script.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import time  # noqa: E402

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

import c6lab  # noqa: E402
from c6lab.sentiment import find_mentions, score_text  # noqa: E402


def best_of(fn, docs, repeats=3) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for d in docs:
            fn(d)
        best = min(best, time.perf_counter() - t0)
    return best


def main(target: int = 3000) -> None:
    corpus = c6lab.load_corpus()
    base = [s for text in corpus["text"] for s in c6lab.sentences(text)]
    docs = base * max(1, target // len(base))
    n_mentions = len(find_mentions(corpus))
    raw = SentimentIntensityAnalyzer()
    score_text(docs[0])  # read the alias list and the lexicon before timing
    t_raw = best_of(raw.polarity_scores, docs)
    results = {"raw VADER polarity_scores": t_raw}
    for method in ("masked_sentence", "window", "naive_sentence"):
        results[f"score_text({method})"] = best_of(lambda s, m=method: score_text(s, method=m), docs)
    print(f"input: {len(docs)} sentences ({len(base)} corpus sentences x {len(docs) // len(base)}), "
          f"{n_mentions} mentions per corpus pass")
    for name, t in results.items():
        print(f"{name:32s}: {len(docs) / t:9.0f} sentences/s")
    for name, t in list(results.items())[1:]:
        print(f"ratio {name} / raw VADER throughput: {t_raw / t:.3f}")


if __name__ == "__main__":
    main()
