"""Keyword comparison: which words does one group of commentators use distinctively?

Three statistics per word and comparison, all from the same 2x2 table of counts
(``count_group``, ``count_reference``) and token totals (``n_group``, ``n_reference``):

Fightin' Words (Monroe, Colaresi & Quinn 2008)
    log-odds ratio with an informative Dirichlet prior, ``alpha_w = alpha0 * pi_w``,
    where ``pi_w`` is the share of ``w`` among all tokens of the two sides being
    compared (the pooled corpus of the comparison). With ``y`` counts and ``n`` totals::

        delta_w = log((y_wi + a_w) / (n_i + a0 - y_wi - a_w))
                - log((y_wj + a_w) / (n_j + a0 - y_wj - a_w))
        Var(delta_w) ~= 1 / (y_wi + a_w) + 1 / (y_wj + a_w)
        z_w = delta_w / sqrt(Var(delta_w))

    This is the paper's two-term variance (scattertext uses a four-term one).
Signed G2 (log-likelihood) keyness with Williams' correction
    ``G2 = 2 * sum(O * ln(O / E))`` over the 2x2 table, divided by Williams' ``q``,
    positive when the group uses the word more than expected; p-value from the
    chi-square distribution with 1 degree of freedom.
Log Ratio (Hardie 2014)
    ``log2`` of the ratio of relative frequencies, with 0.5 added to both counts so a
    word absent from one side has a finite value.

:func:`keyness` runs one-vs-rest and/or pairwise comparisons for any grouping column
and returns one long table; :func:`leave_one_out` and :func:`bootstrap_top_words`
check how much the top words depend on one speaker or on a few sentences.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import chi2

from .corpus import KINDS
from .text import sentences
from .tidy import kwic
from .tokenizer import tokenize

DEFAULT_KINDS = ("quote", "paraphrase")
DESIGNS = ("one_vs_rest", "pairwise")
# the leading columns of every keyness table, in this order (see keyness)
COLUMNS = (
    "comparison", "group", "reference", "word", "count_group", "count_reference",
    "n_group", "n_reference", "alpha_w", "alpha0", "delta", "z", "g2", "log_ratio",
)
EXTRA_COLUMNS = ("var", "p_value", "rank", "design")

TokenizerLike = Callable[[str], list]  # c6lab.Tokenizer, c6lab.tokenize or any str -> tokens


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
        approximation) and ``z = delta / sqrt(var)``.

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
    p = chi2.sf(g2, df=1)
    return np.sign(a - ea) * g2, p


def _xlogy_ratio(o, e):
    # o * ln(o / e) with the convention 0 * ln 0 = 0
    return np.where(o > 0, o * np.log(np.where(o > 0, o, 1.0) / np.where(o > 0, e, 1.0)), 0.0)


def log_ratio(count_group, count_reference, n_group, n_reference, smoothing: float = 0.5):
    """Hardie's Log Ratio: ``log2(((a + s) / n_group) / ((b + s) / n_reference))``.

    ``s = smoothing`` is added to both counts (default 0.5), so a word absent from one
    side gets a finite value and swapping the sides only flips the sign. Each unit is a
    doubling of the relative frequency.

    Examples
    --------
    >>> print(log_ratio([3], [0], 4, 6)[0])   # log2((3.5/4) / (0.5/6)) = log2(10.5)
    3.3923174227787602
    """
    a = np.asarray(count_group, dtype=float)
    b = np.asarray(count_reference, dtype=float)
    return np.log2((a + smoothing) / np.asarray(n_group, dtype=float)) - np.log2(
        (b + smoothing) / np.asarray(n_reference, dtype=float))


# -- counting ---------------------------------------------------------------------------

def _slice(corpus_df: pd.DataFrame, group_by: str, kinds: Iterable[str] | None) -> pd.DataFrame:
    """Rows of the chosen kinds that have a value in ``group_by``."""
    if group_by not in corpus_df.columns:
        raise ValueError(f"no column {group_by!r} in the corpus table")
    df = corpus_df
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown kind(s) {unknown}; choose from {', '.join(KINDS)}")
        if "kind" in df.columns:
            df = df[df["kind"].isin(kinds)]
    # narrative and titles have no speaker: they belong to no speaker/country group
    labels = df[group_by]
    keep = labels.notna() & (labels.astype(str).str.strip() != "")
    return df[keep]


def _matrix(labels: Sequence[str], token_lists: Sequence[list[str]], vocab=None):
    """Rows x words count matrix (words in alphabetical order)."""
    if vocab is None:
        vocab = sorted({t for toks in token_lists for t in toks})
    index = {w: k for k, w in enumerate(vocab)}
    m = np.zeros((len(token_lists), len(vocab)), dtype=np.int64)
    for r, toks in enumerate(token_lists):
        for t in toks:
            m[r, index[t]] += 1
    return list(vocab), m


def _group_matrix(df: pd.DataFrame, group_by: str, tokenizer: TokenizerLike):
    labels = df[group_by].astype(str).tolist()
    vocab, seg = _matrix(labels, [tokenizer(t) for t in df["text"]])
    groups = sorted(set(labels))
    lab = np.array(labels, dtype=object)
    m = np.vstack([seg[lab == g].sum(axis=0) for g in groups]) if groups else seg[:0]
    return groups, vocab, m


def group_summary(corpus_df: pd.DataFrame, group_by: str = "country",
                  kinds: Iterable[str] | None = DEFAULT_KINDS,
                  tokenizer: TokenizerLike | None = None) -> pd.DataFrame:
    """How much text each group has: the slice a keyword comparison rests on.

    Parameters
    ----------
    corpus_df : DataFrame
        Output of :func:`c6lab.load_corpus` (``text``, ``kind``, the grouping column
        and ideally ``speaker``/``speaker_id``).
    group_by : str
        Grouping column (``country``, ``speaker``, ``outlet`` ...).
    kinds : iterable of str or None
        Segment kinds to keep (default quotes and paraphrases); ``None`` keeps all.
    tokenizer : callable, optional
        Default :func:`c6lab.tokenize`.

    Returns
    -------
    DataFrame
        ``group, n_speakers, n_segments, n_sentences, n_tokens, speakers`` (speaker names
        joined with ``"; "``), one row per group in sorted order.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"country": ["AZ", "AZ", "UZ"], "speaker": ["A", "B", "C"],
    ...                    "kind": "quote", "text": ["Trade routes. Ports.", "Trade.", "Energy."]})
    >>> group_summary(df).values.tolist()
    [['AZ', 2, 2, 3, 4, 'A; B'], ['UZ', 1, 1, 1, 1, 'C']]
    """
    tok = tokenizer if tokenizer is not None else tokenize
    df = _slice(corpus_df, group_by, kinds)
    spk = next((c for c in ("speaker", "speaker_id") if c in df.columns), None)
    rows = []
    for g, sub in df.groupby(df[group_by].astype(str), sort=True):
        names = sorted(set(sub[spk].dropna().astype(str)) - {""}) if spk else []
        rows.append({
            "group": g,
            "n_speakers": len(names),
            "n_segments": len(sub),
            "n_sentences": sum(len(sentences(t)) for t in sub["text"]),
            "n_tokens": sum(len(tok(t)) for t in sub["text"]),
            "speakers": "; ".join(names),
        })
    return pd.DataFrame(rows, columns=["group", "n_speakers", "n_segments", "n_sentences",
                                       "n_tokens", "speakers"])


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


def _rank(z: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Competition rank by z, largest first, among ``keep`` (others get 0).

    Tied words share the best rank ("1, 2, 2, 4"): words with the same two counts have
    the same z, and no alphabetical tie-break should decide which of them is "top".
    z is rounded to 9 decimals first so last-bit differences cannot split a tie.
    """
    zr = -np.round(np.asarray(z, dtype=float), 9)
    ref = np.sort(zr[keep])
    rank = np.searchsorted(ref, zr, side="left") + 1
    return np.where(keep, rank, 0).astype(np.int64)


def _compare_matrix(groups, vocab, m, designs, alpha0, min_count, smoothing):
    frames = []
    words = np.array(vocab, dtype=object)
    for design, label, g, ref, gi, rj in _comparisons(groups, designs):
        yi = m[gi].sum(axis=0)
        yj = m[rj].sum(axis=0)
        ni, nj = int(yi.sum()), int(yj.sum())
        if ni == 0 or nj == 0:
            continue  # a side without tokens has nothing to compare
        pooled = yi + yj
        # words of other groups only (pairwise) have no count on either side: never shown
        keep = (pooled > 0) & (pooled >= min_count)
        yi, yj = yi[keep], yj[keep]
        aw, delta, var, z = fightin_words(yi, yj, ni, nj, alpha0)
        g2, p = g2_keyness(yi, yj, ni, nj)
        frames.append(pd.DataFrame({
            "comparison": label, "group": g, "reference": ref, "word": words[keep],
            "count_group": yi, "count_reference": yj,
            "n_group": ni, "n_reference": nj, "alpha_w": aw, "alpha0": float(alpha0),
            "delta": delta, "z": z, "g2": g2, "log_ratio": log_ratio(yi, yj, ni, nj, smoothing),
            "var": var, "p_value": p, "rank": _rank(z, np.ones(len(z), dtype=bool)),
            "design": design,
        }).sort_values(["rank", "word"], kind="stable"))
    if not frames:
        return pd.DataFrame(columns=[*COLUMNS, *EXTRA_COLUMNS])
    out = pd.concat(frames, ignore_index=True)
    out["word"] = out["word"].astype(str)
    return out


def keyness(corpus_df: pd.DataFrame, group_by: str = "country",
            kinds: Iterable[str] | None = DEFAULT_KINDS,
            design: str | Sequence[str] = "one_vs_rest",
            alpha0: float = 100.0, min_count: int = 1, smoothing: float = 0.5,
            tokenizer: TokenizerLike | None = None) -> pd.DataFrame:
    """Compare the words of groups of segments: Fightin' Words z, signed G2, Log Ratio.

    Parameters
    ----------
    corpus_df : DataFrame
        Output of :func:`c6lab.load_corpus` (any number of articles and speakers).
    group_by : str
        Column defining the groups: ``country`` (default), ``speaker``, ``outlet`` ...
        Rows with no value there (narrative has no speaker) are left out.
    kinds : iterable of str or None
        Segment kinds compared (default quotes and paraphrases); ``None`` keeps all.
    design : {"one_vs_rest", "pairwise", "both"}
        One-vs-rest sets each group against all the others pooled; pairwise sets each
        pair of groups against each other once (groups in sorted order).
    alpha0 : float
        Weight of the informative prior in pseudo-tokens; ``alpha_w = alpha0 * pi_w`` with
        ``pi_w`` the word's share of the two sides' pooled tokens.
    min_count : int
        Keep words whose count over both sides (``count_group + count_reference``) is at
        least this. It only removes rows: totals and the prior use every token.
    smoothing : float
        Added to both counts in the Log Ratio.
    tokenizer : callable, optional
        ``str -> list[str]``; default :func:`c6lab.tokenize`.

    Returns
    -------
    DataFrame
        One row per comparison and word, with the columns ``comparison, group, reference,
        word, count_group, count_reference, n_group, n_reference, alpha_w, alpha0, delta,
        z, g2, log_ratio`` then ``var`` (of delta), ``p_value`` (of the Williams-corrected
        G2, chi-square 1 df), ``rank`` (by z within the comparison; tied words share
        the best rank) and
        ``design``. ``n_*`` are token totals, so ``delta`` and ``z`` can be recomputed
        from the row alone. Positive z, G2 and Log Ratio mean the *group* uses the word
        more than the reference. A word absent from both sides never appears.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"country": ["A", "B"], "kind": "quote",
    ...                    "text": ["trade trade ports", "energy trade"]})
    >>> k = keyness(df, alpha0=10)
    >>> k[["comparison", "word", "count_group", "count_reference", "n_group"]].head(3)
      comparison    word  count_group  count_reference  n_group
    0  A vs rest   ports            1                0        3
    1  A vs rest   trade            2                1        3
    2  A vs rest  energy            0                1        3
    >>> a, b = k[k["group"] == "A"], k[k["group"] == "B"]
    >>> bool((a["z"].values == -b["z"].values[::-1]).all())
    True
    """
    tok = tokenizer if tokenizer is not None else tokenize
    df = _slice(corpus_df, group_by, kinds)
    groups, vocab, m = _group_matrix(df, group_by, tok)
    if len(groups) < 2:
        raise ValueError(f"need at least two groups in {group_by!r}, found {groups}")
    return _compare_matrix(groups, vocab, m, _designs(design), alpha0, min_count, smoothing)


def top_keywords(results: pd.DataFrame, n: int = 10, by: str = "z") -> pd.DataFrame:
    """The words each comparison's group uses most distinctively.

    Per comparison, the rows with positive ``by`` (default ``z``: words the group uses
    *more*) whose competition rank by ``by`` is at most ``n``. Tied words share a rank
    and are all kept, so a list can be longer than ``n``. ``rank`` is recomputed by
    ``by``; rows are in the table's comparison order, then by ``by`` and word.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"comparison": "A vs rest", "word": ["x", "y", "w", "v"],
    ...                   "z": [1.0, -2.0, 1.0, 3.0]})
    >>> top_keywords(r, n=2)[["word", "rank"]].values.tolist()
    [['v', 1], ['w', 2], ['x', 2]]
    """
    order = {c: i for i, c in enumerate(dict.fromkeys(results["comparison"]))}
    pos = results[results[by] > 0].copy()
    pos["rank"] = 0
    for _, idx in pos.groupby("comparison", sort=False).groups.items():
        vals = pos.loc[idx, by].to_numpy(dtype=float)
        pos.loc[idx, "rank"] = _rank(vals, np.ones(len(vals), dtype=bool))
    pos = pos[pos["rank"] <= n].assign(_o=lambda d: d["comparison"].map(order))
    pos = pos.sort_values(["_o", "rank", "word"], kind="stable")
    return pos.drop(columns="_o").reset_index(drop=True)


# -- robustness -------------------------------------------------------------------------

LOO_COLUMNS = ("dropped", "kept", "comparison", "group", "word", "count_group", "n_group", "z",
               "rank", "in_top")


def leave_one_out(corpus_df: pd.DataFrame, group: str | None = None, group_by: str = "country",
                  unit: str = "speaker", kinds: Iterable[str] | None = DEFAULT_KINDS,
                  alpha0: float = 100.0, min_count: int = 1, top_n: int = 10,
                  words: Iterable[str] | None = None,
                  tokenizer: TokenizerLike | None = None) -> pd.DataFrame:
    """Re-run a group's one-vs-rest comparison with each of its ``unit`` s left out.

    For the Azerbaijani group (Shafiyev and Bayramli) this asks whether a top word is
    the group's or one speaker's. The reference (all other groups) is unchanged.

    Parameters
    ----------
    group : str, optional
        Value of ``group_by`` whose units are dropped in turn (it needs two or more).
        Default: every group with at least two units; an empty table if there is none
        (e.g. when grouping by speaker).
    unit : str
        Column of the units (default ``speaker``).
    words : iterable of str, optional
        Words to follow; default each group's top ``top_n`` words by z on the full data
        (:func:`top_keywords`, ties included).
    Other parameters are as in :func:`keyness`.

    Returns
    -------
    DataFrame
        ``dropped`` (``"none"`` for the full data), ``kept`` (units left, joined with
        ``"; "``), ``comparison, group, word, count_group, n_group, z, rank, in_top``
        (``0 < rank <= top_n``, competition rank by z). A word the reduced group never
        uses gets count 0; its z is NaN and its rank 0 when no side uses it any more,
        and its rank is 0 when its pooled count falls below ``min_count``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"country": ["A", "A", "B"], "speaker": ["p", "q", "r"],
    ...                    "kind": "quote", "text": ["ports ports", "energy", "trade"]})
    >>> loo = leave_one_out(df, "A", top_n=1, alpha0=10)
    >>> loo[["dropped", "word", "count_group", "in_top"]].values.tolist()
    [['none', 'ports', 2, True], ['p', 'ports', 0, False], ['q', 'ports', 2, True]]
    >>> len(leave_one_out(df, group_by="speaker"))  # one speaker per group: nothing to drop
    0
    """
    tok = tokenizer if tokenizer is not None else tokenize
    df = _slice(corpus_df, group_by, kinds)
    labels = df[group_by].astype(str)
    units_of = {g: sorted(set(sub[unit].dropna().astype(str)) - {""})
                for g, sub in df.groupby(labels, sort=True)}
    if group is None:
        groups = [g for g, u in units_of.items() if len(u) >= 2]
    else:
        if len(units_of.get(str(group), [])) < 2:
            raise ValueError(f"group {group!r} has {len(units_of.get(str(group), []))} "
                             f"{unit}(s); leave-one-out needs two or more")
        groups = [str(group)]
    rows = []
    for g in groups:
        rows += _leave_one_out_rows(df, g, group_by, unit, units_of[g], alpha0, min_count,
                                    top_n, words, tok)
    return pd.DataFrame(rows, columns=list(LOO_COLUMNS))


def _leave_one_out_rows(df, group, group_by, unit, units, alpha0, min_count, top_n, words, tok):
    in_group = df[group_by].astype(str) == group
    label = f"{group} vs rest"
    if words is None:
        full = keyness(df, group_by, None, "one_vs_rest", alpha0, min_count, tokenizer=tok)
        words = top_keywords(full[full["comparison"] == label], n=top_n)["word"].tolist()
    words = list(words)
    runs = [("none", df)] + [(u, df[~(in_group & (df[unit].astype(str) == u))]) for u in units]
    rows = []
    for dropped, sub in runs:
        # every word the run still has, so a word below min_count keeps its count and z
        res = keyness(sub, group_by, None, "one_vs_rest", alpha0, min_count=1, tokenizer=tok)
        res = res[res["comparison"] == label].sort_values("word").reset_index(drop=True)
        pooled = (res["count_group"] + res["count_reference"]).to_numpy()
        res["rank"] = _rank(res["z"].to_numpy(), pooled >= min_count)
        res = res.set_index("word")
        n_group = int(res["n_group"].iloc[0]) if len(res) else 0
        kept = "; ".join(u for u in units if u != dropped)
        for w in words:
            hit = w in res.index
            r = int(res.at[w, "rank"]) if hit else 0
            rows.append({"dropped": dropped, "kept": kept, "comparison": label, "group": group,
                         "word": w, "count_group": int(res.at[w, "count_group"]) if hit else 0,
                         "n_group": n_group, "z": float(res.at[w, "z"]) if hit else np.nan,
                         "rank": r, "in_top": bool(0 < r <= top_n)})
    return rows


def bootstrap_top_words(corpus_df: pd.DataFrame, group_by: str = "country",
                        kinds: Iterable[str] | None = DEFAULT_KINDS, alpha0: float = 100.0,
                        min_count: int = 1, top_n: int = 10, n_boot: int = 200, seed: int = 0,
                        tokenizer: TokenizerLike | None = None) -> pd.DataFrame:
    """How often each group's top words stay in its top list when sentences are resampled.

    Each replicate draws, within every group, as many sentences as the group has, with
    replacement (``numpy.random.default_rng(seed)``), recounts, and recomputes the
    one-vs-rest Fightin' Words z of every group. A word's ``top_share`` is the fraction
    of replicates in which it ranks among the group's ``top_n`` (competition rank by z
    among words with pooled count >= ``min_count``, so a word tied at the last place
    counts as in the list).

    Returns
    -------
    DataFrame
        ``comparison, group, word, count_group, z, rank`` (full data) then
        ``top_share, z_median, z_low, z_high`` (2.5% and 97.5% quantiles of z over
        replicates), ``n_boot``, ``seed``; the full-data top ``top_n`` words per group.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"country": ["A", "B"], "kind": "quote",
    ...                    "text": ["Ports grow. Ports grow.", "Trade. Energy."]})
    >>> b = bootstrap_top_words(df, top_n=2, n_boot=20, alpha0=10)
    >>> b.loc[b["group"] == "A", ["word", "top_share"]].values.tolist()
    [['grow', 1.0], ['ports', 1.0]]
    """
    if n_boot < 1:
        raise ValueError("n_boot must be >= 1")
    tok = tokenizer if tokenizer is not None else tokenize
    df = _slice(corpus_df, group_by, kinds)
    full = keyness(df, group_by, None, "one_vs_rest", alpha0, min_count, tokenizer=tok)
    top = top_keywords(full, n=top_n).sort_values(["group", "rank"], kind="stable")
    labels, sent_tokens = [], []
    for g, text in zip(df[group_by].astype(str), df["text"], strict=True):
        for s in sentences(text):
            labels.append(g)
            sent_tokens.append(tok(s))
    groups, vocab, _ = _group_matrix(df, group_by, tok)
    # sentence tokens can only be a subset of the segment vocabulary; keep its order
    extra = sorted({t for ts in sent_tokens for t in ts} - set(vocab))
    vocab, s = _matrix(labels, sent_tokens, vocab=list(vocab) + extra)
    lab = np.array(labels, dtype=object)
    members = [np.flatnonzero(lab == g) for g in groups]
    if any(len(ix) == 0 for ix in members):
        raise ValueError("every group needs at least one sentence to resample")
    index = {w: k for k, w in enumerate(vocab)}
    out = top[["comparison", "group", "word", "count_group", "z", "rank"]].reset_index(drop=True)
    cols = np.array([index[w] for w in out["word"]], dtype=np.int64)
    row_group = out["group"].to_numpy()
    rng = np.random.default_rng(seed)
    zmat = np.full((n_boot, len(out)), np.nan)
    hits = np.zeros(len(out))
    for b in range(n_boot):
        m = np.vstack([s[ix[rng.integers(0, len(ix), len(ix))]].sum(axis=0) for ix in members])
        total = m.sum(axis=0)
        for k, g in enumerate(groups):
            mine = row_group == g
            if not mine.any():
                continue
            yi = m[k]
            yj = total - yi
            pooled = total
            keep = (pooled > 0) & (pooled >= min_count)
            with np.errstate(divide="ignore", invalid="ignore"):
                z = fightin_words(yi, yj, yi.sum(), yj.sum(), alpha0)[3]
            rank = _rank(np.where(keep, z, -np.inf), keep)
            sel = cols[mine]
            zmat[b, mine] = np.where(keep[sel], z[sel], np.nan)
            hits[mine] += (rank[sel] > 0) & (rank[sel] <= top_n)
    out["top_share"] = hits / n_boot
    # a word missing from a replicate has no z there: quantiles over the replicates that have it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN column: word never drawn
        out["z_median"] = np.nanmedian(zmat, axis=0)
        out["z_low"] = np.nanquantile(zmat, 0.025, axis=0)
        out["z_high"] = np.nanquantile(zmat, 0.975, axis=0)
    out["n_boot"] = n_boot
    out["seed"] = seed
    return out


def keyword_concordance(corpus_df: pd.DataFrame, words: pd.DataFrame,
                        group_by: str = "country", kinds: Iterable[str] | None = DEFAULT_KINDS,
                        window: int = 6) -> pd.DataFrame:
    """Concordance lines for keywords, searched only in their own group's segments.

    Parameters
    ----------
    words : DataFrame
        Needs ``group`` and ``word`` columns (e.g. from :func:`top_keywords`). Words are
        matched as counted tokens, so ``middle_corridor`` finds "Middle Corridor" and
        ``united_states`` finds "U.S.", "US" and "United States".
    window : int
        Words of context on each side (see :func:`c6lab.kwic`).

    Returns
    -------
    DataFrame
        ``group, word`` then the :func:`c6lab.kwic` columns (``doc``, document
        variables, ``left, keyword, right``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"segment_id": ["s1", "s2"], "country": ["A", "B"], "kind": "quote",
    ...                    "text": ["Ties with the U.S. grow.", "The US matters."]})
    >>> words = pd.DataFrame({"group": ["A"], "word": ["united_states"]})
    >>> kc = keyword_concordance(df, words, window=2)
    >>> kc[["group", "doc", "left", "keyword", "right"]].values.tolist()
    [['A', 's1', 'with the', 'U.S.', 'grow']]
    """
    df = _slice(corpus_df, group_by, kinds)
    frames = []
    for g, w in words[["group", "word"]].itertuples(index=False):
        sub = df[df[group_by].astype(str) == str(g)]
        # a one-character class makes kwic match the counted token itself (a glob without
        # wildcards), so joined phrases and dotted initials are found exactly as counted
        lines = kwic(sub, f"[{w[0]}]{w[1:]}", window=window)
        frames.append(lines.assign(group=g, word=w))
    if not frames:
        return pd.DataFrame(columns=["group", "word", "doc", "left", "keyword", "right"])
    out = pd.concat(frames, ignore_index=True)
    return out[["group", "word", *[c for c in out.columns if c not in ("group", "word")]]]
