"""Every selection a mouse can make, made from the keyboard too: a select control bound to each one.

Works on the compiled Vega spec. A legend-bound point selection (click a legend entry to pick a series
out) gets its legend signal bound to a select of the field's values; a point selection made by clicking
or hovering a mark gets a select whose choice feeds the same selection tuple. The mouse keeps working.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from citybook.charts.accessible import units
from citybook.i18n import N_, tr

NO_CHOICE_LABEL = N_("All (none picked out)")
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


def _natural(value: object) -> tuple:
    """Sort key: numbers by value, and 'District 2' before 'District 10'."""
    if isinstance(value, (int, float)):
        return (0, value, ())
    return (1, 0, tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(value))))


def _binding(vega: dict, vegalite: dict, field: str) -> dict:
    values = _field_values(vega, field)
    title, order = _field_title(vegalite, field)
    if order:
        values = [v for v in order if v in values] + [v for v in values if v not in order]
    else:
        values = sorted(values, key=_natural)
    return {
        "input": "select",
        "name": tr("Pick out: {title}", title=title) + " ",
        "options": [None, *values],
        "labels": [tr(NO_CHOICE_LABEL), *(str(v) for v in values)],
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
    # A selection made by clicking or hovering a mark: a select whose choice is written straight into
    # the selection's store (at the top level, so it works whatever view the selection lives in).
    fields = {s["name"]: s.get("value") for s in signals if s["name"].endswith("_tuple_fields")}
    added: dict[str, tuple[str, str, list]] = {}
    for signal in signals:
        if not signal["name"].endswith("_tuple"):
            continue
        selection = signal["name"].removesuffix("_tuple")
        if selection in added or any(re.fullmatch(rf"{re.escape(selection)}_.+_legend", n) for n in names):
            continue
        for handler in signal.get("on", []):
            update = handler.get("update", "")
            unit, field = _UNIT.search(update), _FIELD.search(update)
            tuple_fields = fields.get(f"{selection}_tuple_fields")
            if unit and field and "datum" in update and isinstance(tuple_fields, list) and len(tuple_fields) == 1:
                added[selection] = (unit.group(1), field.group(1), tuple_fields)
                break
    for selection, (unit, field, tuple_fields) in added.items():
        choice = f"{selection}_keyboard"
        store = json.dumps(f"{selection}_store")
        picked = f"{{unit: {json.dumps(unit)}, fields: {json.dumps(tuple_fields)}, values: [{choice}]}}"
        vega.setdefault("signals", []).extend(
            [
                {"name": choice, "value": None, "bind": _binding(vega, vegalite, field)},
                {
                    "name": f"{choice}_modify",
                    "on": [
                        {
                            "events": {"signal": choice},
                            "update": f"modify({store}, {choice} !== null ? {picked} : null, true, null)",
                        }
                    ],
                },
            ]
        )
    return vega
