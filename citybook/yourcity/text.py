"""Every user-facing sentence of the city report and command in one place, so it can be translated."""

from __future__ import annotations

LANGUAGE = "en"

# One dictionary per language; `say` looks a key up and fills in its values. (Spanish comes later.)
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "report_title": "311 performance report: {city}",
        "lede": (
            "{usable} of {rows} rows of {file} are usable service requests, made from {first} to {last}; "
            "{closed} were closed when the data were exported ({as_of}). The measures are those of lesson 04 "
            "of the book, computed the same way for this city."
        ),
        "quality_heading": "Data quality: what was checked, and what was left out",
        "quality_intro": (
            "Every row of the export was read. Rows that cannot be used are counted below by reason, never "
            "dropped silently; rows kept with a caveat are counted too. The table was then checked against "
            "the sample city's Frictionless schema ({validated})."
        ),
        "quality_all_usable": "Every row was usable.",
        "volume_heading": "How many requests, of which types",
        "wait_heading": "How long residents wait: median and 90th percentile",
        "wait_intro": (
            "Time to close is measured on closed requests only. Half close faster than the median; one in ten "
            "waits longer than the 90th percentile. Citywide: median {median}, 90th percentile {p90}."
        ),
        "ontime_heading": "Keeping the promise: on-time share",
        "ontime_none": (
            "This export has no due date and the mapping sets no service-level target, so there is no on-time "
            "measure. Add `targets: {{hours: 72}}` (or `hours_by_type`) to the mapping to measure against a target."
        ),
        "trend_heading": "The trend, with provisional periods flagged",
        "trend_intro": (
            "A period is provisional when it ends less than the citywide 90th-percentile time to close ({p90}) "
            "before the export, or the export covers only part of it: its slow requests are still open, so "
            "its time to close looks shorter than it will be."
        ),
        "control_heading": "Signal or noise: a control chart of demand",
        "control_too_short": "The export covers fewer than {n} complete periods, too few for a control chart.",
        "area_heading": "The spread by area",
        "area_none": "The mapping names no area column (district or neighbourhood), so there is no spread by area.",
        "files_heading": "The data behind every chart",
        "files_intro": "Each chart's numbers are in a tidy CSV file beside this page:",
        "about_heading": "How this report is made",
        "about": (
            "Made by `citybook city-report` from {file} with the mapping {mapping}. Times are local to {tz}; "
            "durations are computed in real elapsed hours. Medians and percentiles are interpolated as in pandas. "
            "Months are calendar months of the time the request was made."
        ),
        "not_in_export": "The preset's optional columns not in this export: {columns}.",
        "numbers": "The numbers behind this chart",
        "other_types": "Other types",
    }
}

# Data-quality checks: key -> (label, what happens to the row). Order = the order rows are judged in.
CHECKS_EN: dict[str, tuple[str, str]] = {
    "missing_id": ("Request id is empty", "left out"),
    "duplicate_id": ("Request id repeats an earlier row", "left out (the first row is kept)"),
    "missing_requested": ("Date made is empty", "left out"),
    "unparseable_requested": ("Date made cannot be read", "left out"),
    "missing_type": ("Service type is empty", "left out"),
    "unparseable_closed": ("Date closed cannot be read", "left out"),
    "unparseable_due": ("Due date cannot be read", "left out"),
    "closed_before_opened": ("Closed before it was made", "left out"),
    "closed_without_date": ("Status is closed but no date closed", "kept; not in time-to-close measures"),
    "open_with_close_date": ("Status is open but has a date closed", "kept as open; its date closed is ignored"),
    "missing_area": ("Area is empty", "kept; not in the spread by area"),
    "missing_coordinates": ("Coordinates missing or zero", "kept; not usable on a map"),
}
EXCLUDING = tuple(list(CHECKS_EN)[:8])
CAVEATS = tuple(list(CHECKS_EN)[8:])


def say(key: str, **values: object) -> str:
    """Return a user-facing sentence in the report's language, with its values filled in."""
    return STRINGS[LANGUAGE][key].format(**values)


def check_label(key: str) -> tuple[str, str]:
    """Return a data-quality check's label and what happens to the rows it catches."""
    return CHECKS_EN[key]
