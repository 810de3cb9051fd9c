"""A chart as HTML: its Vega spec compiled at build time, its name, description, live region and data table.

Shared by the book (through its myst-nb plugin), the cohort report and the city report. Specs are
compiled from Vega-Lite to Vega here (vl-convert, the Vega team's compiler), so pages load Vega and
vega-embed but not the 250 KB Vega-Lite compiler.
"""

from __future__ import annotations

import hashlib
import html
import json
import re

import vl_convert

from citybook.charts.accessibility import chart_description, chart_title
from citybook.charts.accessible import accessible_spec
from citybook.charts.keyboard import bind_selections
from citybook.i18n import tr

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


def drawn_size(vega_spec: dict) -> tuple[int, int]:
    """Return the width and height Vega draws a chart at, so the page can reserve its space."""
    svg = vl_convert.vega_to_svg(vega_spec)
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    return (round(float(match.group(1))), round(float(match.group(2)))) if match else (0, 0)


SHORT_DESCRIPTION_CHARS = 160


def short_description(description: str) -> str:
    """Return a chart's short accessible description: its first sentence, cut to its first clause if long."""
    match = re.match(r"(.+?[.!?])(\s|$)", description.strip(), re.S)
    sentence = (match.group(1) if match else description).strip()
    if len(sentence) <= SHORT_DESCRIPTION_CHARS:
        return sentence
    clause = re.match(r"(.{20,}?)[:;(]", sentence[:SHORT_DESCRIPTION_CHARS])
    if clause:
        return clause.group(1).rstrip(" ,") + "."
    return sentence[: SHORT_DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0].rstrip(",") + "…"


def bound_control_count(vega_spec: dict) -> int:
    """Return how many input controls (sliders, selects) Vega will draw for a chart."""
    return sum(1 for signal in _all_signals(vega_spec) if "bind" in signal)


def _all_signals(scope: dict) -> list[dict]:
    found = list(scope.get("signals", []))
    for mark in scope.get("marks", []):
        found += _all_signals(mark)
    return found


# Table columns follow the chart's reading order: position first, then colour and the rest.
CHANNEL_ORDER = [
    "x",
    "y",
    "x2",
    "y2",
    "theta",
    "latitude",
    "longitude",
    "row",
    "column",
    "facet",
    "color",
    "size",
    "text",
]


def table_columns(spec: dict) -> dict[str, list[list[str]]]:
    """Return, per inline dataset a chart draws, its columns as [field, heading, type].

    Headings come from the chart's tooltips, else from its encodings; a dataset whose fields no
    encoding names is shown whole.
    """
    datasets = spec.get("datasets", {})
    tables: dict[str, list[list[str]]] = {}
    for _unit, encoding, data in _units_with_data(spec, None, None):
        name = (data or {}).get("name")
        rows = datasets.get(name) if name else None
        if not rows or not isinstance(rows[0], dict):
            continue
        tooltip = encoding.get("tooltip")
        definitions = tooltip if isinstance(tooltip, list) else [tooltip] if isinstance(tooltip, dict) else []
        channels = sorted((c for c in encoding if c != "tooltip"), key=lambda c: (CHANNEL_ORDER + [c]).index(c))
        definitions += [encoding[c] for c in channels if isinstance(encoding[c], dict)]
        columns = tables.setdefault(name, [])
        for d in definitions:
            if isinstance(d, dict) and d.get("field") in rows[0] and d["field"] not in [c[0] for c in columns]:
                title = d.get("title") if isinstance(d.get("title"), str) else d["field"]
                columns.append([d["field"], title, str(d.get("type", ""))])
    if not tables:  # data joined in by lookups: show every dataset the chart carries
        tables = {name: [] for name, rows in datasets.items() if rows and isinstance(rows[0], dict)}
    return {
        name: columns or [[f, f, ""] for f, v in datasets[name][0].items() if not isinstance(v, (dict, list))]
        for name, columns in tables.items()
    }


def _units_with_data(spec: dict, inherited: dict | None, data: dict | None) -> list[tuple[dict, dict, dict | None]]:
    """Return (unit, encoding merged from layer parents, data it draws) for every unit of a spec."""
    data = spec.get("data") or data
    encoding = {**(inherited or {}), **spec.get("encoding", {})}
    found = [(spec, encoding, data)] if "mark" in spec else []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            found += _units_with_data(child, encoding if key == "layer" else None, data)
    if isinstance(spec.get("spec"), dict):
        found += _units_with_data(spec["spec"], None, data)
    return found


def chart_html(spec: dict, element_id: str) -> str:
    """Return the HTML for one chart: a named figure, its compiled Vega spec, its words and its data."""
    spec = accessible_spec(spec)
    title = html.escape(chart_title(spec))
    description = chart_description(spec)
    vega_spec = bind_selections(compile_to_vega(spec), spec)
    width, height = drawn_size(vega_spec)
    controls = bound_control_count(vega_spec)
    interactive = controls > 0
    # '</' must not appear inside a script element.
    spec_json = json.dumps(vega_spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    tables = html.escape(json.dumps(table_columns(spec), separators=(",", ":")))
    starting = tr("This describes the chart with its starting settings; changes you make are reported below the chart.")
    name = tr("Chart: {title}", title=title)
    in_words = tr("Chart in words: {title}", title=title)
    data_summary = tr("Data behind the chart: exact values")
    state = f'<p class="citybook-chart__state" id="{element_id}-state">{starting}</p>' if interactive else ""
    status = (
        f'<p class="citybook-chart__status" id="{element_id}-status" role="status" aria-live="polite"></p>\n'
        if interactive
        else ""
    )
    return (
        f'<figure class="citybook-chart" aria-labelledby="{element_id}-name" aria-describedby="{element_id}-short">\n'
        f'<span id="{element_id}-name" hidden>{name}</span>'
        f'<span id="{element_id}-short" hidden>{html.escape(short_description(description))}</span>\n'
        f'<div id="{element_id}" class="citybook-chart__view" '
        f'style="--chart-width: {width}px; --chart-height: {height}px; --chart-controls: {controls}"></div>\n'
        f'<script type="application/json" class="{CHART_MARKER}" data-target="{element_id}">'
        f"{spec_json}</script>\n"
        f"{status}"
        f'<figcaption id="{element_id}-caption" class="citybook-chart__caption">'
        f"<details><summary>{in_words}</summary><p>{html.escape(description)}</p>{state}</details>"
        f'<details class="citybook-chart__data" data-tables="{tables}"><summary>{data_summary}</summary>'
        f"</details>"
        f"</figcaption>\n</figure>\n"
    )
