"""Throughput of c6lab.sentiment.score_texts relative to raw VADER polarity_scores.

Both run in this process on the same input: every sentence of the corpus (all kinds,
split with c6lab.sentences), repeated to about ``target`` sentences. Raw VADER scores
each sentence once, unmasked; ``score_texts(sentences)`` finds the aliases of the powers
in each sentence, masks them and scores each sentence with a mention (a sentence without
one costs only the search), building one table at the end. Prints sentences/s and the
ratio (c6lab / raw VADER throughput; goal >= 0.8) for:

* every corpus sentence (most mention no power), per method;
* only the sentences that mention a power (every one is masked and scored: the harder case);
* ``score_text`` called once per sentence (one DataFrame per call), for comparison;
* notebook 03's ten settings (three methods, windows of 3, 5 and 10, two lexicons) on
  ``copies`` copies of the segment table: one ``MentionScores`` and its ten tables against
  ``score_mentions`` called once per setting (ratio of throughputs; same tables).

Not a test: timings depend on the machine and its load.

Run: .venv/bin/python benchmarks/sentiment.py
"""

from __future__ import annotations

import time

from _timing import best_of  # first: it also fixes the import path (see _timing.py)
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import c6lab
from c6lab.sentiment import METHODS, SETTINGS, MentionScores, score_mentions, score_text, score_texts


def _pair(raw, ours, docs, repeats: int = 5) -> tuple[float, float]:
    """Best times of raw VADER (one call per sentence) and ``ours(docs)``, taken in turns.

    Alternating the two keeps a burst of load on a shared machine from falling on one side.
    """
    best_raw = best_ours = float("inf")
    for _ in range(repeats):
        best_raw = min(best_raw, best_of(raw, docs, repeats=1))
        t0 = time.perf_counter()
        ours(docs)
        best_ours = min(best_ours, time.perf_counter() - t0)
    return best_raw, best_ours


def main(target: int = 6000, copies: int = 20) -> None:
    corpus = c6lab.load_corpus()
    base = [s for text in corpus["text"] for s in c6lab.sentences(text)]
    docs = base * max(1, target // len(base))
    with_mention = sorted(set(score_texts(base)["sentence_index"]))
    mdocs = [base[i] for i in with_mention] * max(1, target // max(1, len(with_mention)))
    raw = SentimentIntensityAnalyzer()
    score_texts(docs[:10])  # read the alias list and the lexicon before timing
    print(f"input: {len(docs)} sentences ({len(base)} corpus sentences, {len(with_mention)} with a mention); "
          f"{len(mdocs)} sentences with a mention")
    for label, sentences in (("all sentences", docs), ("sentences with a mention", mdocs)):
        print(f"\n{label}:")
        for method in METHODS:
            t_raw, t = _pair(raw.polarity_scores, lambda d, m=method: score_texts(d, method=m), sentences)
            print(f"  score_texts({method:15s}) {len(sentences) / t:7.0f} sentences/s, raw VADER "
                  f"{len(sentences) / t_raw:7.0f}/s; ratio c6lab / raw VADER throughput: {t_raw / t:.2f}")
    t_raw = best_of(raw.polarity_scores, docs)
    t = best_of(score_text, docs)
    print(f"\nscore_text once per sentence (a DataFrame per call): {len(docs) / t:9.0f} sentences/s   "
          f"ratio: {t_raw / t:.2f}")
    settings_ratio(copies)


def copies_of(segments, copies: int):
    """The segment table ``copies`` times, each copy's ids renamed (the same texts)."""
    import pandas as pd

    frames = [segments.assign(article_id=segments["article_id"] + f"-x{i}",
                              segment_id=segments["segment_id"] + f"-x{i}") for i in range(copies)]
    return pd.concat(frames, ignore_index=True)


def settings_ratio(copies: int = 20) -> None:
    corpus = c6lab.open_corpus()
    table = copies_of(corpus.segments, copies)
    lex = corpus.lexicons

    def each():
        return [score_mentions(table, m, k, d, lexicons=lex) for m, k, d in SETTINGS]

    def once():
        tone = MentionScores(table, lexicons=lex)
        return [tone.score_mentions(m, k, d) for m, k, d in SETTINGS]

    t_each, t_once = best_of(lambda _: each(), [None], repeats=1), best_of(lambda _: once(), [None], repeats=1)
    print(f"\nnotebook 03's {len(SETTINGS)} settings on {len(table)} segments: score_mentions per setting "
          f"{t_each:.2f} s, MentionScores {t_once:.2f} s; ratio of throughputs: {t_each / t_once:.1f}")


if __name__ == "__main__":
    main()
