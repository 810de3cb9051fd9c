"""Monthly citywide performance measures with targets, for a CityScore-style index."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from citybook.city import metrics, truth
from citybook.city.schema import Field, Table


@dataclass(frozen=True)
class Measure:
    """A KPI: what it measures, who owns it, its unit, direction and monthly target."""

    measure_id: str
    name: str
    department: str
    unit: str
    direction: str  # "higher" or "lower" is better
    target: float


MEASURES = (
    Measure("311-01", "311 requests closed within service level", "311 Customer Service", "percent", "higher", 85),
    Measure("311-02", "311 calls answered within 30 seconds", "311 Customer Service", "percent", "higher", 95),
    Measure("PW-01", "Pothole requests closed within 72 hours", "Public Works", "percent", "higher", 80),
    Measure("PW-02", "Median hours to close a pothole request", "Public Works", "hours", "lower", 48),
    Measure("PW-03", "Sidewalk repairs closed within 60 business days", "Public Works", "percent", "higher", 70),
    Measure("TR-01", "Streetlight outages repaired within 10 business days", "Transportation", "percent", "higher", 85),
    Measure("TR-02", "Traffic signal malfunctions fixed within 24 hours", "Transportation", "percent", "higher", 90),
    Measure(
        "SW-01", "Missed trash pickups closed within 2 business days", "Solid Waste Services", "percent", "higher", 90
    ),
    Measure("SW-02", "Bulky item pickups within 10 business days", "Solid Waste Services", "percent", "higher", 85),
    Measure("WU-01", "Water leaks responded to within 24 hours", "Water Utility", "percent", "higher", 95),
    Measure(
        "PF-01",
        "Tree maintenance requests closed within 30 business days",
        "Parks and Forestry",
        "percent",
        "higher",
        75,
    ),
    Measure("CE-01", "Housing code cases closed within 20 business days", "Code Enforcement", "percent", "higher", 70),
    Measure("HL-01", "Rodent complaints closed within 5 business days", "Health", "percent", "higher", 80),
    Measure("EMS-01", "90th percentile EMS response time, priority 1", "Fire and EMS", "minutes", "lower", 8.98),
    Measure("EMS-02", "EMS turnout within 60 seconds", "Fire and EMS", "percent", "higher", 90),
    Measure("EMS-03", "911 call processing within 64 seconds", "Fire and EMS", "percent", "higher", 90),
    Measure(
        "DEV-01",
        "Median days from complete application to permit, residential alterations",
        "Planning and Development",
        "days",
        "lower",
        21,
    ),
    Measure("DEV-02", "Permits issued", "Planning and Development", "count", "higher", 900),
    Measure("LIB-01", "Library visits", "Library", "count", "higher", 95_000),
    Measure("FIN-01", "Utility bills paid on time", "Finance", "percent", "higher", 92),
    Measure("HR-01", "Vacancy rate of budgeted positions", "Human Resources", "percent", "lower", 8),
)
SLA_MEASURES = {
    "311-01": None,
    "PW-01": "POTHOLE",
    "PW-03": "SIDEWALK",
    "TR-01": "STREETLIGHT",
    "TR-02": "SIGNAL",
    "SW-01": "TRASH",
    "SW-02": "BULKY",
    "WU-01": "WATERLEAK",
    "PF-01": "TREE",
    "CE-01": "HOUSING",
    "HL-01": "RODENT",
}

TABLE = Table(
    name="kpi_monthly",
    title="Monthly performance measures",
    description=(
        "Twenty-one citywide measures of the fictional city, monthly 2022-2024, with their targets. "
        "Service-level measures count requests made in the month (still-open requests count as "
        "missed); EMS by incidents in the month; permits by issue month. For a CityScore-style index "
        "score each measure as actual / target, or target / actual where lower is better (1.0 = on "
        "target), then average."
    ),
    convention="Boston CityScore (actual / target per measure, rolled up to one number); GovEx performance-measure fields.",
    fields=(
        Field("measure_id", "string", "Measure code.", required=True),
        Field("measure_name", "string", "What is measured.", required=True),
        Field("department", "string", "Department accountable.", required=True),
        Field(
            "unit",
            "string",
            "Unit of actual and target.",
            required=True,
            enum=("percent", "hours", "minutes", "days", "count"),
        ),
        Field("direction", "string", "Whether higher or lower is better.", required=True, enum=("higher", "lower")),
        Field("target", "number", "Target for the month.", required=True, decimals=2),
        Field("month", "yearmonth", "Month measured.", required=True),
        Field("actual", "number", "Value for the month.", required=True, decimals=2),
    ),
    primary_key=("measure_id", "month"),
)


def _derived(requests: pd.DataFrame, ems: pd.DataFrame, permits: pd.DataFrame) -> dict[str, pd.Series]:
    """Measures computed from the service-request, EMS and permit tables."""
    out: dict[str, pd.Series] = {}
    month = requests["requested_datetime"].dt.to_period("M")
    met = metrics.within_sla(requests)
    for mid, code in SLA_MEASURES.items():
        mask = requests["service_code"].eq(code) if code else pd.Series(True, index=requests.index)
        out[mid] = 100 * met[mask].groupby(month[mask]).mean()
    pothole = requests["service_code"].eq("POTHOLE")
    out["PW-02"] = metrics.hours_to_close(requests)[pothole].groupby(month[pothole]).median()
    intervals = metrics.ems_intervals(ems)
    ems_month = ems["call_received"].dt.to_period("M")
    p1 = ems["priority"].eq(1) & intervals["response_s"].notna()
    out["EMS-01"] = intervals["response_s"][p1].groupby(ems_month[p1]).quantile(0.9) / 60
    out["EMS-02"] = 100 * (intervals["turnout_s"] <= truth.NFPA_TURNOUT_EMS_S).groupby(ems_month).mean()
    out["EMS-03"] = 100 * (intervals["call_processing_s"] <= truth.NFPA_CALL_PROCESSING_S).groupby(ems_month).mean()
    issued = permits["issued_date"].notna()
    issue_month = permits["issued_date"].dt.to_period("M")
    alteration = issued & permits["permit_type"].eq("Residential alteration")
    out["DEV-01"] = metrics.permit_days(permits)[alteration].groupby(issue_month[alteration]).median()
    out["DEV-02"] = permits[issued].groupby(issue_month[issued]).size().astype(float)
    return out


def _synthetic(months: pd.PeriodIndex, rng: np.random.Generator) -> dict[str, pd.Series]:
    """Measures from systems not published here: calls, library, billing, vacancies."""
    m = months.month.to_numpy()
    t = np.arange(len(months))
    storm = months == pd.Period(truth.STORM_START, "M")
    calls = 89 - 4 * np.isin(m, [1, 2, 3]) - 18 * storm + 0.08 * t + rng.normal(0, 1.5, len(t))
    library = (
        88_000
        * (1 + 0.12 * np.isin(m, [6, 7, 8]) - 0.1 * np.isin(m, [12]))
        * (1 + 0.004 * t)
        * rng.lognormal(0, 0.03, len(t))
    )
    on_time = 89 + 0.03 * t + rng.normal(0, 1.0, len(t))
    vacancy = 11.5 - 0.08 * t + rng.normal(0, 0.5, len(t))
    as_series = lambda v: pd.Series(v, index=months)  # noqa: E731
    return {
        "311-02": as_series(np.clip(calls, 0, 100)),
        "LIB-01": as_series(np.round(library)),
        "FIN-01": as_series(on_time),
        "HR-01": as_series(vacancy),
    }


def generate(
    requests: pd.DataFrame, ems: pd.DataFrame, permits: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per measure and month."""
    months = pd.period_range(truth.START, truth.END, freq="M")
    values = _derived(requests, ems, permits) | _synthetic(months, rng)
    frames = []
    for m in MEASURES:
        series = values[m.measure_id].reindex(months)
        frames.append(
            pd.DataFrame(
                {
                    "measure_id": m.measure_id,
                    "measure_name": m.name,
                    "department": m.department,
                    "unit": m.unit,
                    "direction": m.direction,
                    "target": float(m.target),
                    "month": months.astype(str),
                    "actual": series.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
