"""How much do the top keywords depend on one speaker, a few sentences, the prior or the kinds?

:func:`leave_one_out` drops each speaker of a group in turn, :func:`bootstrap_top_words`
resamples sentences within groups, :func:`prior_ranks` varies the prior weight, and
:func:`robustness_table` combines them with a quotes-only comparison into one verdict per
word. :func:`keyword_concordance` shows where each keyword comes from.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .. import stats
from ..counts import DocumentTermMatrix
from ..lexicons import Lexicons, resolve
from ..tidy import _docvars, kwic
from .statistics import fightin_words, keyness, rank_by, top_keywords

LOO_COLUMNS = ("dropped", "kept", "comparison", "group", "word", "count_group", "n_group", "z",
               "rank", "status", "n_ranked", "in_top")
#: ``status`` of a followed word in one leave-one-out run
LOO_STATUS = ("ranked", "below_min_count", "absent")


def _labels(counts: DocumentTermMatrix, column: str) -> pd.Series:
    if column not in counts.docvars.columns:
        raise ValueError(f"no document variable {column!r} (have: {', '.join(counts.docvars.columns)})")
    lab = counts.docvars[column].fillna("").astype(str)
    return lab.where(lab.str.strip() != "", "")


# -- leave one speaker out --------------------------------------------------------------

def leave_one_out(counts: DocumentTermMatrix, group: str | None = None, group_by: str = "country",
                  unit: str = "speaker", alpha0: float = 100.0, min_count: int = 1,
                  top_n: int = 10, words: Iterable[str] | None = None) -> pd.DataFrame:
    """Re-run a group's one-vs-rest comparison with each of its ``unit`` s left out.

    For the Azerbaijani group (Shafiyev and Bayramli) this asks whether a top word is
    the group's or one speaker's. The reference (all other groups) is unchanged.

    Parameters
    ----------
    counts : DocumentTermMatrix
        :func:`c6lab.dfm` of the segments compared.
    group : str, optional
        Value of ``group_by`` whose units are dropped in turn (it needs two or more).
        Default: every group with at least two units; an empty table if there is none
        (e.g. when grouping by speaker).
    unit : str
        Document variable of the units (default ``speaker``).
    words : iterable of str, optional
        Words to follow; default each group's top ``top_n`` words by z on the full data
        (:func:`top_keywords`, ties included).
    alpha0, min_count : as in :func:`keyness`.

    Returns
    -------
    DataFrame
        ``dropped`` (``"none"`` for the full data), ``kept`` (units left, joined with
        ``"; "``), ``comparison, group, word, count_group, n_group, z, rank, status,
        n_ranked, in_top``. In each run the words whose pooled count (group + reference)
        is at least ``min_count`` are ranked by z (competition rank, ties share the best
        rank); ``n_ranked`` is how many there are. A followed word's ``status`` is

        * ``"ranked"``: it is one of them, ``rank`` is its place;
        * ``"below_min_count"``: both sides together use it fewer than ``min_count``
          times; ``z`` is still computed, ``rank = n_ranked + 1``;
        * ``"absent"``: neither side uses it any more; ``count_group`` is 0, ``z`` NaN
          and ``rank = n_ranked + 1``.

        So a word that vanishes from a run ranks after every ranked word, never "0".
        ``in_top`` is ``rank <= top_n`` (only ranked words can be in the top).

    Raises
    ------
    ValueError
        If ``group`` has fewer than two units, or a run leaves a group without tokens
        (see :func:`keyness`).

    Examples
    --------
    >>> import c6lab
    >>> df = pd.DataFrame({"country": ["A", "A", "B"], "speaker": ["p", "q", "r"],
    ...                    "text": ["ports ports", "energy", "trade"]})
    >>> loo = leave_one_out(c6lab.dfm(df), "A", top_n=1, alpha0=10)
    >>> loo[["dropped", "word", "count_group", "rank", "status"]].values.tolist()
    [['none', 'ports', 2, 1, 'ranked'], ['p', 'ports', 0, 3, 'absent'], ['q', 'ports', 2, 1, 'ranked']]
    >>> len(leave_one_out(c6lab.dfm(df), group_by="speaker"))  # one speaker per group: nothing to drop
    0
    """
    labels = _labels(counts, group_by)
    units = _labels(counts, unit)
    units_of = {g: sorted(set(units[labels == g]) - {""}) for g in sorted(set(labels) - {""})}
    if group is None:
        groups = [g for g, u in units_of.items() if len(u) >= 2]
    else:
        if len(units_of.get(str(group), [])) < 2:
            raise ValueError(f"group {group!r} has {len(units_of.get(str(group), []))} "
                             f"{unit}(s); leave-one-out needs two or more")
        groups = [str(group)]
    rows = []
    for g in groups:
        rows += _leave_one_out_rows(counts, labels, units, g, group_by, units_of[g], alpha0,
                                    min_count, top_n, words)
    return pd.DataFrame(rows, columns=list(LOO_COLUMNS))


def _leave_one_out_rows(counts, labels, units, group, group_by, group_units, alpha0, min_count,
                        top_n, words):
    in_group = (labels == group).to_numpy()
    label = f"{group} vs rest"
    if words is None:
        full = keyness(counts, group_by, "one_vs_rest", alpha0, min_count)
        words = top_keywords(full[full["comparison"] == label], top_n=top_n)["word"].tolist()
    words = list(words)
    runs = [("none", np.ones(counts.n_docs, dtype=bool))]
    runs += [(u, ~(in_group & (units == u).to_numpy())) for u in group_units]
    rows = []
    for dropped, keep in runs:
        # every word the run still has, so a word below min_count keeps its count and z
        res = keyness(counts.subset(keep), group_by, "one_vs_rest", alpha0, min_count=1)
        res = res[res["comparison"] == label].sort_values("word").reset_index(drop=True)
        ranked = (res["count_group"] + res["count_reference"]).to_numpy() >= min_count
        res["rank"] = rank_by(res["z"].to_numpy(), ranked)
        res["status"] = np.where(ranked, "ranked", "below_min_count")
        n_ranked = int(ranked.sum())
        res = res.set_index("word")
        n_group = int(res["n_group"].iloc[0])
        kept = "; ".join(u for u in group_units if u != dropped)
        for w in words:
            hit = w in res.index
            status = res.at[w, "status"] if hit else "absent"
            r = int(res.at[w, "rank"]) if status == "ranked" else n_ranked + 1
            rows.append({"dropped": dropped, "kept": kept, "comparison": label, "group": group,
                         "word": w, "count_group": int(res.at[w, "count_group"]) if hit else 0,
                         "n_group": n_group, "z": float(res.at[w, "z"]) if hit else np.nan,
                         "rank": r, "status": status, "n_ranked": n_ranked,
                         "in_top": bool(status == "ranked" and r <= top_n)})
    return rows


# -- sentence bootstrap -----------------------------------------------------------------

def bootstrap_top_words(sentence_counts: DocumentTermMatrix, group_by: str = "country",
                        alpha0: float = 100.0, min_count: int = 1, top_n: int = 10,
                        n_boot: int = 200, random_state: int = 0,
                        confidence: float = 0.95) -> pd.DataFrame:
    """How often each group's top words stay in its top list when sentences are resampled.

    Each replicate draws, within every group, as many documents as the group has, with
    replacement, recounts, and recomputes the one-vs-rest Fightin' Words z of every group.
    Give it a sentence-unit matrix (``c6lab.dfm(..., unit="sentence")``) to resample
    sentences; its rows are what is resampled. A word's ``top_share`` is the fraction of
    replicates in which it ranks among the group's ``top_n`` (competition rank by z among
    words with pooled count >= ``min_count``, so a word tied at the last place counts as
    in the list).

    Draws: one ``numpy.random.Generator`` (:func:`c6lab.stats.generator`), replicate by
    replicate and group by group (sorted), each a :func:`c6lab.stats.resample_rows` of
    the group's documents; a fixed ``random_state`` gives the same table.

    Returns
    -------
    DataFrame
        ``comparison, group, word, count_group, z, rank`` (full data, as
        :func:`keyness` and :func:`top_keywords` give them) then ``top_share, z_median,
        z_low, z_high`` (equal-tailed ``confidence`` interval of z over the replicates in
        which the word is counted), ``n_boot``, ``random_state``; the full-data top
        ``top_n`` words per group.

    Examples
    --------
    >>> import c6lab
    >>> df = pd.DataFrame({"country": ["A", "B"], "text": ["Ports grow. Ports grow.", "Trade. Energy."]})
    >>> b = bootstrap_top_words(c6lab.dfm(df, unit="sentence"), top_n=2, n_boot=20, alpha0=10)
    >>> b.loc[b["group"] == "A", ["word", "top_share"]].values.tolist()
    [['grow', 1.0], ['ports', 1.0]]
    """
    if n_boot < 1:
        raise ValueError("n_boot must be >= 1")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence!r}")
    alpha = (1 - confidence) / 2
    full = keyness(sentence_counts, group_by, "one_vs_rest", alpha0, min_count)
    top = top_keywords(full, top_n=top_n).sort_values(["group", "rank"], kind="stable")
    groups, ind = sentence_counts.indicator(group_by)
    members = [np.sort(ind.getrow(k).indices) for k in range(len(groups))]
    # each group's rows (sparse); a replicate's group counts are (draw weights) @ rows
    parts = [sentence_counts.matrix[ix].T.tocsr() for ix in members]
    out = top[["comparison", "group", "word", "count_group", "z", "rank"]].reset_index(drop=True)
    cols = sentence_counts.columns(out["word"])
    row_group = out["group"].to_numpy()
    rng = stats.generator(random_state)
    zmat = np.full((n_boot, len(out)), np.nan)
    hits = np.zeros(len(out))
    # replicates in blocks: the draws in the same order as one at a time (replicate by replicate,
    # group by group), then one sparse product per group for the block's weights, which reads
    # the matrix once per block instead of once per replicate
    block = max(1, min(n_boot, _BOOT_BLOCK_CELLS // max(1, sentence_counts.n_terms * len(groups))))
    for b0 in range(0, n_boot, block):
        nb = min(block, n_boot - b0)
        weights = [np.empty((len(ix), nb), dtype=np.int64) for ix in members]
        for j in range(nb):
            for ix, w in zip(members, weights, strict=True):
                w[:, j] = np.bincount(stats.resample_rows(len(ix), 1, rng)[0], minlength=len(ix))
        sums = [part @ w for part, w in zip(parts, weights, strict=True)]  # (n_terms, nb) per group
        for j in range(nb):
            m = np.vstack([s[:, j] for s in sums])
            total = m.sum(axis=0)
            keep = (total > 0) & (total >= min_count)
            # z only of the words ranked (kept): the others never enter a rank or the table
            idx = np.flatnonzero(keep)
            n_all = int(total.sum())
            for k, g in enumerate(groups):
                mine = row_group == g
                if not mine.any():
                    continue
                yi = m[k]
                ni = int(yi.sum())
                yi_kept = yi[idx]
                with np.errstate(divide="ignore", invalid="ignore"):
                    z = fightin_words(yi_kept, total[idx] - yi_kept, ni, n_all - ni, alpha0)[3]
                sel = cols[mine]
                kept = keep[sel]
                at = np.searchsorted(idx, sel[kept])  # where the kept followed words are in z
                zsel = np.full(len(sel), np.nan)
                zsel[kept] = z[at]
                # rank_by's rank among the kept words, of the followed words only
                rank = np.zeros(len(sel), dtype=np.int64)
                rank[kept] = _ranks_of(z, at)
                zmat[b0 + j, mine] = zsel
                hits[mine] += (rank > 0) & (rank <= top_n)
    out["top_share"] = hits / n_boot
    # a word missing from a replicate has no z there: quantiles over the replicates that have it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN column: word never drawn
        out["z_median"] = np.nanmedian(zmat, axis=0)
        out["z_low"] = np.nanquantile(zmat, alpha, axis=0)
        out["z_high"] = np.nanquantile(zmat, 1 - alpha, axis=0)
    out["n_boot"] = n_boot
    out["random_state"] = random_state
    return out


# at most this many cells (terms x groups x replicates) of group sums at once in the bootstrap
_BOOT_BLOCK_CELLS = 4_000_000


def _ranks_of(score: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``rank_by(score)[at]``, counting instead of sorting the whole vector.

    An entry's competition rank is one more than the number of entries with a larger score
    (after rank_by's rounding); NaN sorts after every number there.
    """
    if len(at) > 64:  # counting costs len(at) passes over the vector: sort instead
        return rank_by(score)[at]
    ref = -np.round(np.asarray(score, dtype=float), 9)
    mine = ref[at]
    below = (ref[None, :] < mine[:, None]).sum(axis=1)
    below = np.where(np.isnan(mine), np.count_nonzero(~np.isnan(ref)), below)
    return (below + 1).astype(np.int64)


# -- the prior, and the verdict ---------------------------------------------------------

def prior_ranks(counts: DocumentTermMatrix, words: pd.DataFrame, alpha0s: Sequence[float],
                group_by: str = "country", min_count: int = 1) -> pd.DataFrame:
    """Rank of each keyword (one-vs-rest) under several prior weights ``alpha0``.

    Parameters
    ----------
    words : DataFrame
        ``group, word`` rows (e.g. :func:`top_keywords`).
    alpha0s : sequence of float

    Returns
    -------
    DataFrame
        ``group, word`` and one column ``rank at alpha0=<value>`` per weight (the word's
        rank by z in its group's one-vs-rest comparison; NaN when the word has fewer than
        ``min_count`` uses).

    Examples
    --------
    >>> import c6lab
    >>> df = pd.DataFrame({"country": ["A", "B"], "text": ["ports ports trade", "trade energy"]})
    >>> prior_ranks(c6lab.dfm(df), pd.DataFrame({"group": ["A"], "word": ["ports"]}), [1, 100]).columns.tolist()
    ['group', 'word', 'rank at alpha0=1', 'rank at alpha0=100']
    """
    out = words[["group", "word"]].reset_index(drop=True)
    for a in alpha0s:
        res = keyness(counts, group_by, "one_vs_rest", a, min_count)
        out = out.join(res.set_index(["group", "word"])["rank"].rename(f"rank at alpha0={a:g}"),
                       on=["group", "word"])
    return out


def robustness_table(top: pd.DataFrame, bootstrap: pd.DataFrame, quotes_only: pd.DataFrame | None,
                     leave_one_out: pd.DataFrame, top_n: int,
                     stable_share: float = 0.5) -> pd.DataFrame:
    """Which top keywords survive every robustness check.

    A top word *survives* when (1) it stays in the top list in at least ``stable_share``
    of the bootstrap replicates, (2) it is in the top ``top_n`` of its group's
    one-vs-rest comparison on quotes alone, and (3) for a group of several speakers it
    stays in the top list whichever speaker is left out (groups without a leave-one-out
    run pass this check). Without a quotes-only comparison (``quotes_only=None``, e.g.
    when the quotes alone have fewer than two groups) check (2) is not made: survival
    then rests on (1) and (3) only, and ``rank_quotes_only`` is empty.

    Parameters
    ----------
    top : DataFrame
        :func:`top_keywords` of the one-vs-rest comparisons.
    bootstrap : DataFrame
        :func:`bootstrap_top_words` (``group, word, top_share``).
    quotes_only : DataFrame or None
        :func:`keyness` of the quotes alone (its one-vs-rest rows are used); None when
        there is no such comparison.
    leave_one_out : DataFrame
        :func:`leave_one_out` (``group, word, dropped, in_top``).

    Returns
    -------
    DataFrame
        ``group, word, count_group, count_reference, z, rank, top_share,
        rank_quotes_only, top_without_each_speaker, survives``. ``rank_quotes_only`` is
        the number of ranked words of that comparison + 1 when the word is not ranked on
        quotes alone (absent, or below ``min_count``), as in :func:`leave_one_out`, and
        empty (``<NA>``) for every word when ``quotes_only`` is None;
        ``top_without_each_speaker`` is empty (NaN) for a group with one speaker.

    Examples
    --------
    >>> top = pd.DataFrame({"group": ["A", "A"], "word": ["x", "y"], "count_group": [3, 2],
    ...                     "count_reference": [0, 0], "z": [2.0, 1.0], "rank": [1, 2]})
    >>> boot = top[["group", "word"]].assign(top_share=[0.9, 0.2])
    >>> quotes = pd.DataFrame({"group": ["A"], "word": ["x"], "rank": [1], "design": "one_vs_rest"})
    >>> loo = pd.DataFrame(columns=["group", "word", "dropped", "in_top"])
    >>> robustness_table(top, boot, quotes, loo, top_n=2)[["word", "rank_quotes_only", "survives"]].values.tolist()
    [['x', 1, True], ['y', 2, False]]
    >>> robustness_table(top, boot, None, loo, top_n=2)[["word", "rank_quotes_only", "survives"]].values.tolist()
    [['x', <NA>, True], ['y', <NA>, False]]
    """
    runs = leave_one_out[leave_one_out["dropped"] != "none"]
    loo_top = (runs.groupby(["group", "word"])["in_top"].all().astype(object)
               .rename("top_without_each_speaker"))
    out = (top[["group", "word", "count_group", "count_reference", "z", "rank"]]
           .merge(bootstrap[["group", "word", "top_share"]], on=["group", "word"], how="left"))
    if quotes_only is None:
        out["rank_quotes_only"] = pd.array([pd.NA] * len(out), dtype="Int64")
        in_quotes_top = True
    else:
        q = quotes_only[quotes_only["design"] == "one_vs_rest"] if "design" in quotes_only else quotes_only
        quotes_rank = q.set_index(["group", "word"])["rank"].rename("rank_quotes_only")
        n_ranked = q.groupby("group").size()
        out = out.join(quotes_rank, on=["group", "word"])
        unranked = out["group"].map(n_ranked).fillna(0) + 1
        out["rank_quotes_only"] = out["rank_quotes_only"].fillna(unranked).astype(int)
        in_quotes_top = out["rank_quotes_only"].between(1, top_n)
    out = out.join(loo_top, on=["group", "word"])
    out["survives"] = ((out["top_share"] >= stable_share)
                       & in_quotes_top
                       & out["top_without_each_speaker"].fillna(True).astype(bool))
    return out


# -- concordance ------------------------------------------------------------------------

def keyword_concordance(corpus_df: pd.DataFrame, words: pd.DataFrame, lexicons: Lexicons | None = None,
                        group_by: str = "country", window: int = 6) -> pd.DataFrame:
    """Concordance lines for keywords, searched only in their own group's segments.

    Parameters
    ----------
    corpus_df : DataFrame
        The segments the keywords were counted in (e.g. ``corpus.select(kinds)``).
    words : DataFrame
        Needs ``group`` and ``word`` columns (e.g. from :func:`top_keywords`). Words are
        matched as counted tokens, so ``middle_corridor`` finds "Middle Corridor" and
        ``united_states`` finds "U.S.", "US" and "United States".
    lexicons : Lexicons, optional
        The word lists the words were counted with (``corpus.lexicons``; default the
        package's lists), so the corpus's own phrases and variants are found.
    window : int
        Words of context on each side (see :func:`c6lab.kwic`).

    Returns
    -------
    DataFrame
        ``group, word`` then the :func:`c6lab.kwic` columns (``doc``, document
        variables, ``left, keyword, right``).

    Examples
    --------
    >>> df = pd.DataFrame({"segment_id": ["s1", "s2"], "country": ["A", "B"],
    ...                    "text": ["Ties with the U.S. grow.", "The US matters."]})
    >>> words = pd.DataFrame({"group": ["A"], "word": ["united_states"]})
    >>> kc = keyword_concordance(df, words, window=2)
    >>> kc[["group", "doc", "left", "keyword", "right"]].values.tolist()
    [['A', 's1', 'with the', 'U.S.', 'grow']]
    """
    if group_by not in corpus_df.columns:
        raise ValueError(f"no column {group_by!r} in the corpus table")
    labels = corpus_df[group_by].fillna("").astype(str)
    tokenizer = resolve(lexicons).tokenizer
    pairs = list(dict.fromkeys(words[["group", "word"]].itertuples(index=False, name=None)))
    lines: dict = {}
    for g in dict.fromkeys(str(g) for g, _ in pairs):
        wanted = [w for h, w in pairs if str(h) == g]
        sub = corpus_df[(labels == g).to_numpy()]
        # each segment of the group tokenised once (batch call), and only the segments that
        # count one of the words read again with their spans, once for all the group's words
        held = [[w for w in wanted if w in toks] for toks in map(set, tokenizer.pipe(sub["text"]))]
        plain = [w for w in wanted if not set(w) & _GLOB]
        lines.update(_lines(sub[[bool(h) for h in held]], [h for h in held if h], plain, tokenizer, window, g))
        for w in wanted:
            if w not in plain:  # a word kwic would read as a pattern: its own match
                lines[g, w] = kwic(sub[[w in h for h in held]], f"[{w[0]}]{w[1:]}", window=window, lexicons=lexicons)
    frames = [lines[str(g), w].assign(group=g, word=w) for g, w in words[["group", "word"]].itertuples(index=False)]
    if not frames:
        return pd.DataFrame(columns=["group", "word", "doc", "left", "keyword", "right"])
    out = pd.concat(frames, ignore_index=True)
    return out[["group", "word", *[c for c in out.columns if c not in ("group", "word")]]]


_GLOB = set("*?[]!^\\")


def _lines(sub: pd.DataFrame, held: list[list[str]], plain: list[str], tokenizer, window: int,
           group: str) -> dict:
    """:func:`c6lab.kwic`'s lines of each word of ``plain`` (a counted token, matched as one
    token), in ``sub``'s segments; ``held[i]``: the words segment ``i`` counts. One pass of
    :meth:`Tokenizer.spans` per segment for all the words (kwic makes one per word)."""
    cols = _docvars(sub)
    found: dict[str, list] = {w: [] for w in plain}
    for rec, mine in zip(sub[cols + ["text"]].itertuples(index=False), held):
        mine = [w for w in mine if w in found]
        if not mine:
            continue
        meta = dict(zip(cols, rec[:-1]))
        norm, toks = tokenizer.spans(rec[-1], keep_stopwords=True)
        for w in mine:
            low = w.lower()  # kwic lower-cases its pattern
            for i, t in enumerate(toks):
                if t.token != low:
                    continue
                left_toks = toks[max(0, i - window):i]
                right_toks = toks[i + 1:i + 1 + window]
                left = norm[left_toks[0].start:t.start].strip() if left_toks else ""
                right = norm[t.end:right_toks[-1].end].strip() if right_toks else ""
                found[w].append({"doc": meta.get("segment_id", ""), **meta, "left": left,
                                 "keyword": norm[t.start:t.end], "right": right})
    columns = ["doc", *cols, "left", "keyword", "right"]
    return {(group, w): pd.DataFrame(rows, columns=columns) for w, rows in found.items()}
