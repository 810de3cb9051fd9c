"""One rendering path for charts: Vega-Lite JSON in the notebook, drawn by JupyterLab or the book."""

from __future__ import annotations

import altair as alt

from citybook.charts.accessibility import plain_text, require_title_and_description
from citybook.charts.accessible import accessible_spec

RENDERER_NAME = "citybook"
# The mimetype JupyterLab 4 draws natively; the book's myst-nb plugin draws the same output.
VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"


def render(spec: dict, **_metadata: object) -> dict:
    """Return the notebook output for a chart: its accessible spec plus its text alternative."""
    require_title_and_description(spec)
    return {VEGALITE_MIMETYPE: accessible_spec(spec), "text/plain": plain_text(spec)}


def register_renderer() -> None:
    """Register the renderer with Altair and make it the active one."""
    alt.renderers.register(RENDERER_NAME, render)
    alt.renderers.enable(RENDERER_NAME)
