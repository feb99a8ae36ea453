"""The keyness statistics and the comparison table (:func:`keyness`).

Every comparison is a 2x2 table per word: the word's count in the group and in the
reference (``count_group``, ``count_reference``) and the two token totals (``n_group``,
``n_reference``). Group sums come from the sparse document-term matrix
(:meth:`c6lab.DocumentTermMatrix.group`); per comparison only vectors as long as the
vocabulary are dense.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.special import chdtrc  # chi2.sf itself, without importing scipy.stats (~1 s)

from ..counts import DocumentTermMatrix

DESIGNS = ("one_vs_rest", "pairwise")
# the leading columns of every keyness table, in this order (see keyness)
COLUMNS = (
    "comparison", "group", "reference", "word", "count_group", "count_reference",
    "n_group", "n_reference", "alpha_w", "alpha0", "delta", "z", "g2", "log_ratio",
)
EXTRA_COLUMNS = ("var", "p_value", "rank", "design")
SUMMARY_COLUMNS = ("group", "n_speakers", "n_segments", "n_sentences", "n_tokens", "speakers")


# -- the statistics ---------------------------------------------------------------------

def fightin_words(count_group, count_reference, n_group, n_reference, alpha0: float,
                  alpha_w=None):
    """Log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

    Parameters
    ----------
    count_group, count_reference : array-like
        Counts ``y_wi`` and ``y_wj`` of each word in the group and the reference.
    n_group, n_reference : int or array-like
        Token totals ``n_i`` and ``n_j``.
    alpha0 : float
        Total weight of the prior (pseudo-tokens), > 0.
    alpha_w : array-like, optional
        Prior per word. Default ``alpha0 * (y_wi + y_wj) / (n_i + n_j)``: the word's
        share of the pooled tokens of both sides (the informative prior).

    Returns
    -------
    alpha_w, delta, var, z : ndarray
        ``var = 1/(y_wi + alpha_w) + 1/(y_wj + alpha_w)`` (the paper's two-term
        approximation; scattertext uses a four-term one) and ``z = delta / sqrt(var)``.

    Examples
    --------
    Word counts 3 of 4 tokens against 0 of 6, prior weight 10 (``alpha_w = 10 * 3/10``):

    >>> a, d, v, z = fightin_words([3], [0], 4, 6, alpha0=10)
    >>> print(a[0], round(d[0], 4), v[0], round(z[0], 4))
    3.0 1.1787 0.5 1.6669
    """
    yi = np.asarray(count_group, dtype=float)
    yj = np.asarray(count_reference, dtype=float)
    ni = np.asarray(n_group, dtype=float)
    nj = np.asarray(n_reference, dtype=float)
    if not alpha0 > 0:
        raise ValueError("alpha0 must be > 0")
    if alpha_w is None:
        alpha_w = alpha0 * (yi + yj) / (ni + nj)
    aw = np.asarray(alpha_w, dtype=float)
    delta = (np.log(yi + aw) - np.log(ni + alpha0 - yi - aw)
             - np.log(yj + aw) + np.log(nj + alpha0 - yj - aw))
    var = 1.0 / (yi + aw) + 1.0 / (yj + aw)
    return aw, delta, var, delta / np.sqrt(var)


def g2_keyness(count_group, count_reference, n_group, n_reference,
               correction: str | None = "williams"):
    """Signed log-likelihood (G2) keyness and its p-value.

    With ``a, b`` the counts in group and reference, ``c = n_group - a`` and
    ``d = n_reference - b``, ``N = a + b + c + d`` and expected counts from the margins,
    ``G2 = 2 * sum(O * ln(O / E))`` (a zero cell adds 0). ``correction="williams"``
    divides by Williams' (1976) ``q = 1 + (N/(a+b) + N/(c+d) - 1) * (N/(a+c) + N/(b+d) - 1)
    / (6N)``; ``None`` gives the uncorrected G2. The sign is ``+`` when ``a`` exceeds its
    expected count (the group uses the word more), ``-`` when it falls short. The
    p-value is the upper tail of chi-square with 1 degree of freedom at ``|G2|``.

    Returns
    -------
    g2, p_value : ndarray

    Examples
    --------
    >>> g, p = g2_keyness([3], [0], 4, 6, correction=None)
    >>> print(round(g[0], 4), round(p[0], 4))
    7.7186 0.0055
    >>> g, p = g2_keyness([0], [3], 6, 4)  # Williams-corrected, reference uses it more
    >>> print(round(g[0], 4))
    -6.44
    """
    if correction not in ("williams", None):
        raise ValueError("correction must be 'williams' or None")
    a = np.asarray(count_group, dtype=float)
    b = np.asarray(count_reference, dtype=float)
    nt = np.asarray(n_group, dtype=float)
    nr = np.asarray(n_reference, dtype=float)
    c, d = nt - a, nr - b
    n = nt + nr
    with np.errstate(divide="ignore", invalid="ignore"):
        ea, eb = nt * (a + b) / n, nr * (a + b) / n
        ec, ed = nt * (c + d) / n, nr * (c + d) / n
        g2 = 2.0 * sum(_xlogy_ratio(o, e) for o, e in ((a, ea), (b, eb), (c, ec), (d, ed)))
        if correction == "williams":
            q = 1.0 + (n / (a + b) + n / (c + d) - 1.0) * (n / nt + n / nr - 1.0) / (6.0 * n)
            g2 = g2 / q
    g2 = np.maximum(g2, 0.0)  # rounding can make an exact 0 slightly negative
    p = chdtrc(1, g2)  # upper tail of chi-square with 1 df
    return np.sign(a - ea) * g2, p


def _xlogy_ratio(o, e):
    # o * ln(o / e) with the convention 0 * ln 0 = 0
    return np.where(o > 0, o * np.log(np.where(o > 0, o, 1.0) / np.where(o > 0, e, 1.0)), 0.0)


def log_ratio(count_group, count_reference, n_group, n_reference, zero: float = 0.5):
    """Hardie's (2014) Log Ratio: ``log2((a / n_group) / (b / n_reference))``.

    A count of zero is replaced by ``zero`` (default 0.5), so a word absent from one side
    gets a finite value; non-zero counts are used as they are. Each unit is a doubling of
    the relative frequency; swapping the sides flips the sign. (Adding 0.5 to *every*
    count, as earlier versions of this package did, is not Hardie's measure: it pulls
    every value toward 0.)

    Examples
    --------
    >>> print(round(log_ratio([3], [0], 4, 6)[0], 6))   # log2((3/4) / (0.5/6)) = log2(9)
    3.169925
    >>> print(round(log_ratio([1], [2], 4, 6)[0], 6))   # log2((1/4) / (2/6)) = log2(0.75)
    -0.415037
    """
    if not zero > 0:
        raise ValueError("zero must be > 0")
    a = np.asarray(count_group, dtype=float)
    b = np.asarray(count_reference, dtype=float)
    a = np.where(a == 0, zero, a)
    b = np.where(b == 0, zero, b)
    return np.log2(a / np.asarray(n_group, dtype=float)) - np.log2(b / np.asarray(n_reference, dtype=float))


# -- groups -----------------------------------------------------------------------------

def _speaker_column(docvars: pd.DataFrame) -> str | None:
    return next((c for c in ("speaker", "speaker_id") if c in docvars.columns), None)


def group_summary(counts: DocumentTermMatrix, group_by: str = "country") -> pd.DataFrame:
    """How much text each group has: the slice a keyword comparison rests on.

    Parameters
    ----------
    counts : DocumentTermMatrix
        :func:`c6lab.dfm` of the segments compared (one document per segment or per
        sentence).
    group_by : str
        Grouping document variable (``country``, ``speaker``, ``outlet`` ...). Documents
        with no value there (narrative has no speaker) belong to no group.

    Returns
    -------
    DataFrame
        ``group, n_speakers, n_segments, n_sentences, n_tokens, speakers`` (speaker names
        joined with ``"; "``), one row per group in sorted order. ``n_tokens`` are the
        matrix's tokens; a group can have 0 (segments of stop words only).

    Examples
    --------
    >>> import c6lab, pandas as pd
    >>> df = pd.DataFrame({"country": ["AZ", "AZ", "UZ"], "speaker": ["A", "B", "C"],
    ...                    "segment_id": ["s1", "s2", "s3"],
    ...                    "text": ["Trade routes. Ports.", "Trade.", "Energy."]})
    >>> group_summary(c6lab.dfm(df)).values.tolist()
    [['AZ', 2, 2, 3, 4, 'A; B'], ['UZ', 1, 1, 1, 1, 'C']]
    >>> group_summary(c6lab.dfm(df, unit="sentence")).equals(group_summary(c6lab.dfm(df)))
    True
    """
    groups, ind = counts.indicator(group_by)
    dv = counts.docvars
    spk = _speaker_column(dv)
    sentence_unit = "sentence_no" in dv.columns
    n_tokens = counts.n_tokens
    rows = []
    for k, g in enumerate(groups):
        docs = np.sort(ind.getrow(k).indices)
        sub = dv.iloc[docs]
        names = sorted(set(sub[spk].dropna().astype(str)) - {""}) if spk else []
        if sentence_unit:
            n_segments = sub["segment_id"].nunique() if "segment_id" in sub.columns else np.nan
            n_sentences = len(sub)
        else:
            n_segments = len(sub)
            n_sentences = int(sub["n_sentences"].sum()) if "n_sentences" in sub.columns else np.nan
        rows.append({"group": g, "n_speakers": len(names), "n_segments": n_segments,
                     "n_sentences": n_sentences, "n_tokens": int(n_tokens[docs].sum()),
                     "speakers": "; ".join(names)})
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _group_counts(counts: DocumentTermMatrix, group_by: str):
    """Sorted groups and their (n_groups x n_terms) sparse sums; every group must have tokens."""
    grouped = counts.group(group_by)
    groups = grouped.docvars[group_by].tolist()
    totals = grouped.n_tokens
    empty = [g for g, n in zip(groups, totals, strict=True) if n == 0]
    if empty:
        n_docs = dict(zip(groups, grouped.docvars["n_docs"], strict=True))
        raise ValueError("; ".join(
            f"group {g!r} of {group_by!r} has no tokens: its {n_docs[g]} document(s) hold only "
            "stop words (or nothing the tokenizer counts)" for g in empty)
            + ". Leave it out (e.g. filter the corpus table before c6lab.dfm) or change the word lists.")
    return groups, grouped.matrix


# -- comparisons ------------------------------------------------------------------------

def _designs(design: str | Sequence[str]) -> list[str]:
    if design == "both":
        return list(DESIGNS)
    out = [design] if isinstance(design, str) else list(design)
    bad = [d for d in out if d not in DESIGNS]
    if bad:
        raise ValueError(f"design must be one of {DESIGNS} or 'both', got {bad}")
    return out


def _comparisons(groups: list[str], designs: list[str]):
    """(design, comparison, group, reference, group indices, reference indices)."""
    out = []
    if "one_vs_rest" in designs:
        for k, g in enumerate(groups):
            rest = [j for j in range(len(groups)) if j != k]
            ref = "+".join(groups[j] for j in rest)
            out.append(("one_vs_rest", f"{g} vs rest", g, ref, [k], rest))
    if "pairwise" in designs:
        for k, j in combinations(range(len(groups)), 2):
            out.append(("pairwise", f"{groups[k]} vs {groups[j]}", groups[k], groups[j], [k], [j]))
    return out


def rank_by(score, keep=None) -> np.ndarray:
    """Competition rank by ``score``, largest first, among ``keep`` (others get 0).

    Tied words share the best rank ("1, 2, 2, 4"): words with the same two counts have
    the same z, and no alphabetical tie-break should decide which of them is "top".
    Scores are rounded to 9 decimals first so last-bit differences cannot split a tie.

    Examples
    --------
    >>> rank_by([0.5, 2.0, 0.5, -1.0]).tolist()
    [2, 1, 2, 4]
    """
    zr = -np.round(np.asarray(score, dtype=float), 9)
    keep = np.ones(len(zr), dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    ref = np.sort(zr[keep])
    rank = np.searchsorted(ref, zr, side="left") + 1
    return np.where(keep, rank, 0).astype(np.int64)


def _row_sum(m, rows: list[int]) -> np.ndarray:
    return np.asarray(m[rows].sum(axis=0)).ravel()


def keyness(counts: DocumentTermMatrix, group_by: str = "country",
            design: str | Sequence[str] = "one_vs_rest",
            alpha0: float = 100.0, min_count: int = 1) -> pd.DataFrame:
    """Compare the words of groups of documents: Fightin' Words z, signed G2, Log Ratio.

    Parameters
    ----------
    counts : DocumentTermMatrix
        :func:`c6lab.dfm` of the segments compared, e.g. of
        ``corpus.select(["quote", "paraphrase"])`` (segment or sentence unit: group sums
        are the same).
    group_by : str
        Document variable defining the groups: ``country`` (default), ``speaker``,
        ``outlet`` ... Documents with no value there (narrative has no speaker) are left out.
    design : {"one_vs_rest", "pairwise", "both"}
        One-vs-rest sets each group against all the others pooled; pairwise sets each
        pair of groups against each other once (groups in sorted order).
    alpha0 : float
        Weight of the informative prior in pseudo-tokens; ``alpha_w = alpha0 * pi_w`` with
        ``pi_w`` the word's share of the two sides' pooled tokens.
    min_count : int
        Keep words whose count over both sides (``count_group + count_reference``) is at
        least this. It only removes rows: totals and the prior use every token.

    Returns
    -------
    DataFrame
        One row per comparison and word, with the columns ``comparison, group, reference,
        word, count_group, count_reference, n_group, n_reference, alpha_w, alpha0, delta,
        z, g2, log_ratio`` then ``var`` (of delta), ``p_value`` (of the Williams-corrected
        G2, chi-square 1 df), ``rank`` (by z within the comparison; tied words share
        the best rank) and ``design``. ``n_*`` are token totals, so ``delta`` and ``z``
        can be recomputed from the row alone. Positive z, G2 and Log Ratio mean the
        *group* uses the word more than the reference. A word absent from both sides
        never appears.

    Raises
    ------
    ValueError
        Fewer than two groups, or a group with no tokens at all (its segments hold only
        stop words): the message names the group.

    Examples
    --------
    >>> import c6lab, pandas as pd
    >>> df = pd.DataFrame({"country": ["A", "B"], "text": ["trade trade ports", "energy trade"]})
    >>> k = keyness(c6lab.dfm(df), alpha0=10)
    >>> k[["comparison", "word", "count_group", "count_reference", "n_group"]].head(3)
      comparison    word  count_group  count_reference  n_group
    0  A vs rest   ports            1                0        3
    1  A vs rest   trade            2                1        3
    2  A vs rest  energy            0                1        3
    >>> a, b = k[k["group"] == "A"], k[k["group"] == "B"]
    >>> bool((a["z"].values == -b["z"].values[::-1]).all())
    True
    """
    groups, m = _group_counts(counts, group_by)
    if len(groups) < 2:
        raise ValueError(f"need at least two groups in {group_by!r}, found {groups}")
    frames = []
    for dsg, label, g, ref, gi, rj in _comparisons(groups, _designs(design)):
        yi, yj = _row_sum(m, gi), _row_sum(m, rj)
        ni, nj = int(yi.sum()), int(yj.sum())
        pooled = yi + yj
        # words of other groups only (pairwise) have no count on either side: never shown
        keep = (pooled > 0) & (pooled >= min_count)
        yi, yj = yi[keep], yj[keep]
        aw, delta, var, z = fightin_words(yi, yj, ni, nj, alpha0)
        g2, p = g2_keyness(yi, yj, ni, nj)
        frames.append(pd.DataFrame({
            "comparison": label, "group": g, "reference": ref, "word": counts.terms[keep],
            "count_group": yi, "count_reference": yj,
            "n_group": ni, "n_reference": nj, "alpha_w": aw, "alpha0": float(alpha0),
            "delta": delta, "z": z, "g2": g2, "log_ratio": log_ratio(yi, yj, ni, nj),
            "var": var, "p_value": p, "rank": rank_by(z), "design": dsg,
        }).sort_values(["rank", "word"], kind="stable"))
    out = pd.concat(frames, ignore_index=True)
    out["word"] = out["word"].astype(str)
    return out


def top_keywords(results: pd.DataFrame, top_n: int = 10, score: str = "z") -> pd.DataFrame:
    """The words each comparison's group uses most distinctively.

    Per comparison, the rows with positive ``score`` (default ``z``: words the group uses
    *more*) whose competition rank by ``score`` is at most ``top_n``. Tied words share a
    rank and are all kept, so a list can be longer than ``top_n``. ``rank`` is recomputed
    by ``score``; rows are in the table's comparison order, then by ``score`` and word.

    Examples
    --------
    >>> r = pd.DataFrame({"comparison": "A vs rest", "word": ["x", "y", "w", "v"],
    ...                   "z": [1.0, -2.0, 1.0, 3.0]})
    >>> top_keywords(r, top_n=2)[["word", "rank"]].values.tolist()
    [['v', 1], ['w', 2], ['x', 2]]
    """
    order = {c: i for i, c in enumerate(dict.fromkeys(results["comparison"]))}
    pos = results[results[score] > 0].copy()
    pos["rank"] = 0
    for _, idx in pos.groupby("comparison", sort=False).groups.items():
        pos.loc[idx, "rank"] = rank_by(pos.loc[idx, score].to_numpy(dtype=float))
    pos = pos[pos["rank"] <= top_n].assign(_o=lambda d: d["comparison"].map(order))
    pos = pos.sort_values(["_o", "rank", "word"], kind="stable")
    return pos.drop(columns="_o").reset_index(drop=True)
