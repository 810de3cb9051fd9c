"""The mapping: which column of an export holds which Open311 field, and how to read its values."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from citybook.yourcity.errors import CityDataError

# Mapping keys under `columns:`, each naming one column (or, for times, a date column and a time column).
TIME_FIELDS = ("requested", "closed", "due", "updated")
TEXT_FIELDS = ("id", "status", "agency", "channel", "address", "neighborhood", "district", "lat", "long")
REQUIRED = ("requested", "type")
KNOWN_KEYS = {
    "name", "timezone", "columns", "closed_values", "closed_from_status_change", "date_format",
    "day_first", "type_level", "area", "targets", "detect", "format", "delimiter", "encoding", "sheet", "notes",
}  # fmt: skip


def normalise_header(header: str) -> str:
    """Return a header reduced to lower-case letters and digits, accents removed ('Created Date' -> 'createddate')."""
    plain = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", plain.lower())


@dataclass(frozen=True)
class Mapping:
    """A validated mapping: export columns for each field, and how to read them."""

    name: str
    timezone: str
    times: dict[str, tuple[str, ...]]  # field -> (date column,) or (date column, time column)
    type_levels: tuple[str, ...]  # broadest first
    columns: dict[str, str]  # text fields -> export column
    closed_values: tuple[str, ...] = ("closed",)
    closed_from_status_change: bool = False
    date_format: str = "auto"
    day_first: bool | None = None
    type_level: int = 1
    area: str = ""
    target_hours: float | None = None
    target_hours_by_type: dict[str, float] = field(default_factory=dict)
    detect: tuple[str, ...] = ()
    file_format: str = "auto"
    delimiter: str = "auto"
    encoding: str = "auto"
    sheet: str | None = None
    source: str = ""
    is_preset: bool = False  # a preset names every column its portal may have; a given export may lack some

    @property
    def area_field(self) -> str:
        """Return the Open311-shape field the spread-by-area chart uses ('district' or 'neighborhood_id')."""
        chosen = self.area or ("district" if "district" in self.columns else "neighborhood")
        return "district" if chosen == "district" else "neighborhood_id"

    def used_columns(self) -> list[str]:
        """Return every export column the mapping reads, in a stable order."""
        names = [c for cols in self.times.values() for c in cols] + list(self.type_levels) + list(self.columns.values())
        return list(dict.fromkeys(names))


def _as_tuple(value: object, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise CityDataError(
        f"the mapping's '{key}' must be a column name or a list of column names",
        file=source,
        example=repr(value),
        fix=f"write e.g. `{key}: created_date` (or `{key}: [date_column, time_column]` for times).",
    )


def _refuse_unknown(given: dict, allowed: set[str], what: str, source: str, fix: str) -> None:
    """Raise, naming every key of `given` that is not in `allowed` (sorted), with the first as the example."""
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise CityDataError(f"{what}: {', '.join(unknown)}", file=source, example=unknown[0], fix=fix)


def mapping_from_dict(data: dict, source: str = "mapping") -> Mapping:
    """Build a Mapping from parsed YAML, explaining every mistake."""
    if not isinstance(data, dict):
        raise CityDataError(
            "the mapping is not a YAML dictionary", file=source, fix="start from `citybook city-report --template`."
        )
    _refuse_unknown(
        data,
        KNOWN_KEYS,
        "the mapping has unknown keys",
        source,
        f"use only: {', '.join(sorted(KNOWN_KEYS))} (see `citybook city-report --template`).",
    )
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise CityDataError("'columns' must map field names to export columns", file=source, fix="see --template.")
    allowed = set(TIME_FIELDS) | set(TEXT_FIELDS) | {"type"}
    _refuse_unknown(
        columns, allowed, "'columns' has unknown fields", source, f"the fields are: {', '.join(sorted(allowed))}."
    )
    missing = [key for key in REQUIRED if not columns.get(key)]
    if missing:
        raise CityDataError(
            f"the mapping does not say which column holds: {', '.join(missing)}",
            file=source,
            example=missing[0],
            fix="add it under `columns:`, e.g. `requested: created_date` and `type: complaint_type`.",
        )
    times = {key: _as_tuple(columns[key], source, key) for key in TIME_FIELDS if columns.get(key)}
    for key, cols in times.items():
        if len(cols) > 2:
            raise CityDataError(
                f"'{key}' lists {len(cols)} columns; a time is one column or a date column and a time column",
                file=source,
                example=", ".join(cols),
                fix=f"write `{key}: [date_column, time_column]`.",
            )
    zone = str(data.get("timezone") or "")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CityDataError(
            "the mapping needs the city's time zone (an IANA name)",
            file=source,
            column="timezone",
            example=zone,
            fix="add e.g. `timezone: America/New_York`, `America/Chicago` or `America/Argentina/Buenos_Aires`.",
        ) from None
    targets = data.get("targets") or {}
    by_type = {str(k): float(v) for k, v in (targets.get("hours_by_type") or {}).items()}
    levels = _as_tuple(columns["type"], source, "type")
    type_level = int(data.get("type_level", 1))
    if not 1 <= type_level <= len(levels):
        raise CityDataError(
            f"type_level is {type_level} but 'type' has {len(levels)} level(s)",
            file=source,
            column="type_level",
            example=str(type_level),
            fix=f"use a number from 1 (broadest) to {len(levels)}.",
        )
    area = str(data.get("area") or "")
    if area and area not in ("district", "neighborhood"):
        raise CityDataError(
            "'area' must be district or neighborhood", file=source, example=area, fix="write `area: district`."
        )
    return Mapping(
        name=str(data.get("name") or "Your city"),
        timezone=zone,
        times=times,
        type_levels=levels,
        columns={key: str(columns[key]) for key in TEXT_FIELDS if columns.get(key)},
        closed_values=tuple(str(v).strip().lower() for v in (data.get("closed_values") or ["closed"])),
        closed_from_status_change=bool(data.get("closed_from_status_change", False)),
        date_format=str(data.get("date_format") or "auto"),
        day_first=data.get("day_first"),
        type_level=type_level,
        area=area,
        target_hours=float(targets["hours"]) if targets.get("hours") is not None else None,
        target_hours_by_type=by_type,
        detect=tuple(str(h) for h in data.get("detect") or ()),
        file_format=str(data.get("format") or "auto"),
        delimiter=str(data.get("delimiter") or "auto"),
        encoding=str(data.get("encoding") or "auto"),
        sheet=data.get("sheet"),
        source=source,
    )


def read_mapping(path: Path) -> Mapping:
    """Read a mapping YAML file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CityDataError(
            "the mapping file does not exist", file=str(path), fix="check the path given to --mapping."
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise CityDataError(
            f"the mapping is not valid YAML{where}: {getattr(error, 'problem', error)}",
            file=str(path),
            fix="compare it with `citybook city-report --template` (indent with spaces, quote values with ':').",
        ) from None
    return mapping_from_dict(data, str(path))


def _match(wanted: str, headers: list[str], by_norm: dict[str, str]) -> str | None:
    return wanted if wanted in headers else by_norm.get(normalise_header(wanted))


def fit_to_headers(mapping: Mapping, headers: list[str], file: str) -> tuple[Mapping, dict[str, str], list[str]]:
    """Match the mapping's columns to the export's headers (case and punctuation aside).

    Return the mapping (a preset without the optional columns this export lacks), each named column's
    header, and the optional columns left out. A user's mapping must match exactly what it names.
    """
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise_header(header), header)
    dropped: list[str] = []
    if mapping.is_preset:
        times = {
            k: v for k, v in mapping.times.items() if k == "requested" or all(_match(c, headers, by_norm) for c in v)
        }
        columns = {k: v for k, v in mapping.columns.items() if _match(v, headers, by_norm)}
        levels = (mapping.type_levels[0],) + tuple(c for c in mapping.type_levels[1:] if _match(c, headers, by_norm))
        dropped = [
            c for cols in mapping.times.values() for c in cols if c not in {x for v in times.values() for x in v}
        ]
        dropped += [c for c in mapping.columns.values() if c not in columns.values()]
        dropped += [c for c in mapping.type_levels if c not in levels]
        mapping = replace(
            mapping, times=times, columns=columns, type_levels=levels, type_level=min(mapping.type_level, len(levels))
        )
    found: dict[str, str] = {}
    for wanted in mapping.used_columns():
        header = _match(wanted, headers, by_norm)
        if header is None:
            close = [h for h in headers if normalise_header(wanted)[:4] in normalise_header(h)][:3]
            raise CityDataError(
                f"the mapping ({mapping.source}) names a column the export does not have",
                file=file,
                column=wanted,
                example=", ".join(headers[:8]) + (", ..." if len(headers) > 8 else ""),
                fix=(f"did you mean {' or '.join(repr(c) for c in close)}? " if close else "")
                + "correct the name under `columns:` in the mapping, or run with --suggest to draft one.",
            )
        found[wanted] = header
    return mapping, found, sorted(set(dropped))
