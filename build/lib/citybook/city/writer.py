"""Deterministic file writing: stable number formats, LF endings, gzip without timestamps."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from citybook.city.schema import DATE_FORMAT, DATETIME_FORMAT, Field, Table


def _format_column(values: pd.Series, spec: Field) -> list[str]:
    """Render one column as strings; nulls become empty strings."""
    missing = values.isna().to_numpy()
    if spec.type == "string":
        text = values.astype(object).where(~missing, "").astype(str)
        return text.tolist()
    if spec.type == "integer":
        filled = pd.to_numeric(values).fillna(0).to_numpy()
        if not np.all(np.isclose(filled, np.round(filled))):
            raise ValueError(f"{spec.name}: non-integer values")
        out = np.round(filled).astype(np.int64).astype(str).astype(object)
    elif spec.type == "number":
        rounded = np.round(pd.to_numeric(values).fillna(0).to_numpy(dtype=float), spec.decimals) + 0.0
        out = np.char.mod(f"%.{spec.decimals}f", rounded).astype(object)
    elif spec.type == "boolean":
        out = np.where(values.fillna(False).astype(bool).to_numpy(), "true", "false").astype(object)
    elif spec.type in ("datetime", "date"):
        fmt = DATETIME_FORMAT if spec.type == "datetime" else DATE_FORMAT
        out = pd.to_datetime(values).dt.strftime(fmt).fillna("").to_numpy(dtype=object)
    elif spec.type == "yearmonth":
        out = np.array(values.astype(object).to_numpy(), dtype=object)
    else:  # pragma: no cover - schema.Field validates types
        raise ValueError(spec.type)
    out[missing] = ""
    return out.tolist()


def csv_text(frame: pd.DataFrame, table: Table) -> str:
    """The table as CSV text: schema column order, fixed formats, LF line endings."""
    if list(frame.columns) != table.columns:
        raise ValueError(f"{table.name}: columns {list(frame.columns)} != schema {table.columns}")
    columns = [_format_column(frame[spec.name], spec) for spec in table.fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(zip(*columns))
    return buffer.getvalue()


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with mtime 0 and no embedded file name, so equal input gives equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as archive:
        archive.write(data)
    return buffer.getvalue()


def write_bytes(data: bytes, path: Path) -> Path:
    """Write bytes, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_table(frame: pd.DataFrame, table: Table, out_dir: Path) -> Path:
    """Write a table as CSV (gzip-compressed when the schema says so)."""
    data = csv_text(frame, table).encode("utf-8")
    return write_bytes(gzip_bytes(data) if table.compressed else data, out_dir / table.path)


def json_text(obj: Any) -> str:
    """JSON with sorted keys, two-space indent, UTF-8 characters and a final newline."""
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(obj: Any, path: Path) -> Path:
    """Write JSON deterministically."""
    return write_bytes(json_text(obj).encode("utf-8"), path)


def write_text(text: str, path: Path) -> Path:
    """Write UTF-8 text with LF line endings."""
    return write_bytes(text.replace("\r\n", "\n").encode("utf-8"), path)
