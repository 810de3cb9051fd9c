"""The book's data-catalogue page, rendered as MyST Markdown from datapackage.json (no Sphinx needed)."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 40


def _cell(value: Any, limit: int | None = None) -> str:
    """Text safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]], limit: int | None = None) -> str:
    """A Markdown pipe table."""
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v, limit) for v in row) + " |" for row in rows]
    return "\n".join(lines)


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


def _fields_table(fields: list[dict[str, Any]]) -> str:
    rows = []
    for f in fields:
        note = _constraints(f)
        description = f.get("description", "") + (f" ({note})" if note else "")
        rows.append([f"`{f['name']}`", f.get("type", ""), f.get("unit", ""), description])
    return _table(["Column", "Type", "Unit", "Description"], rows)


def _tabular_section(resource: dict[str, Any], base: Path) -> list[str]:
    path = base / resource["path"]
    out = [
        f"**File:** `datasets/{resource['path']}` · {count_rows(path):,} rows · {human_size(path.stat().st_size)}",
        "",
    ]
    if resource.get("schema", {}).get("primaryKey"):
        out += [f"**Key:** {', '.join(f'`{k}`' for k in resource['schema']['primaryKey'])}", ""]
    links = [
        f"`{', '.join(fk['fields'])}` → `{fk['reference']['resource']}`"
        for fk in resource.get("schema", {}).get("foreignKeys", [])
    ]
    if links:
        out += ["**Links:** " + "; ".join(links), ""]
    out += ["**Columns**", "", _fields_table(resource.get("schema", {}).get("fields", [])), ""]
    preview = pd.read_csv(path, nrows=PREVIEW_ROWS, dtype=str, keep_default_na=False)
    out += [
        f"**First {len(preview)} rows**",
        "",
        _table(list(preview.columns), preview.to_numpy().tolist(), PREVIEW_CELL_CHARS),
        "",
    ]
    return out


def _geo_section(resource: dict[str, Any], base: Path) -> list[str]:
    path = base / resource["path"]
    features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    out = [
        f"**File:** `datasets/{resource['path']}` · {len(features):,} features · {human_size(path.stat().st_size)}",
        "",
    ]
    if resource.get("featureProperties"):
        out += ["**Feature properties**", "", _fields_table(resource["featureProperties"]), ""]
    return out


def render_catalogue(package_path: Path) -> str:
    """The data catalogue page: a note that the city is fictional, then every resource in the package."""
    package = json.loads(Path(package_path).read_text(encoding="utf-8"))
    base = Path(package_path).parent
    sources = "; ".join(s.get("title", "") for s in package.get("sources", []))
    licences = ", ".join(lic.get("title", lic.get("name", "")) for lic in package.get("licenses", []))
    lines = [
        "# Data catalogue",
        "",
        "```{note}",
        "The sample city is **fictional** and every table below is **synthetic**: no real person, place, "
        f"vendor or statistic is described. {sources}. Licence: {licences}.",
        "```",
        "",
        package.get("description", ""),
        "",
        "Every table loads with one `pd.read_csv` call (gzip-compressed files too). Column types, units and "
        "constraints come from `datasets/datapackage.json`, a Frictionless Data Package.",
        "",
    ]
    for resource in package.get("resources", []):
        lines += [f"(data-{resource['name'].replace('_', '-')})=", f"## {resource.get('title', resource['name'])}", ""]
        if resource.get("description"):
            lines += [resource["description"], ""]
        if resource.get("convention"):
            lines += [f"**Follows:** {resource['convention']}", ""]
        if resource.get("format") == "csv" or str(resource.get("path", "")).endswith((".csv", ".csv.gz")):
            lines += _tabular_section(resource, base)
        elif resource.get("format") == "geojson":
            lines += _geo_section(resource, base)
        else:
            lines += [f"**File:** `datasets/{resource['path']}`", ""]
    return "\n".join(lines).rstrip() + "\n"
