"""Figures of the lexicon tone of sentences that mention a power (input: :func:`c6lab.sentiment.summarize_powers`).

The tone is VADER's score of the words of the sentence, not the speaker's stance toward the
power; each figure takes a ``caption`` (e.g. :func:`c6lab.sentiment.facts.tone_caption`: the
method's agreement with hand labels of stance, with intervals and the majority baseline),
drawn under the plot so the figure never travels without it.

The powers and their order come from the summary (its rows are in the order of the
corpus's ``powers.csv``) or from an explicit ``powers`` argument, so a power added to
``powers.csv`` appears in every figure with no change here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap

from ..lexicons import Power
from ..sentiment.summary import power_codes
from .corpus import OKABE_ITO, plain

# Diverging map from two Okabe-Ito colours: vermillion (negative) - white - blue (positive).
# The two ends stay distinguishable with the common forms of colour blindness, and white
# marks zero, so the sign is read from hue and the size from saturation.
DIVERGING = LinearSegmentedColormap.from_list("okabe_ito_diverging", ["#D55E00", "#FFFFFF", "#0072B2"])


def _one(summary: pd.DataFrame, method: str | None, lexicon: str | None) -> pd.DataFrame:
    df = summary
    if method is not None:
        df = df[df["method"] == method]
    if lexicon is not None:
        df = df[df["lexicon"] == lexicon]
    if df.empty:
        raise ValueError("the summary holds no row to draw (no mention was scored)")
    if df[["method", "lexicon"]].drop_duplicates().shape[0] != 1:
        raise ValueError("summary holds several methods or lexicons: choose one with method=, lexicon=")
    return df


def _powers(summary: pd.DataFrame, powers: Sequence[str | Power] | None) -> list[str]:
    """Power codes in drawing order: ``powers`` if given, else the summary's row order."""
    present = list(dict.fromkeys(summary["power"]))
    if powers is None:
        return present
    codes = power_codes(powers)
    missing = [p for p in present if p not in codes]
    if missing:
        raise ValueError(f"the summary holds powers not in powers: {missing}")
    return codes


CAPTION_SIZE = 7.5  # points


def _caption_lines(caption: str | None, width_inches: float) -> list[str]:
    if not caption:
        return []
    return textwrap.wrap(" ".join(caption.split()), width=max(40, int(width_inches * 16)))


def _draw_caption(fig, lines: list[str]) -> float:
    """Draw ``lines`` at the foot of ``fig``; return their height in inches."""
    if not lines:
        return 0.0
    fig.text(0.02, 0.08 / fig.get_figheight(), plain("\n".join(lines)), ha="left", va="bottom",
             fontsize=CAPTION_SIZE, color="#333333")
    return 0.12 + len(lines) * CAPTION_SIZE * 1.35 / 72


MUTED = "#F0F0F0"  # a cell with too few mentions to colour: hatched on this grey
NONE = "#D9D9D9"  # a cell without a mention


def heatmap(summary: pd.DataFrame, method: str | None = None, lexicon: str | None = None,
            title: str | None = None, powers: Sequence[str | Power] | None = None, min_n: int = 5,
            caption: str | None = None):
    r"""Group x power heatmap of the mean lexicon tone, each cell annotated with its n.

    The tone of a mention is VADER's compound score *c* (-1..+1) of the sentence (or
    window) that mentions the power. Colours run from -1 (vermillion) through 0 (white)
    to +1 (blue) for cells with at least ``min_n`` mentions. A cell with fewer is not
    coloured (a mean of one or two sentences would otherwise look as certain as any
    other): it is hatched grey with its mean and n in small type. A cell without a
    mention is plain grey with ``n=0``. A legend under the plot says so.

    Parameters
    ----------
    summary : DataFrame
        :func:`c6lab.sentiment.summarize_powers` output.
    method, lexicon : str, optional
        Which rows to draw when the summary holds several.
    title : str, optional
    powers : sequence of Power or str, optional
        Columns, in order (e.g. ``corpus.lexicons.powers``); default the powers of the
        summary in its row order.
    min_n : int
        Fewest mentions for a coloured cell.
    caption : str, optional
        Text under the legend, wrapped (e.g. the validation line of
        :func:`c6lab.sentiment.facts.tone_caption`).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> s = pd.DataFrame({"group": ["a$b$c", "a$b$c"], "power": ["US", "CN"], "method": "m",
    ...                   "lexicon": "vader", "mean_compound": [0.5, -0.2], "n_mentions": [6, 1]})
    >>> fig = heatmap(s)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['a\\$b\\$c']
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['+0.50\nn=6', '-0.20\nn=1']
    >>> plt.close(fig)
    """
    from matplotlib.patches import Patch, Rectangle

    df = _one(summary, method, lexicon)
    groups = list(dict.fromkeys(df["group"]))
    powers = _powers(df, powers)
    mean = df.pivot(index="group", columns="power", values="mean_compound").reindex(index=groups, columns=powers)
    n = (df.pivot(index="group", columns="power", values="n_mentions").reindex(index=groups, columns=powers)
         .fillna(0).astype(int))
    shown = mean.where(n >= min_n)
    width = 1.2 * len(powers) + 2.2
    lines = _caption_lines(caption, width)
    fig, ax = plt.subplots(figsize=(width, 0.75 * len(groups) + 2.2 + len(lines) * 0.15))
    cmap = DIVERGING.with_extremes(bad=NONE)
    im = ax.imshow(np.ma.masked_invalid(shown.to_numpy(dtype=float)), cmap=cmap, vmin=-1, vmax=1,
                   aspect="auto")
    for i in range(len(groups)):
        for j in range(len(powers)):
            v, k = mean.iat[i, j], int(n.iat[i, j])
            if k == 0 or pd.isna(v):
                ax.text(j, i, f"n={k}", ha="center", va="center", fontsize=8, color="#555555")
            elif k < min_n:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=MUTED, edgecolor="#AAAAAA",
                                       hatch="///", linewidth=0))
                ax.text(j, i, f"{v:+.2f}\nn={k}", ha="center", va="center", fontsize=7, color="#444444",
                        bbox={"facecolor": MUTED, "edgecolor": "none", "pad": 1})
            else:
                ax.text(j, i, f"{v:+.2f}\nn={k}", ha="center", va="center", fontsize=9,
                        color="white" if abs(v) > 0.6 else "black")
    ax.set_xticks(range(len(powers)), [plain(p) for p in powers])
    ax.set_yticks(range(len(groups)), [plain(g) for g in groups])
    ax.set_xlabel("power mentioned")
    ax.set_ylabel("")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    cbar = fig.colorbar(im, ax=ax, fraction=0.05, pad=0.03)
    cbar.set_label("mean lexicon tone c (VADER compound)")
    handles = [Patch(facecolor=MUTED, edgecolor="#AAAAAA", hatch="///",
                     label=f"fewer than {min_n} mentions: not coloured, mean in small type"),
               Patch(facecolor=NONE, label="no mention (n=0)")]
    height = fig.get_figheight()
    foot = _draw_caption(fig, lines)
    fig.legend(handles=handles, loc="lower center", frameon=False, fontsize=8, ncol=1,
               bbox_to_anchor=(0.5, foot / height))
    first = df.iloc[0]
    ax.set_title(plain(title or f"Lexicon tone of sentences that mention a power\n"
                                f"(mean per group; {first['method']}, {first['lexicon']})"), fontsize=10)
    fig.tight_layout(rect=(0, (0.55 + foot) / height, 1, 1))  # room for the legend and the caption
    return fig


def dot_plot(summary: pd.DataFrame, method: str | None = None, lexicon: str | None = None,
             title: str | None = None, powers: Sequence[str | Power] | None = None,
             caption: str | None = None):
    """Mean lexicon tone per power and group with bootstrap confidence intervals.

    The tone of a mention is VADER's compound score *c* (-1..+1) of the text that
    mentions the power. One row per power, one colour (Okabe-Ito) and marker per group,
    dodged vertically; the shaded band is VADER's neutral zone (|c| < 0.05). Cells with
    one mention have a dot without an interval; cells with none are left out. n is
    written beside each dot.

    Parameters
    ----------
    summary : DataFrame
        :func:`c6lab.sentiment.summarize_powers` output.
    method, lexicon : str, optional
        Which rows to draw when the summary holds several.
    title : str, optional
    powers : sequence of Power or str, optional
        Rows, top to bottom (e.g. ``corpus.lexicons.powers``); default the powers of the
        summary in its row order.
    caption : str, optional
        Text under the plot, wrapped (e.g. :func:`c6lab.sentiment.facts.tone_caption`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    chosen = _one(summary, method, lexicon)
    df = chosen[chosen["n_mentions"] > 0]
    groups = list(dict.fromkeys(chosen["group"]))
    powers = _powers(chosen, powers)
    markers = "osD^vP*X"
    lines = _caption_lines(caption, 7.5)
    fig, ax = plt.subplots(figsize=(7.5, 0.7 * len(powers) * max(1, len(groups) / 2.5) + 1.6 + len(lines) * 0.15))
    ax.axvspan(-0.05, 0.05, color="#EEEEEE", zorder=0, label="neutral zone (|c| < 0.05)")
    ax.axvline(0, color="#999999", lw=0.8, zorder=1)
    step = 0.7 / max(len(groups), 1)
    for gi, g in enumerate(groups):
        sub = df[df["group"] == g]
        if sub.empty:
            continue
        y = np.array([powers.index(p) for p in sub["power"]]) + (gi - (len(groups) - 1) / 2) * step
        x = sub["mean_compound"].to_numpy(dtype=float)
        lo, hi = sub["ci_low"].to_numpy(dtype=float), sub["ci_high"].to_numpy(dtype=float)
        err = np.vstack([x - lo, hi - x])
        colour = OKABE_ITO[gi % len(OKABE_ITO)]
        ax.errorbar(x, y, xerr=np.where(np.isfinite(err), err, 0), fmt=markers[gi % len(markers)],
                    color=colour, ecolor=colour, capsize=3, ms=6, lw=1.2, label=plain(g), zorder=3)
        for xi, yi, k in zip(x, y, sub["n_mentions"], strict=True):
            ax.annotate(f"n={k}", (xi, yi), xytext=(6, 4), textcoords="offset points", fontsize=8,
                        color="#333333")
    for i, p in enumerate(powers):
        if p not in set(df["power"]):
            ax.text(0.5, i, "no mention", ha="center", va="center", fontsize=8, color="#666666")
    ax.set_yticks(range(len(powers)), [plain(p) for p in powers])
    ax.set_ylim(len(powers) - 0.5, -0.5)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("mean lexicon tone c (VADER compound) of the sentences, 95% bootstrap CI")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    first = chosen.iloc[0]
    ax.set_title(plain(title or f"Lexicon tone of sentences that mention each power "
                                f"({first['method']}, {first['lexicon']})"), fontsize=10)
    foot = _draw_caption(fig, lines)
    fig.tight_layout(rect=(0, foot / fig.get_figheight(), 1, 1))
    return fig
