"""Throughput of c6lab.tokenize relative to scikit-learn's default analyzer.

Both run in this process on the same text: the corpus's quotes, paraphrases and
narrative repeated to about 4 MB and split into its paragraphs. Prints MB/s for each and
the ratio (ours / sklearn's); a ratio of 0.25 means ours takes four times as long.
sklearn's analyzer does much less (no variants, phrases, possessives or spans), so the
ratio is the price of those steps, not a like-for-like race.

Run: .venv/bin/python benchmarks/tokenize.py  (or `make bench`)
"""

from __future__ import annotations

from _timing import best_of  # first: it also fixes the import path (see _timing.py)
from sklearn.feature_extraction.text import CountVectorizer

import c6lab


def main(target_mb: float = 4.0) -> None:
    corpus = c6lab.load_corpus(kinds=["quote", "paraphrase", "narrative"])
    base = [t for t in corpus["text"] if t.strip()]
    size = sum(len(t.encode("utf-8")) for t in base)
    docs = base * max(1, int(target_mb * 1e6 / size))
    mb = sum(len(t.encode("utf-8")) for t in docs) / 1e6
    ours = c6lab.Tokenizer()
    ours(docs[0])  # load the word lists before timing
    sklearn = CountVectorizer().build_analyzer()
    t_ours = best_of(ours, docs)
    t_sk = best_of(sklearn, docs)
    print(f"text: {mb:.1f} MB in {len(docs)} paragraphs")
    print(f"c6lab.tokenize : {mb / t_ours:7.2f} MB/s")
    print(f"sklearn analyzer: {mb / t_sk:7.2f} MB/s")
    print(f"ratio (c6lab / sklearn throughput): {t_sk / t_ours:.3f}")


if __name__ == "__main__":
    main()
