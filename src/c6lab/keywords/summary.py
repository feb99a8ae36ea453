"""Short summaries of the keyword tables, for the prose a notebook renders from them.

Each function reads a table that :mod:`c6lab.keywords` returns and gives the few facts a
sentence quotes (which words reach a threshold, how many top words a speaker's absence
keeps, which words survive), so that no sentence states a number the run did not compute.
:func:`concordance_table` shows a concordance with the left context right-aligned.
"""

from __future__ import annotations

import pandas as pd


def strong_words(results: pd.DataFrame, threshold: float = 1.96) -> pd.DataFrame:
    """The words a group uses more than its reference with ``z >= threshold``.

    Parameters
    ----------
    results : DataFrame
        :func:`c6lab.keywords.keyness` (e.g. its one-vs-rest rows).
    threshold : float

    Returns
    -------
    DataFrame
        ``comparison, group, word, count_group, count_reference, z``, largest z first;
        ``count_group + count_reference`` is how often the word occurs in the comparison.

    Examples
    --------
    >>> r = pd.DataFrame({"comparison": "A vs rest", "group": "A", "word": ["x", "y", "w"],
    ...                   "count_group": [5, 2, 0], "count_reference": [0, 1, 6], "z": [2.5, 1.0, -2.4]})
    >>> strong_words(r)["word"].tolist()
    ['x']
    """
    cols = ["comparison", "group", "word", "count_group", "count_reference", "z"]
    out = results.loc[results["z"] >= threshold, cols]
    return out.sort_values(["z", "word"], ascending=[False, True], kind="stable").reset_index(drop=True)


def largest_tie(top: pd.DataFrame) -> dict:
    """The largest group of words sharing one rank in the top lists.

    Returns
    -------
    dict
        ``comparison, rank, n_words`` (``n_words`` 0 and the others None for an empty
        table); ties are broken by comparison order, then by rank.

    Examples
    --------
    >>> top = pd.DataFrame({"comparison": ["A vs rest"] * 4, "rank": [1, 2, 2, 2], "word": list("abcd")})
    >>> largest_tie(top)
    {'comparison': 'A vs rest', 'rank': 2, 'n_words': 3}
    """
    if top.empty:
        return {"comparison": None, "rank": None, "n_words": 0}
    sizes = top.groupby(["comparison", "rank"], sort=False).size()
    (comparison, rank), n = sizes.idxmax(), int(sizes.max())
    return {"comparison": comparison, "rank": int(rank), "n_words": n}


def leave_one_out_summary(loo: pd.DataFrame) -> pd.DataFrame:
    """What each left-out speaker takes from a group's top list.

    Parameters
    ----------
    loo : DataFrame
        :func:`c6lab.keywords.leave_one_out`.

    Returns
    -------
    DataFrame
        One row per group and left-out speaker: ``group, dropped, kept`` (the speakers
        left), ``n_group`` (the group's tokens without ``dropped``), ``n_words`` (top
        words followed), ``n_still_top`` and ``still_top`` (those still in the top list,
        a list, in the order of the full-data ranks).

    Examples
    --------
    >>> loo = pd.DataFrame({"dropped": ["none", "none", "p", "p"], "kept": ["p; q", "p; q", "q", "q"],
    ...                     "group": "A", "word": ["x", "y", "x", "y"], "n_group": [9, 9, 4, 4],
    ...                     "in_top": [True, True, False, True]})
    >>> leave_one_out_summary(loo).values.tolist()
    [['A', 'p', 'q', 4, 2, 1, ['y']]]
    """
    cols = ["group", "dropped", "kept", "n_group", "n_words", "n_still_top", "still_top"]
    runs = loo[loo["dropped"] != "none"]
    rows = []
    for (group, dropped), d in runs.groupby(["group", "dropped"], sort=True):
        still = d.loc[d["in_top"].astype(bool), "word"].tolist()
        rows.append({"group": group, "dropped": dropped, "kept": d["kept"].iloc[0],
                     "n_group": int(d["n_group"].iloc[0]), "n_words": len(d),
                     "n_still_top": len(still), "still_top": still})
    return pd.DataFrame(rows, columns=cols)


def survivors(robustness: pd.DataFrame) -> pd.DataFrame:
    """The top words that survive every check, per group.

    Parameters
    ----------
    robustness : DataFrame
        :func:`c6lab.keywords.robustness_table`.

    Returns
    -------
    DataFrame
        ``group, n_top`` (top words checked), ``n_survive`` and ``words`` (the
        survivors, a list in rank order, ties by word); every group of the table.

    Examples
    --------
    >>> rob = pd.DataFrame({"group": ["A", "A", "B"], "word": ["y", "x", "z"], "rank": [2, 1, 1],
    ...                     "survives": [True, True, False]})
    >>> survivors(rob).values.tolist()
    [['A', 2, 2, ['x', 'y']], ['B', 1, 0, []]]
    """
    rows = []
    for group, d in robustness.groupby("group", sort=True):
        kept = d[d["survives"].astype(bool)].sort_values(["rank", "word"], kind="stable")["word"].tolist()
        rows.append({"group": group, "n_top": len(d), "n_survive": len(kept), "words": kept})
    return pd.DataFrame(rows, columns=["group", "n_top", "n_survive", "words"])


def concordance_table(concordance: pd.DataFrame, columns=("group", "word", "speaker", "kind", "left",
                                                           "keyword", "right")):
    """A concordance for display: ``left`` right-aligned, so the keywords line up.

    Returns a pandas ``Styler`` with a fixed id (the same HTML on every run) and no
    index; the data are the given ``columns`` of :func:`c6lab.keywords.keyword_concordance`.

    Examples
    --------
    >>> kc = pd.DataFrame({"group": ["A"], "word": ["x"], "speaker": ["P"], "kind": ["quote"],
    ...                    "left": ["a long left context"], "keyword": ["x"], "right": ["then more"]})
    >>> html = concordance_table(kc).to_html()
    >>> "text-align: right" in html and "T_kwic" in html
    True
    """
    cols = [c for c in columns if c in concordance.columns]
    styler = concordance[cols].style.set_uuid("kwic").hide(axis="index")
    styles = {"left": "text-align: right", "keyword": "text-align: center; font-weight: bold",
              "right": "text-align: left"}
    for col, css in styles.items():
        if col in cols:
            styler = styler.set_properties(subset=[col], **dict(item.split(": ") for item in css.split("; ")))
    return styler
