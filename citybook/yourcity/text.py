"""Every user-facing sentence of the city report and command in one place, marked for translation.

The English sentences are marked with `N_` so `make translations` collects them into `code/citybook.po`;
`say` and `check_label` pass them through `tr`, so a report made inside `use_language("es")` is Spanish.
"""

from __future__ import annotations

from citybook.i18n import N_, tr
from citybook.i18n.language import LANGUAGES, current_language

# Report sentences by key; `say` translates one and fills in its values.
STRINGS: dict[str, str] = {
    "report_title": N_("311 performance report: {city}"),
    "lede": N_(
        "{usable} of {rows} rows of {file} are usable service requests, made from {first} to {last}; "
        "{closed} were closed when the data were exported ({as_of}). The measures are those of lesson 04 "
        "of the book, computed the same way for this city."
    ),
    "quality_heading": N_("Data quality: what was checked, and what was left out"),
    "quality_intro": N_(
        "Every row of the export was read. Rows that cannot be used are counted below by reason, never "
        "dropped silently; rows kept with a caveat are counted too. The table was then checked against "
        "the sample city's Frictionless schema ({validated})."
    ),
    "validated_ok": N_("{rows} rows checked, no errors"),
    "validated_errors": N_("{rows} rows checked, {errors} errors listed below"),
    "schema_errors": N_("Frictionless reported:"),
    "quality_all_usable": N_("Every row was usable."),
    "volume_heading": N_("How many requests, of which types"),
    "wait_heading": N_("How long residents wait: median and 90th percentile"),
    "wait_intro": N_(
        "Time to close is measured on closed requests only. Half close faster than the median; one in ten "
        "waits longer than the 90th percentile. Citywide: median {median}, 90th percentile {p90}."
    ),
    "ontime_heading": N_("Keeping the promise: on-time share"),
    "ontime_none": N_(
        "This export has no due date and the mapping sets no service-level target, so there is no on-time "
        "measure. Add `targets: {{hours: 72}}` (or `hours_by_type`) to the mapping to measure against a target."
    ),
    "trend_heading": N_("The trend, with provisional periods flagged"),
    "trend_intro": N_(
        "A period is provisional when it ends less than the citywide 90th-percentile time to close ({p90}) "
        "before the export, or the export covers only part of it: its slow requests are still open, so "
        "its time to close looks shorter than it will be."
    ),
    "control_heading": N_("Signal or noise: a control chart of demand"),
    "control_too_short": N_("The export covers fewer than {n} complete periods, too few for a control chart."),
    "area_heading": N_("The spread by area"),
    "area_none": N_("The mapping names no area column (district or neighbourhood), so there is no spread by area."),
    "files_heading": N_("The data behind every chart"),
    "files_intro": N_("Each chart's numbers are in a tidy CSV file beside this page:"),
    "about_heading": N_("How this report is made"),
    "about": N_(
        "Made by `citybook city-report` from {file} with the mapping {mapping}. Times are local to {tz}; "
        "durations are computed in real elapsed hours. Medians and percentiles are interpolated as in pandas. "
        "Months are calendar months of the time the request was made."
    ),
    "not_in_export": N_("The preset's optional columns not in this export: {columns}."),
    "numbers": N_("The numbers behind this chart"),
    "other_types": N_("Other types"),
}

# Data-quality checks: key -> (label, what happens to the row). Order = the order rows are judged in.
CHECKS_EN: dict[str, tuple[str, str]] = {
    "missing_id": (N_("Request id is empty"), N_("left out")),
    "duplicate_id": (N_("Request id repeats an earlier row"), N_("left out (the first row is kept)")),
    "missing_requested": (N_("Date made is empty"), N_("left out")),
    "unparseable_requested": (N_("Date made cannot be read"), N_("left out")),
    "missing_type": (N_("Service type is empty"), N_("left out")),
    "unparseable_closed": (N_("Date closed cannot be read"), N_("left out")),
    "unparseable_due": (N_("Due date cannot be read"), N_("left out")),
    "closed_before_opened": (N_("Closed before it was made"), N_("left out")),
    "closed_without_date": (N_("Status is closed but no date closed"), N_("kept; not in time-to-close measures")),
    "open_with_close_date": (
        N_("Status is open but has a date closed"),
        N_("kept as open; its date closed is ignored"),
    ),
    "missing_area": (N_("Area is empty"), N_("kept; not in the spread by area")),
    "missing_coordinates": (N_("Coordinates missing or zero"), N_("kept; not usable on a map")),
}
EXCLUDING = tuple(list(CHECKS_EN)[:8])
CAVEATS = tuple(list(CHECKS_EN)[8:])


def language_tag() -> str:
    """Return the report's language for <html lang>: its code ("es"), as the book's pages write it."""
    return LANGUAGES[current_language()].code


def say(key: str, **values: object) -> str:
    """Return a user-facing sentence in the report's language, with its values filled in."""
    return tr(STRINGS[key]).format(**values)


def check_label(key: str) -> tuple[str, str]:
    """Return a data-quality check's label and what happens to the rows it catches, in the report's language."""
    label, effect = CHECKS_EN[key]
    return tr(label), tr(effect)
