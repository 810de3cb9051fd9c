"""The book's one Altair theme: legible sizes, system fonts, colour-blind-safe colours."""

from __future__ import annotations

import altair as alt

from citybook.charts import palette

THEME_NAME = "citybook"
# System fonts only: the published book loads no font from another host.
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def theme_config() -> dict:
    """Return the Vega-Lite config every chart in the book shares."""
    return {
        "config": {
            "font": FONT,
            # Per-mark ARIA off: the chart has one name and description (see accessible.py).
            "aria": False,
            "background": "#FFFFFF",
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "title": {
                "fontSize": 16,
                "fontWeight": 600,
                "anchor": "start",
                "color": palette.TEXT,
                "subtitleFontSize": 13,
                "subtitleColor": palette.TEXT,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": 500,
                "labelColor": palette.TEXT,
                "titleColor": palette.TEXT,
                "gridColor": palette.GRID,
                "domainColor": palette.MUTED,
                "tickColor": palette.MUTED,
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "labelColor": palette.TEXT,
                "titleColor": palette.TEXT,
                "orient": "bottom",
                "direction": "horizontal",
            },
            "header": {"labelFontSize": 13, "titleFontSize": 13, "labelColor": palette.TEXT},
            "range": {
                "category": palette.CATEGORY,
                "ordinal": {"scheme": palette.SEQUENTIAL_SCHEME},
                "ramp": {"scheme": palette.SEQUENTIAL_SCHEME},
                "diverging": {"scheme": palette.DIVERGING_SCHEME},
            },
            "mark": {"color": palette.CATEGORY[0], "tooltip": {"content": "encoding"}},
            "bar": {"color": palette.CATEGORY[0]},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
            "text": {"fontSize": 12, "color": palette.TEXT},
        }
    }


def register_theme() -> None:
    """Register the theme with Altair and make it the active one."""
    alt.theme.register(THEME_NAME, enable=True)(theme_config)
