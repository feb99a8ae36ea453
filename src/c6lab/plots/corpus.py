"""Figures describing the corpus."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

# Okabe-Ito: distinguishable with the common forms of colour blindness
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]


def bar_by_kind(counts: pd.DataFrame, group: str, value: str = "n_words",
                title: str | None = None):
    """Horizontal grouped bars of ``value`` per ``group``, one bar per kind.

    ``counts`` is long, as returned by :func:`c6lab.word_counts`.
    """
    wide = counts.pivot_table(index=group, columns="kind", values=value, aggfunc="sum", fill_value=0)
    wide = wide.loc[wide.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(wide) + 1.5))
    wide.plot.barh(ax=ax, color=OKABE_ITO[: wide.shape[1]], width=0.8)
    ax.set_xlabel(value.replace("n_", "number of ").replace("_", " "))
    ax.set_ylabel("")
    ax.legend(title="kind", frameon=False)
    ax.set_title(title or f"{value} by {group}")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    return fig
