"""Figures describing the corpus."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

# Okabe-Ito: distinguishable with the common forms of colour blindness
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]


def plain(text) -> str:
    r"""``text`` as literal characters in a figure: every ``$`` escaped, so that matplotlib's
    mathtext never reads a name such as ``a$b$c`` (or ``$\foo$``, which would stop the
    drawing with an error) as a formula.

    Examples
    --------
    >>> plain("a$b$c"), plain("AZ")
    ('a\\$b\\$c', 'AZ')
    """
    return str(text).replace("$", r"\$")


def bar_by_kind(counts: pd.DataFrame, group: str, value: str = "n_words",
                title: str | None = None):
    r"""Horizontal grouped bars of ``value`` per ``group``, one bar per kind.

    ``counts`` is long, as returned by :func:`c6lab.word_counts`. Group names are drawn
    as written (a ``$`` in a name is no formula, see :func:`plain`).

    Examples
    --------
    >>> df = pd.DataFrame({"speaker": ["a$b$c", "B"], "kind": "quote", "n_words": [3, 5]})
    >>> fig = bar_by_kind(df, group="speaker")
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['a\\$b\\$c', 'B']
    >>> plt.close(fig)
    """
    wide = counts.pivot_table(index=group, columns="kind", values=value, aggfunc="sum", fill_value=0)
    wide = wide.loc[wide.sum(axis=1).sort_values().index]
    wide.index = [plain(g) for g in wide.index]
    wide.columns = [plain(k) for k in wide.columns]
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(wide) + 1.5))
    wide.plot.barh(ax=ax, color=OKABE_ITO[: wide.shape[1]], width=0.8)
    ax.set_xlabel(value.replace("n_", "number of ").replace("_", " "))
    ax.set_ylabel("")
    ax.legend(title="kind", frameon=False)
    ax.set_title(plain(title or f"{value} by {group}"))
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    return fig
