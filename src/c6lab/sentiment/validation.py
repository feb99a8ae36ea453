"""Validation of the scores against hand labels: read and check the labels, score the methods."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CorpusError, Problem
from ..io import read_csv_rows

LABELS = (-1, 0, 1)
THRESHOLD = 0.05  # VADER's own cut-off: compound >= 0.05 positive, <= -0.05 negative
GOLD_COLUMNS = ("mention_id", "power", "alias", "label", "reason")
EVALUATION_COLUMNS = ["method", "lexicon", "n_mentions", "n_unlabelled", "accuracy", "macro_f1", "majority_accuracy"]
CONFUSION_COLUMNS = ["method", "lexicon", "gold", "predicted", "n"]


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a file of hand labels, e.g. ``corpus.root / "annotations" / "power_sentiment_gold.csv"``.

    One row per mention: ``mention_id`` (``article_id:raw_start-raw_end``, offsets into
    the raw file), ``power``, ``alias`` (as in the text), ``label`` (-1, 0 or +1: the
    stance of the sentence toward that power) and ``reason``; other columns (segment,
    sentence) are for the reader. Every problem is reported at once in a
    :class:`c6lab.CorpusError` naming file, row and field.

    A file with only its header row (as ``c6lab corpus init`` writes it) gives an empty
    table with the file's columns: a corpus without hand labels yet.

    Examples
    --------
    >>> import c6lab
    >>> gold = read_gold(c6lab.open_corpus().root / "annotations" / "power_sentiment_gold.csv")
    >>> sorted(gold["label"].unique().tolist())
    [-1, 0, 1]
    """
    label = str(path)
    header, table = read_csv_rows(path, GOLD_COLUMNS, None, label)
    problems, rows, seen = [], [], {}
    for line, row in table:
        mid = row["mention_id"]
        if not mid:
            problems.append(Problem(label, line, "mention_id", "empty"))
        elif mid in seen:
            problems.append(Problem(label, line, "mention_id", f"{mid!r} repeats line {seen[mid]}"))
        seen.setdefault(mid, line)
        if row["label"] not in ("-1", "0", "1", "+1"):
            problems.append(Problem(label, line, "label", f"must be -1, 0 or 1, got {row['label']!r}"))
            continue
        if not row["reason"]:
            problems.append(Problem(label, line, "reason", "empty: say why"))
        rows.append({**row, "label": int(row["label"])})
    if problems:
        raise CorpusError(problems)
    return pd.DataFrame(rows, columns=header).astype({"label": "int64"})


def check_gold(mentions: pd.DataFrame, gold: pd.DataFrame) -> list[str]:
    """Problems joining mentions and gold labels (empty list = one label per mention).

    Reports mentions without a label, labels without a mention, repeated ids, and
    labels whose power or alias differ from what the finder found there.

    Examples
    --------
    >>> m = pd.DataFrame({"mention_id": ["a:0-5"], "power": ["US"], "alias": ["Trump"]})
    >>> check_gold(m, m.assign(power="RU"))
    ["a:0-5: gold says power 'RU', the finder 'US'"]
    """
    out = []
    for name, df in (("mentions", mentions), ("gold", gold)):
        for mid in df.loc[df["mention_id"].duplicated(), "mention_id"]:
            out.append(f"{mid}: repeated in {name}")
    m, g = set(mentions["mention_id"]), set(gold["mention_id"])
    out += [f"{mid}: found but has no gold label" for mid in sorted(m - g)]
    out += [f"{mid}: gold label but no such mention" for mid in sorted(g - m)]
    both = mentions.drop_duplicates("mention_id").merge(
        gold.drop_duplicates("mention_id"), on="mention_id", suffixes=("", "_gold"))
    for r in both.itertuples(index=False):
        for col in ("power", "alias"):
            if getattr(r, col) != getattr(r, f"{col}_gold"):
                out.append(f"{r.mention_id}: gold says {col} {getattr(r, f'{col}_gold')!r}, "
                           f"the finder {getattr(r, col)!r}")
    return out


def label_from_compound(compound, threshold: float = THRESHOLD) -> pd.Series:
    """VADER's three classes: +1 if ``compound >= threshold``, -1 if ``<= -threshold``, else 0.

    Examples
    --------
    >>> label_from_compound(pd.Series([0.05, 0.0499, -0.05])).tolist()
    [1, 0, -1]
    """
    c = pd.Series(compound, dtype=float)
    return pd.Series(np.select([c >= threshold, c <= -threshold], [1, -1], 0), index=c.index)


def _joined(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float) -> pd.DataFrame:
    missing = {"mention_id", "power", "alias", "method", "lexicon", "compound"} - set(scored.columns)
    if missing:
        raise ValueError(f"scored needs the columns {sorted(missing)} (see score_mentions)")
    # A mention nobody has labelled yet (an article added after the gold file was written)
    # is left out and counted; a label that no longer matches its mention is an error.
    problems = [p for p in check_gold(scored, gold) if p.endswith("no such mention")] if scored.empty else []
    for (method, lexicon), part in scored.groupby(["method", "lexicon"], sort=False):
        problems += [f"{method}/{lexicon}: {p}" for p in check_gold(part, gold)
                     if not p.endswith("found but has no gold label")]
    if problems:
        raise ValueError("scored mentions and gold labels do not match:\n" + "\n".join(problems[:20]))
    df = scored.merge(gold[["mention_id", "label"]], on="mention_id", how="left")
    df["labelled"] = df["label"].notna()
    df["predicted"] = label_from_compound(df["compound"], threshold).to_numpy()
    return df


def evaluate(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Accuracy and macro-F1 of each method against the hand labels.

    Parameters
    ----------
    scored : DataFrame
        :func:`c6lab.sentiment.score_mentions` output, one or several methods/lexicons
        concatenated. Mentions without a gold label are left out (and counted in
        ``n_unlabelled``); a gold label whose mention is gone, or whose power/alias
        differ, is an error.
    gold : DataFrame
        :func:`read_gold` output.
    threshold : float
        Compound cut-off for the positive and negative classes (VADER's 0.05).

    Returns
    -------
    DataFrame
        ``method, lexicon, n_mentions, n_unlabelled, accuracy, macro_f1`` (F1 averaged over the
        classes -1, 0, +1; a class never predicted nor present counts 0) and
        ``majority_accuracy`` (always answering the most frequent gold class). A
        method with no labelled mention has ``n_mentions`` 0 and NaN measures; no
        scored mention at all gives a table with these columns and no row.

    Examples
    --------
    >>> s = pd.DataFrame({"mention_id": list("abc"), "power": "US", "alias": "US",
    ...                   "method": "m", "lexicon": "vader", "compound": [0.5, 0.0, -0.3]})
    >>> g = pd.DataFrame({"mention_id": list("abc"), "power": "US", "alias": "US",
    ...                   "label": [1, 1, -1]})
    >>> evaluate(s, g)[["accuracy", "macro_f1"]].round(4).values.tolist()
    [[0.6667, 0.5556]]
    """
    from sklearn.metrics import accuracy_score, f1_score

    df = _joined(scored, gold, threshold)
    rows = []
    for (method, lexicon), every in df.groupby(["method", "lexicon"], sort=False):
        part = every[every["labelled"]].astype({"label": int})
        row = {"method": method, "lexicon": lexicon, "n_mentions": len(part),
               "n_unlabelled": int((~every["labelled"]).sum()),
               "accuracy": np.nan, "macro_f1": np.nan, "majority_accuracy": np.nan}
        if len(part):  # no labelled mention (a corpus without hand labels yet): NaN, not an error
            row.update(
                accuracy=accuracy_score(part["label"], part["predicted"]),
                macro_f1=f1_score(part["label"], part["predicted"], labels=list(LABELS),
                                  average="macro", zero_division=0),
                majority_accuracy=part["label"].value_counts().iloc[0] / len(part))
        rows.append(row)
    return pd.DataFrame(rows, columns=EVALUATION_COLUMNS)


def confusion(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Confusion counts of each method against the hand labels, long form.

    Returns
    -------
    DataFrame
        ``method, lexicon, gold, predicted, n`` with all nine gold x predicted cells
        (zeros included) per method and lexicon, counting labelled mentions only (all
        zero when none is labelled; no row when nothing was scored).

    Examples
    --------
    >>> s = pd.DataFrame({"mention_id": list("ab"), "power": "US", "alias": "US",
    ...                   "method": "m", "lexicon": "vader", "compound": [0.5, 0.0]})
    >>> g = pd.DataFrame({"mention_id": list("ab"), "power": "US", "alias": "US",
    ...                   "label": [1, -1]})
    >>> confusion(s, g).query("n > 0")[["gold", "predicted", "n"]].values.tolist()
    [[-1, 0, 1], [1, 1, 1]]
    """
    df = _joined(scored, gold, threshold)
    rows = []
    for (method, lexicon), every in df.groupby(["method", "lexicon"], sort=False):
        part = every[every["labelled"]].astype({"label": int})
        counts = part.groupby(["label", "predicted"]).size()
        for g in LABELS:
            for p in LABELS:
                rows.append({"method": method, "lexicon": lexicon, "gold": g, "predicted": p,
                             "n": int(counts.get((g, p), 0))})
    return pd.DataFrame(rows, columns=CONFUSION_COLUMNS)
