"""One pass over a Vega-Lite spec that makes any chart usable without colour, without a mouse, by ear.

Applied by the renderer (so JupyterLab shows it) and again by the book's build (so stored outputs get
it too); running it twice gives the same spec. It:

- swaps Okabe-Ito's light colours for the palette's darker ones (3:1 on white) and darkens text colours
  to 4.5:1;
- gives every line series a dash pattern and every point series a shape, so no series is told apart
  by colour alone;
- picks heat-map label colours (dark or white) by contrast with the cell they sit on;
- turns off per-mark ARIA: a chart has one name and one description, not hundreds of raw labels.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from citybook.charts import palette
from citybook.charts.contrast import (
    MARK_CONTRAST,
    TEXT_CONTRAST,
    contrast_ratio,
    darken_to,
    darken_translucent,
    is_hex_colour,
)

COMPOSITIONS = ("layer", "hconcat", "vconcat", "concat")
SERIES_CHANNELS = {"line": "strokeDash", "trail": "strokeDash", "point": "shape"}
DISCRETE_TYPES = ("nominal", "ordinal")
# Channels that, carrying the colour's field, already tell the series apart without colour.
REDUNDANT_CHANNELS = ("x", "y", "row", "column", "facet", "shape", "strokeDash", "text")
# Vega-Lite draws these marks at 70% opacity by default, which takes most palette colours under 3:1.
OPAQUE_BY_DEFAULT = ("point", "circle", "square", "tick")


def mark_type(unit: dict) -> str:
    """Return a unit spec's mark type ('' for a composition)."""
    mark = unit.get("mark", "")
    return mark.get("type", "") if isinstance(mark, dict) else str(mark)


def units(spec: dict, inherited: dict | None = None) -> Iterator[tuple[dict, dict]]:
    """Yield (unit spec, its encoding merged with the encoding its layer parents share)."""
    encoding = {**(inherited or {}), **spec.get("encoding", {})}
    if "mark" in spec:
        yield spec, encoding
    for key in COMPOSITIONS:
        for child in spec.get(key, []):
            yield from units(child, encoding if key == "layer" else None)
    if isinstance(spec.get("spec"), dict):  # facet and repeat
        yield from units(spec["spec"])


def _recolour(value: object) -> object:
    """Replace the palette's too-light colours wherever a spec names them (not inside data)."""
    if isinstance(value, str):
        return palette.DARKENED.get(value.upper(), value)
    if isinstance(value, list):
        return [_recolour(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in ("data", "datasets", "values") else _recolour(v)) for k, v in value.items()}
    return value


def _darken_text(unit: dict, encoding: dict) -> None:
    """Make a text mark's literal colours reach 4.5:1 on white."""
    mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
    for key in ("color", "fill"):
        if is_hex_colour(mark.get(key)) and contrast_ratio(mark[key]) < TEXT_CONTRAST:
            mark[key] = darken_to(mark[key], TEXT_CONTRAST)
    unit["mark"] = mark
    colour = encoding.get("color")
    if isinstance(colour, dict) and "color" in unit.get("encoding", {}):
        for holder in (colour, colour.get("condition") if isinstance(colour.get("condition"), dict) else {}):
            if is_hex_colour(holder.get("value")) and contrast_ratio(holder["value"]) < TEXT_CONTRAST:
                holder["value"] = darken_to(holder["value"], TEXT_CONTRAST)
            scale = holder.get("scale") if isinstance(holder.get("scale"), dict) else {}
            if isinstance(scale.get("range"), list):
                scale["range"] = [
                    darken_to(c, TEXT_CONTRAST) if is_hex_colour(c) and contrast_ratio(c) < TEXT_CONTRAST else c
                    for c in scale["range"]
                ]


def _translucent_marks(unit: dict, encoding: dict) -> None:
    """Darken a translucent mark's literal colour until what shows on white reaches 3:1."""
    mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
    alpha = 1.0
    for key in ("opacity", "fillOpacity", "strokeOpacity"):
        if isinstance(mark.get(key), (int, float)):
            alpha = min(alpha, float(mark[key]))
    opacity = encoding.get("opacity") if isinstance(encoding.get("opacity"), dict) else {}
    # With a condition (a selection), the plain value is the dimmed, unselected state: leave it.
    value = opacity.get("value") if "condition" not in opacity else None
    if isinstance(value, (int, float)):
        alpha = min(alpha, float(value))
    # Bands and areas under 50% are backdrops, not data marks; nothing to darken there.
    if alpha >= 1 or alpha < 0.5 and mark_type(unit) in ("rect", "area"):
        return
    for key in ("color", "fill", "stroke"):
        if is_hex_colour(mark.get(key)):
            mark[key] = darken_translucent(mark[key], alpha, MARK_CONTRAST + 0.05)
    unit["mark"] = mark
    colour = unit.get("encoding", {}).get("color")
    if isinstance(colour, dict) and is_hex_colour(colour.get("value")):
        colour["value"] = darken_translucent(colour["value"], alpha, MARK_CONTRAST + 0.05)
    elif isinstance(encoding.get("color"), dict) and encoding["color"].get("field"):
        # Colours from a scale cannot be darkened one by one: draw the marks opaque instead.
        for key in ("opacity", "fillOpacity", "strokeOpacity"):
            mark.pop(key, None)
        own = unit.get("encoding", {}).get("opacity")
        if isinstance(own, dict) and "value" in own and "condition" not in own:
            own["value"] = 1


def _separate_series(unit: dict, encoding: dict) -> None:
    """Add a dash pattern (lines) or shape (points) on the field that colour separates series by."""
    channel = SERIES_CHANNELS.get(mark_type(unit))
    colour = encoding.get("color")
    if not channel or not isinstance(colour, dict) or colour.get("type") not in DISCRETE_TYPES:
        return
    field = colour.get("field")
    if not field or any(
        isinstance(encoding.get(c), dict) and encoding[c].get("field") == field for c in REDUNDANT_CHANNELS
    ):
        return
    extra = {k: v for k, v in colour.items() if k in ("field", "type", "sort", "title", "legend")}
    extra["scale"] = {"range": palette.DASHES if channel == "strokeDash" else palette.SHAPES}
    unit.setdefault("encoding", {})[channel] = extra


def _label_by_contrast(layer_parent: dict) -> None:
    """In a heat map (a coloured rect layer under a text layer), colour each label by its cell's contrast."""
    children = layer_parent.get("layer", [])
    shared = layer_parent.get("encoding", {})
    cells = [c for c in children if mark_type(c) == "rect"]
    texts = [c for c in children if mark_type(c) == "text"]
    for cell in cells:
        colour = {**shared, **cell.get("encoding", {})}.get("color")
        if not isinstance(colour, dict):
            continue
        condition = colour.get("condition") if isinstance(colour.get("condition"), dict) else {}
        if colour.get("field") and not colour.get("aggregate") and not condition:
            fill = f"scale('color', datum[{colour['field']!r}])"
        elif condition.get("field") and "test" in condition and is_hex_colour(colour.get("value")):
            field = condition["field"]
            fill = f"(({condition['test']}) ? scale('color', datum[{field!r}]) : '{colour['value']}')"
        else:
            continue
        dark, light = palette.DARK_TEXT, palette.LIGHT_TEXT
        expression = f"contrast({fill}, '{light}') > contrast({fill}, '{dark}') ? '{light}' : '{dark}'"
        for text in texts:
            text.get("encoding", {}).pop("color", None)
            mark = text["mark"] if isinstance(text["mark"], dict) else {"type": text["mark"]}
            mark["color"] = {"expr": expression}
            text["mark"] = mark
        return


def _walk_layers(spec: dict) -> Iterator[dict]:
    if "layer" in spec:
        yield spec
    for key in COMPOSITIONS:
        for child in spec.get(key, []):
            yield from _walk_layers(child)
    if isinstance(spec.get("spec"), dict):
        yield from _walk_layers(spec["spec"])


def accessible_spec(spec: dict) -> dict:
    """Return a copy of a Vega-Lite spec with the book's accessibility rules applied (idempotent)."""
    spec = _recolour(copy.deepcopy(spec))
    config = spec.setdefault("config", {})
    # One name and description per chart (the figure's); no ARIA label per mark, axis or legend.
    config["aria"] = False
    for mark in OPAQUE_BY_DEFAULT:
        config.setdefault(mark, {}).setdefault("opacity", 1)
    for unit, encoding in units(spec):
        if mark_type(unit) == "text":
            _darken_text(unit, encoding)
        else:
            _translucent_marks(unit, encoding)
        _separate_series(unit, encoding)
    for layer_parent in _walk_layers(spec):
        _label_by_contrast(layer_parent)
    return spec


def colour_only_series(spec: dict) -> list[str]:
    """Return the marks whose series differ by colour alone (an empty list when none do)."""
    found = []
    for unit, encoding in units(spec):
        colour = encoding.get("color")
        if mark_type(unit) not in SERIES_CHANNELS or not isinstance(colour, dict):
            continue
        field = colour.get("field")
        if colour.get("type") in DISCRETE_TYPES and field:
            if not any(
                isinstance(encoding.get(c), dict) and encoding[c].get("field") == field for c in REDUNDANT_CHANNELS
            ):
                found.append(f"{mark_type(unit)} coloured by {field}")
    return found
