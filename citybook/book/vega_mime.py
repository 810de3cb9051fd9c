"""A myst-nb plugin that draws notebook Vega-Lite outputs in the book with its own Vega copy."""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes

from citybook.charts.html import chart_element_id, chart_html
from citybook.charts.renderer import VEGALITE_MIMETYPE

HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


class VegaLiteRenderer:
    """myst-nb mime renderer: Vega-Lite output becomes a chart drawn by the book's static Vega."""

    mime_priority_overrides = [(builder, VEGALITE_MIMETYPE, 5) for builder in HTML_BUILDERS]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        """Render one Vega-Lite output as raw HTML, or decline anything else."""
        if inline or data.mime_type != VEGALITE_MIMETYPE:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        element_id = chart_element_id(spec, data.cell_index, data.output_index)
        return [nodes.raw("", chart_html(spec, element_id), format="html")]
