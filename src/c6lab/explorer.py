"""An offline explorer of a run: from every number to the sentences behind it.

:func:`build_explorer` writes one self-contained HTML page (no request to any host): the
run's tables and the corpus texts are embedded as JSON, rendered by a small vanilla
JavaScript file shipped with the package, and every piece of text is inserted with
``textContent`` (never as HTML), so nothing in a corpus can run in the page.

Four views: keywords (per group, z against frequency, searchable; a word opens its
concordance, a line opens the article at its segment), topics (top words, representative
passages, share by group), tone (every scored mention, filterable) and articles (the full
text, every segment coloured by kind and labelled with its speaker; set-aside text greyed).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pandas as pd

from .io import atomic_write_bytes
from .text import normalize

#: concordance lines embedded per group and word (the page says when a list is cut)
MAX_LINES = 60
HEADLINE = ("masked_sentence", "vader")


def _read(results_dir: Path, name: str) -> pd.DataFrame | None:
    path = results_dir / name
    return pd.read_csv(path, keep_default_na=False) if path.is_file() else None


def _records(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    cols = [c for c in columns if c in df.columns]
    return json.loads(df[cols].to_json(orient="records", double_precision=6))


def _concordance(corpus, segments: pd.DataFrame, group_by: str, wanted: dict[str, set[str]]) -> dict:
    """``group -> word -> [[segment_id, left, keyword, right], ...]`` for the words wanted.

    Lines are whole sentences of the normalised segment text, the keyword marked; the
    tokens are this corpus's tokens (its phrases, variants and stopwords).
    """
    tok, split = corpus.lexicons.tokenizer, corpus.lexicons.sentence_splitter
    out: dict[str, dict[str, list]] = {g: {} for g in wanted}
    for seg_id, group, text in segments[["segment_id", group_by, "text"]].itertuples(index=False):
        words = wanted.get(str(group))
        if not words:
            continue
        norm, toks = tok.spans(text)
        spans = split.spans(norm)
        for t in toks:
            if t.token not in words:
                continue
            lines = out[str(group)].setdefault(t.token, [])
            if len(lines) > MAX_LINES:
                continue
            a, b = next(((a, b) for a, b in spans if a <= t.start < b), (0, len(norm)))
            lines.append([seg_id, norm[a:t.start], norm[t.start:t.end], norm[t.end:b]])
    return out


def _keywords(corpus, results_dir: Path, segments: pd.DataFrame, group_by: str) -> dict | None:
    kw = _read(results_dir, "keywords.csv")
    if kw is None or kw.empty:
        return None
    kw = kw[kw["design"] == "one_vs_rest"].copy()
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
                       "words": _records(sub.sort_values(["rank", "word"]),
                                         ["word", "z", "count_group", "count_reference", "freq", "g2", "log_ratio",
                                          "rank", "survives"])})
    wanted = {g["group"]: {w["word"] for w in g["words"] if w["count_group"] > 0} for g in groups}
    return {"group_by": group_by, "groups": groups, "lines": _concordance(corpus, segments, group_by, wanted),
            "max_lines": MAX_LINES}


def _topics(corpus, results_dir: Path) -> dict | None:
    doc_topics, topics = _read(results_dir, "doc_topics.csv"), _read(results_dir, "topics.csv")
    if doc_topics is None or topics is None or doc_topics.empty:
        return None
    model, k = doc_topics["model"].iloc[0], int(doc_topics["k"].iloc[0])
    words = topics[(topics["model"] == model) & (topics["k"] == k)]
    texts = dict(zip(corpus.segments["segment_id"], corpus.segments["text"]))
    share_files = sorted(results_dir.glob("topic_share_by_*.csv"))
    shares = pd.read_csv(share_files[0], keep_default_na=False) if share_files else None
    out = []
    for t, sub in words.groupby("topic", sort=True):
        docs = doc_topics[doc_topics["topic"] == t].sort_values(["weight", "n_tokens"], ascending=False).head(3)
        label = docs["label"].iloc[0] if "label" in docs.columns and len(docs) else ""
        reps = [{"segment_id": r.segment_id, "speaker": r.speaker, "weight": round(float(r.weight), 3),
                 "text": normalize(texts.get(r.segment_id, ""))} for r in docs.itertuples(index=False)]
        share = []
        if shares is not None:
            by = shares.columns[0]
            share = _records(shares[shares["topic"] == t].rename(columns={by: "group"}),
                             ["group", "share", "ci_low", "ci_high", "n_docs", "n_speakers"])
        out.append({"topic": int(t), "label": label, "words": sub.sort_values("rank")["word"].tolist(),
                    "representative": reps, "share": share})
    return {"model": model, "k": k, "topics": out}


def _tone(results_dir: Path) -> dict | None:
    mentions = _read(results_dir, "power_mentions.csv")
    if mentions is None or mentions.empty:
        return None
    head = mentions[(mentions["method"] == HEADLINE[0]) & (mentions["lexicon"] == HEADLINE[1])]
    return {"method": HEADLINE[0], "lexicon": HEADLINE[1],
            "mentions": _records(head, ["mention_id", "segment_id", "kind", "speaker", "country", "power", "alias",
                                        "sentence", "compound", "gold"])}


def explorer_data(corpus, results_dir: str | Path, *, kinds=("quote", "paraphrase"), group_by: str = "country",
                  ) -> dict:
    """Everything the explorer shows, as JSON-ready Python objects (missing tables give ``None``)."""
    results_dir = Path(results_dir)
    segs = corpus.segments
    speech = segs[segs["kind"].isin(list(kinds))]
    meta = corpus.articles[["article_id", "title", "outlet", "published"]].itertuples(index=False)
    articles = [{"id": a, "title": t, "outlet": o, "published": p, "text": corpus.raw_text(a)} for a, t, o, p in meta]
    return {
        "corpus": {"root": corpus.root.name, "version": corpus.version},
        "articles": articles,
        "segments": _records(segs, ["segment_id", "article_id", "char_start", "char_end", "kind", "speaker",
                                    "country", "reviewed"]),
        "keywords": _keywords(corpus, results_dir, speech, group_by),
        "topics": _topics(corpus, results_dir),
        "tone": _tone(results_dir),
    }


def _asset(name: str) -> str:
    return resources.files("c6lab").joinpath("data", "explorer", name).read_text(encoding="utf-8")


def build_explorer(corpus, results_dir: str | Path, out: str | Path, **options) -> Path:
    """Write the explorer of a run's results as one self-contained HTML file.

    Parameters
    ----------
    corpus : Corpus
        The corpus the run used (its texts and word lists).
    results_dir : path
        The run's results folder (``keywords.csv``, ``topics.csv``, ``doc_topics.csv``,
        ``power_mentions.csv`` ...); a view whose tables are missing says so.
    out : path
        The HTML file to write.
    **options
        ``kinds``, ``group_by`` (see :func:`explorer_data`).
    """
    import jinja2

    data = explorer_data(corpus, results_dir, **options)
    # inside <script> no "<" may appear ("</script>", "<!--"): JSON's \u escapes are equivalent
    payload = (json.dumps(data, ensure_ascii=False, allow_nan=False, default=str)
               .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    page = env.from_string(_asset("explorer.html.j2")).render(
        title=f"c6lab explorer · {corpus.root.name}", css=_asset("explorer.css"), js=_asset("explorer.js"),
        data=payload)
    return atomic_write_bytes(out, page.encode("utf-8"))
