"""The book's data-catalogue page, rendered as MyST Markdown from datapackage.json (no Sphinx needed)."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from citybook.templates import render

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 40


def _cell(value: Any, limit: int | None = None) -> str:
    """Text safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _open_text(path: Path) -> io.TextIOBase:
    return (
        gzip.open(path, "rt", encoding="utf-8", newline="")
        if path.suffix == ".gz"
        else path.open(encoding="utf-8", newline="")
    )


def count_rows(path: Path) -> int:
    """Data rows in a CSV file (gzip-compressed or not), header excluded."""
    with _open_text(path) as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def human_size(n_bytes: int) -> str:
    """File size for people: kB below a megabyte, MB above."""
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1e6 else f"{max(n_bytes / 1e3, 0.1):.1f} kB"


def _constraints(spec: dict[str, Any]) -> str:
    c = spec.get("constraints", {})
    parts = []
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "minimum" in c and "maximum" in c:
        parts.append(f"{c['minimum']} to {c['maximum']}")
    elif "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    elif "maximum" in c:
        parts.append(f"≤ {c['maximum']}")
    if c.get("required"):
        parts.append("required")
    return "; ".join(parts)


def _field_rows(fields: list[dict[str, Any]]) -> list[list[str]]:
    """Rows of a columns table: name, type, unit, and the description with its constraints."""
    rows = []
    for f in fields:
        note = _constraints(f)
        description = f.get("description", "") + (f" ({note})" if note else "")
        rows.append([f"`{f['name']}`", f.get("type", ""), f.get("unit", ""), description])
    return rows


def _resource(resource: dict[str, Any], base: Path) -> dict[str, Any]:
    """What the catalogue shows of one resource: a table with a preview, a map layer, or a file."""
    path = base / resource["path"]
    shown = {
        "anchor": resource["name"].replace("_", "-"),
        "title": resource.get("title", resource["name"]),
        "description": resource.get("description"),
        "convention": resource.get("convention"),
        "path": resource["path"],
    }
    if resource.get("format") == "csv" or str(resource.get("path", "")).endswith((".csv", ".csv.gz")):
        schema = resource.get("schema", {})
        preview = pd.read_csv(path, nrows=PREVIEW_ROWS, dtype=str, keep_default_na=False)
        return shown | {
            "kind": "table",
            "rows": count_rows(path),
            "size": human_size(path.stat().st_size),
            "key": schema.get("primaryKey", []),
            "links": [(fk["fields"], fk["reference"]["resource"]) for fk in schema.get("foreignKeys", [])],
            "fields": _field_rows(schema.get("fields", [])),
            "preview_header": list(preview.columns),
            "preview_rows": preview.to_numpy().tolist(),
        }
    if resource.get("format") == "geojson":
        features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
        return shown | {
            "kind": "geo",
            "features": len(features),
            "size": human_size(path.stat().st_size),
            "fields": _field_rows(resource.get("featureProperties", [])),
        }
    return shown | {"kind": "file"}


def render_catalogue(package_path: Path) -> str:
    """The data catalogue page: a note that the city is fictional, then every resource in the package."""
    package = json.loads(Path(package_path).read_text(encoding="utf-8"))
    base = Path(package_path).parent
    page = render(
        "citybook.city",
        "data-catalogue.md.j2",
        sources="; ".join(s.get("title", "") for s in package.get("sources", [])),
        licences=", ".join(lic.get("title", lic.get("name", "")) for lic in package.get("licenses", [])),
        description=package.get("description", ""),
        resources=[_resource(resource, base) for resource in package.get("resources", [])],
        preview_cell_chars=PREVIEW_CELL_CHARS,
        cell=_cell,
    )
    return page.rstrip() + "\n"
