"""Hand labels for the tone validation: draw a sample to code, measure agreement, adopt labels.

The workflow (``docs/labelling.md``; the ``c6lab label`` commands call these functions):

1. :func:`draw_sample` picks mentions of the powers stratified by power x group and
   :func:`write_sample` writes them as a TSV to fill in, with the coding instructions
   (``c6lab/data/labelling_instructions.md``) in a companion file;
2. two coders fill in copies; :func:`agreement` compares them (percent agreement,
   Cohen's kappa by scikit-learn, Krippendorff's alpha by NLTK) and lists the
   disagreements to adjudicate;
3. :func:`adopt` brings the adjudicated labels into the corpus's
   ``annotations/power_sentiment_gold.csv`` with the coder recorded.

A label is the stance of the sentence toward the power named (-1, 0, +1), not the tone of
the sentence: that is what the tone scores are validated against.
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus.change import corpus_transaction
from ..errors import CorpusError, Problem
from ..io import atomic_write_bytes, csv_bytes, decode_utf8, read_csv_rows
from ..text import normalize
from .mentions import find_mentions
from .validation import GOLD_COLUMNS, read_gold

GOLD_FILE = Path("annotations") / "power_sentiment_gold.csv"
SAMPLE_COLUMNS = ["mention_id", "power", "alias", "group", "speaker", "kind", "sentence", "previous_sentence",
                  "next_sentence", "label", "note"]
DISAGREEMENT_COLUMNS = ["mention_id", "power", "alias", "label_a", "label_b", "note_a", "note_b", "sentence"]
LABEL_VALUES = {"-1": -1, "\u22121": -1, "0": 0, "1": 1, "+1": 1}  # U+2212: a typed minus sign
NO_GROUP = "(none)"  # the stratum of mentions outside any speaker's words (narrative, news)
READER_COLUMNS = ("segment_id", "kind", "speaker_id", "sentence")  # gold columns kept for the reader
CLIP = 110  # characters of a sentence shown in a list of disagreements


# -- the mentions a coder sees ------------------------------------------------------------------
def mention_table(corpus) -> pd.DataFrame:
    """Every mention of a power in ``corpus`` (all kinds) with its group and neighbours.

    Parameters
    ----------
    corpus : Corpus
        From :func:`c6lab.open_corpus`; its own word lists find the mentions.

    Returns
    -------
    DataFrame
        One row per mention, in corpus order: the columns of
        :func:`~c6lab.sentiment.find_mentions` and ``group`` (the speaker's country,
        ``"(none)"`` where the segment has no speaker or no country), ``previous_sentence``
        and ``next_sentence`` (the sentences before and after it in the same article,
        across segment boundaries; empty at an end; normalised: one line, straight
        quotes). ``sentence`` stays verbatim.

    Examples
    --------
    >>> import c6lab
    >>> m = mention_table(c6lab.open_corpus())
    >>> m[["power", "group"]].iloc[0].tolist()
    ['US', 'AZ']
    """
    segments = corpus.select()
    mentions = find_mentions(segments, lexicons=corpus.lexicons)
    if mentions.empty:
        return mentions.assign(group=pd.Series(dtype=str), previous_sentence=pd.Series(dtype=str),
                               next_sentence=pd.Series(dtype=str))
    # the article's sentences in text order, so a quote's neighbours can be in the next segment
    splitter = corpus.lexicons.sentence_splitter
    where, texts = {}, {}
    for article_id, part in segments.sort_values(["article_id", "char_start"]).groupby("article_id", sort=False):
        sentences = []
        for seg in part.itertuples(index=False):
            for n, (a, b) in enumerate(splitter.spans(seg.text)):
                where[(seg.segment_id, n)] = len(sentences)
                sentences.append(normalize(seg.text[a:b]))
        texts[article_id] = sentences
    prev, nxt = [], []
    for rec in mentions.itertuples(index=False):
        sents = texts[rec.article_id]
        number = int(rec.sentence_id.rsplit(":s", 1)[1]) - 1
        i = where[(rec.segment_id, number)]
        prev.append(sents[i - 1] if i > 0 else "")
        nxt.append(sents[i + 1] if i + 1 < len(sents) else "")
    country = mentions["country"] if "country" in mentions.columns else pd.Series("", index=mentions.index)
    return mentions.assign(group=country.fillna("").replace("", NO_GROUP), previous_sentence=prev,
                           next_sentence=nxt)


# -- sampling -----------------------------------------------------------------------------------
def allocate(sizes: dict, n: int) -> dict:
    """How many to draw from each stratum: one each, the rest in proportion to size.

    Every non-empty stratum gets one when ``n`` allows; the remaining draws go in
    proportion to what each stratum has left (largest remainder, ties in the order of
    ``sizes``). With fewer draws than strata, the largest strata get one each.

    Examples
    --------
    >>> allocate({"a": 10, "b": 1, "c": 5}, 6)
    {'a': 3, 'b': 1, 'c': 2}
    >>> allocate({"a": 10, "b": 1, "c": 5}, 2)
    {'a': 1, 'b': 0, 'c': 1}
    """
    sizes = {k: int(v) for k, v in sizes.items() if v > 0}
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    if n < len(sizes):  # not one each: the biggest strata first (stable for equal sizes)
        keep = sorted(sizes, key=lambda k: -sizes[k])[:n]
        return {k: int(k in keep) for k in sizes}
    left = {k: v - 1 for k, v in sizes.items()}
    rest, room = n - len(sizes), sum(left.values())
    quota = {k: rest * v / room for k, v in left.items()}
    out = {k: 1 + math.floor(q) for k, q in quota.items()}
    short = n - sum(out.values())
    for k in sorted(quota, key=lambda k: -(quota[k] - math.floor(quota[k])))[:short]:
        out[k] += 1
    return out


def draw_sample(corpus, n: int, *, random_state: int = 0, include_labelled: bool = False) -> pd.DataFrame:
    """Draw ``n`` mentions to label, stratified by power x group.

    Parameters
    ----------
    corpus : Corpus
        The corpus; its ``annotations/power_sentiment_gold.csv`` says which mentions
        are labelled already.
    n : int
        Mentions to draw (all of them when fewer are left).
    random_state : int, default 0
        Seed: the same seed on the same corpus draws the same mentions.
    include_labelled : bool, default False
        Also draw mentions that already have an adopted label (to re-code them).

    Returns
    -------
    DataFrame
        The columns of ``SAMPLE_COLUMNS`` with ``label`` and ``note`` empty, in corpus
        order; ``attrs["n_available"]`` and ``attrs["strata"]`` say what it was drawn from.

    Examples
    --------
    >>> import c6lab
    >>> s = draw_sample(c6lab.open_corpus(), 5, random_state=1, include_labelled=True)
    >>> len(s), s["label"].eq("").all()
    (5, np.True_)
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    mentions = mention_table(corpus)
    gold_path = corpus.root / GOLD_FILE
    if not include_labelled and gold_path.exists():
        mentions = mentions[~mentions["mention_id"].isin(set(read_gold(gold_path)["mention_id"]))]
    mentions = mentions.reset_index(drop=True)
    groups = mentions.groupby(["power", "group"]).groups
    strata = {key: groups[key] for key in sorted(groups)}  # the draw does not depend on corpus order
    quota = allocate({k: len(v) for k, v in strata.items()}, n)
    rng = np.random.default_rng(random_state)
    chosen = []
    for key, rows in strata.items():
        chosen.extend(rng.choice(np.asarray(rows), size=quota[key], replace=False).tolist())
    out = mentions.loc[sorted(chosen)].assign(label="", note="")
    out["sentence"] = out["sentence"].map(normalize)
    out = out.reindex(columns=SAMPLE_COLUMNS).fillna("").reset_index(drop=True)
    out.attrs.update(n_available=len(mentions), strata=len(strata))
    return out


def instructions_text() -> str:
    """The coding instructions shipped with the package (``c6lab/data/labelling_instructions.md``)."""
    return resources.files("c6lab").joinpath("data/labelling_instructions.md").read_text(encoding="utf-8")


def instructions_path(out: str | Path) -> Path:
    """Where the instructions go beside a sample file: ``x.tsv`` -> ``x.instructions.md``.

    Examples
    --------
    >>> instructions_path("round1/coder_a.tsv").as_posix()
    'round1/coder_a.instructions.md'
    """
    out = Path(out)
    return out.with_name(f"{out.stem}.instructions.md")


def _table_bytes(df: pd.DataFrame, delimiter: str) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, sep=delimiter, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue().encode("utf-8")


def write_sample(sample: pd.DataFrame, out: str | Path, *, force: bool = False) -> tuple[Path, Path]:
    """Write a sample as a TSV (UTF-8) and the coding instructions beside it.

    Refuses (:class:`c6lab.CorpusError`) to replace either file unless ``force``; each
    file is written whole or not at all. Returns both paths.
    """
    out = Path(out)
    notes = instructions_path(out)
    if not force:
        existing = [p for p in (out, notes) if p.exists()]
        if existing:
            also = f" (and {notes.name})" if len(existing) == 2 else ""
            raise CorpusError([Problem(str(existing[0]), None, None, f"exists{also}; choose another name "
                                       "or use --force to replace it")])
    atomic_write_bytes(out, _table_bytes(sample.reindex(columns=SAMPLE_COLUMNS), "\t"))
    atomic_write_bytes(notes, instructions_text().encode("utf-8"))
    return out, notes


# -- reading a filled-in file -------------------------------------------------------------------
def read_labels(path: str | Path) -> pd.DataFrame:
    """Read a filled-in sample file (TSV; a ``.csv`` file is read as comma-separated).

    Returns one row per line with ``line`` (its line number), the file's columns and
    ``label`` as -1, 0, 1 or ``<NA>`` (left empty). Every problem is reported at once,
    naming file, row and field: a missing ``mention_id`` or ``label`` column, an empty or
    repeated mention id, a label other than -1, 0, +1 or empty.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.tsv"
    >>> _ = p.write_text("mention_id\\tlabel\\tnote\\na:1-3\\t+1\\tpraised\\na:5-9\\t\\t\\n")
    >>> read_labels(p)["label"].tolist()
    [1, <NA>]
    """
    label = str(path)
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError([Problem(label, None, None, "file not found")]) from None
    text = decode_utf8(data, label)
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    problems = [Problem(label, 1, c, "missing column") for c in ("mention_id", "label") if c not in header]
    if problems:
        raise CorpusError(problems)
    reader.fieldnames = header
    rows, seen = [], {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(Problem(label, line, None, "more fields than the header has columns"))
            continue
        rec = {k: (v or "").strip() for k, v in row.items() if k}
        mid, value = rec["mention_id"], rec["label"]
        if not any(rec.values()):
            continue  # a blank line a spreadsheet left
        if not mid:
            problems.append(Problem(label, line, "mention_id", "empty"))
        elif mid in seen:
            problems.append(Problem(label, line, "mention_id", f"{mid!r} repeats row {seen[mid]}"))
        seen.setdefault(mid, line)
        if value and value not in LABEL_VALUES:
            problems.append(Problem(label, line, "label", f"must be -1, 0, +1 or empty, got {value!r}"))
            continue
        rows.append({"line": line, **rec, "label": LABEL_VALUES.get(value, pd.NA)})
    if problems:
        raise CorpusError(problems)
    df = pd.DataFrame(rows, columns=["line", *[h for h in header if h != "line"]])
    return df.astype({"label": "Int64", "line": "int64"})


# -- agreement ----------------------------------------------------------------------------------
@dataclass
class Agreement:
    """Agreement of two coders on the mentions both labelled (see :func:`agreement`)."""

    n: int
    percent_agreement: float
    cohen_kappa: float
    krippendorff_alpha: float
    only_a: int = 0  # labelled by A only (B left it empty or does not have it)
    only_b: int = 0
    disagreements: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DISAGREEMENT_COLUMNS))

    def as_frame(self) -> pd.DataFrame:
        """The figures as a one-row table."""
        return pd.DataFrame([{"n": self.n, "percent_agreement": self.percent_agreement,
                              "cohen_kappa": self.cohen_kappa, "krippendorff_alpha": self.krippendorff_alpha,
                              "n_disagreements": len(self.disagreements), "only_a": self.only_a,
                              "only_b": self.only_b}])


def kappa_and_alpha(a, b) -> tuple[float, float]:
    """Cohen's kappa (scikit-learn) and nominal Krippendorff's alpha (NLTK) of two label lists.

    Both are NaN when they are undefined: every label the same in both lists (no
    variation to agree on beyond chance).

    Examples
    --------
    >>> k, al = kappa_and_alpha([1, 1, 0, 0], [1, 0, 0, 0])
    >>> round(k, 3), round(al, 3)
    (0.5, 0.533)
    """
    from nltk.metrics.agreement import AnnotationTask
    from sklearn.metrics import cohen_kappa_score

    a, b = [int(x) for x in a], [int(x) for x in b]
    if len(set(a) | set(b)) < 2:
        return math.nan, math.nan
    kappa = float(cohen_kappa_score(a, b, labels=[-1, 0, 1]))
    task = AnnotationTask(data=[(coder, str(i), str(v)) for coder, labels in (("a", a), ("b", b))
                                for i, v in enumerate(labels)])
    return kappa, float(task.alpha())


def agreement(a: str | Path | pd.DataFrame, b: str | Path | pd.DataFrame) -> Agreement:
    """Compare two coders' files (or tables from :func:`read_labels`), joined on ``mention_id``.

    Only mentions both labelled count; the rest are counted in ``only_a`` / ``only_b``.
    Raises :class:`c6lab.CorpusError` (naming both files) when no mention is labelled in
    both.

    Returns
    -------
    Agreement
        ``n``, ``percent_agreement`` (share of the n with the same label),
        ``cohen_kappa`` (scikit-learn ``cohen_kappa_score``), ``krippendorff_alpha``
        (nominal, NLTK ``AnnotationTask.alpha``) and ``disagreements``: one row per
        mention labelled differently (``DISAGREEMENT_COLUMNS``, the sentence clipped).

    Examples
    --------
    >>> A = pd.DataFrame({"mention_id": ["m1", "m2", "m3", "m4"], "label": [1, 1, 0, 0]})
    >>> r = agreement(A, A.assign(label=[1, 0, 0, 0]))
    >>> r.n, r.percent_agreement, round(r.cohen_kappa, 3)
    (4, 0.75, 0.5)
    """
    names = [str(x) if not isinstance(x, pd.DataFrame) else name for x, name in ((a, "A"), (b, "B"))]
    ta, tb = (x if isinstance(x, pd.DataFrame) else read_labels(x) for x in (a, b))
    la, lb = (t[t["label"].notna()] for t in (ta, tb))
    both = la.add_suffix("_a").merge(lb.add_suffix("_b"), left_on="mention_id_a", right_on="mention_id_b")
    both = both.rename(columns={"mention_id_a": "mention_id"})
    if both.empty:
        raise CorpusError([Problem(f"{names[0]} and {names[1]}", None, "mention_id",
                                   f"no mention labelled in both files ({len(la)} labelled in the first, "
                                   f"{len(lb)} in the second)")])
    kappa, alpha = kappa_and_alpha(both["label_a"], both["label_b"])
    differ = both[both["label_a"] != both["label_b"]]

    def pick(name: str, sides: str = "ab") -> pd.Series:  # A's value, else B's (where the file has it)
        out = pd.Series("", index=differ.index, dtype=object)
        for col in [f"{name}_{x}" for x in sides if f"{name}_{x}" in differ.columns]:
            out = out.where(out != "", differ[col].fillna("").astype(str))
        return out

    dis = pd.DataFrame({
        "mention_id": differ["mention_id"], "power": pick("power"), "alias": pick("alias"),
        "label_a": differ["label_a"].astype(int), "label_b": differ["label_b"].astype(int),
        "note_a": pick("note", "a"), "note_b": pick("note", "b"),
        "sentence": pick("sentence").map(lambda s: s if len(s) <= CLIP else s[: CLIP - 1] + "\u2026"),
    }).reset_index(drop=True)
    return Agreement(n=len(both), percent_agreement=float((both["label_a"] == both["label_b"]).mean()),
                     cohen_kappa=kappa, krippendorff_alpha=alpha,
                     only_a=int((~la["mention_id"].isin(lb["mention_id"])).sum()),
                     only_b=int((~lb["mention_id"].isin(la["mention_id"])).sum()), disagreements=dis)


# -- adopting labels into the corpus ------------------------------------------------------------
def adopt(corpus, path: str | Path, coder: str, *, replace: bool = False) -> dict:
    """Bring the labels of a filled-in file into ``annotations/power_sentiment_gold.csv``.

    Each labelled row becomes a gold row with the mention's segment, kind, speaker,
    power, alias and sentence from the corpus, ``label``, ``reason`` (the row's ``note``)
    and ``coder``. Rows left unlabelled are skipped and counted. Rows already in the gold
    file without a coder keep an empty ``coder``. The gold file stays in corpus order
    (labels of mentions no longer found keep their place at the end).

    Nothing is written if any row has a problem; every problem names file, row and
    field: a label with an empty note, a mention id the corpus does not have (any more),
    a power or alias that differs from the corpus's mention, a mention labelled already
    (unless ``replace``). The new file is checked with :func:`read_gold` before it
    replaces the old one, under the corpus's lock and in one atomic step
    (:func:`c6lab.corpus.change.corpus_transaction`).

    Parameters
    ----------
    corpus : Corpus
    path : path
        A filled-in sample file (:func:`read_labels`).
    coder : str
        Who labelled (or adjudicated) the rows, recorded in the ``coder`` column.
    replace : bool, default False
        Replace the label of mentions already labelled.

    Returns
    -------
    dict
        ``added``, ``replaced``, ``skipped`` (rows without a label), ``total`` (rows in
        the gold file now) and ``path``.
    """
    coder = (coder or "").strip()
    if not coder or any(c in coder for c in "\t\r\n,"):
        raise CorpusError([Problem("--coder", None, None, f"must be a non-empty id without commas, got {coder!r}")])
    label = str(path)
    rows = read_labels(path)
    mentions = mention_table(corpus).drop_duplicates("mention_id").set_index("mention_id")
    gold_path = corpus.root / GOLD_FILE
    with corpus_transaction(corpus.root, "label adopt") as tx:
        if gold_path.exists():
            read_gold(gold_path)  # a broken gold file is reported as it is, not overwritten
            header, old = read_csv_rows(gold_path, GOLD_COLUMNS, None, str(gold_path))
        else:
            header, old = list(GOLD_COLUMNS), []
        existing = {r["mention_id"]: (line, r) for line, r in old}
        problems, new = [], {}
        labelled = rows[rows["label"].notna()]
        for rec in labelled.to_dict("records"):
            line, mid = rec["line"], rec["mention_id"]
            if not rec.get("note", ""):
                problems.append(Problem(label, line, "note", "empty: the gold file needs a reason for each label"))
            if mid not in mentions.index:
                problems.append(Problem(label, line, "mention_id", f"{mid!r} is not a mention of {corpus.root} "
                                        "(the text or the alias list changed? draw a new sample)"))
                continue
            m = mentions.loc[mid]
            for col in ("power", "alias"):
                if rec.get(col, "") and rec[col] != m[col]:
                    problems.append(Problem(label, line, col, f"{rec[col]!r}, but the corpus has {m[col]!r} "
                                            f"at {mid}"))
            if mid in existing and not replace:
                gl, g = existing[mid]
                problems.append(Problem(label, line, "mention_id",
                                        f"{mid} is labelled already ({gold_path.name} row {gl}: label {g['label']}"
                                        f"{', coder ' + g['coder'] if g.get('coder') else ''}); "
                                        "use --replace to replace it"))
            new[mid] = {"mention_id": mid, "segment_id": m["segment_id"], "kind": m.get("kind", ""),
                        "speaker_id": m.get("speaker_id", ""), "power": m["power"], "alias": m["alias"],
                        "label": str(int(rec["label"])), "reason": rec.get("note", ""), "coder": coder,
                        "sentence": normalize(m["sentence"])}
        if problems:
            raise CorpusError(problems)
        if "coder" not in header:
            at = header.index("reason") + 1
            header = [*header[:at], "coder", *header[at:]]
        header += [c for c in READER_COLUMNS if c not in header]  # a header-only file from `corpus init`
        merged = {mid: r for mid, (_, r) in existing.items()}
        replaced = sum(mid in merged for mid in new)
        merged.update(new)
        order = {mid: i for i, mid in enumerate(mentions.index)}
        keyed = sorted(enumerate(merged.items()), key=lambda t: (order.get(t[1][0], len(order) + t[0])))
        data = csv_bytes(header, [r for _, (_, r) in keyed])
        with tempfile.TemporaryDirectory(prefix="c6lab-gold-") as tmp:  # must read back before it replaces
            check = Path(tmp) / gold_path.name
            check.write_bytes(data)
            read_gold(check)
        tx.write(GOLD_FILE.as_posix(), data)
    return {"added": len(new) - replaced, "replaced": replaced, "skipped": int(rows["label"].isna().sum()),
            "total": len(merged), "path": gold_path}
