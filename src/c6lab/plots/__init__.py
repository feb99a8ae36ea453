"""Figures for the notebooks, one module per analysis; each function returns a Figure."""

from .corpus import OKABE_ITO, bar_by_kind
from .keywords import keyword_scatter
from .sentiment import dot_plot, heatmap
from .topics import plot_k_selection, plot_topic_share

__all__ = ["OKABE_ITO", "bar_by_kind", "dot_plot", "heatmap", "keyword_scatter", "plot_k_selection",
           "plot_topic_share"]
