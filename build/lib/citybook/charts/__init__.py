"""The book's charts: one theme, one renderer, accessible by construction."""

from citybook.charts.accessibility import ChartTextMissing
from citybook.charts.renderer import register_renderer
from citybook.charts.theme import register_theme


def setup_charts() -> None:
    """Use the book's theme and renderer for every Altair chart in this session."""
    register_theme()
    register_renderer()


__all__ = ["ChartTextMissing", "setup_charts"]
