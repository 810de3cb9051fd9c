"""Every selection a mouse can make, made from the keyboard too: a select control bound to each one.

Works on the compiled Vega spec. A legend-bound point selection (click a legend entry to pick a series
out) gets its legend signal bound to a select of the field's values; a point selection made by clicking
or hovering a mark gets a select whose choice feeds the same selection tuple. The mouse keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from citybook.charts.accessible import units

NO_CHOICE_LABEL = "All (none picked out)"
_UNIT = re.compile(r'unit: \\?"([^"\\]+)\\?"')
_FIELD = re.compile(r'values: \[.*\[\\?"([^"\\]+)\\?"\]\]')


def _signals(scope: dict) -> Iterator[dict]:
    """Yield every signal of a Vega spec, nested group marks included."""
    yield from scope.get("signals", [])
    for mark in scope.get("marks", []):
        yield from _signals(mark)


def _field_values(vega: dict, field: str) -> list:
    """Return the distinct values a field takes in the spec's inline data, in first-seen order."""
    seen: dict = {}
    for data in vega.get("data", []):
        for row in data.get("values", []) if isinstance(data.get("values"), list) else []:
            if isinstance(row, dict) and row.get(field) is not None:
                seen.setdefault(row[field], None)
    return list(seen)


def _field_title(vegalite: dict, field: str) -> tuple[str, list | None]:
    """Return how the chart titles a field (without a 'click ...' hint) and its sort order, if given."""
    title, order = field.replace("_", " ").capitalize(), None
    for _unit, encoding in units(vegalite):
        for definition in encoding.values():
            if isinstance(definition, dict) and definition.get("field") == field:
                if isinstance(definition.get("title"), str):
                    title = re.sub(r"\s*\([^)]*\)", "", definition["title"]).strip() or title
                if isinstance(definition.get("sort"), list):
                    order = definition["sort"]
    return title, order


def _binding(vega: dict, vegalite: dict, field: str) -> dict:
    values = _field_values(vega, field)
    title, order = _field_title(vegalite, field)
    if order:
        values = [v for v in order if v in values] + [v for v in values if v not in order]
    else:
        values = sorted(values, key=lambda v: (isinstance(v, str), v))
    return {
        "input": "select",
        "name": f"Pick out: {title} ",
        "options": [None, *values],
        "labels": [NO_CHOICE_LABEL, *(str(v) for v in values)],
    }


def bind_selections(vega: dict, vegalite: dict) -> dict:
    """Bind every single-field point selection of a compiled spec to a select control (in place)."""
    signals = list(_signals(vega))
    names = {s["name"] for s in signals}
    selections = [n.removesuffix("_tuple") for n in names if n.endswith("_tuple")]
    for signal in signals:
        for selection in selections:
            prefix = f"{selection}_"
            name = signal["name"]
            if name.startswith(prefix) and name.endswith("_legend") and "bind" not in signal:
                field = name[len(prefix) : -len("_legend")]
                if _field_values(vega, field):  # a real field of the chart's data
                    signal["bind"] = _binding(vega, vegalite, field)
    added: dict[str, str] = {}
    for signal in signals:
        if not signal["name"].endswith("_tuple"):
            continue
        selection = signal["name"].removesuffix("_tuple")
        if any(re.fullmatch(rf"{re.escape(selection)}_.+_legend", n) for n in names):
            continue
        for handler in list(signal.get("on", [])):
            update = handler.get("update", "")
            unit, field = _UNIT.search(update), _FIELD.search(update)
            if not unit or not field or "fields:" not in update or "datum" not in update:
                continue
            choice = f"{selection}_keyboard"
            added.setdefault(choice, field.group(1))
            signal["on"].append(
                {
                    "events": {"signal": choice},
                    "update": f'{choice} !== null ? {{unit: "{unit.group(1)}", fields: {selection}_tuple_fields, '
                    f"values: [{choice}]}} : null",
                    "force": True,
                }
            )
            break
    for choice, field in added.items():
        vega.setdefault("signals", []).append({"name": choice, "value": None, "bind": _binding(vega, vegalite, field)})
    return vega
