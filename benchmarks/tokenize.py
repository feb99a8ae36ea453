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

The tokenizer caches nothing between calls, so repeating the corpus does not flatter it;
``--corpus FOLDER`` takes the texts of another corpus folder instead (say one made by
``benchmarks/synthetic.py``, whose texts do not repeat), up to ``--mb``. ``--steps`` also
prints the CPU time of each step of the batch call (best of the repeats, per join).

Run: .venv/bin/python benchmarks/tokenize.py  (or `make bench`)
"""

from __future__ import annotations

import argparse
import time

from _timing import best_of  # first: it also fixes the import path (see _timing.py)
from sklearn.feature_extraction.text import CountVectorizer

import c6lab


def _texts(target_mb: float, folder: str | None) -> list[str]:
    if folder is None:  # the bundled corpus, repeated
        corpus = c6lab.load_corpus(kinds=["quote", "paraphrase", "narrative"])
        base = [t for t in corpus["text"] if t.strip()]
        size = sum(len(t.encode("utf-8")) for t in base)
        return base * max(1, int(target_mb * 1e6 / size))
    segments = c6lab.open_corpus(folder).segments
    docs, size = [], 0
    for text in segments.loc[segments["kind"].isin(["quote", "paraphrase", "narrative"]), "text"]:
        if text.strip() and size < target_mb * 1e6:
            docs.append(text)
            size += len(text.encode("utf-8"))
    return docs


def steps(tok: c6lab.Tokenizer, docs: list[str], repeats: int) -> dict[str, float]:
    """CPU seconds of each step of ``tok.pipe(docs)`` (batches of 1000 texts, joins of
    ``_JOIN_CHARS`` characters as there), each the best of ``repeats``."""
    import operator
    from itertools import accumulate, compress, repeat

    from c6lab import text as text_module
    from c6lab import tokenizer as tok_module

    clock = time.process_time
    names = ["normalise", "word_text", "lower", "split", "look up", "variants", "phrases", "keep",
             "lists per text"]
    total = dict.fromkeys(names, 0.0)
    for a in range(0, len(docs), 1000):
        batch, best = docs[a : a + 1000], dict.fromkeys(names, float("inf"))
        for _ in range(repeats):
            spent = dict.fromkeys(names, 0.0)
            t0 = clock()
            others = list(compress(batch, map(operator.not_, map(str.isascii, batch))))
            normed = iter(text_module.normalize_characters(tok_module._JOIN.join(others)).split(tok_module._JOIN))
            texts = [t if t.isascii() else next(normed) for t in batch]
            groups = [list(compress(texts, map(str.isascii, texts))),
                      list(compress(texts, map(operator.not_, map(str.isascii, texts))))]
            spent["normalise"] = clock() - t0
            joins = []
            for group in groups:
                done, done_size = 0, 0
                for end, size in enumerate(accumulate(map(len, group)), 1):
                    if size - done_size > tok_module._JOIN_CHARS or end == len(group):
                        joins.append(group[done:end])
                        done, done_size = end, size
            for join in joins:
                u = [clock()]
                work = text_module.word_text(tok_module._JOIN.join(join))
                u.append(clock())
                low = work.lower() if work.isascii() else text_module.fold_case(work)
                u.append(clock())
                toks = low.split()
                u.append(clock())
                codes = bytearray(map(tok._kinds_joined.get, toks, repeat(0)))
                u.append(clock())
                join_in_place, tok._join_in_place = tok._join_in_place, lambda *args: None
                tok._merge_in_place(toks, toks, codes, work, True)
                del tok._join_in_place
                u.append(clock())
                join_in_place(toks, codes)
                u.append(clock())
                marks = codes.translate(tok_module._KEPT_OR_END)
                kept = list(compress(toks, marks.replace(b"\x02", b"\x00")))
                u.append(clock())
                ends = list(accumulate(map(bytearray.count, marks.split(b"\x02"), repeat(1))))
                for _ in map(kept.__getitem__, map(slice, [0, *ends[:-1]], ends)):
                    pass
                u.append(clock())
                for name, x, y in zip(names[1:], u, u[1:]):
                    spent[name] += y - x
            for name in names:
                best[name] = min(best[name], spent[name])
        for name in names:
            total[name] += best[name]
    return total


def main(target_mb: float = 4.0, repeats: int = 5, folder: str | None = None, show_steps: bool = False) -> None:
    docs = _texts(target_mb, folder)
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
    print(f"text: {mb:.1f} MB in {len(docs)} texts" + (f" from {folder}" if folder else ""))
    print(f"Tokenizer.pipe(texts)      : {mb / t_pipe:7.2f} MB/s")
    print(f"Tokenizer()(text) per text : {mb / t_call:7.2f} MB/s")
    print(f"sklearn analyzer per text  : {mb / t_sk:7.2f} MB/s")
    print(f"ratio pipe / sklearn (goal >= 1.0): {t_sk / t_pipe:.3f}")
    print(f"ratio call / sklearn              : {t_sk / t_call:.3f}")
    if show_steps:
        spent = steps(ours, docs, repeats)
        print("CPU seconds per step of the batch call (each the best of the repeats):")
        for name, seconds in spent.items():
            print(f"  {name:15s} {seconds:7.3f}")
        print(f"  {'sum':15s} {sum(spent.values()):7.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="size of the text, in MB (default 4)")
    parser.add_argument("--repeats", type=int, default=5, help="alternating runs, best counts (default 5)")
    parser.add_argument("--corpus", help="texts of this corpus folder instead of the bundled corpus repeated")
    parser.add_argument("--steps", action="store_true", help="also print the time of each step")
    args = parser.parse_args()
    main(args.mb, args.repeats, args.corpus, args.steps)
