"""Figures for topic models: choosing K, and topic shares by group."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .corpus import OKABE_ITO, plain

# (column, axis label) of the panels of plot_k_selection
_K_PANELS = (
    ("npmi", "NPMI coherence\n(document co-occurrence)"),
    ("umass", "UMass coherence"),
    ("stability", "stability\n(80% subsamples; ± 1 sd)"),
    ("stability_seeds", "stability\n(other seeds)"),
)


def _clean(ax) -> None:
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def plot_k_selection(table: pd.DataFrame, title: str | None = None):
    """Coherence and stability against K, one line per model.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`c6lab.topics.select_k` (``model, k, npmi, umass, stability``;
        ``stability_sd`` and ``stability_seeds`` are drawn when present).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> tab = pd.DataFrame({"model": ["nmf", "nmf"], "k": [2, 3], "npmi": [0.1, 0.2],
    ...                     "umass": [-1.0, -0.9], "stability": [0.6, 0.5]})
    >>> fig = plot_k_selection(tab)
    >>> len(fig.axes)
    3
    """
    panels = [(c, lab) for c, lab in _K_PANELS if c in table.columns]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.2), sharex=True)
    axes = np.atleast_1d(axes)
    models = list(dict.fromkeys(table["model"]))
    for ax, (col, label) in zip(axes, panels):
        for i, model in enumerate(models):
            sub = table[table["model"] == model].sort_values("k")
            colour = OKABE_ITO[i % len(OKABE_ITO)]
            if col == "stability" and "stability_sd" in sub.columns:
                ax.errorbar(sub["k"], sub[col], yerr=sub["stability_sd"], color=colour,
                            marker="o", capsize=3, label=plain(str(model).upper()))
            else:
                ax.plot(sub["k"], sub[col], color=colour, marker="o", label=plain(str(model).upper()))
        if col.startswith("stability"):
            ax.set_ylim(0, 1.05)
        ax.set_xlabel("K (number of topics)")
        ax.set_title(label, fontsize=10)
        ax.set_xticks(sorted(table["k"].unique()))
        _clean(ax)
    axes[0].legend(frameon=False)
    if title:
        fig.suptitle(plain(title))
    fig.tight_layout()
    return fig


def plot_topic_share(shares: pd.DataFrame, group_by: str = "country",
                     labels: dict | None = None, n_col: str = "n_docs",
                     unit_name: str = "segments", confidence: float | None = 0.9,
                     xlabel: str = "share of the group's tokens", title: str | None = None):
    """Share of each topic per group, one panel per topic, with interval and n per bar.

    Group names, topic labels and the title are drawn as written (a ``$`` is no formula,
    see :func:`c6lab.plots.corpus.plain`).

    Parameters
    ----------
    shares : DataFrame
        Output of :func:`c6lab.topics.topic_share` (``group_by, topic, share``; ``ci_low``
        and ``ci_high`` are drawn as error bars when present).
    group_by : str
        Group column (one bar per group in every panel).
    labels : dict, optional
        Topic number -> panel title.
    n_col : str
        Column with the number of documents behind each bar, written next to it.
    unit_name : str
        What the documents are, for the annotation ("segments", "sentences").
    confidence : float, optional
        Coverage of the interval in ``ci_low, ci_high``, for the footnote.
    xlabel : str
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> sh = pd.DataFrame({"country": ["AZ", "AZ", "KG", "KG"], "topic": [1, 2, 1, 2],
    ...                    "share": [0.7, 0.3, 0.2, 0.8], "n_docs": [16, 16, 14, 14]})
    >>> fig = plot_topic_share(sh)
    >>> [ax.get_title() for ax in fig.axes]
    ['topic 1', 'topic 2']
    """
    topics = sorted(shares["topic"].unique())
    groups = sorted(shares[group_by].unique())
    ncols = 2 if len(topics) == 4 else min(len(topics), 3)
    nrows = int(np.ceil(len(topics) / ncols))
    height = 0.45 * len(groups) * nrows + 1.4 * nrows
    # no sharex: with a hidden panel in the last row, shared axes would lose tick labels
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, height), squeeze=False)
    has_ci = {"ci_low", "ci_high"} <= set(shares.columns) and shares["ci_low"].notna().all()
    colours = {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(groups)}
    for ax, topic in zip(axes.ravel(), topics):
        sub = shares[shares["topic"] == topic].set_index(group_by).reindex(groups)
        y = np.arange(len(groups))
        xerr = None
        if has_ci:
            xerr = np.vstack([sub["share"] - sub["ci_low"], sub["ci_high"] - sub["share"]])
        ax.barh(y, sub["share"], xerr=xerr, color=[colours[g] for g in groups],
                error_kw={"ecolor": "0.3", "capsize": 3})
        ax.set_yticks(y, [plain(g) for g in groups])
        ax.invert_yaxis()
        ax.set_xlim(0, 1.25)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        if n_col in sub.columns:
            speakers = sub["n_speakers"] if "n_speakers" in sub.columns else [None] * len(y)
            for yi, n, s in zip(y, sub[n_col], speakers):
                note = f"n={int(n)}" + (f"\n{int(s)} spk" if s is not None else "")
                ax.text(1.24, yi, note, va="center", ha="right", fontsize=8)
        ax.set_title(plain((labels or {}).get(topic, f"topic {topic}")), fontsize=10)
        ax.set_xlabel(xlabel)
        _clean(ax)
    for ax in axes.ravel()[len(topics):]:
        ax.set_visible(False)
    note = f"n = {unit_name} behind each bar"
    if "n_speakers" in shares.columns:
        note += "; spk = speakers"
    if has_ci and confidence is not None:
        note += f"; lines: {confidence:.0%} bootstrap interval over {unit_name}"
    fig.text(0.99, 0.005, note, ha="right", va="bottom", fontsize=8, color="0.3")
    if title:
        fig.suptitle(plain(title))
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig
