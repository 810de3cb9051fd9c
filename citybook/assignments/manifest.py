"""The course's assignments: id, title, and the files each needs from datasets/."""

from __future__ import annotations

from dataclasses import dataclass


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

#: Every assignment by id, in course order.
ASSIGNMENTS: dict[str, Assignment] = {a.id: a for a in _ALL}
