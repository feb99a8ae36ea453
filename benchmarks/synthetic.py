"""Write an n-times copy of a corpus folder, with a vocabulary that grows as real text does.

Copy 0 of every article is the article itself, so ``--scale 1`` is the source corpus
(same files, same results). Copies 1..n-1 are the same articles with a share of their
content words replaced by pseudo-words, so that the vocabulary keeps growing with the
number of tokens N roughly as Heaps' law says, ``V ~ K * N**beta``:

* a replaced word's pseudo-word is the ``r``-th word of an unbounded pseudo-lexicon,
  ``r`` drawn from a Zipf distribution with exponent ``zipf_a`` (``numpy``'s
  ``Generator.zipf``). The number of distinct ranks among M draws grows as about
  ``M ** (1 / zipf_a)``; with the defaults (half the replaceable words, ``zipf_a = 1.3``)
  the fitted beta of the whole corpus is about 0.6 from 10x to 100x (0.4-0.8 is tested),
  rising slowly toward 1 / 1.3 as the pseudo-words dominate the new types;
* only lower-case words of ``min_length`` letters or more in narrative, quote and
  paraphrase segments are replaced, never a power's alias, a stopword or a capitalised
  word (names, powers, sentence starts): the speakers, countries and mentions of powers
  are the source corpus's, copy after copy;
* a pseudo-word has the length of the word it replaces (ASCII for ASCII), so every
  character offset is unchanged: a copy's ``segments.csv`` rows and hand labels
  (``annotations/power_sentiment_gold.csv``) are the source's, with ids renamed.

The tables are written directly (no ``c6lab corpus add`` per article); speakers and word
lists are copied. Copy ``i`` is drawn from ``numpy.random.default_rng([random_state, i])``,
so the first articles of a 100x corpus are those of the 10x corpus with the same seed.

Run: .venv/bin/python benchmarks/synthetic.py --scale 100 --out /tmp/c100
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import re
import shutil
import sys
import time
from pathlib import Path

import _timing  # noqa: F401  first: takes this folder off the import path (see _timing.py)
import numpy as np

REPO = Path(__file__).resolve().parents[1]
CONSONANTS = "bcdfghjklmnprstvz"
VOWELS = "aeiou"
REPLACED_KINDS = ("narrative", "quote", "paraphrase")
_WORD = re.compile(r"(?<![A-Za-z'’-])[a-z]+(?![A-Za-z'’-])")


def pseudo_word(rank: int, length: int) -> str:
    """The ``rank``-th pseudo-word of a given length: alternating consonants and vowels.

    Different ranks give different words as long as the length can hold them (a short
    word holds fewer: ranks past that wrap round).

    Examples
    --------
    >>> pseudo_word(1, 5), pseudo_word(2, 5), pseudo_word(1, 7)
    ('cabab', 'dabab', 'cababab')
    """
    out = []
    for i in range(length):
        letters = CONSONANTS if i % 2 == 0 else VOWELS
        rank, digit = divmod(rank, len(letters))
        out.append(letters[digit])
    return "".join(out)


def _protected(source: Path) -> set[str]:
    """Lower-case words that must not be replaced: stopwords and every word of a power's alias."""
    words: set[str] = set()
    lex = source / "lexicons"
    if (lex / "stopwords.txt").is_file():
        words |= {w.strip().lower() for w in (lex / "stopwords.txt").read_text("utf-8").splitlines()
                  if w.strip() and not w.startswith("#")}
    if (lex / "powers.csv").is_file():
        with open(lex / "powers.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                words |= {w.lower() for w in re.findall(r"[A-Za-z]+", row["alias"])}
    return words


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _spans(text: str, segments: list[dict], protected: set[str], min_length: int) -> list[tuple[int, int]]:
    """Character spans of the replaceable words of one article."""
    out = []
    for seg in segments:
        if seg["kind"] not in REPLACED_KINDS:
            continue
        a, b = int(seg["char_start"]), int(seg["char_end"])
        for m in _WORD.finditer(text, a, b):
            if m.end() - m.start() >= min_length and m.group() not in protected:
                out.append((m.start(), m.end()))
    return out


def _mutate(text: str, spans: list[tuple[int, int]], rng: np.random.Generator, share: float,
            zipf_a: float) -> str:
    chosen = np.flatnonzero(rng.random(len(spans)) < share)
    ranks = rng.zipf(zipf_a, size=len(chosen)).tolist()
    pieces, pos = [], 0
    for i, r in zip(chosen.tolist(), ranks, strict=True):
        a, b = spans[i]
        pieces += (text[pos:a], _pseudo(r, b - a))
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


@functools.lru_cache(maxsize=200_000)
def _pseudo(rank: int, length: int) -> str:
    return pseudo_word(rank, length)


def write_synthetic(out: str | Path, scale: int, source: str | Path | None = None, *, random_state: int = 0,
                    share: float = 0.5, zipf_a: float = 1.3, min_length: int = 5) -> Path:
    """Write ``scale`` copies of every article of ``source`` (default ``corpus/``) into ``out``.

    Parameters
    ----------
    out : path
        The new corpus folder; it must not exist yet, or be empty.
    scale : int
        Copies of each article (1: the source itself).
    source : path, optional
        A valid corpus folder.
    random_state : int
    share : float
        Share of the replaceable words replaced in each copy after the first.
    zipf_a : float
        Exponent of the Zipf distribution of pseudo-word ranks (> 1).
    min_length : int
        Shortest word that may be replaced.

    Returns
    -------
    Path of ``out``.

    Examples
    --------
    >>> import tempfile, c6lab
    >>> folder = write_synthetic(tempfile.mkdtemp() + "/c3", 3)
    >>> len(c6lab.open_corpus(folder).articles)
    6
    """
    if scale < 1:
        raise ValueError("scale must be >= 1")
    source = Path(source) if source is not None else REPO / "corpus"
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    (out / "raw").mkdir(parents=True, exist_ok=True)
    art_fields, articles = _read(source / "articles.csv")
    seg_fields, segments = _read(source / "segments.csv")
    gold_path = source / "annotations" / "power_sentiment_gold.csv"
    gold_fields, gold = _read(gold_path) if gold_path.is_file() else ([], [])
    protected = _protected(source)
    texts = {a["article_id"]: (source / a["raw_file"]).read_bytes().decode("utf-8") for a in articles}
    segs_of: dict[str, list[dict]] = {}
    for s in segments:
        segs_of.setdefault(s["article_id"], []).append(s)
    spans = {aid: _spans(texts[aid], segs_of.get(aid, []), protected, min_length) for aid in texts}

    with open(out / "articles.csv", "w", newline="", encoding="utf-8") as fa, \
            open(out / "segments.csv", "w", newline="", encoding="utf-8") as fs:
        wa = csv.DictWriter(fa, art_fields, lineterminator="\n")
        ws = csv.DictWriter(fs, seg_fields, lineterminator="\n")
        wa.writeheader()
        ws.writeheader()
        gold_rows = []
        for i in range(scale):
            rng = np.random.default_rng([random_state, i])
            for a in articles:
                aid = a["article_id"]
                new_id = aid if i == 0 else f"{aid}-x{i:05d}"
                raw = Path(a["raw_file"])
                new_raw = a["raw_file"] if i == 0 else (raw.parent / f"{raw.stem}-x{i:05d}{raw.suffix}").as_posix()
                text = texts[aid] if i == 0 else _mutate(texts[aid], spans[aid], rng, share, zipf_a)
                data = text.encode("utf-8")
                (out / new_raw).parent.mkdir(parents=True, exist_ok=True)
                (out / new_raw).write_bytes(data)
                wa.writerow({**a, "article_id": new_id, "raw_file": new_raw,
                             "sha256": hashlib.sha256(data).hexdigest()})
                for s in segs_of.get(aid, []):
                    ws.writerow({**s, "article_id": new_id,
                                 "segment_id": s["segment_id"].replace(aid, new_id, 1)})
                for g in gold:
                    mid_article, offsets = g["mention_id"].rsplit(":", 1)
                    if mid_article == aid:
                        gold_rows.append({**g, "mention_id": f"{new_id}:{offsets}",
                                          "segment_id": g["segment_id"].replace(aid, new_id, 1)})
    shutil.copy2(source / "speakers.csv", out / "speakers.csv")
    if (source / "lexicons").is_dir():
        shutil.copytree(source / "lexicons", out / "lexicons", dirs_exist_ok=True)
    if gold_fields:
        (out / "annotations").mkdir(exist_ok=True)
        with open(out / "annotations" / gold_path.name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, gold_fields, lineterminator="\n")
            w.writeheader()
            w.writerows(gold_rows)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=int, required=True, help="copies of each article (1 = the source)")
    p.add_argument("--out", required=True, help="new corpus folder (must not exist or be empty)")
    p.add_argument("--source", default=None, help="corpus folder to copy (default: corpus/)")
    p.add_argument("--random-state", type=int, default=0)
    p.add_argument("--share", type=float, default=0.5, help="share of replaceable words replaced per copy")
    p.add_argument("--zipf-a", type=float, default=1.3, help="Zipf exponent of the pseudo-word ranks")
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    try:
        out = write_synthetic(a.out, a.scale, a.source, random_state=a.random_state, share=a.share,
                              zipf_a=a.zipf_a)
    except (FileExistsError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({a.scale}x) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
