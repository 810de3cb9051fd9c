"""A myst-nb plugin that draws notebook Vega-Lite outputs in the book with its own Vega copy.

Specs are compiled from Vega-Lite to Vega at build time (vl-convert, the Vega team's compiler),
so pages load Vega and vega-embed but not the 250 KB Vega-Lite compiler.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from typing import Any

import vl_convert
from docutils import nodes

from citybook.charts.accessibility import chart_description, chart_title
from citybook.charts.renderer import VEGALITE_MIMETYPE

HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
CHART_MARKER = "citybook-chart-spec"


def chart_element_id(spec: dict, cell_index: int | None, output_index: int | None) -> str:
    """Return an id that is the same on every build: a hash of the spec and its place."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    return f"chart-{cell_index}-{output_index}-{digest}"


def compile_to_vega(spec: dict) -> dict:
    """Compile a Vega-Lite spec to Vega with the Vega-Lite version its $schema names."""
    match = re.search(r"/v(\d+)\.(\d+)(?:\.\d+)?\.json$", spec.get("$schema", ""))
    if not match:
        raise ValueError(f"chart spec has no Vega-Lite $schema version: {spec.get('$schema')!r}")
    return vl_convert.vegalite_to_vega(spec, vl_version=f"{match.group(1)}.{match.group(2)}")


def chart_html(spec: dict, element_id: str) -> str:
    """Return the HTML for one chart: a figure, its compiled Vega spec, and a text alternative."""
    title = html.escape(chart_title(spec))
    description = html.escape(chart_description(spec))
    vega_spec = compile_to_vega(spec)
    # '</' must not appear inside a script element.
    spec_json = json.dumps(vega_spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<figure class="citybook-chart" aria-labelledby="{element_id}-caption">\n'
        f'<div id="{element_id}" class="citybook-chart__view"></div>\n'
        f'<script type="application/json" class="{CHART_MARKER}" data-target="{element_id}">'
        f"{spec_json}</script>\n"
        f'<figcaption id="{element_id}-caption" class="citybook-chart__caption">'
        f"<details><summary>Chart in words: {title}</summary><p>{description}</p></details>"
        f"</figcaption>\n</figure>\n"
    )


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
