"""Figures for keyword comparisons (see :mod:`c6lab.keywords`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from .corpus import OKABE_ITO

GROUP_COLOUR = OKABE_ITO[4]      # blue: words the group uses more
REFERENCE_COLOUR = OKABE_ITO[5]  # vermillion: words the reference uses more

# label offsets tried in turn (points): right, left, above, below, diagonals, then farther out
_OFFSETS = [(dx * r, dy * r) for r in (4, 9, 15, 22, 30, 40, 52)
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))]


def keyword_scatter(results: pd.DataFrame, comparison: str, n_labels: int = 8,
                    z_threshold: float = 1.96, ax=None, title: str | None = None):
    """Scattertext-style plot of one comparison: frequency (log) against Fightin' Words z.

    Each word is a point at ``x = count_group + count_reference`` (log scale) and
    ``y = z``; blue above zero (the group uses it more), vermillion below (the
    reference does), pale when ``|z| < z_threshold``. Words with identical counts
    have identical statistics and share one marker, whose area grows with the square
    root of the number of words. The ``n_labels`` words with the largest and the
    smallest z (ties by word) are labelled; a label names every word on its marker (at
    most three, then "(+k more)"); labels are placed
    deterministically, trying fixed offsets until one overlaps no earlier label, no
    labelled point and stays inside the axes (a thin line joins a label set apart).

    Parameters
    ----------
    results : DataFrame
        Output of :func:`c6lab.keywords.keyness`.
    comparison : str
        Value of its ``comparison`` column, e.g. ``"AZ vs rest"``.
    n_labels : int
        Words labelled on each side.
    z_threshold : float
        Dashed reference lines at ``+-z_threshold``.
    ax : matplotlib Axes, optional
        Draw into this axes (its figure is returned); default a new figure.
    title : str, optional
        Default names the comparison and its token totals.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import c6lab, pandas as pd
    >>> from c6lab.keywords import keyness
    >>> df = pd.DataFrame({"country": ["A", "B"], "text": ["ports ports trade", "energy trade trade"]})
    >>> fig = keyword_scatter(keyness(c6lab.dfm(df), alpha0=10), "A vs rest", n_labels=1)
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['energy', 'ports']
    """
    data = results[results["comparison"] == comparison]
    if data.empty:
        raise ValueError(f"no rows for comparison {comparison!r}")
    data = data.sort_values("word", kind="stable")
    group, reference = data["group"].iloc[0], data["reference"].iloc[0]
    x = (data["count_group"] + data["count_reference"]).to_numpy(dtype=float)
    z = data["z"].to_numpy(dtype=float)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 5.5))
    else:
        fig = ax.figure
    # words with the same two counts share a point exactly: draw one marker, area ~ words
    pts = (pd.DataFrame({"x": x, "z": z}).groupby(["x", "z"], sort=True).size()
           .rename("n").reset_index())
    px, pz, pn = pts["x"].to_numpy(), pts["z"].to_numpy(), pts["n"].to_numpy()
    strong = np.abs(pz) >= z_threshold
    for sign, colour in ((1, GROUP_COLOUR), (-1, REFERENCE_COLOUR)):
        side = pz > 0 if sign > 0 else pz < 0
        for mask, alpha in ((side & strong, 1.0), (side & ~strong, 0.35)):
            ax.scatter(px[mask], pz[mask], s=_marker_area(pn[mask]), color=colour, alpha=alpha,
                       edgecolor="none", zorder=3)
    ax.scatter(px[pz == 0], pz[pz == 0], s=_marker_area(pn[pz == 0]), color="#999999", alpha=0.5,
               edgecolor="none")
    ax.set_xscale("log")
    for h in (z_threshold, -z_threshold):
        ax.axhline(h, color="#777777", lw=0.8, ls="--", zorder=1)
    ax.axhline(0, color="#777777", lw=0.6, zorder=1)
    ax.set_xlabel(f"count in {group} and {reference} together (log scale)")
    ax.set_ylabel(f"Fightin' Words z  (+ more in {group})")
    n_g, n_r = int(data["n_group"].iloc[0]), int(data["n_reference"].iloc[0])
    ax.set_title(title or f"{comparison}: {n_g} vs {n_r} tokens; "
                 f"dashed lines at z = ±{z_threshold:g}")
    span = max(np.abs(z).max(), z_threshold) * 1.25
    ax.set_ylim(-span, span)
    ax.set_xlim(x.min() / 1.6, x.max() * 2.2)
    ticks = [t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if t <= x.max() * 2]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    handles = [Line2D([], [], ls="", marker="o", ms=5, color=c, label=f"more in {name}")
               for c, name in ((GROUP_COLOUR, group), (REFERENCE_COLOUR, reference))]
    handles.append(Line2D([], [], ls="", marker="o", ms=5, color="#999999", alpha=0.5,
                          label=f"pale: |z| < {z_threshold:g}"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=8)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    # label after the layout is final: placement is measured in display units
    order_pos = np.lexsort((np.arange(len(z)), -z))[:n_labels]
    order_neg = np.lexsort((np.arange(len(z)), z))[:n_labels]
    pick = [i for i in order_pos if z[i] > 0] + [i for i in order_neg if z[i] < 0]
    words = data["word"].to_numpy()
    # one label per point, naming every word on it (words with identical counts share it)
    labels = {(x[i], z[i]): sorted(words[(x == x[i]) & (z == z[i])]) for i in pick}
    keys = sorted(labels, key=lambda k: (-abs(k[1]), k[0], labels[k][0]))
    texts = [_join(labels[k]) for k in keys]
    _place_labels(ax, [k[0] for k in keys], [k[1] for k in keys], texts,
                  [GROUP_COLOUR if k[1] > 0 else REFERENCE_COLOUR for k in keys])
    return fig


def _marker_area(n):
    # marker area grows with the square root of the number of words sharing the point
    return 14.0 * np.sqrt(np.asarray(n, dtype=float))


def _join(words: list[str], most: int = 3) -> str:
    more = len(words) - most
    return ", ".join(words[:most]) + (f" (+{more} more)" if more > 0 else "")


def _place_labels(ax, xs, ys, texts, colours) -> None:
    """Annotate points, trying fixed offsets in order until a label collides with nothing.

    If no offset is free, the one with the least overlap (outside the axes counting
    ten times) is used. Everything is measured in display units, so the result depends
    only on the data, the figure size and the fonts: no randomness.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axbox = ax.get_window_extent(renderer)
    pts = ax.transData.transform(np.column_stack([xs, ys])) if len(xs) else np.empty((0, 2))
    r = 3.0 * fig.dpi / 72
    taken = [Bbox.from_bounds(px - r, py - r, 2 * r, 2 * r) for px, py in pts]
    for x, y, text, colour in zip(xs, ys, texts, colours, strict=True):
        best = None  # (cost, offset)
        for dx, dy in _OFFSETS:
            ann = _annotate(ax, x, y, text, colour, dx, dy)
            box = ann.get_window_extent(renderer).padded(1.0)
            ann.remove()
            cost = 10 * (_area(box) - _area(Bbox.intersection(box, axbox)))
            cost += sum(_area(Bbox.intersection(box, t)) for t in taken)
            if best is None or cost < best[0]:
                best = (cost, (dx, dy))
            if cost == 0:
                break
        dx, dy = best[1]
        ann = _annotate(ax, x, y, text, colour, dx, dy, leader=max(abs(dx), abs(dy)) > 4)
        taken.append(ann.get_window_extent(renderer).padded(1.0))


def _area(box) -> float:
    return 0.0 if box is None else max(box.width, 0.0) * max(box.height, 0.0)


def _annotate(ax, x, y, text, colour, dx, dy, leader=False):
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
    arrow = {"arrowstyle": "-", "color": colour, "lw": 0.6, "alpha": 0.8,
             "shrinkA": 0, "shrinkB": 2} if leader else None
    return ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                       fontsize=8, color=colour, arrowprops=arrow, zorder=4)
