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

from _timing import best_of  # first: it also fixes the import path (see _timing.py)
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import c6lab
from c6lab.sentiment import find_mentions, score_text


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
