"""A "$" in a name, word or title is drawn as written, never read as a formula.

matplotlib's mathtext reads ``$...$`` in any text as a formula; ``$\\foo$`` (an unknown
command) stops the drawing with an error. Every figure function is drawn here (Agg) with
such names in every place data reaches a label.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import c6lab  # noqa: E402
from c6lab.keywords import keyness  # noqa: E402
from c6lab.plots import bar_by_kind, keyword_scatter, plain, plot_k_selection, plot_topic_share  # noqa: E402

NAMES = ["$x$ Smith", r"$\foo$ Jones", "Cost $5 and $6"]


def _texts(fig) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() + ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    if fig._suptitle is not None:
        out.append(fig._suptitle.get_text())
    return out


def _draws_literally(fig, names) -> None:
    fig.canvas.draw()  # raises on a bad formula
    texts = _texts(fig)
    for name in names:
        assert any(plain(name) in t for t in texts), name
    # no unescaped "$" anywhere: each is "\$"
    assert all(t.count("$") == t.count(r"\$") for t in texts)
    plt.close(fig)


def test_an_unescaped_name_would_stop_the_drawing():
    # the failure the escaping prevents (so the tests below can fail)
    fig, ax = plt.subplots()
    ax.set_title(r"$\foo$ Jones")
    with pytest.raises(ValueError):
        fig.canvas.draw()
    plt.close(fig)


def test_plain_escapes_every_dollar():
    assert plain("$x$ Smith") == r"\$x\$ Smith"
    assert plain(3) == "3"


def test_bar_by_kind():
    df = pd.DataFrame({"speaker": NAMES * 2, "kind": ["quote"] * 3 + ["$k$"] * 3, "n_words": [3, 5, 7, 1, 2, 3]})
    _draws_literally(bar_by_kind(df, group="speaker", title="$t$ title"), NAMES + ["$k$", "$t$ title"])


def test_keyword_scatter():
    df = pd.DataFrame({"country": [NAMES[0], NAMES[1], NAMES[2]] * 2,
                       "text": ["ports ports trade grain", "energy trade trade coal", "coal wheat ports"] * 2})
    res = keyness(c6lab.dfm(df), group_by="country", alpha0=10)
    fig = keyword_scatter(res, f"{NAMES[1]} vs rest", n_labels=2, title="$t$ words")
    _draws_literally(fig, [NAMES[1], "$t$ words"])


def test_plot_k_selection():
    tab = pd.DataFrame({"model": ["$m$", "$m$", "nmf", "nmf"], "k": [2, 3, 2, 3], "npmi": [0.1, 0.2, 0.1, 0.3],
                        "umass": [-1.0, -0.9, -1.1, -1.0], "stability": [0.6, 0.5, 0.7, 0.4]})
    _draws_literally(plot_k_selection(tab, title=r"$\foo$ K"), ["$M$", r"$\foo$ K"])


def test_plot_topic_share():
    sh = pd.DataFrame({"speaker": [NAMES[0], NAMES[0], NAMES[1], NAMES[1]], "topic": [1, 2, 1, 2],
                       "share": [0.7, 0.3, 0.2, 0.8], "n_docs": [16, 16, 14, 14]})
    fig = plot_topic_share(sh, group_by="speaker", labels={1: "$a$ ports", 2: r"$\b$ coal"}, title="$t$")
    _draws_literally(fig, NAMES[:2] + ["$a$ ports", r"$\b$ coal", "$t$"])
