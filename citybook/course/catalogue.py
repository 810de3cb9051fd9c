"""The course's assignments: id, title, and the sample-city files each needs next to its notebook."""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass
from pathlib import Path

from citybook.course.config import Course
from citybook.course.errors import CourseError
from citybook.paths import DATASETS


@dataclass(frozen=True)
class Assignment:
    """One graded notebook and the sample-city files copied next to it."""

    id: str
    title: str
    data: tuple[str, ...]


_ALL = (
    Assignment(
        "ps1-311-performance",
        "How fast does Corvella close 311 requests?",
        ("service_requests.csv.gz", "service_catalog.csv", "ems_incidents.csv.gz"),
    ),
    Assignment(
        "ps2-equity",
        "Does every neighbourhood get the same service?",
        (
            "service_requests.csv.gz",
            "neighborhoods.csv",
            "neighborhoods.geojson",
            "resident_survey.csv",
            "survey_weighting_targets.csv",
        ),
    ),
    Assignment("ps3-scorecard", "A CityScore for Corvella", ("kpi_monthly.csv", "budget.csv")),
    Assignment("ps4-randomised-trial", "Which payment reminder works?", ("payment_reminder_trial.csv",)),
    Assignment("ps5-pilot-evaluation", "Did the new pothole crews work?", ("service_requests.csv.gz", "districts.csv")),
    Assignment("ps6-contracts", "Which contracts deliver?", ("contracts.csv", "vendor_performance.csv")),
    Assignment(
        "ps7-data-quality",
        "From a raw export to an open dataset",
        ("service_requests_raw.csv.gz", "service_catalog.csv"),
    ),
)

#: Every assignment of the course by id, in course order.
CATALOGUE: dict[str, Assignment] = {a.id: a for a in _ALL}


def copy_data(course: Course, assignment_id: str, datasets: Path = DATASETS) -> list[Path]:
    """Copy the data files one assignment needs next to its source notebook; return their paths."""
    target = course.require_source(assignment_id)
    missing = [name for name in CATALOGUE[assignment_id].data if not (datasets / name).is_file()]
    if missing:
        raise CourseError(
            f"the data files {', '.join(missing)} of '{assignment_id}' are missing",
            where=str(datasets),
            fix="regenerate the sample city with `make data`.",
        )
    copied = []
    for name in CATALOGUE[assignment_id].data:
        source, destination = datasets / name, target / name
        if not destination.exists() or not filecmp.cmp(source, destination, shallow=False):
            shutil.copyfile(source, destination)
        copied.append(destination)
    return copied
