"""Build the Open311-shaped `service_requests` table in DuckDB, judging every row of the raw export."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from citybook.i18n import tr
from citybook.yourcity.dates import TimeFormat, detect_format, parse_sql, quote, text_sql
from citybook.yourcity.mapping import Mapping
from citybook.yourcity.readers import RAW_TABLE, ROW, drop_raw
from citybook.yourcity.text import CAVEATS, EXCLUDING, check_label

# The sample city's service_requests columns, in its order (datasets/datapackage.json).
OPEN311_COLUMNS = (
    "service_request_id", "status", "service_code", "service_name", "agency_responsible", "requested_datetime",
    "updated_datetime", "expected_datetime", "closed_datetime", "address", "lat", "long", "neighborhood_id",
    "district", "channel", "reopened",
)  # fmt: skip
TEXT_TARGETS = {
    "agency": "agency_responsible",
    "address": "address",
    "neighborhood": "neighborhood_id",
    "district": "district",
    "channel": "channel",
}

# Texts only the data-quality messages read (EVIDENCE below); the id's text is the request's id, always kept.
QUOTED_TEXT = ("requested_text", "closed_text", "due_text", "updated_text", "status_text")


@dataclass(frozen=True)
class Loaded:
    """What loading found: the time formats used, the rows read, and the judged table's name."""

    rows: int
    usable: int
    formats: dict[str, TimeFormat]
    as_of: pd.Timestamp


def _text(column: str | None) -> str:
    return f"NULLIF(TRIM({quote(column)}), '')" if column else "NULL::VARCHAR"


def _number(column: str | None) -> str:
    return f"TRY_CAST(replace({_text(column)}, ',', '.') AS DOUBLE)" if column else "NULL::DOUBLE"


def parsed_sql(mapping: Mapping, cols: dict[str, str], formats: dict[str, TimeFormat]) -> str:
    """Return the SELECT that reads every mapped field of `raw` into typed columns (text kept for messages)."""
    select = [ROW]
    for field in ("requested", "closed", "due", "updated"):
        if field in mapping.times:
            text = text_sql(tuple(cols[c] for c in mapping.times[field]))
            fmt = formats.get(field)
            parsed = parse_sql(text, fmt, mapping.timezone) if fmt else "NULL::TIMESTAMP"
            select += [f"{text} AS {field}_text", f"{parsed} AS {field}_at"]
        else:
            select += [f"NULL::VARCHAR AS {field}_text", f"NULL::TIMESTAMP AS {field}_at"]
    levels = [_text(cols[c]) for c in mapping.type_levels]
    select.append(f"NULLIF(concat_ws(' > ', {', '.join(levels)}), '') AS service_code")
    select.append(f"{levels[mapping.type_level - 1]} AS service_name")
    select.append(
        f"{_text(cols.get(mapping.columns.get('id', '')))} AS id_text"
        if "id" in mapping.columns
        else "NULL::VARCHAR AS id_text"
    )
    select.append(
        f"{_text(cols[mapping.columns['status']])} AS status_text"
        if "status" in mapping.columns
        else "NULL::VARCHAR AS status_text"
    )
    for key, target in TEXT_TARGETS.items():
        select.append(
            f"{_text(cols.get(mapping.columns.get(key, '')) if key in mapping.columns else None)} AS {target}"
        )
    for key in ("lat", "long"):
        select.append(
            f"{_number(cols[mapping.columns[key]]) if key in mapping.columns else 'NULL::DOUBLE'} AS {key}_raw"
        )
    return f"SELECT {', '.join(select)} FROM {RAW_TABLE}"


def judged_sql(mapping: Mapping, parsed: str = "parsed") -> str:
    """Return the SELECT that gives each parsed row its status, its reason to be left out, and its caveats."""
    closed_values = ", ".join("'" + v.replace("'", "''") + "'" for v in mapping.closed_values)
    is_closed = f"lower(status_text) IN ({closed_values})" if "status" in mapping.columns else "closed_at IS NOT NULL"
    has_id = "id" in mapping.columns
    area = mapping.area_field
    reason = f"""CASE
        WHEN {"id_text IS NULL" if has_id else "false"} THEN 'missing_id'
        WHEN id_seq > 1 THEN 'duplicate_id'
        WHEN requested_text IS NULL THEN 'missing_requested'
        WHEN requested_at IS NULL THEN 'unparseable_requested'
        WHEN service_name IS NULL THEN 'missing_type'
        WHEN closed_text IS NOT NULL AND closed_at IS NULL THEN 'unparseable_closed'
        WHEN due_text IS NOT NULL AND due_at IS NULL THEN 'unparseable_due'
        WHEN is_closed AND closed_at < requested_at THEN 'closed_before_opened'
    END"""
    coordinates = (
        "lat_raw IS NULL OR long_raw IS NULL OR lat_raw = 0 OR long_raw = 0 OR abs(lat_raw) > 90 OR abs(long_raw) > 180"
    )
    return f"""
    SELECT *, {reason} AS reason,
        is_closed AND closed_at IS NULL AS closed_without_date,
        NOT is_closed AND closed_at IS NOT NULL AND NOT {str(mapping.closed_from_status_change).lower()} AS open_with_close_date,
        {"true" if mapping.area or mapping.columns.keys() & {"district", "neighborhood"} else "false"} AND {area} IS NULL AS missing_area,
        {"true" if {"lat", "long"} <= mapping.columns.keys() else "false"} AND ({coordinates}) AS missing_coordinates,
        CASE WHEN NOT ({coordinates}) THEN lat_raw END AS lat,
        CASE WHEN NOT ({coordinates}) THEN long_raw END AS long
    FROM (
        SELECT *, {is_closed} AS is_closed,
            {"CASE WHEN repeats.first_row IS NOT NULL AND " + ROW + " > repeats.first_row THEN 2 ELSE 1 END" if has_id else "1"} AS id_seq
        FROM {parsed} {"LEFT JOIN repeats USING (id_text)" if has_id else ""}
    )"""


def expected_sql(mapping: Mapping) -> str:
    """Return SQL for each request's deadline: the export's due date, else the mapping's target in hours."""
    if "due" in mapping.times:
        return "due_at"
    if not (mapping.target_hours or mapping.target_hours_by_type):
        return "NULL::TIMESTAMP"
    cases = " ".join(
        f"WHEN service_name = '{name.replace(chr(39), chr(39) * 2)}' THEN {float(hours)}"
        for name, hours in sorted(mapping.target_hours_by_type.items())
    )
    default = float(mapping.target_hours) if mapping.target_hours is not None else "NULL"
    hours = f"(CASE {cases} ELSE {default} END)" if cases else str(default)
    return f"requested_at + to_microseconds(CAST({hours} * 3600e6 AS BIGINT))"


def build_tables(
    con: duckdb.DuckDBPyConnection, mapping: Mapping, cols: dict[str, str], file: str, as_of: str | None = None
) -> Loaded:
    """Parse and judge the raw export; create tables `judged`, `service_requests` and `rejected`."""
    formats: dict[str, TimeFormat] = {}
    for field, columns in mapping.times.items():
        found = detect_format(
            con,
            RAW_TABLE,
            tuple(cols[c] for c in columns),
            declared=mapping.date_format,
            day_first=mapping.day_first,
            file=file,
        )
        if found:
            formats[field] = found
    # Ids that repeat are few: finding them by aggregation is much cheaper than numbering every row in a window.
    id_column = _text(cols[mapping.columns["id"]]) if "id" in mapping.columns else "NULL::VARCHAR"
    con.execute(
        f"CREATE OR REPLACE TABLE repeats AS SELECT {id_column} AS id_text, min({ROW}) AS first_row FROM {RAW_TABLE} "
        "WHERE id_text IS NOT NULL GROUP BY id_text HAVING count(*) > 1"
    )
    # Parsed and judged in one pass: no second full copy of the export in memory. The raw texts are kept only
    # where a message may quote them (rows left out or with a status caveat): most rows need just their values.
    quoted = "reason IS NOT NULL OR closed_without_date OR open_with_close_date"
    kept = ", ".join(f"CASE WHEN {quoted} THEN {column} END AS {column}" for column in QUOTED_TEXT)
    judged = judged_sql(mapping, f"({parsed_sql(mapping, cols, formats)}) AS parsed")
    con.execute(f"CREATE OR REPLACE TABLE judged AS SELECT * REPLACE ({kept}) FROM ({judged})")
    drop_raw(con)  # read once: free its memory before the next copy
    id_sql = "id_text" if "id" in mapping.columns else f"'row-' || {ROW}"
    con.execute(f"""
        CREATE OR REPLACE TABLE service_requests AS
        SELECT {id_sql} AS service_request_id,
            CASE WHEN is_closed THEN 'closed' ELSE 'open' END AS status,
            service_code, service_name, agency_responsible,
            requested_at AS requested_datetime, updated_at AS updated_datetime,
            {expected_sql(mapping)} AS expected_datetime,
            CASE WHEN is_closed THEN closed_at END AS closed_datetime,
            address, lat, long, neighborhood_id, district, channel, NULL::BOOLEAN AS reopened
        FROM judged WHERE reason IS NULL ORDER BY {ROW}""")
    rows, usable = con.execute("SELECT count(*), count(*) FILTER (WHERE reason IS NULL) FROM judged").fetchone()
    if as_of:
        stamp = pd.Timestamp(as_of)
    else:
        stamp = con.execute(
            "SELECT max(greatest(requested_datetime, coalesce(closed_datetime, requested_datetime), "
            "coalesce(updated_datetime, requested_datetime))) FROM service_requests"
        ).fetchone()[0]
    return Loaded(rows, usable, formats, pd.Timestamp(stamp) if stamp is not None else pd.NaT)


# What each check looks at, to quote an example: (mapping key for the column name, SQL of the value).
EVIDENCE = {
    "missing_id": ("id", "id_text"),
    "duplicate_id": ("id", "id_text"),
    "missing_requested": ("requested", "requested_text"),
    "unparseable_requested": ("requested", "requested_text"),
    "missing_type": ("type", "service_code"),
    "unparseable_closed": ("closed", "closed_text"),
    "unparseable_due": ("due", "due_text"),
    "closed_before_opened": ("closed", "requested_text || ' -> ' || closed_text"),
    "closed_without_date": ("status", "status_text"),
    "open_with_close_date": ("status", "status_text || ', ' || closed_text"),
    "missing_area": ("area", "NULL"),
    "missing_coordinates": (
        "lat",
        "coalesce(CAST(lat_raw AS VARCHAR), '(empty)') || ', ' || coalesce(CAST(long_raw AS VARCHAR), '(empty)')",
    ),
}


def _column_label(mapping: Mapping, key: str) -> str:
    if key in mapping.times:
        return " + ".join(mapping.times[key])
    if key == "type":
        return " > ".join(mapping.type_levels)
    if key == "area":
        return mapping.columns.get("district" if mapping.area_field == "district" else "neighborhood", "")
    if key == "lat":
        return f"{mapping.columns.get('lat', '')}, {mapping.columns.get('long', '')}"
    return mapping.columns.get(key, "")


def quality_table(con: duckdb.DuckDBPyConnection, mapping: Mapping) -> pd.DataFrame:
    """Return one row per data-quality check that applies: rows caught, share, what happens, column, first example."""
    rows = con.execute("SELECT count(*) FROM judged").fetchone()[0]
    found = []
    for check in EXCLUDING + CAVEATS:
        key, value_sql = EVIDENCE[check]
        applies = key in ("requested", "type", "area") or key in mapping.times or key in mapping.columns
        if key == "area":
            applies = bool(_column_label(mapping, "area"))
        if check == "missing_id" and "id" not in mapping.columns:
            applies = False
        if not applies:
            continue
        where = f"reason = '{check}'" if check in EXCLUDING else check
        count, first_row, value = con.execute(
            f"SELECT count(*), min({ROW}), arg_min(coalesce({value_sql}, '(empty)'), {ROW}) FROM judged WHERE {where}"
        ).fetchone()
        empty = tr("(empty)")
        example = tr("row {row}: {value}", row=first_row, value=value.replace("(empty)", empty)) if count else ""
        label, effect = check_label(check)
        found.append(
            {
                "check": label,
                "rows": int(count),
                "share": count / rows if rows else 0.0,
                "what happens": effect if count else "-",
                "column": _column_label(mapping, key),
                "first example": example,
                "key": check,
            }
        )
    return pd.DataFrame(found)


def rejected_rows(con: duckdb.DuckDBPyConnection, mapping: Mapping) -> pd.DataFrame:
    """Return every row left out: its record number, reason, and the value that made it unusable."""
    cases = " ".join(f"WHEN '{check}' THEN {EVIDENCE[check][1]}" for check in EXCLUDING)
    frame = con.execute(
        f"SELECT {ROW} AS row, reason, CASE reason {cases} END AS value FROM judged WHERE reason IS NOT NULL ORDER BY {ROW}"
    ).df()
    frame["reason"] = frame["reason"].map(lambda k: check_label(k)[0])
    return frame
