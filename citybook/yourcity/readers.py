"""Open a city's export as its portal gives it (CSV in any delimiter and encoding, Excel, Open311 JSON) in DuckDB."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb
import pandas as pd

from citybook.i18n import N_, tr
from citybook.yourcity.errors import CityDataError

DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 1 << 20
RAW_TABLE = "raw"
ROW = "_row"  # 1-based number of the record in the export, kept for every message and the rejected-rows file


@dataclass(frozen=True)
class Export:
    """An export file and how to read it."""

    path: Path
    kind: str  # csv | excel | json
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | int = 0  # Excel: the sheet's name or number (0 = the first)

    def describe(self) -> str:
        """Return how the file was read, for the report."""
        if self.kind == "csv":
            shown = {"\t": N_("tab"), ",": N_("comma"), ";": N_("semicolon"), "|": N_("pipe")}[self.delimiter]
            return tr("CSV, {separator}-separated, {encoding}", separator=tr(shown), encoding=self.encoding)
        kind = {"excel": N_("Excel workbook"), "json": N_("Open311 JSON")}[self.kind]
        return tr(kind)


def _open_bytes(path: Path) -> BinaryIO:
    """Open a file for reading bytes, through gzip when it is compressed (.gz)."""
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def sniff_encoding(head: bytes) -> str:
    """Return 'utf-8' when the bytes decode as UTF-8 (BOM or not), 'utf-16' for a UTF-16 BOM, else 'latin-1'."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "latin-1"


def sniff_delimiter(header_line: str) -> str:
    """Return the delimiter that splits the header line into the most fields."""
    return max(DELIMITERS, key=lambda d: (header_line.count(d), -DELIMITERS.index(d)))


def open_export(
    path: Path,
    file_format: str = "auto",
    encoding: str = "auto",
    delimiter: str = "auto",
    sheet: str | int | None = None,
) -> Export:
    """Recognise an export's format, encoding and delimiter."""
    path = Path(path)
    if not path.is_file():
        raise CityDataError(
            "the export file does not exist", file=str(path), fix="check the path (and that it is a file)."
        )
    suffix = path.suffix.lower()
    if suffix == ".gz":
        suffix = Path(path.stem).suffix.lower()
    kind = (
        file_format
        if file_format != "auto"
        else {".xlsx": "excel", ".xlsm": "excel", ".json": "json"}.get(suffix, "csv")
    )
    if kind not in ("csv", "excel", "json"):
        raise CityDataError("unknown format", file=str(path), example=kind, fix="use format: csv, excel or json.")
    if kind != "csv":
        return Export(path, kind, sheet=0 if sheet is None else sheet)
    with _open_bytes(path) as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise CityDataError("the export is empty", file=str(path), fix="export the data again from the portal.")
    enc = encoding if encoding != "auto" else sniff_encoding(head)
    text = head.decode("utf-16" if enc == "utf-16" else enc, errors="replace").lstrip("\ufeff")
    delim = delimiter if delimiter != "auto" else sniff_delimiter(text.splitlines()[0] if text else "")
    return Export(path, "csv", enc, "\t" if delim in ("tab", "\\t") else delim)


def _csv_source(export: Export) -> str:
    options = {
        "header": True,
        "all_varchar": True,
        "delim": export.delimiter,
        "quote": '"',
        "escape": '"',
        "encoding": export.encoding,
        "null_padding": True,
        "auto_detect": False,
    }
    rendered = ", ".join(f"{key} = {_literal(value)}" for key, value in options.items())
    return f"read_csv({_literal(str(export.path))}, {rendered}, columns = {{COLUMNS}})"


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


def headers(export: Export) -> list[str]:
    """Return the export's column names, in file order."""
    if export.kind == "csv":
        encoding = "utf-16" if export.encoding == "utf-16" else export.encoding
        with io.TextIOWrapper(_open_bytes(export.path), encoding=encoding, errors="replace", newline="") as handle:
            first = next(csv.reader(handle, delimiter=export.delimiter), [])
        return [h.lstrip("\ufeff").strip() for h in first]
    return list(_frame(export).columns)


def _frame(export: Export) -> pd.DataFrame:
    """Read an Excel or JSON export into a frame of text (small enough for memory: Excel stops at 1M rows)."""
    if export.kind == "excel":
        try:
            frame = pd.read_excel(export.path, dtype=str, sheet_name=export.sheet)
        except Exception as error:  # openpyxl raises many types for a damaged workbook
            raise CityDataError(
                f"the workbook cannot be read: {error}",
                file=str(export.path),
                fix="save it again as .xlsx or export CSV.",
            ) from None
        return frame.astype(object).where(frame.notna(), None)
    try:
        data = json.loads(export.path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CityDataError(
            f"the file is not valid JSON: {error}", file=str(export.path), fix="download requests.json again."
        ) from None
    if isinstance(data, dict):
        data = next(
            (v for k, v in data.items() if isinstance(v, list) and k in ("requests", "service_requests", "data")), None
        )
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise CityDataError(
            "the JSON is not a list of requests",
            file=str(export.path),
            fix="use an Open311 GeoReport v2 requests.json.",
        )
    rows = [
        {k: (json.dumps(v) if isinstance(v, dict | list) else (None if v is None else str(v))) for k, v in item.items()}
        for item in data
    ]
    return pd.DataFrame(rows, dtype=object)


def load_raw(con: duckdb.DuckDBPyConnection, export: Export, columns: list[str]) -> int:
    """Copy the named columns of the export, as text, into DuckDB table `raw` with a record number; return its rows."""
    quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    if export.kind == "csv":
        all_headers = headers(export)
        spec = "{" + ", ".join(f"{_literal(h)}: 'VARCHAR'" for h in all_headers) + "}"
        source = _csv_source(export).replace("{COLUMNS}", spec)
        try:
            con.execute(f"CREATE OR REPLACE TABLE {RAW_TABLE}0 AS SELECT {quoted} FROM {source}")
        except duckdb.Error as error:
            first = str(error).strip().splitlines()[0]
            raise CityDataError(
                f"the CSV cannot be read: {first}",
                file=str(export.path),
                fix="check the delimiter and encoding (set `delimiter:` and `encoding:` in the mapping), "
                "and that every row has as many fields as the header.",
            ) from None
    else:
        frame = _frame(export)[columns]  # noqa: F841 - read by DuckDB by name
        con.execute(f"CREATE OR REPLACE TABLE {RAW_TABLE}0 AS SELECT {quoted} FROM frame")
    # rowid follows insertion order, which DuckDB keeps for a single read: the record's place in the file.
    con.execute(f"CREATE OR REPLACE VIEW {RAW_TABLE} AS SELECT rowid + 1 AS {ROW}, * FROM {RAW_TABLE}0")
    return con.execute(f"SELECT count(*) FROM {RAW_TABLE}0").fetchone()[0]


def drop_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Free the raw text once it has been parsed."""
    con.execute(f"DROP VIEW {RAW_TABLE}")
    con.execute(f"DROP TABLE {RAW_TABLE}0")
