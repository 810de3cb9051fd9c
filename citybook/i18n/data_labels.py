"""The sample city's category labels that charts draw (service names, departments...), for translation."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from citybook.paths import DATASETS

# Columns whose values are words a chart or table shows; names of people, places and firms are not here.
LABEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "service_catalog.csv": ("service_name", "agency_responsible", "sla_unit"),
    "budget.csv": ("department", "program", "output_measure", "outcome_measure"),
    "contracts.csv": ("department", "service_line", "award_method"),
    "data_inventory.csv": ("name", "department"),
    "ems_incidents.csv.gz": ("disposition",),
    "kpi_monthly.csv": ("measure_name", "department"),
    "pavement_condition.csv": ("treatment",),
    "payment_reminder_trial.csv": ("preferred_language",),
    "permits.csv.gz": ("permit_type", "status"),
    "resident_survey.csv": ("language",),
    "vendor_performance.csv": ("service_line", "unit"),
    "wwc_criteria.csv": ("practice_area", "capacity"),
}


def data_labels(datasets: Path = DATASETS) -> list[tuple[str, str]]:
    """Return each distinct label of those columns once, with the table and column it comes from."""
    found: dict[str, str] = {}
    for table, columns in LABEL_COLUMNS.items():
        path = datasets / table
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    value = (row.get(column) or "").strip()
                    if value and not value.replace(".", "").isdigit():
                        found.setdefault(value, f"{table}:{column}")
    return list(found.items())
