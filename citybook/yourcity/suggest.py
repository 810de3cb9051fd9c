"""Draft a mapping from an export's headers and a sample of its values, for the user to check and complete."""

from __future__ import annotations

import duckdb
import yaml

from citybook.yourcity.dates import DAY_FIRST, FAMILIES, MONTH_FIRST, TimeFormat, parse_sql, quote
from citybook.yourcity.mapping import normalise_header
from citybook.yourcity.readers import Export, headers, load_raw

# Words that, in a header, suggest a field (English and Spanish, as portals in the Americas write them).
HINTS: dict[str, tuple[str, ...]] = {
    "id": (
        "uniquekey",
        "requestid",
        "caseid",
        "casenumber",
        "srnumber",
        "serviceRequestId",
        "caseenquiryid",
        "ticket",
        "numero",
        "id",
    ),
    "requested": (
        "requesteddatetime",
        "createddate",
        "requested",
        "created",
        "opendt",
        "received",
        "reported",
        "fechaingreso",
        "fechaalta",
        "opened",
        "fecha",
        "date",
    ),
    "closed": ("closeddate", "closeddt", "closed", "closedate", "resolved", "completed", "fechacierre", "cierre"),
    "due": ("duedate", "slatarget", "target", "expected", "vencimiento"),
    "type": (
        "complainttype",
        "servicename",
        "srtype",
        "requesttype",
        "type",
        "categoria",
        "category",
        "subcategoria",
        "prestacion",
        "descriptor",
        "reason",
        "tipo",
    ),
    "status": ("status", "casestatus", "estado", "state"),
    "district": ("district", "ward", "comuna", "borough", "councildistrict", "communityboard", "distrito"),
    "neighborhood": ("neighborhood", "neighbourhood", "barrio", "communityarea", "colonia"),
    "lat": ("latitude", "lat", "latitud", "y"),
    "long": ("longitude", "long", "lon", "lng", "longitud", "x"),
    "agency": ("agency", "department", "owner", "organismo", "area"),
    "address": ("address", "incidentaddress", "location", "direccion", "domicilio"),
    "channel": ("source", "channel", "canal", "origin"),
}
TIME_HINTS = ("hora", "time")


def _score(field: str, header: str) -> int:
    name = normalise_header(header)
    # "reopened" is a flag, and a time-of-day column ("hora_ingreso") pairs with a date column, below.
    if field in ("requested", "closed", "due") and (
        "reopen" in name or name.startswith("hora") or (name.endswith("time") and not name.endswith("datetime"))
    ):
        return 0
    for rank, hint in enumerate(HINTS[field]):
        hint = normalise_header(hint)
        if name == hint:
            return 100 - rank
        if hint in name and len(hint) > 2:
            return 50 - rank
    return 0


def suggest_mapping(export: Export) -> str:
    """Return a draft mapping YAML for an export, with comments saying what to check."""
    found = headers(export)
    taken: set[str] = set()
    columns: dict[str, object] = {}
    for field in HINTS:
        ranked = sorted(((_score(field, h), -i, h) for i, h in enumerate(found) if h not in taken), reverse=True)
        if ranked and ranked[0][0] > 0:
            if field == "type":
                levels = [h for s, _, h in ranked if s > 0][:3]
                levels.sort(key=found.index)
                columns[field] = levels if len(levels) > 1 else levels[0]
                taken.update(levels)
            else:
                columns[field] = ranked[0][2]
                taken.add(ranked[0][2])
    # A separate time column next to a date column ("fecha_ingreso" + "hora_ingreso").
    for field in ("requested", "closed"):
        date = columns.get(field)
        if isinstance(date, str):
            stem = normalise_header(date).replace("fecha", "").replace("date", "")
            partner = next(
                (
                    h
                    for h in found
                    if h not in taken
                    and any(t in normalise_header(h) for t in TIME_HINTS)
                    and stem
                    and stem in normalise_header(h)
                ),
                None,
            )
            if partner:
                columns[field] = [date, partner]
                taken.add(partner)
    day_first = _day_first(export, columns)
    draft = {"name": "Your city", "timezone": "America/New_York", "columns": columns, "closed_values": ["Closed"]}
    if day_first is not None:
        draft["day_first"] = day_first
    text = yaml.safe_dump(draft, sort_keys=False, allow_unicode=True)
    return (
        "# Draft mapping made by `citybook city-report --suggest` from the headers and the first rows.\n"
        "# Check every line: set timezone to your city's, closed_values to the status values that mean closed,\n"
        "# and remove any column that was guessed wrong. See `citybook city-report --template` for every option.\n"
        + text
    )


def _day_first(export: Export, columns: dict[str, object]) -> bool | None:
    """Return True/False when the sample's dates say day-first or month-first unambiguously, else None."""
    date = columns.get("requested")
    if not date:
        return None
    column = date[0] if isinstance(date, list) else date
    con = duckdb.connect()
    load_raw(con, export, [column])
    reads = {}
    for family in (DAY_FIRST, MONTH_FIRST):
        expr = parse_sql(f"NULLIF(TRIM({quote(column)}), '')", TimeFormat(family, FAMILIES[family]), "UTC")
        reads[family] = con.execute(
            f"SELECT count({expr}) FROM (SELECT * FROM raw ORDER BY _row LIMIT 2000)"
        ).fetchone()[0]
    if reads[DAY_FIRST] > reads[MONTH_FIRST]:
        return True
    if reads[MONTH_FIRST] > reads[DAY_FIRST]:
        return False
    return None
