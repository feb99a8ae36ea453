"""Validation of the lexicon tone against hand labels of stance, with the uncertainty it carries.

The hand labels give the stance of a sentence toward the power it mentions (-1, 0, +1). A
method's tone score c gives a label through a neutral band: +1 if ``c >= t``, -1 if
``c <= -t``, else 0 (``t`` = 0.05, VADER's own cut-off). Tone is not stance, and the
validation measures how far the one stands in for the other: accuracy with a Wilson 95%
interval, macro-F1 with a bootstrap 95% interval over mentions, Cohen's kappa, and beside
them the majority-class baseline (always answering the most frequent hand label).

A setting chosen on the labels (the neutral band ``t`` of ``tune_band=True``) is evaluated
leave-one-article-out: ``t`` is chosen on the other articles' labels and applied to the
held-out article, so no label helps choose the setting that predicts it. Random folds
would mix sentences of one article, which share words, between choosing and testing.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CorpusError, Problem
from ..io import read_csv_rows
from ..stats import generator, percentile_interval, resample_row_chunks, wilson_interval

LABELS = (-1, 0, 1)
THRESHOLD = 0.05  # VADER's own cut-off: compound >= 0.05 positive, <= -0.05 negative
BAND_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)  # neutral bands tried by tune_band
#: above this many labelled mentions the bootstrap draws each resample's confusion counts directly
MAX_RESAMPLED_ROWS = 500
BAND_SUFFIX = "+band"  # method name of a tuned neutral band: masked_sentence+band
ALL_LABELS = "all labels"
LOAO = "leave-one-article-out"
GOLD_COLUMNS = ("mention_id", "power", "alias", "label", "reason")
VALIDATION_COLUMNS = [
    "method", "lexicon", "evaluation", "setting", "n_mentions", "n_unlabelled", "n_articles",
    "n_negative", "n_neutral", "n_positive", "accuracy", "accuracy_ci_low", "accuracy_ci_high",
    "macro_f1", "macro_f1_ci_low", "macro_f1_ci_high", "kappa", "baseline_label", "baseline_accuracy",
    "baseline_macro_f1", "baseline_macro_f1_ci_low", "baseline_macro_f1_ci_high"]
EVALUATION_COLUMNS = VALIDATION_COLUMNS  # the name of earlier versions
CONFUSION_COLUMNS = ["method", "lexicon", "gold", "predicted", "n"]
BAND_COLUMNS = ["method", "lexicon", "article_id", "n_train", "n_test", "threshold", "train_macro_f1"]


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a file of hand labels, e.g. ``corpus.root / "annotations" / "power_sentiment_gold.csv"``.

    One row per mention: ``mention_id`` (``article_id:raw_start-raw_end``, offsets into
    the raw file), ``power``, ``alias`` (as in the text), ``label`` (-1, 0 or +1: the
    stance of the sentence toward that power) and ``reason``; other columns (segment,
    sentence, the ``coder`` who gave the label ...) are kept for the reader. Every problem is reported at once in a
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
    ids = [df["mention_id"] for df in (mentions, gold)]
    if not any(i.isna().any() for i in ids):  # the usual case: the same checks on integer codes
        return _check_gold_codes(mentions, gold)
    out = []
    for name, df in (("mentions", mentions), ("gold", gold)):
        for mid in df.loc[df["mention_id"].duplicated(), "mention_id"]:
            out.append(f"{mid}: repeated in {name}")
    m, g = set(mentions["mention_id"].tolist()), set(gold["mention_id"].tolist())  # whole columns: fast
    out += [f"{mid}: found but has no gold label" for mid in sorted(m - g)]
    out += [f"{mid}: gold label but no such mention" for mid in sorted(g - m)]
    both = mentions[["mention_id", "power", "alias"]].drop_duplicates("mention_id").merge(
        gold[["mention_id", "power", "alias"]].drop_duplicates("mention_id"), on="mention_id", suffixes=("", "_gold"))
    differ = np.zeros(len(both), dtype=bool)
    for col in ("power", "alias"):
        differ |= (both[col] != both[f"{col}_gold"]).to_numpy()
    for r in both[differ].itertuples(index=False):  # only the rows that differ, one by one
        for col in ("power", "alias"):
            if getattr(r, col) != getattr(r, f"{col}_gold"):
                out.append(f"{r.mention_id}: gold says {col} {getattr(r, f'{col}_gold')!r}, "
                           f"the finder {getattr(r, col)!r}")
    return out


def _check_gold_codes(mentions: pd.DataFrame, gold: pd.DataFrame) -> list[str]:
    """:func:`check_gold` with the ids hashed once (codes), not by each duplicated, set and merge."""
    ids_m = mentions["mention_id"].to_numpy(dtype=object)
    ids_g = gold["mention_id"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(np.concatenate([ids_m, ids_g]))
    k = len(uniques)
    cm, cg = codes[:len(ids_m)], codes[len(ids_m):]
    out = []
    first = []
    for name, ids, c in (("mentions", ids_m, cm), ("gold", ids_g, cg)):
        seen = np.full(k, -1, dtype=np.int64)
        present, at = np.unique(c, return_index=True)  # the first row of each id
        seen[present] = at
        repeated = np.ones(len(c), dtype=bool)
        repeated[seen[seen >= 0]] = False
        out += [f"{mid}: repeated in {name}" for mid in ids[repeated]]
        first.append(seen)
    in_m, in_g = first[0] >= 0, first[1] >= 0
    uniques = np.asarray(uniques, dtype=object)
    out += [f"{mid}: found but has no gold label" for mid in sorted(uniques[in_m & ~in_g].tolist())]
    out += [f"{mid}: gold label but no such mention" for mid in sorted(uniques[in_g & ~in_m].tolist())]
    # the first row of each mention with a label, in the mentions' order (as an inner merge gives them)
    rows = np.sort(first[0][in_m & in_g])
    grows = first[1][cm[rows]]
    differ = np.zeros(len(rows), dtype=bool)
    pairs = {}
    for col in ("power", "alias"):
        a = mentions[col].iloc[rows].reset_index(drop=True)
        b = gold[col].iloc[grows].reset_index(drop=True)
        differ |= (a != b).to_numpy()
        pairs[col] = (a, b)
    for i in np.flatnonzero(differ):  # only the rows that differ, one by one
        for col in ("power", "alias"):
            found, said = pairs[col][0].iloc[i], pairs[col][1].iloc[i]
            if found != said:
                out.append(f"{ids_m[rows[i]]}: gold says {col} {said!r}, the finder {found!r}")
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


# -- joining scores and labels --------------------------------------------------------------------
def _joined(scored: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    missing = {"mention_id", "power", "alias", "method", "lexicon", "compound"} - set(scored.columns)
    if missing:
        raise ValueError(f"scored needs the columns {sorted(missing)} (see score_mentions)")
    # A mention nobody has labelled yet (an article added after the gold file was written)
    # is left out and counted; a label that no longer matches its mention is an error.
    problems = [p for p in check_gold(scored, gold) if p.endswith("no such mention")] if scored.empty else []
    checked: tuple[list[np.ndarray], list[str]] | None = None
    for (method, lexicon), part in scored.groupby(["method", "lexicon"], sort=False):
        # the settings of one run share their mentions: checked once, the finding reused
        keys = [part[c].to_numpy() for c in ("mention_id", "power", "alias")]
        if checked is None or not _same_keys(keys, checked[0]):
            checked = (keys, [p for p in check_gold(part, gold) if not p.endswith("found but has no gold label")])
        problems += [f"{method}/{lexicon}: {p}" for p in checked[1]]
    if problems:
        raise ValueError("scored mentions and gold labels do not match:\n" + "\n".join(problems[:20]))
    # a scorer's own label column (if any) is not the hand label: the hand label wins the name
    # only the columns the measures read: a copy of every column of millions of rows is gigabytes
    keep = [c for c in ("mention_id", "power", "alias", "method", "lexicon", "compound", "article_id") if c in scored]
    df = scored[keep].merge(gold[["mention_id", "label"]], on="mention_id", how="left")
    if "article_id" not in df:  # mention ids are article_id:raw_start-raw_end
        df["article_id"] = df["mention_id"].astype(str).str.rsplit(":", n=1).str[0]
    df["labelled"] = df["label"].notna()
    return df


def _same_keys(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    try:
        return all(len(x) == len(y) and bool((x == y).all()) for x, y in zip(a, b, strict=True))
    except TypeError:  # a missing value (pd.NA) has no truth value: not known to be the same
        return False


def _codes(values) -> np.ndarray:
    """-1, 0, +1 as 0, 1, 2 (rows and columns of a confusion matrix)."""
    return np.searchsorted(LABELS, np.asarray(values, dtype=int))


def _macro_f1(counts: np.ndarray) -> np.ndarray:
    """Macro-F1 of confusion counts ``(..., gold, predicted)``; a class never present nor
    predicted has F1 0 (scikit-learn's ``zero_division=0``)."""
    tp = np.diagonal(counts, axis1=-2, axis2=-1).astype(float)
    denom = counts.sum(axis=-1) + counts.sum(axis=-2)  # 2 TP + FP + FN
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0).mean(axis=-1)


def _counts(cells: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Confusion counts of cell codes ``gold * 3 + predicted``; with ``rows`` (bootstrap
    indices, ``(n_boot, n)``), one matrix per resample, all in one bincount."""
    k = len(LABELS) ** 2
    if rows is None:
        return np.bincount(cells, minlength=k).reshape(len(LABELS), len(LABELS))
    shifted = cells[rows] + k * np.arange(len(rows))[:, None]
    return np.bincount(shifted.ravel(), minlength=k * len(rows)).reshape(len(rows), len(LABELS), len(LABELS))


def _majority(gold: np.ndarray) -> int:
    # the most frequent label; a tie goes to 0, then to -1 (the order of LABELS)
    counts = {v: int((gold == v).sum()) for v in LABELS}
    return max(LABELS, key=lambda v: (counts[v], -abs(v), -v))


def measures(gold, predicted, n_boot: int = 9999, random_state: int = 0, confidence: float = 0.95) -> dict:
    """Accuracy, macro-F1 and kappa of predicted labels, with intervals and the majority baseline.

    Parameters
    ----------
    gold, predicted : array-like of -1, 0, 1
        Hand labels and a method's labels, one per mention.
    n_boot : int
        Bootstrap resamples of the mentions for the macro-F1 intervals.
    random_state : int
        Seed of the resampling (:func:`c6lab.stats.resample_rows`); the same seed draws the
        same resamples for every method of a run, so their intervals are comparable.
    confidence : float

    Returns
    -------
    dict
        ``n_mentions``, ``n_negative``, ``n_neutral``, ``n_positive``, ``accuracy`` with its
        Wilson interval (``accuracy_ci_low``, ``accuracy_ci_high``), ``macro_f1`` (F1
        averaged over -1, 0, +1) with its percentile bootstrap interval, ``kappa``
        (Cohen's, scikit-learn; NaN where it is 0/0), and ``baseline_label``,
        ``baseline_accuracy``, ``baseline_macro_f1`` (with its interval over the same
        resamples) of always answering the most frequent hand label. No mention: NaN.

    Examples
    --------
    >>> m = measures([1, 1, 0, -1], [1, 0, 0, 0], n_boot=99)
    >>> m["accuracy"], round(m["macro_f1"], 4), m["baseline_label"], m["baseline_accuracy"]  # F1 (0 + 1/2 + 2/3) / 3
    (0.5, 0.3889, 1, 0.5)
    """
    g, p = np.asarray(gold, dtype=int), np.asarray(predicted, dtype=int)
    if g.shape != p.shape or g.ndim != 1:
        raise ValueError(f"gold and predicted must be two sequences of one length, got {g.shape} and {p.shape}")
    unknown = sorted((set(np.unique(g)) | set(np.unique(p))) - set(LABELS))
    if unknown:
        raise ValueError(f"labels must be -1, 0 or 1, got {unknown}")
    n = len(g)
    out = {"n_mentions": n, "n_negative": int((g == -1).sum()), "n_neutral": int((g == 0).sum()),
           "n_positive": int((g == 1).sum())}
    nan = float("nan")
    if n == 0:
        return {**out, **dict.fromkeys(
            ["accuracy", "accuracy_ci_low", "accuracy_ci_high", "macro_f1", "macro_f1_ci_low",
             "macro_f1_ci_high", "kappa", "baseline_accuracy", "baseline_macro_f1",
             "baseline_macro_f1_ci_low", "baseline_macro_f1_ci_high"], nan), "baseline_label": None}
    from sklearn.exceptions import UndefinedMetricWarning
    from sklearn.metrics import cohen_kappa_score

    k = int((g == p).sum())
    majority = _majority(g)
    cells = _codes(g) * len(LABELS) + _codes(p)
    base = _codes(g) * len(LABELS) + _codes([majority])[0]
    boot, boot_base = _boot_f1(g, cells, majority, n_boot, random_state)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        # kappa is 0/0 with one label on both sides: NaN here, and no warning in a notebook's output
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        kappa = float(cohen_kappa_score(g, p, labels=list(LABELS)))
    return {
        **out,
        "accuracy": k / n, **dict(zip(("accuracy_ci_low", "accuracy_ci_high"), wilson_interval(k, n, confidence))),
        "macro_f1": float(_macro_f1(_counts(cells))),
        **dict(zip(("macro_f1_ci_low", "macro_f1_ci_high"),
                   percentile_interval(np.concatenate(boot), confidence))),
        "kappa": kappa if np.isfinite(kappa) else nan,
        "baseline_label": majority, "baseline_accuracy": float((g == majority).mean()),
        "baseline_macro_f1": float(_macro_f1(_counts(base))),
        **dict(zip(("baseline_macro_f1_ci_low", "baseline_macro_f1_ci_high"),
                   percentile_interval(np.concatenate(boot_base), confidence))),
    }


def _boot_f1(g: np.ndarray, cells: np.ndarray, majority: int, n_boot: int, random_state) -> tuple[list, list]:
    """Bootstrap replicates of the macro-F1 of ``cells`` and of the majority baseline.

    Up to :data:`MAX_RESAMPLED_ROWS` mentions, each resample is drawn row by row
    (:func:`c6lab.stats.resample_row_chunks`, block by block in bounded memory). Above,
    only the nine confusion counts of a resample matter, and they follow the multinomial
    distribution of ``n`` draws from the observed cell shares: they are drawn directly,
    nine numbers per resample instead of ``n`` (the same distribution; another stream of
    random numbers). The baseline's counts are the gold totals of the same resample.
    """
    n = len(g)
    base = _codes(g) * len(LABELS) + _codes([majority])[0]
    boot, boot_base = [], []
    if n <= MAX_RESAMPLED_ROWS:
        for rows in resample_row_chunks(n, n_boot, random_state):
            boot.append(_macro_f1(_counts(cells, rows)))
            boot_base.append(_macro_f1(_counts(base, rows)))
        return boot, boot_base
    k = len(LABELS)
    drawn = generator(random_state).multinomial(n, _counts(cells).ravel() / n, size=n_boot).reshape(n_boot, k, k)
    as_base = np.zeros_like(drawn)
    as_base[:, :, _codes([majority])[0]] = drawn.sum(axis=2)  # every gold label answered with the majority
    return [_macro_f1(drawn)], [_macro_f1(as_base)]


# -- predictions: a fixed band, or a band chosen leave-one-article-out ----------------------------
def _band_folds(part: pd.DataFrame, grid) -> list[dict]:
    """For each article of ``part`` (one method, every mention): the band chosen on the
    labelled mentions of the *other* articles, by macro-F1 (ties: the narrower band).

    Every article at once: per band, the confusion counts of each article, subtracted from
    the total, are the counts of its training set (linear in the number of mentions).
    """
    grid = np.asarray(sorted(grid), dtype=float)
    lab = part[part["labelled"]]
    c, g = lab["compound"].to_numpy(dtype=float), _codes(lab["label"].astype(int))
    articles = sorted(set(part["article_id"].astype(str)))
    which = pd.Index(articles).get_indexer(lab["article_id"].astype(str))
    k, n_art = len(LABELS) ** 2, len(articles)
    n_test = np.bincount(which, minlength=n_art)
    n_train = len(lab) - n_test
    f1 = np.full((n_art, len(grid)), np.nan)
    for j, t in enumerate(grid):
        cells = g * len(LABELS) + _codes(label_from_compound(c, t))
        own = np.bincount(which * k + cells, minlength=n_art * k).reshape(n_art, k)
        train = (np.bincount(cells, minlength=k) - own).reshape(n_art, len(LABELS), len(LABELS))
        f1[:, j] = _macro_f1(train)
    folds = []
    for a, article in enumerate(articles):
        best = int(np.nanargmax(f1[a].round(12))) if n_train[a] else None
        folds.append({"article_id": article, "n_train": int(n_train[a]), "n_test": int(n_test[a]),
                      "threshold": float(grid[best]) if best is not None else np.nan,
                      "train_macro_f1": float(f1[a, best]) if best is not None else np.nan})
    return folds


def _check_grid(grid) -> tuple:
    grid = tuple(float(t) for t in grid)
    if not grid or any(not 0 < t <= 1 for t in grid):
        raise ValueError(f"grid must hold neutral bands between 0 and 1, got {grid!r}")
    return grid


def band_choices(scored: pd.DataFrame, gold: pd.DataFrame, grid=BAND_GRID) -> pd.DataFrame:
    """The neutral band chosen for each held-out article, leave-one-article-out.

    For each method, lexicon and article of ``scored``: the band ``t`` of ``grid`` whose
    labels (neutral if ``|c| < t``) reach the highest macro-F1 on the labelled mentions of
    all *other* articles (ties go to the narrower band). An article is never used to
    choose its own band.

    Returns
    -------
    DataFrame
        ``method`` (with ``+band``), ``lexicon, article_id, n_train`` (labelled mentions
        the band was chosen on), ``n_test`` (labelled mentions of the article),
        ``threshold`` and ``train_macro_f1``; NaN when no other article has a label.

    Examples
    --------
    >>> s = pd.DataFrame({"mention_id": ["a:0-1", "a:2-3", "b:0-1", "b:2-3"], "power": "US",
    ...                   "alias": "US", "method": "m", "lexicon": "vader",
    ...                   "compound": [0.3, 0.1, 0.35, 0.08]})
    >>> g = s[["mention_id", "power", "alias"]].assign(label=[1, 0, 1, 0])
    >>> band_choices(s, g, grid=[0.05, 0.2])[["article_id", "threshold"]].values.tolist()
    [['a', 0.2], ['b', 0.2]]
    """
    grid = _check_grid(grid)
    df = _joined(scored, gold)
    rows = [{"method": method + BAND_SUFFIX, "lexicon": lexicon, **fold}
            for (method, lexicon), part in df.groupby(["method", "lexicon"], sort=False)
            for fold in _band_folds(part, grid)]
    return pd.DataFrame(rows, columns=BAND_COLUMNS)


def _predicted(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float, tune_band: bool, grid) -> pd.DataFrame:
    """``_joined`` plus ``predicted`` (NaN where no band could be chosen) and ``threshold``."""
    df = _joined(scored, gold)
    if not tune_band:
        return df.assign(predicted=label_from_compound(df["compound"], threshold).to_numpy(), threshold=threshold)
    grid = _check_grid(grid)
    parts = []
    for (method, _), part in df.groupby(["method", "lexicon"], sort=False):
        t = {f["article_id"]: f["threshold"] for f in _band_folds(part, grid)}
        band = part["article_id"].astype(str).map(t).astype(float)
        pred = pd.Series(np.select([part["compound"] >= band, part["compound"] <= -band], [1, -1], 0),
                         index=part.index).where(band.notna())
        parts.append(part.assign(method=method + BAND_SUFFIX, predicted=pred, threshold=band))
    return pd.concat(parts) if parts else df.assign(predicted=pd.Series(dtype=float), threshold=pd.Series(dtype=float))


def _setting(part: pd.DataFrame, tune_band: bool, grid) -> str:
    if not tune_band:
        return f"neutral if |c| < {part['threshold'].iloc[0]:g}"
    chosen = sorted(set(part["threshold"].dropna()))
    what = ("chosen: " + ", ".join(f"{t:g}" for t in chosen)) if chosen else "none chosen: labels in one article only"
    return (f"neutral if |c| < t; t from {min(grid):g}–{max(grid):g} chosen on the other articles' labels "
            f"by macro-F1 ({what})")


def evaluate(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float = THRESHOLD, *, tune_band: bool = False,
             grid=BAND_GRID, n_boot: int = 9999, random_state: int = 0, confidence: float = 0.95) -> pd.DataFrame:
    """How far each method's tone labels agree with the hand labels of stance, with intervals.

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
        The neutral band: ``|c| < threshold`` is 0 (VADER's 0.05). Not used with ``tune_band``.
    tune_band : bool
        Choose the band from ``grid`` leave-one-article-out (:func:`band_choices`); the
        method is named with ``+band`` and ``evaluation`` says ``leave-one-article-out``.
    grid : sequence of float
        The bands tried when ``tune_band``.
    n_boot, random_state, confidence
        The bootstrap of the macro-F1 intervals (see :func:`measures`).

    Returns
    -------
    DataFrame
        One row per method and lexicon: ``method, lexicon, evaluation`` (``all labels`` or
        ``leave-one-article-out``), ``setting`` (the band), ``n_mentions`` (labelled and
        predicted), ``n_unlabelled``, ``n_articles`` (with a label), then the columns of
        :func:`measures`. A method with no labelled mention has ``n_mentions`` 0 and NaN
        measures; no scored mention at all gives a table with these columns and no row.

    Examples
    --------
    >>> s = pd.DataFrame({"mention_id": list("abc"), "power": "US", "alias": "US",
    ...                   "method": "m", "lexicon": "vader", "compound": [0.5, 0.0, -0.3]})
    >>> g = pd.DataFrame({"mention_id": list("abc"), "power": "US", "alias": "US",
    ...                   "label": [1, 1, -1]})
    >>> evaluate(s, g, n_boot=99)[["accuracy", "macro_f1", "baseline_accuracy"]].round(4).values.tolist()
    [[0.6667, 0.5556, 0.6667]]
    """
    df = _predicted(scored, gold, threshold, tune_band, grid)
    rows = []
    for (method, lexicon), every in df.groupby(["method", "lexicon"], sort=False):
        part = every[every["labelled"] & every["predicted"].notna()]
        if len(part) <= MAX_RESAMPLED_ROWS:  # resampled row by row: in a fixed order (counts need none)
            part = part.sort_values("mention_id", kind="stable")
        m = measures(part["label"].astype(int), part["predicted"].astype(int), n_boot, random_state, confidence)
        labelled = every[every["labelled"]]
        rows.append({"method": method, "lexicon": lexicon, "evaluation": LOAO if tune_band else ALL_LABELS,
                     "setting": _setting(every, tune_band, grid), "n_unlabelled": int((~every["labelled"]).sum()),
                     "n_articles": int(labelled["article_id"].nunique()), **m})
    return pd.DataFrame(rows, columns=VALIDATION_COLUMNS)


def confusion(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float = THRESHOLD, *, tune_band: bool = False,
              grid=BAND_GRID) -> pd.DataFrame:
    """Confusion counts of each method against the hand labels, long form.

    Parameters are those of :func:`evaluate`.

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
    df = _predicted(scored, gold, threshold, tune_band, grid)
    rows = []
    for (method, lexicon), every in df.groupby(["method", "lexicon"], sort=False):
        part = every[every["labelled"] & every["predicted"].notna()]
        counts = part.groupby([part["label"].astype(int), part["predicted"].astype(int)]).size()
        for g in LABELS:
            for p in LABELS:
                rows.append({"method": method, "lexicon": lexicon, "gold": g, "predicted": p,
                             "n": int(counts.get((g, p), 0))})
    return pd.DataFrame(rows, columns=CONFUSION_COLUMNS)
