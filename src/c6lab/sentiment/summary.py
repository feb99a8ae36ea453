"""Group x power summaries of scored mentions, with bootstrap intervals of the mean."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..lexicons import Power
from ..stats import _check_confidence, mean_interval

#: above this many mentions in a cell its interval is computed here, blockwise (see _mean_interval)
MAX_RESAMPLED_ROWS = 500
_BLOCK = 4_000_000  # numbers drawn per block of resamples
SUMMARY_COLUMNS = ["group", "power", "method", "n_mentions", "mean_compound", "ci_low", "ci_high",
                   "ci_method", "lexicon", "n_sentences", "n_speakers", "mean_relative"]


def power_codes(powers: Iterable[str | Power]) -> list[str]:
    """Codes of ``powers`` (codes or :class:`c6lab.lexicons.Power`), each once, in order.

    Examples
    --------
    >>> power_codes(["US", Power("KZ", "Kazakhstan", "#000000"), "US"])
    ['US', 'KZ']
    """
    if isinstance(powers, str):
        raise TypeError("powers must be a sequence of codes (e.g. corpus.lexicons.power_codes), not one string")
    return list(dict.fromkeys(p.code if isinstance(p, Power) else str(p) for p in powers))


def group_labels(df: pd.DataFrame, group_by: str) -> pd.Series:
    """The group of each row: its ``group_by`` value, or ``(kind)`` where that is empty.

    Text without a speaker (narrative, teasers) has no country or speaker; it is grouped
    by its kind, so the journalists' narrative is one group and the teasers another.

    Examples
    --------
    >>> df = pd.DataFrame({"country": ["UZ", ""], "kind": ["quote", "narrative"]})
    >>> group_labels(df, "country").tolist()
    ['UZ', '(narrative)']
    """
    g = df[group_by].fillna("").astype(str)
    return g.where(g != "", "(" + df["kind"].astype(str) + ")") if "kind" in df else g


def summarize_powers(scored: pd.DataFrame, powers: Sequence[str | Power], group_by: str = "country",
                     groups: Iterable[str] | None = None, n_boot: int = 9999, random_state: int = 0,
                     confidence: float = 0.95) -> pd.DataFrame:
    """Group x power summary of scored mentions, with bootstrap CIs of the mean.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`c6lab.sentiment.score_mentions` (one or several
        methods/lexicons concatenated).
    powers : sequence of str or Power
        The powers to list, in this order: the corpus's ``corpus.lexicons.power_codes``
        (or ``corpus.lexicons.powers``). A power never mentioned by a group gets a row
        with ``n_mentions`` 0; a power in ``scored`` but not here is an error.
    group_by : str
        Column defining the groups (``country``, ``speaker`` ...). Rows where it is
        empty (text without a speaker) are grouped by kind, e.g. ``(narrative)``.
    groups : iterable of str, optional
        Groups to list even if they mention no power (their rows get ``n_mentions`` 0).
    n_boot, random_state, confidence
        Passed to :func:`c6lab.stats.mean_interval`; the same ``random_state`` is used
        for every cell, so a cell's interval does not depend on which other cells exist.

    Returns
    -------
    DataFrame
        One row per method x lexicon x group x power (powers in the order given):
        ``group, power, method, n_mentions, mean_compound, ci_low, ci_high, ci_method,
        lexicon, n_sentences`` (distinct sentences), ``n_speakers`` and
        ``mean_relative`` (mean of compound minus the speaker's baseline). Cells without
        a mention have ``n_mentions`` 0 and empty statistics.

    Examples
    --------
    >>> toy = pd.DataFrame({"country": ["UZ", "UZ", "UZ"], "power": ["CN"] * 3,
    ...                     "method": ["m"] * 3, "lexicon": ["vader"] * 3,
    ...                     "compound": [0.2, 0.4, 0.9], "sentence_id": ["a", "b", "c"],
    ...                     "speaker_id": ["t"] * 3, "relative": [0.0, 0.1, 0.2]})
    >>> s = summarize_powers(toy, ["US", "CN"], n_boot=999)
    >>> s[["group", "power", "n_mentions"]].values.tolist()
    [['UZ', 'US', 0], ['UZ', 'CN', 3]]
    >>> round(float(s["mean_compound"].iloc[1]), 4)
    0.5
    """
    codes = power_codes(powers)
    unknown = sorted(set(scored["power"]) - set(codes))
    if unknown:
        raise ValueError(f"scored holds powers not in powers: {unknown}; pass the corpus's "
                         "corpus.lexicons.power_codes")
    df = scored.copy()
    df["group"] = group_labels(df, group_by)
    all_groups = list(dict.fromkeys([*(groups or []), *df["group"]]))
    # the rows of every cell at once (in table order, as a filter would give them)
    cells = df.groupby(["method", "lexicon", "group", "power"], sort=False).indices
    compound = df["compound"].to_numpy(dtype=float)
    combos = df[["method", "lexicon"]].drop_duplicates().itertuples(index=False)
    # a cell's rows are taken from the columns read below only (a copy of every column per cell is
    # most of the time on a small corpus)
    narrow = df[[c for c in ("sentence_id", "speaker_id", "relative") if c in df.columns]]
    rows = []
    for method, lexicon in combos:
        for g in all_groups:
            for p in codes:
                idx = cells.get((method, lexicon, g, p), np.zeros(0, dtype=np.int64))
                cell = narrow.iloc[idx]
                x = compound[idx]
                low, high, how = _mean_interval(x, n_boot, random_state, confidence) if len(x) else (
                    math.nan, math.nan, "none (n<2)")
                rows.append({
                    "group": g, "power": p, "method": method, "n_mentions": len(x),
                    "mean_compound": float(x.mean()) if len(x) else math.nan,
                    "ci_low": low, "ci_high": high, "ci_method": how, "lexicon": lexicon,
                    "n_sentences": cell["sentence_id"].nunique() if "sentence_id" in cell else math.nan,
                    "n_speakers": cell["speaker_id"].replace("", np.nan).nunique()
                    if "speaker_id" in cell else math.nan,
                    "mean_relative": float(cell["relative"].mean())
                    if "relative" in cell and len(x) else math.nan,
                })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _mean_interval(x: np.ndarray, n_boot: int, random_state: int, confidence: float) -> tuple[float, float, str]:
    """:func:`c6lab.stats.mean_interval`, in memory and time linear in ``len(x)``.

    Up to :data:`MAX_RESAMPLED_ROWS` values it is that function (SciPy's bootstrap). SciPy's
    BCa holds all resamples at once and its jackknife is quadratic (``n`` means of ``n - 1``
    values). Above, the interval is the same BCa, computed here: the resample means are
    drawn block by block, either row by row as SciPy draws them or, when values repeat a
    lot (fewer than ``n / 32`` distinct), as multinomial counts of the distinct values (the
    same distribution); the jackknife means are ``(sum - x_i) / (n - 1)``.
    """
    if len(x) <= MAX_RESAMPLED_ROWS:
        return mean_interval(x, n_boot, random_state, confidence)
    from scipy.special import ndtr, ndtri
    from scipy.stats import quantile

    _check_confidence(confidence)
    n, theta = len(x), float(np.mean(x))
    values, counts = np.unique(x, return_counts=True)
    rng = np.random.default_rng(random_state)
    replicates = np.empty(n_boot)
    if len(values) * 32 < n:
        block = max(1, _BLOCK // len(values))
        for s in range(0, n_boot, block):
            drawn = rng.multinomial(n, counts / n, size=min(block, n_boot - s))
            replicates[s:s + len(drawn)] = drawn @ values / n
    else:
        block = max(1, _BLOCK // n)
        for s in range(0, n_boot, block):
            replicates[s:s + min(block, n_boot - s)] = x[rng.integers(0, n, (min(block, n_boot - s), n))].mean(axis=-1)
    alpha = (1 - confidence) / 2
    if len(values) > 1:
        # BCa as scipy.stats.bootstrap computes it (Efron & Tibshirani 14.3, 15.4)
        z0 = ndtri((np.count_nonzero(replicates < theta) + np.count_nonzero(replicates <= theta)) / (2 * n_boot))
        jack = (x.sum() - values) / (n - 1)  # the mean without one value, per distinct value
        u = (n - 1) * ((counts * jack).sum() / n - jack)
        a = 1 / 6 * ((counts * u**3).sum() / n**3) / ((counts * u**2).sum() / n**2) ** 1.5
        z = float(ndtri(alpha))
        levels = [ndtr(z0 + (z0 + q) / (1 - a * (z0 + q))) for q in (z, -z)]
        low, high = (float(v) for v in quantile(replicates, np.asarray(levels)))
        if np.isfinite(low) and np.isfinite(high):
            return low, high, "BCa"
    low, high = (float(v) for v in quantile(replicates, np.asarray([alpha, 1 - alpha])))
    return low, high, "percentile"
