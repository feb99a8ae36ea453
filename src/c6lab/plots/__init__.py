"""Figures for the notebooks, one module per analysis; each function returns a Figure.

Text that comes from the data (names, words, labels) goes through :func:`plain` before it
is drawn: matplotlib would read ``$...$`` in it as a formula, and a name such as
``$\\foo$`` would stop the drawing with an error.
"""

from .corpus import OKABE_ITO, bar_by_kind, plain
from .keywords import keyword_scatter
from .sentiment import dot_plot, heatmap
from .show import show_saved
from .topics import plot_k_selection, plot_topic_share

__all__ = ["OKABE_ITO", "bar_by_kind", "dot_plot", "heatmap", "keyword_scatter", "plain", "plot_k_selection",
           "plot_topic_share", "show_saved"]
