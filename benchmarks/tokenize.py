"""Throughput of c6lab's tokenizer relative to scikit-learn's default analyzer.

Both run in this process on the same texts: the corpus's quotes, paraphrases and
narrative repeated to about 4 MB, one text per segment. Timed: ``Tokenizer.pipe(texts)``
(the batch call, spaCy's name), one ``Tokenizer()(text)`` call per text (what
``CountVectorizer(analyzer=tokenizer)`` does) and ``CountVectorizer().build_analyzer()``
once per text. Prints MB/s for each and the ratios (ours / sklearn's throughput); 0.25
means ours takes four times as long. The goal for the batch call is 1.0.

sklearn's analyzer does less (lower-casing and one regular expression: no normalising,
variants, phrases, possessives or stopwords), so a ratio below 1 is the price of those
steps. The runs alternate and the best of ``--repeats`` counts, which evens out a busy
machine.

Run: .venv/bin/python benchmarks/tokenize.py  (or `make bench`)
"""

from __future__ import annotations

import argparse
import time

from _timing import best_of  # first: it also fixes the import path (see _timing.py)
from sklearn.feature_extraction.text import CountVectorizer

import c6lab


def main(target_mb: float = 4.0, repeats: int = 5) -> None:
    corpus = c6lab.load_corpus(kinds=["quote", "paraphrase", "narrative"])
    base = [t for t in corpus["text"] if t.strip()]
    size = sum(len(t.encode("utf-8")) for t in base)
    docs = base * max(1, int(target_mb * 1e6 / size))
    mb = sum(len(t.encode("utf-8")) for t in docs) / 1e6
    ours = c6lab.Tokenizer()
    ours(docs[0])  # load the word lists before timing
    sklearn = CountVectorizer().build_analyzer()
    assert list(ours.pipe(docs[:500])) == [ours(d) for d in docs[:500]]

    def pipe(texts):
        for _ in ours.pipe(texts):
            pass

    t_pipe = t_call = t_sk = float("inf")
    for _ in range(repeats):  # alternate, so a busy spell hits all three alike
        t_sk = min(t_sk, best_of(sklearn, docs, repeats=1))
        t0 = time.perf_counter()
        pipe(docs)
        t_pipe = min(t_pipe, time.perf_counter() - t0)
        t_call = min(t_call, best_of(ours, docs, repeats=1))
    print(f"text: {mb:.1f} MB in {len(docs)} texts")
    print(f"Tokenizer.pipe(texts)      : {mb / t_pipe:7.2f} MB/s")
    print(f"Tokenizer()(text) per text : {mb / t_call:7.2f} MB/s")
    print(f"sklearn analyzer per text  : {mb / t_sk:7.2f} MB/s")
    print(f"ratio pipe / sklearn (goal >= 1.0): {t_sk / t_pipe:.3f}")
    print(f"ratio call / sklearn              : {t_sk / t_call:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="size of the text, in MB (default 4)")
    parser.add_argument("--repeats", type=int, default=5, help="alternating runs, best counts (default 5)")
    args = parser.parse_args()
    main(args.mb, args.repeats)
