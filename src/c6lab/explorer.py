"""An offline explorer of a run: from every number to the sentences behind it.

:func:`build_explorer` writes one self-contained HTML page (no request to any host): the
run's tables and the corpus texts are embedded as JSON, rendered by a small vanilla
JavaScript file shipped with the package, and every piece of text is inserted with
``textContent`` (never as HTML), so nothing in a corpus can run in the page.

Four views: keywords (per group, z against frequency, searchable; a word opens its
concordance, a line opens the article at its segment), topics (top words, representative
passages, share by group), tone (every scored mention, filterable) and articles (the full
text, every segment coloured by kind and labelled with its speaker; set-aside text greyed).

The page stays small whatever the corpus size: it embeds the ``top_n`` words of each
group, at most ``max_lines`` concordance lines per word (the first in corpus order; a line
keeps its sentence, cut at 300 characters either side of the word), the
first ``max_articles`` articles in full and the first ``max_mentions`` mentions of each
power and group. On the bundled corpus nothing is cut; where something is, the page says
how much and where all of it is (the results tables, the corpus folder). The corpus is read
once (:func:`c6lab.corpus_scan.scan_corpus`), the large tables in blocks.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pandas as pd

from .corpus_scan import scan_corpus
from .io import atomic_write_bytes

#: what the page embeds at most, whatever the corpus size (the page says what it left out):
#: words per group, concordance lines per word, articles in full, mentions per power and group
TOP_N, MAX_LINES, MAX_ARTICLES, MAX_MENTIONS = 500, 20, 100, 100
HEADLINE = ("masked_sentence", "vader")
CHUNK = 200_000  # rows of a results table read at a time


def _read(results_dir: Path, name: str) -> pd.DataFrame | None:
    path = results_dir / name
    return pd.read_csv(path, keep_default_na=False) if path.is_file() else None


def _chunks(path: Path, columns: list[str]) -> Iterator[pd.DataFrame]:
    """A (possibly very large) results table a block of rows at a time, only ``columns`` that it has."""
    header = pd.read_csv(path, nrows=0).columns
    yield from pd.read_csv(path, keep_default_na=False, usecols=[c for c in columns if c in header],
                           chunksize=CHUNK)


def _records(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    cols = [c for c in columns if c in df.columns]
    return json.loads(df[cols].to_json(orient="records", double_precision=6))


def _keyword_groups(results_dir: Path, top_n: int) -> list[dict] | None:
    """Per group the ``top_n`` words of the one-vs-rest comparison (by rank) and how many it has."""
    kw = _read(results_dir, "keywords.csv")
    if kw is None or kw.empty:
        return None
    kw = kw[kw["design"] == "one_vs_rest"]
    n_words = kw.groupby("group", sort=False).size()
    kw = kw.sort_values(["rank", "word"]).groupby("group", sort=False).head(top_n).copy()
    kw["freq"] = kw["count_group"] / kw["n_group"]
    robust = _read(results_dir, "keywords_robustness.csv")
    survives = set()
    if robust is not None and "survives" in robust.columns:
        survives = {(g, w) for g, w, s in robust[["group", "word", "survives"]].itertuples(index=False)
                    if str(s) == "True"}
    kw["survives"] = [(g, w) in survives for g, w in zip(kw["group"], kw["word"])]
    slice_ = _read(results_dir, "keywords_slice.csv")
    groups = []
    for g, sub in kw.groupby("group", sort=True):
        info = slice_[slice_["group"].astype(str) == str(g)].iloc[0].to_dict() if slice_ is not None and (
            slice_["group"].astype(str) == str(g)).any() else {}
        n_speakers = info.get("n_speakers")
        groups.append({"group": str(g), "n_speakers": None if n_speakers in (None, "") else int(n_speakers),
                       "n_tokens": int(sub["n_group"].iloc[0]), "speakers": str(info.get("speakers", "")),
                       "n_words": int(n_words[g]),
                       "words": _records(sub.sort_values(["rank", "word"]),
                                         ["word", "z", "count_group", "count_reference", "freq", "g2", "log_ratio",
                                          "rank", "survives"])})
    return groups


def topic_documents(results_dir: str | Path, n_docs: int = 3) -> dict | None:
    """The chosen model of ``doc_topics.csv``, read in blocks: its K, each topic's first label and
    its ``n_docs`` documents of largest share (ties: more tokens, then table order).

    Returns ``{"model", "k", "labels": {topic: label}, "docs": {topic: DataFrame}}`` or ``None``.
    """
    path = Path(results_dir) / "doc_topics.csv"
    if not path.is_file():
        return None
    model = k = None
    labels: dict[int, str] = {}
    best = None
    for chunk in _chunks(path, ["model", "k", "segment_id", "speaker", "label", "n_tokens", "topic", "weight"]):
        if chunk.empty:
            continue
        if model is None:
            model, k = chunk["model"].iloc[0], int(chunk["k"].iloc[0])
        if "label" in chunk.columns:
            for t, lab in chunk.groupby("topic", sort=False)["label"].first().items():
                labels.setdefault(int(t), lab)
        # this block's best documents join the best so far; a stable sort keeps table order on ties
        both = chunk if best is None else pd.concat([best, chunk])
        best = (both.sort_values(["weight", "n_tokens"], ascending=False, kind="stable")
                .groupby("topic", sort=False).head(n_docs))
    if model is None:
        return None
    return {"model": model, "k": k, "labels": labels,
            "docs": {int(t): sub for t, sub in best.groupby("topic", sort=True)}}


def _topics(results_dir: Path, docs: dict | None, texts: dict[str, str]) -> dict | None:
    topics = _read(results_dir, "topics.csv")
    if docs is None or topics is None:
        return None
    model, k = docs["model"], docs["k"]
    words = topics[(topics["model"] == model) & (topics["k"] == k)]
    share_files = sorted(results_dir.glob("topic_share_by_*.csv"))
    shares = pd.read_csv(share_files[0], keep_default_na=False) if share_files else None
    out = []
    for t, sub in words.groupby("topic", sort=True):
        top = docs["docs"].get(int(t), pd.DataFrame(columns=["segment_id", "speaker", "weight"]))
        label = top["label"].iloc[0] if "label" in top.columns and len(top) else ""
        reps = [{"segment_id": r.segment_id, "speaker": r.speaker, "weight": round(float(r.weight), 3),
                 "text": texts.get(r.segment_id, "")} for r in top.itertuples(index=False)]
        share = []
        if shares is not None:
            by = shares.columns[0]
            share = _records(shares[shares["topic"] == t].rename(columns={by: "group"}),
                             ["group", "share", "ci_low", "ci_high", "n_docs", "n_speakers"])
        out.append({"topic": int(t), "label": label, "words": sub.sort_values("rank")["word"].tolist(),
                    "representative": reps, "share": share})
    return {"model": model, "k": k, "topics": out}


def _tone(results_dir: Path, max_mentions: int) -> dict | None:
    """The headline method's mentions: the first ``max_mentions`` of each power and group, and how many.

    Two reads of ``power_mentions.csv``: its four short key columns, to choose the rows
    and count them, then the chosen rows' text up to the last one chosen (the first
    mentions of every power and group are near the top: most of a large table is never
    converted).
    """
    path = results_dir / "power_mentions.csv"
    if not path.is_file():
        return None
    cols = ["mention_id", "segment_id", "kind", "speaker", "country", "power", "alias", "sentence", "compound",
            "gold"]
    keep, n_rows, n_total, seen = [], 0, 0, defaultdict(int)
    for chunk in _chunks(path, ["method", "lexicon", "power", "country"]):
        head = chunk[(chunk["method"] == HEADLINE[0]) & (chunk["lexicon"] == HEADLINE[1])]
        n_total += len(head)
        for row, cell in zip(head.index, zip(head["power"], head["country"])):
            seen[cell] += 1
            if seen[cell] <= max_mentions:
                keep.append(row)  # the chunks' index runs on through the file
        n_rows += len(chunk)
    if not n_rows:
        return None
    kept = []
    if keep:
        rows = pd.Index(keep)
        for chunk in pd.read_csv(path, keep_default_na=False, usecols=lambda c: c in cols, nrows=keep[-1] + 1,
                                 chunksize=CHUNK):
            kept += _records(chunk.loc[chunk.index.intersection(rows)], cols)
    return {"method": HEADLINE[0], "lexicon": HEADLINE[1], "mentions": kept, "n_mentions": n_total,
            "max_mentions": max_mentions}


def explorer_data(corpus, results_dir: str | Path, *, kinds=("quote", "paraphrase"), group_by: str = "country",
                  top_n: int = TOP_N, max_lines: int = MAX_LINES, max_articles: int = MAX_ARTICLES,
                  max_mentions: int = MAX_MENTIONS) -> dict:
    """Everything the explorer shows, as JSON-ready Python objects (missing tables give ``None``).

    The page's size is bounded whatever the corpus size: per group the ``top_n`` words of
    ``keywords.csv`` with at most ``max_lines`` concordance lines each, the first
    ``max_articles`` articles in full, the first ``max_mentions`` mentions of each power
    and group; ``"left_out"`` says what was cut (every table keeps all of it).

    Parameters
    ----------
    corpus : Corpus or path
        The corpus the run used, or its folder (read as a stream, see
        :func:`c6lab.corpus_scan.scan_corpus`).
    results_dir : path
        The run's results folder.
    kinds, group_by : optional
        The speech kinds and the column of the keyword groups.
    top_n, max_lines, max_articles, max_mentions : int
        The caps above.

    Examples
    --------
    >>> data = explorer_data(open_corpus(), "results", max_articles=1)  # doctest: +SKIP
    >>> data["left_out"]["articles"]  # doctest: +SKIP
    1
    """
    return explorer_data_and_scan(corpus, results_dir, kinds=kinds, group_by=group_by, top_n=top_n,
                                  max_lines=max_lines, max_articles=max_articles, max_mentions=max_mentions)[0]


def explorer_data_and_scan(corpus, results_dir: str | Path, *, kinds=("quote", "paraphrase"),
                           group_by: str = "country", top_n: int = TOP_N, max_lines: int = MAX_LINES,
                           max_articles: int = MAX_ARTICLES, max_mentions: int = MAX_MENTIONS):
    """:func:`explorer_data`, the :class:`~c6lab.corpus_scan.Scan` it made and the :func:`topic_documents`
    it read: the report uses all three (one pass over the corpus, one over ``doc_topics.csv``)."""
    results_dir = Path(results_dir)
    groups = _keyword_groups(results_dir, top_n)
    docs = topic_documents(results_dir)
    tone = _tone(results_dir, max_mentions)
    scan = explorer_scan(corpus, groups, docs, tone, kinds=kinds, group_by=group_by, max_lines=max_lines,
                         max_articles=max_articles)
    keywords = None
    if groups is not None:
        keywords = {"group_by": group_by, "groups": groups, "lines": scan.lines, "max_lines": max_lines,
                    "top_n": top_n}
    left_out = {
        "articles": scan.n_articles - len(scan.articles),
        "words": sum(g["n_words"] - len(g["words"]) for g in groups or []),
        "lines": sum(max(0, w["count_group"] - len(scan.lines.get(g["group"], {}).get(w["word"], [])))
                     for g in groups or [] for w in g["words"] if w["count_group"] > 0),
        "mentions": tone["n_mentions"] - len(tone["mentions"]) if tone else 0,
    }
    return {
        "corpus": {"root": _root(corpus).name, "version": corpus_version(corpus),
                   "n_articles": scan.n_articles, "n_segments": scan.n_segments},
        "articles": [{"id": a["article_id"], "title": a["title"], "outlet": a["outlet"],
                      "published": a["published"], "text": a["text"]} for a in scan.articles],
        "segments": scan.segments,
        "keywords": keywords,
        "topics": _topics(results_dir, docs, scan.texts),
        "tone": tone,
        "caps": {"top_n": top_n, "max_lines": max_lines, "max_articles": max_articles, "max_mentions": max_mentions},
        "left_out": left_out,
    }, scan, docs


def explorer_scan(corpus, groups, docs, tone, *, kinds=("quote", "paraphrase"), group_by="country",
                  max_lines: int = MAX_LINES, max_articles: int = MAX_ARTICLES):
    """The one pass over ``corpus`` the explorer (and the report) need, given the tables read."""
    wanted = {g["group"]: {w["word"]: w["count_group"] for w in g["words"] if w["count_group"] > 0}
              for g in groups or []}
    ids = {m["segment_id"] for m in (tone or {}).get("mentions", [])}
    if docs is not None:
        ids |= {s for sub in docs["docs"].values() for s in sub["segment_id"]}
    return scan_corpus(corpus, kinds=kinds, group_by=group_by, wanted=wanted, max_lines=max_lines,
                       segment_ids=ids, max_articles=max_articles)


def _root(corpus) -> Path:
    return corpus.root if hasattr(corpus, "lexicons") else Path(corpus).resolve()


def corpus_version(corpus) -> str:
    """The corpus's version: the opened corpus's, or computed from the folder as :func:`c6lab.open_corpus` does."""
    if hasattr(corpus, "lexicons"):
        return corpus.version
    from .corpus.model import _version
    from .lexicons import Lexicons

    root = Path(corpus)
    return _version(root, Lexicons.from_dir(root / "lexicons"))


def _asset(name: str) -> str:
    return resources.files("c6lab").joinpath("data", "explorer", name).read_text(encoding="utf-8")


def build_explorer(corpus, results_dir: str | Path, out: str | Path, **options) -> Path:
    """Write the explorer of a run's results as one self-contained HTML file.

    Parameters
    ----------
    corpus : Corpus or path
        The corpus the run used (its texts and word lists), or its folder.
    results_dir : path
        The run's results folder (``keywords.csv``, ``topics.csv``, ``doc_topics.csv``,
        ``power_mentions.csv`` ...); a view whose tables are missing says so.
    out : path
        The HTML file to write.
    **options
        ``kinds``, ``group_by`` and the caps ``top_n``, ``max_lines``, ``max_articles``,
        ``max_mentions`` (see :func:`explorer_data`).
    """
    return write_explorer(explorer_data(corpus, results_dir, **options), out)


def write_explorer(data: dict, out: str | Path) -> Path:
    """Write the page of :func:`explorer_data`'s ``data``."""
    import jinja2

    # inside <script> no "<" may appear ("</script>", "<!--"): JSON's \u escapes are equivalent
    payload = (json.dumps(data, ensure_ascii=False, allow_nan=False, default=str)
               .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    page = env.from_string(_asset("explorer.html.j2")).render(
        title=f"c6lab explorer · {data['corpus']['root']}", css=_asset("explorer.css"), js=_asset("explorer.js"),
        data=payload)
    return atomic_write_bytes(out, page.encode("utf-8"))


__all__ = ["build_explorer", "explorer_data", "topic_documents", "write_explorer"]
