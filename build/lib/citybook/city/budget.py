"""The operating budget by programme: adopted vs actual spending, staff, outputs and outcomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from citybook.city import metrics, truth
from citybook.city.schema import Field, Table

Tables = dict[str, pd.DataFrame]
Measure = Callable[[Tables, int], float]


def _closed(codes: tuple[str, ...]) -> Measure:
    """Requests of these types closed during the year."""

    def measure(t: Tables, year: int) -> float:
        r = t["service_requests"]
        return float((r["service_code"].isin(codes) & r["closed_datetime"].dt.year.eq(year)).sum())

    return measure


def _sla(codes: tuple[str, ...] | None) -> Measure:
    """Percent of requests of these types made during the year that met the service level."""

    def measure(t: Tables, year: int) -> float:
        r = t["service_requests"]
        mask = r["requested_datetime"].dt.year.eq(year) & (r["service_code"].isin(codes) if codes else True)
        return float(100 * metrics.within_sla(r[mask]).mean())

    return measure


def _received(t: Tables, year: int) -> float:
    return float(t["service_requests"]["requested_datetime"].dt.year.eq(year).sum())


def _ems_incidents(t: Tables, year: int) -> float:
    return float(t["ems_incidents"]["call_received"].dt.year.eq(year).sum())


def _ems_p1_on_time(t: Tables, year: int) -> float:
    e = t["ems_incidents"]
    mask = e["call_received"].dt.year.eq(year) & e["priority"].eq(1) & e["on_scene"].notna()
    return float(100 * (metrics.ems_intervals(e[mask])["response_s"] <= truth.AMBULANCE_RESPONSE_S).mean())


def _permits_issued(t: Tables, year: int) -> float:
    return float(t["permits"]["issued_date"].dt.year.eq(year).sum())


def _permit_median_days(t: Tables, year: int) -> float:
    p = t["permits"]
    return float(metrics.permit_days(p[p["issued_date"].dt.year.eq(year)]).median())


def _lane_miles_treated(t: Tables, year: int) -> float:
    c = t["pavement_condition"].merge(t["pavement_segments"][["segment_id", "lane_miles"]], on="segment_id")
    return float(c.loc[c["survey_year"].eq(year) & c["treatment"].ne("none"), "lane_miles"].sum())


def _network_pci(t: Tables, year: int) -> float:
    c = t["pavement_condition"].merge(t["pavement_segments"][["segment_id", "lane_miles"]], on="segment_id")
    c = c[c["survey_year"].eq(year)]
    return float(np.average(c["pci"], weights=c["lane_miles"]))


def _missed_per_10k_stops(t: Tables, year: int) -> float:
    r, v = t["service_requests"], t["vendor_performance"]
    missed = (r["service_code"].eq("TRASH") & r["requested_datetime"].dt.year.eq(year)).sum()
    stops = v.loc[
        v["service_line"].eq("Residential waste collection") & v["month"].str.startswith(str(year)), "units_delivered"
    ].sum()
    return float(10_000 * missed / stops)


def _collection_stops(t: Tables, year: int) -> float:
    v = t["vendor_performance"]
    return float(
        v.loc[
            v["service_line"].eq("Residential waste collection") & v["month"].str.startswith(str(year)),
            "units_delivered",
        ].sum()
    )


def _contracts_awarded(t: Tables, year: int) -> float:
    return float(t["contracts"]["award_date"].dt.year.eq(year).sum())


def _procurement_days(t: Tables, year: int) -> float:
    c = t["contracts"]
    c = c[c["award_date"].dt.year.eq(year)]
    return float(((c["award_date"] - c["requisition_date"]).dt.days).median())


@dataclass(frozen=True)
class _Steady:
    """A measure from a system not published here: a level that grows slowly, plus noise."""

    level: float
    growth: float = 0.02
    noise: float = 0.03

    def __call__(self, t: Tables, year: int) -> float:
        return self.level * (1 + self.growth) ** (year - 2022)


@dataclass(frozen=True)
class Program:
    """A budget programme and its family of measures."""

    department: str
    program: str
    adopted_2022: float  # USD
    fte_2022: float
    output_measure: str
    output: Measure
    outcome_measure: str
    outcome: Measure


PROGRAMS = (
    Program(
        "Public Works",
        "Pothole Repair",
        6.2e6,
        48,
        "Pothole requests closed",
        _closed(("POTHOLE",)),
        "Pothole requests closed within 72 hours (%)",
        _sla(("POTHOLE",)),
    ),
    Program(
        "Public Works",
        "Pavement Preservation",
        10.5e6,
        22,
        "Lane-miles treated",
        _lane_miles_treated,
        "Network PCI, lane-mile weighted (spring survey)",
        _network_pci,
    ),
    Program(
        "Public Works",
        "Sidewalk Repair",
        3.1e6,
        19,
        "Sidewalk requests closed",
        _closed(("SIDEWALK",)),
        "Sidewalk requests closed within service level (%)",
        _sla(("SIDEWALK",)),
    ),
    Program(
        "Transportation",
        "Street Lighting",
        4.4e6,
        21,
        "Streetlight requests closed",
        _closed(("STREETLIGHT",)),
        "Streetlight requests closed within service level (%)",
        _sla(("STREETLIGHT",)),
    ),
    Program(
        "Transportation",
        "Traffic Signals",
        5.0e6,
        26,
        "Signal requests closed",
        _closed(("SIGNAL",)),
        "Signal requests closed within 24 hours (%)",
        _sla(("SIGNAL",)),
    ),
    Program(
        "Solid Waste Services",
        "Residential Collection",
        36.5e6,
        64,
        "Collection stops",
        _collection_stops,
        "Missed-pickup requests per 10,000 stops",
        _missed_per_10k_stops,
    ),
    Program(
        "Solid Waste Services",
        "Bulky Item and Illegal Dumping",
        5.8e6,
        41,
        "Bulky and dumping requests closed",
        _closed(("BULKY", "DUMPING")),
        "Bulky and dumping requests closed within service level (%)",
        _sla(("BULKY", "DUMPING")),
    ),
    Program(
        "Water Utility",
        "Water Distribution",
        38.0e6,
        182,
        "Leak requests closed",
        _closed(("WATERLEAK",)),
        "Leaks responded to within 24 hours (%)",
        _sla(("WATERLEAK",)),
    ),
    Program(
        "Water Utility",
        "Stormwater",
        12.0e6,
        58,
        "Drain requests closed",
        _closed(("DRAIN",)),
        "Drain requests closed within service level (%)",
        _sla(("DRAIN",)),
    ),
    Program(
        "Parks and Forestry",
        "Urban Forestry",
        4.8e6,
        33,
        "Tree requests closed",
        _closed(("TREE", "TREEDOWN")),
        "Tree requests closed within service level (%)",
        _sla(("TREE", "TREEDOWN")),
    ),
    Program(
        "Parks and Forestry",
        "Park Maintenance",
        14.5e6,
        121,
        "Park acres maintained",
        _Steady(2_140, 0.005, 0.0),
        "Residents rating parks good or excellent (%)",
        _Steady(71, 0.0, 0.02),
    ),
    Program(
        "Code Enforcement",
        "Housing Inspections",
        4.2e6,
        38,
        "Housing cases closed",
        _closed(("HOUSING",)),
        "Housing cases closed within 20 business days (%)",
        _sla(("HOUSING",)),
    ),
    Program(
        "Code Enforcement",
        "Neighborhood Nuisance",
        3.6e6,
        30,
        "Graffiti, vehicle and noise requests closed",
        _closed(("GRAFFITI", "VEHICLE", "NOISE")),
        "Nuisance requests closed within service level (%)",
        _sla(("GRAFFITI", "VEHICLE", "NOISE")),
    ),
    Program(
        "Health",
        "Vector Control",
        1.3e6,
        9,
        "Rodent complaints closed",
        _closed(("RODENT",)),
        "Rodent complaints closed within 5 business days (%)",
        _sla(("RODENT",)),
    ),
    Program(
        "Fire and EMS",
        "Emergency Medical Services",
        47.0e6,
        310,
        "EMS incidents",
        _ems_incidents,
        "Priority 1 incidents reached within 8:59 (%)",
        _ems_p1_on_time,
    ),
    Program(
        "Fire and EMS",
        "Fire Suppression",
        71.0e6,
        420,
        "Fire incidents",
        _Steady(2_350, 0.01),
        "Structure fires confined to room of origin (%)",
        _Steady(68, 0.01, 0.02),
    ),
    Program(
        "Police",
        "Patrol",
        96.0e6,
        690,
        "Calls for service handled",
        _Steady(212_000, 0.015),
        "Priority 1 calls reached within 10 minutes (%)",
        _Steady(74, 0.0, 0.02),
    ),
    Program(
        "Police",
        "Investigations",
        31.0e6,
        190,
        "Cases assigned",
        _Steady(9_800, 0.01),
        "Violent-crime clearance rate (%)",
        _Steady(46, 0.0, 0.04),
    ),
    Program(
        "Planning and Development",
        "Building Permits",
        7.4e6,
        61,
        "Permits issued",
        _permits_issued,
        "Median days from complete application to permit",
        _permit_median_days,
    ),
    Program(
        "Planning and Development",
        "Building Inspections",
        6.1e6,
        52,
        "Inspections performed",
        _Steady(48_000, 0.02),
        "Inspections done within 1 business day of request (%)",
        _Steady(83, 0.0, 0.02),
    ),
    Program(
        "311 Customer Service",
        "Contact Center",
        3.9e6,
        44,
        "Service requests received",
        _received,
        "Requests closed within service level (%)",
        _sla(None),
    ),
    Program(
        "Library",
        "Branch Services",
        18.5e6,
        160,
        "Library visits",
        _Steady(1_110_000, 0.02),
        "Cardholders per 1,000 residents",
        _Steady(412, 0.01, 0.01),
    ),
    Program(
        "Finance",
        "Revenue Collection",
        5.2e6,
        47,
        "Delinquent accounts worked",
        _Steady(31_000, 0.01),
        "Delinquent balances collected within 90 days (%)",
        _Steady(58, 0.0, 0.03),
    ),
    Program(
        "Finance",
        "Procurement",
        2.6e6,
        24,
        "Contracts awarded",
        _contracts_awarded,
        "Median days from requisition to award",
        _procurement_days,
    ),
    Program(
        "Information Technology",
        "IT Service Desk",
        4.7e6,
        29,
        "Tickets resolved",
        _Steady(41_000, 0.03),
        "Tickets resolved within service level (%)",
        _Steady(86, 0.0, 0.02),
    ),
    Program(
        "Human Resources",
        "Recruitment",
        2.9e6,
        23,
        "Positions filled",
        _Steady(610, 0.04),
        "Median days to hire",
        _Steady(74, -0.04, 0.05),
    ),
    Program(
        "Housing",
        "Rental Assistance",
        9.8e6,
        18,
        "Households assisted",
        _Steady(2_300, 0.05),
        "Households stably housed 12 months later (%)",
        _Steady(81, 0.0, 0.03),
    ),
    Program(
        "Mayor's Office",
        "Performance and Analytics",
        1.1e6,
        8,
        "Stat meetings held",
        _Steady(46, 0.1, 0.05),
        "Stat follow-up items closed on time (%)",
        _Steady(62, 0.05, 0.04),
    ),
)
# planted over- and under-spending: actual / adopted by programme and year
SPENDING = {
    ("Emergency Medical Services", 2022): 1.07,
    ("Emergency Medical Services", 2023): 1.08,
    ("Emergency Medical Services", 2024): 1.09,  # ambulance overtime, every year
    ("Urban Forestry", 2023): 1.24,  # the July 2023 storm and its emergency contract
    ("Pothole Repair", 2023): 1.12,  # the harsh 2023 freeze-thaw season
    ("Housing Inspections", 2022): 0.86,
    ("Housing Inspections", 2023): 0.88,
    ("Housing Inspections", 2024): 0.87,  # inspector vacancies
}
PAVEMENT_OVERHEAD = 0.9e6  # non-treatment cost of the pavement programme a year

TABLE = Table(
    name="budget",
    title="Operating budget by programme",
    description=(
        "The fictional city's operating budget by programme, fiscal years 2022-2024 (the fiscal "
        "year is the calendar year): adopted and actual spending, budgeted staff (FTE), and a "
        "family of measures: one output (what was done) and one outcome (what it achieved). Cost "
        "per unit = actual / output_value. Where a measure can be computed from other tables "
        "(311 requests, EMS, permits, pavement, contracts) it is."
    ),
    convention="GovEx family of measures (input, output, efficiency, outcome) and GFOA programme budgeting.",
    fields=(
        Field("fiscal_year", "integer", "Fiscal year (= calendar year).", required=True, minimum=2022, maximum=2024),
        Field("department", "string", "Department.", required=True),
        Field("program", "string", "Programme.", required=True),
        Field("adopted", "number", "Adopted budget.", unit="USD", required=True, minimum=0, decimals=2),
        Field("actual", "number", "Actual spending.", unit="USD", required=True, minimum=0, decimals=2),
        Field(
            "fte", "number", "Budgeted full-time-equivalent staff.", unit="FTE", required=True, minimum=0, decimals=1
        ),
        Field("output_measure", "string", "Output measured.", required=True),
        Field("output_value", "number", "Output for the year.", required=True, minimum=0, decimals=1),
        Field("outcome_measure", "string", "Outcome measured (its unit in brackets).", required=True),
        Field("outcome_value", "number", "Outcome for the year.", required=True, decimals=1),
    ),
    primary_key=("fiscal_year", "program"),
)


def generate(tables: Tables, rng: np.random.Generator) -> pd.DataFrame:
    """One row per programme and fiscal year."""
    rows = []
    for year in truth.YEARS:
        for p in PROGRAMS:
            growth = 1.03 ** (year - 2022)
            adopted = round(p.adopted_2022 * growth * float(rng.normal(1, 0.01)), -3)
            if p.program == "Pavement Preservation":
                c = tables["pavement_condition"]
                actual = c.loc[c["survey_year"].eq(year), "treatment_cost"].sum() + PAVEMENT_OVERHEAD
            else:
                actual = adopted * SPENDING.get((p.program, year), float(np.clip(rng.normal(0.975, 0.015), 0.93, 1.0)))
            values = []
            for measure in (p.output, p.outcome):
                value = measure(tables, year)
                noisy = isinstance(measure, _Steady) and measure.noise > 0
                values.append(value * float(rng.normal(1, measure.noise)) if noisy else value)
            rows.append(
                {
                    "fiscal_year": year,
                    "department": p.department,
                    "program": p.program,
                    "adopted": adopted,
                    "actual": round(actual, 2),
                    "fte": round(p.fte_2022 * (1 + 0.01 * (year - 2022)), 1),
                    "output_measure": p.output_measure,
                    "output_value": values[0],
                    "outcome_measure": p.outcome_measure,
                    "outcome_value": values[1],
                }
            )
    return pd.DataFrame(rows)[TABLE.columns]
