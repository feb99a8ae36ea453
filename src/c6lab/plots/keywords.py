"""Figures for keyword comparisons (see :mod:`c6lab.keywords`)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .corpus import OKABE_ITO, plain

GROUP_COLOUR = OKABE_ITO[4]      # blue: words the group uses more
REFERENCE_COLOUR = OKABE_ITO[5]  # vermillion: words the reference uses more
#: words named in one label; a marker with more words gets a numbered note in the caption
WORDS_PER_LABEL = 3


def keyword_labels(results: pd.DataFrame, comparison: str, n_labels: int = 8,
                   most: int = WORDS_PER_LABEL) -> pd.DataFrame:
    """The markers :func:`keyword_scatter` labels, with every word on each of them.

    The ``n_labels`` words with the largest and the ``n_labels`` with the smallest z (ties
    by word) are picked; words with identical counts share one marker, and a marker is
    labelled once, naming its words. A marker with more than ``most`` words names the
    first ``most`` and a note number; the figure's caption then lists all of its words.

    Returns
    -------
    DataFrame
        One row per labelled marker, largest ``|z|`` first: ``x`` (count in both sides),
        ``z``, ``side`` (``"group"`` or ``"reference"``), ``words`` (all words on the
        marker, sorted, joined with ", "), ``n_words``, ``note`` (0 when the label names
        every word, else 1, 2, ...) and ``label`` (the text drawn).

    Examples
    --------
    >>> import c6lab
    >>> from c6lab.keywords import keyness
    >>> df = pd.DataFrame({"country": ["A", "B"], "text": ["ports trade energy grain", "coal coal"]})
    >>> keyword_labels(keyness(c6lab.dfm(df), alpha0=10), "A vs rest", n_labels=1)[["side", "label"]].values.tolist()
    [['reference', 'coal'], ['group', 'energy, grain, ports … [1]']]
    """
    data = results[results["comparison"] == comparison]
    if data.empty:
        raise ValueError(f"no rows for comparison {comparison!r}")
    data = data.sort_values("word", kind="stable")
    x = (data["count_group"] + data["count_reference"]).to_numpy(dtype=float)
    z = data["z"].to_numpy(dtype=float)
    words = data["word"].to_numpy()
    order_pos = np.lexsort((np.arange(len(z)), -z))[:n_labels]
    order_neg = np.lexsort((np.arange(len(z)), z))[:n_labels]
    pick = [i for i in order_pos if z[i] > 0] + [i for i in order_neg if z[i] < 0]
    markers = {(x[i], z[i]): sorted(words[(x == x[i]) & (z == z[i])]) for i in pick}
    keys = sorted(markers, key=lambda k: (-abs(k[1]), k[0], markers[k][0]))
    rows, note = [], 0
    for kx, kz in keys:
        ws = markers[(kx, kz)]
        if len(ws) > most:
            note += 1
            label, n = ", ".join(ws[:most]) + f" … [{note}]", note
        else:
            label, n = ", ".join(ws), 0
        rows.append({"x": kx, "z": kz, "side": "group" if kz > 0 else "reference", "words": ", ".join(ws),
                     "n_words": len(ws), "note": n, "label": label})
    return pd.DataFrame(rows, columns=["x", "z", "side", "words", "n_words", "note", "label"])


def keyword_scatter(results: pd.DataFrame, comparison: str, n_labels: int = 8,
                    z_threshold: float = 1.96, ax=None, title: str | None = None):
    """Scattertext-style plot of one comparison: frequency (log) against Fightin' Words z.

    Each word is a point at ``x = count_group + count_reference`` (log scale) and
    ``y = z``; blue above zero (the group uses it more), vermillion below (the
    reference does), pale when ``|z| < z_threshold``. Words with identical counts
    have identical statistics and share one marker, whose area grows with the square
    root of the number of words. The markers of the ``n_labels`` words with the largest
    and the smallest z are labelled (:func:`keyword_labels`).

    Labels are placed in order of ``|z|``, each at the nearest place around its marker that
    is clear of every marker and of the labels placed before, inside the axes (one pass, no
    randomness: the same figure on every run), with a grey line to their marker when set
    apart. A label with no such place is not drawn. The caption under the plot
    lists every word the labels do not name: the other words of a marker with more than
    three (the note numbers), and the words of labels left out for lack of room. Group
    names and words are drawn as written (a ``$`` is no formula, see
    :func:`c6lab.plots.corpus.plain`).

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
        Draw into this axes (its figure is returned; the caption goes under the axes
        without resizing the figure); default a new figure, made taller for the caption.
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
    labels = keyword_labels(results, comparison, n_labels)
    data = results[results["comparison"] == comparison].sort_values("word", kind="stable")
    # names and words drawn as written: a "$" is no formula (plain)
    group, reference = plain(data["group"].iloc[0]), plain(data["reference"].iloc[0])
    x = (data["count_group"] + data["count_reference"]).to_numpy(dtype=float)
    z = data["z"].to_numpy(dtype=float)
    own_figure = ax is None
    if own_figure:
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
    ax.set_title(plain(title or f"{comparison}: {n_g} vs {n_r} tokens; dashed lines at z = ±{z_threshold:g}"))
    span = max(np.abs(z).max(), z_threshold) * 1.25
    ax.set_ylim(-span, span)
    ax.set_xlim(x.min() / 1.6, x.max() * 2.2)
    ticks = [t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if t <= x.max() * 2]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.xaxis.set_minor_locator(plt.NullLocator())  # the labelled ticks suffice; minor ticks cost a tenth of the drawing
    handles = [Line2D([], [], ls="", marker="o", ms=5, color=c, label=f"more in {name}")
               for c, name in ((GROUP_COLOUR, group), (REFERENCE_COLOUR, reference))]
    handles.append(Line2D([], [], ls="", marker="o", ms=5, color="#999999", alpha=0.5,
                          label=f"pale: |z| < {z_threshold:g}"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=8)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    # label after the layout is final: placement works in display units
    dropped = _place_labels(ax, labels, px, pz, _marker_area(pn))
    _caption(fig, ax, _caption_lines(labels, dropped), resize=own_figure)
    return fig


#: gaps (pixels at the figure's dpi) between a marker and its label, tried nearest first
_GAPS = (2.0, 8.0, 16.0, 28.0, 44.0, 64.0, 90.0)
#: directions tried at each gap: right, left, above, below, then the diagonals
_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))


def _place_labels(ax, labels: pd.DataFrame, px, pz, areas, pad: float = 2.0) -> list[int]:
    """Put each label (largest ``|z|`` first) at the nearest free place around its marker.

    Candidates lie right, left, above, below and diagonally from the marker at growing
    gaps (:data:`_GAPS`); the first whose box stays inside the axes and clear of every
    marker and every label placed before is taken, with a grey line to the marker when
    set apart. A label with no free place is not drawn; its index is returned (the caption
    then names its words). Deterministic: no iteration, no randomness.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    centres = to_px(np.column_stack([px, pz]))
    radii = np.sqrt(np.asarray(areas, dtype=float) / np.pi) * fig.dpi / 72  # marker area is in points^2
    blocked = np.column_stack([centres - radii[:, None], centres + radii[:, None]])  # x0, y0, x1, y1
    axbox = ax.get_window_extent(renderer)
    placed, dropped = [], []
    for i, r in enumerate(labels.itertuples()):
        colour = GROUP_COLOUR if r.side == "group" else REFERENCE_COLOUR
        t = ax.text(r.x, r.z, plain(r.label), fontsize=8, zorder=4, color=colour, ha="left", va="bottom")
        box = t.get_window_extent(renderer)
        w, h = box.width, box.height
        (cx, cy), = to_px([(r.x, r.z)])
        rad = float(radii[np.flatnonzero((px == r.x) & (pz == r.z))[0]])
        spot = _free_spot(cx, cy, rad, w, h, axbox, blocked, placed, pad)
        if spot is None:
            t.remove()
            dropped.append(i)
            continue
        (x0, y0), gap, diagonal = spot
        t.set_position(ax.transData.inverted().transform((x0, y0)))
        placed.append((x0, y0, x0 + w, y0 + h))
        if gap > _GAPS[1] or diagonal:  # set apart: a line from the marker's edge to the label's nearest point
            ex, ey = min(max(cx, x0), x0 + w), min(max(cy, y0), y0 + h)
            d = np.hypot(ex - cx, ey - cy)
            sx, sy = cx + (ex - cx) * rad / d, cy + (ey - cy) * rad / d
            (lx0, ly0), (lx1, ly1) = ax.transData.inverted().transform([(sx, sy), (ex, ey)])
            ax.plot([lx0, lx1], [ly0, ly1], color="0.55", lw=0.6, zorder=2)
    return dropped


def _free_spot(cx, cy, rad, w, h, axbox, blocked, placed, pad):
    """Lower-left corner, gap and diagonality of the first candidate box clear of ``blocked`` and ``placed``."""
    others = np.array(placed, dtype=float).reshape(-1, 4)
    for gap in _GAPS:
        off = rad + gap
        for ux, uy in _DIRECTIONS:
            x0 = cx + off * (0.7 if uy else 1) * ux - (w if ux < 0 else w / 2 if ux == 0 else 0)
            y0 = cy + off * (0.7 if ux else 1) * uy - (h if uy < 0 else h / 2 if uy == 0 else 0)
            x1, y1 = x0 + w, y0 + h
            if x0 < axbox.x0 + pad or x1 > axbox.x1 - pad or y0 < axbox.y0 + pad or y1 > axbox.y1 - pad:
                continue
            if not _hits(blocked, x0 - pad, y0 - pad, x1 + pad, y1 + pad) and \
                    not _hits(others, x0 - pad, y0 - pad, x1 + pad, y1 + pad):
                return (x0, y0), gap, bool(ux and uy)
    return None


def _hits(boxes: np.ndarray, x0, y0, x1, y1) -> bool:
    return bool(((boxes[:, 0] < x1) & (boxes[:, 2] > x0) & (boxes[:, 1] < y1) & (boxes[:, 3] > y0)).any())


def _caption_lines(labels: pd.DataFrame, dropped: list[int]) -> list[str]:
    lines = []
    for i, r in enumerate(labels.itertuples()):
        if i in dropped:
            lines.append(f"Not labelled for lack of room (count {r.x:g}, z = {r.z:.2f}): {plain(r.words)}.")
        elif r.note:
            lines.append(f"[{r.note}] the {r.n_words} words at that marker: {plain(r.words)}.")
    return lines


def _caption(fig, ax, lines: list[str], resize: bool, width: int = 130, fontsize: float = 8) -> None:
    """Write ``lines`` under the axes; on a figure of our own, make it taller to hold them."""
    if not lines:
        return
    text = plain("\n".join(textwrap.fill(line, width, subsequent_indent="    ") for line in lines))
    n_lines = text.count("\n") + 1
    line_inches = fontsize * 1.45 / 72
    if resize:
        # add the caption's height at the bottom, keeping every axes' size and place in inches
        h0 = fig.get_figheight()
        extra = n_lines * line_inches + 0.15
        h1 = h0 + extra
        fig.set_figheight(h1)
        for a in fig.axes:
            pos = a.get_position()
            a.set_position([pos.x0, (pos.y0 * h0 + extra) / h1, pos.width, pos.height * h0 / h1])
        fig.text(0.01, (extra - 0.05) / h1, text, ha="left", va="top", fontsize=fontsize, color="0.25")
    else:
        box = ax.get_position()
        fig.text(box.x0, box.y0 - 0.12, text, ha="left", va="top", fontsize=fontsize, color="0.25")

def _marker_area(n):
    # marker area grows with the square root of the number of words sharing the point
    return 14.0 * np.sqrt(np.asarray(n, dtype=float))

