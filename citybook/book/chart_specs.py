"""Chart specs out of the page: each chart's Vega spec in its own small script, loaded when it is drawn.

A lesson's specs (data included) are about 40% of its HTML. Inline, every reader downloads and parses
them before the first paint, even for charts far down the page. The build writes each spec to
_static/chart-specs/<page>/<chart id>.js (a call to citybookCharts.receive, so it also loads from
file://) and leaves the page an empty spec element that names it; citybook-charts.js loads it when the
chart comes near the viewport, with the chart libraries.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from citybook.charts.html import CHART_MARKER

SPECS_DIR = "chart-specs"
_INLINE_SPEC = re.compile(
    r'<script type="application/json" class="' + CHART_MARKER + r'" data-target="([\w-]+)">(.*?)</script>', re.S
)


def spec_script(element_id: str, spec_json: str) -> str:
    """Return the script that hands one chart's spec (JSON text, as written inline) to the page."""
    spec = json.loads(spec_json.replace("<\\/", "</"))
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"citybookCharts.receive({json.dumps(element_id)},{text});\n"


def externalize_specs(body: str, pagename: str, static_dir: Path, depth: int) -> str:
    """Write each inline chart spec of a page to its own script; return the page with references to them."""
    folder = page_folder(pagename)

    def move(match: re.Match) -> str:
        element_id, spec_json = match.group(1), match.group(2)
        relative = f"{SPECS_DIR}/{folder}/{element_id}.js"
        target = static_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        script = spec_script(element_id, spec_json)
        if not target.exists() or target.read_text(encoding="utf-8") != script:
            target.write_text(script, encoding="utf-8")
        src = html.escape("../" * depth + "_static/" + relative)
        return f'<script type="application/json" class="{CHART_MARKER}" data-target="{element_id}" data-src="{src}"></script>'

    return _INLINE_SPEC.sub(move, body)


def page_folder(pagename: str) -> str:
    """Return a page's folder name under chart-specs/: its path with slashes as double dashes."""
    return re.sub(r"[^\w.-]", "-", pagename.replace("/", "--"))


def _externalize(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body", "")
    if CHART_MARKER not in body or app.builder.format != "html":
        return
    depth = pagename.count("/")
    context["body"] = externalize_specs(body, pagename, Path(app.outdir) / "_static", depth)


def setup_chart_specs(app: Sphinx) -> None:
    """Move chart specs out of the book's pages into scripts loaded when each chart is drawn."""
    app.connect("html-page-context", _externalize, priority=600)
