"""Figures for the notebooks, one module per analysis; each function returns a Figure."""

from .corpus import OKABE_ITO, bar_by_kind

__all__ = ["OKABE_ITO", "bar_by_kind"]
