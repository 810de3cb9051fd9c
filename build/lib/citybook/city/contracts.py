"""City contracts (procurement records) and monthly vendor performance on service contracts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from citybook.city import truth
from citybook.city.draws import lognormal
from citybook.city.schema import Field, ForeignKey, Table

AWARD_METHODS = (
    "competitive sealed bid",
    "request for proposals",
    "cooperative purchasing",
    "sole source",
    "emergency",
)
CYCLE_DAYS = {  # median calendar days from requisition to award, and P90/median
    "competitive sealed bid": (70, 1.9),
    "request for proposals": (125, 1.8),
    "cooperative purchasing": (25, 2.0),
    "sole source": (40, 2.2),
    "emergency": (2, 2.5),
}
BIDS = {"competitive sealed bid": 3.4, "request for proposals": 2.8}  # mean bids beyond the first
SOLICITATION_PREFIX = {
    "competitive sealed bid": "IFB",
    "request for proposals": "RFP",
    "cooperative purchasing": "COOP",
}


@dataclass(frozen=True)
class ServiceLine:
    """A kind of contract, the vendors that hold it, and how its performance is measured."""

    name: str
    department: str
    method: str
    vendors: tuple[str, ...]
    annual_value: float  # USD per vendor per year
    years: int  # contract term
    unit: str | None = None  # unit of service if performance is tracked monthly
    monthly_units: float = 0.0
    unit_cost: float = 0.0
    monthly_complaints: float = 0.0  # for a vendor performing as expected


LINES = (
    ServiceLine(
        "Residential waste collection",
        "Solid Waste Services",
        "competitive sealed bid",
        ("Tri-County Waste Haulers", "GreenRoute Disposal", "Cardinal Environmental"),
        11e6,
        5,
        "collection stops",
        260_000,
        3.4,
        120,
    ),
    ServiceLine(
        "Janitorial services",
        "General Services",
        "request for proposals",
        ("Brightline Facility Services", "Summit Clean Co.", "Pioneer Building Care"),
        1.4e6,
        3,
        "building-days cleaned",
        620,
        185.0,
        4,
    ),
    ServiceLine(
        "Tree trimming",
        "Parks and Forestry",
        "competitive sealed bid",
        ("Canopy Tree Care", "Northwind Arborists"),
        0.9e6,
        3,
        "trees trimmed",
        380,
        190.0,
        3,
    ),
    ServiceLine(
        "Street sweeping",
        "Public Works",
        "competitive sealed bid",
        ("Clearway Sweeping", "Metro Sweep Partners"),
        1.2e6,
        3,
        "curb-miles swept",
        2_100,
        46.0,
        6,
    ),
    ServiceLine(
        "Streetlight maintenance",
        "Transportation",
        "request for proposals",
        ("Lumen Electric Services",),
        1.8e6,
        3,
        "repairs completed",
        420,
        320.0,
        5,
    ),
    ServiceLine(
        "Towing",
        "Code Enforcement",
        "competitive sealed bid",
        ("Ace Towing & Recovery", "Northside Towing"),
        0.5e6,
        2,
        "vehicles towed",
        150,
        260.0,
        4,
    ),
    ServiceLine(
        "Rodent control",
        "Health",
        "request for proposals",
        ("Guardian Pest Solutions",),
        0.4e6,
        3,
        "sites treated",
        210,
        150.0,
        3,
    ),
    ServiceLine(
        "Security guard services",
        "General Services",
        "request for proposals",
        ("Sentinel Security Services", "Watchpoint Protective"),
        2.1e6,
        3,
        "guard-hours",
        5_200,
        31.0,
        3,
    ),
    ServiceLine(
        "Annual paving",
        "Public Works",
        "competitive sealed bid",
        ("Ambrel Paving & Grading", "Keystone Asphalt", "Delta Road Builders"),
        4.0e6,
        1,
    ),
    ServiceLine(
        "Engineering design",
        "Public Works",
        "request for proposals",
        ("Halvorsen Engineering", "Marisol Design Partners", "Rivera & Chen Consulting"),
        0.6e6,
        2,
    ),
    ServiceLine(
        "Water main repair", "Water Utility", "competitive sealed bid", ("Ironbridge Utility Contractors",), 3.2e6, 2
    ),
    ServiceLine("Water meters", "Water Utility", "sole source", ("AquaMetrics Inc.",), 1.5e6, 3),
    ServiceLine("311 CRM software", "311 Customer Service", "sole source", ("CivicWorks Software",), 0.45e6, 3),
    ServiceLine(
        "Analytics platform", "Information Technology", "cooperative purchasing", ("Datapoint Analytics",), 0.3e6, 1
    ),
    ServiceLine(
        "Fleet maintenance", "General Services", "request for proposals", ("Ridgeline Fleet Services",), 2.4e6, 3
    ),
    ServiceLine("Print and mail", "Finance", "competitive sealed bid", ("Beacon Print & Mail",), 0.35e6, 2),
    ServiceLine("Text messaging platform", "Finance", "sole source", ("TextReach Communications",), 0.08e6, 2),
    ServiceLine("Office supplies", "General Services", "cooperative purchasing", ("OfficeHub Supply",), 0.5e6, 1),
    ServiceLine("Temporary staffing", "Human Resources", "cooperative purchasing", ("StaffBridge Temps",), 0.9e6, 1),
    ServiceLine(
        "Demolition of unsafe buildings",
        "Code Enforcement",
        "competitive sealed bid",
        ("Foundry Demolition", "Quarry Road Wrecking"),
        0.7e6,
        1,
    ),
    ServiceLine(
        "Landscaping",
        "Parks and Forestry",
        "competitive sealed bid",
        ("Verdant Grounds", "Juniper Landscapes"),
        0.6e6,
        2,
    ),
)
SMALL_VENDORS = (
    "Alder Point Printing",
    "Bellfield Hardware",
    "Copper Hill Electric",
    "Eastbank Catering",
    "Ferry Row Signs",
    "Glenmoor Plumbing",
    "Highmarket Uniforms",
    "Lamplight Media",
    "Millrace Welding",
    "Old Town Locksmiths",
    "Orchard Hill Nursery",
    "Rosales Translation Services",
    "Sauce Grove Courier",
    "Tanners Row Upholstery",
    "Valle Verde Cleaning",
    "Westbank Auto Glass",
    "Crane Landing Surveying",
    "Linden Grove Consulting",
)
SMALL_DEPARTMENTS = (
    "Public Works",
    "Parks and Forestry",
    "Library",
    "Police",
    "Fire and EMS",
    "Finance",
    "Planning and Development",
    "Housing",
    "Health",
    "Code Enforcement",
)
EMERGENCY_VENDOR = "Rapid Response Tree Service"
LARGE_VENDOR_VALUE = 1.0e6  # vendors with a contract above this annual value are "large"
LOCAL_SHARE = {"small": 0.75, "large": 0.3}
WEAK_COMPLAINTS = 3.0  # under-performing vendors draw this many times the complaints

CONTRACTS = Table(
    name="contracts",
    title="Contracts",
    description=(
        "Contracts of the fictional city of Corvella running in 2022-2024 (some awarded in late 2021): who, how (award method and "
        "number of bids), how much and when. Procurement cycle time = award_date - requisition_date. "
        "Compare similar contractors within a service_line. The city still lacks outcome metrics on "
        "most contracts and reviews few of them quarterly."
    ),
    convention="Open contracting style award records; procurement KPIs as in the Harvard Kennedy School Government Performance Lab's results-driven contracting guidance.",
    fields=(
        Field("contract_id", "string", "Contract number.", required=True),
        Field(
            "solicitation_id",
            "string",
            "Solicitation the contract was awarded from (empty for sole-source and emergency awards).",
        ),
        Field("department", "string", "Department that holds the contract.", required=True),
        Field("service_line", "string", "What is bought; contracts in one line are comparable.", required=True),
        Field("vendor_id", "string", "Vendor identifier.", required=True),
        Field("vendor_name", "string", "Vendor (fictional).", required=True),
        Field("vendor_size", "string", "Small or large business.", required=True, enum=("small", "large")),
        Field("local", "boolean", "True if the vendor is based in the city.", required=True),
        Field("award_method", "string", "How the contract was awarded.", required=True, enum=AWARD_METHODS),
        Field(
            "bids_received",
            "integer",
            "Bids or proposals received (1 for sole source and emergency; empty for cooperative purchases).",
            minimum=1,
        ),
        Field("amount", "number", "Total contract value.", unit="USD", required=True, minimum=0, decimals=2),
        Field("requisition_date", "date", "Department asked for the purchase.", required=True),
        Field("award_date", "date", "Contract awarded.", required=True),
        Field("start_date", "date", "Contract term starts.", required=True),
        Field("end_date", "date", "Contract term ends.", required=True),
        Field("has_outcome_metrics", "boolean", "True if the contract defines outcome measures.", required=True),
        Field(
            "reviewed_quarterly",
            "boolean",
            "True if the department reviews the vendor's performance at least quarterly.",
            required=True,
        ),
    ),
    primary_key=("contract_id",),
)

PERFORMANCE = Table(
    name="vendor_performance",
    title="Vendor performance by month",
    description=(
        "Monthly performance of the fictional city's service contracts that report it: units of "
        "service delivered; two leading indicators (on-time rate, staffing fill rate) and three "
        "lagging ones (complaints, cost per unit, customer satisfaction from a monthly pulse survey, "
        "empty in months without one). Compare vendors within a service_line."
    ),
    convention="Active contract management with a handful of leading and lagging indicators, as in the Government Performance Lab's results-driven contracting.",
    fields=(
        Field("contract_id", "string", "Contract (see contracts).", required=True),
        Field("month", "yearmonth", "Month of service.", required=True),
        Field("service_line", "string", "What is bought.", required=True),
        Field("vendor_name", "string", "Vendor.", required=True),
        Field("unit", "string", "Unit of service.", required=True),
        Field("units_delivered", "integer", "Units of service delivered.", required=True, minimum=0),
        Field(
            "on_time_rate",
            "number",
            "Leading: share of scheduled work done on schedule.",
            unit="proportion",
            required=True,
            minimum=0,
            maximum=1,
            decimals=3,
        ),
        Field(
            "staffing_fill_rate",
            "number",
            "Leading: share of the contracted crew positions filled.",
            unit="proportion",
            required=True,
            minimum=0,
            maximum=1,
            decimals=3,
        ),
        Field(
            "complaints",
            "integer",
            "Lagging: resident or staff complaints about the service.",
            required=True,
            minimum=0,
        ),
        Field(
            "cost_per_unit",
            "number",
            "Lagging: amount invoiced / units delivered.",
            unit="USD per unit",
            required=True,
            minimum=0,
            decimals=2,
        ),
        Field(
            "customer_satisfaction",
            "number",
            "Lagging: mean rating in the monthly pulse survey (1-5).",
            unit="rating (1-5)",
            minimum=1,
            maximum=5,
            decimals=2,
        ),
    ),
    primary_key=("contract_id", "month"),
    foreign_keys=(ForeignKey(("contract_id",), "contracts", ("contract_id",)),),
)


def _award_rows(rng: np.random.Generator) -> list[dict]:
    """Awards for every service line: multi-year terms renewed on expiry, annual buys each year."""
    rows = []
    for line in LINES:
        for vendor in line.vendors:
            start_year = 2022
            while start_year <= 2024:
                start = pd.Timestamp(start_year, 1, 1) + pd.Timedelta(
                    days=int(rng.integers(0, 150)) if line.years == 1 else 0
                )
                rows.append(
                    {
                        "line": line,
                        "vendor": vendor,
                        "start": start,
                        "years": line.years,
                        "value": line.annual_value * line.years * float(lognormal(rng, 1.0, 1.3)),
                    }
                )
                start_year += line.years
    storm = pd.Timestamp(truth.STORM_START)
    rows.append(
        {
            "line": None,
            "vendor": EMERGENCY_VENDOR,
            "start": storm + pd.Timedelta(days=2),
            "years": 0.25,
            "value": 1.85e6,
            "service_line": "Storm debris and tree removal",
            "department": "Parks and Forestry",
            "method": "emergency",
        }
    )
    for _ in range(120):
        start = pd.Timestamp(truth.START) + pd.Timedelta(days=int(rng.integers(30, 1080)))
        method = str(
            rng.choice(["competitive sealed bid", "cooperative purchasing", "sole source"], p=[0.55, 0.25, 0.20])
        )
        rows.append(
            {
                "line": None,
                "vendor": str(rng.choice(SMALL_VENDORS)),
                "start": start,
                "years": 1,
                "value": float(lognormal(rng, 60_000, 2.5)),
                "service_line": "Goods and minor services",
                "department": str(rng.choice(SMALL_DEPARTMENTS)),
                "method": method,
            }
        )
    return rows


def contracts(rng: np.random.Generator) -> pd.DataFrame:
    """The contract register."""
    rows = _award_rows(rng)
    names = sorted({r["vendor"] for r in rows})
    vendor_id = {v: f"V{i + 1:03d}" for i, v in enumerate(names)}
    biggest = {}
    for r in rows:
        annual = r["value"] / max(r["years"], 1)
        biggest[r["vendor"]] = max(biggest.get(r["vendor"], 0), annual)
    size = {v: "large" if biggest[v] > LARGE_VENDOR_VALUE else "small" for v in names}
    local = {v: bool(rng.random() < LOCAL_SHARE[size[v]]) for v in names}
    records = []
    for r in sorted(rows, key=lambda r: (r["start"], r["vendor"])):
        line = r["line"]
        method = line.method if line else r["method"]
        median, ratio = CYCLE_DAYS[method]
        cycle = max(1, int(round(float(lognormal(rng, median, ratio)))))
        award = r["start"] - pd.Timedelta(days=int(rng.integers(7, 30)) if method != "emergency" else 0)
        bids = (
            1 + int(rng.poisson(BIDS[method]))
            if method in BIDS
            else (None if method == "cooperative purchasing" else 1)
        )
        service = method not in ("cooperative purchasing",) and (line is not None and line.unit is not None)
        metrics = bool(rng.random() < (0.85 if service else 0.15))
        records.append(
            {
                "award_method": method,
                "award_date": award,
                "requisition_date": award - pd.Timedelta(days=cycle),
                "start_date": r["start"],
                "end_date": r["start"] + pd.Timedelta(days=int(365 * r["years"]) - 1),
                "department": line.department if line else r["department"],
                "service_line": line.name if line else r["service_line"],
                "vendor_id": vendor_id[r["vendor"]],
                "vendor_name": r["vendor"],
                "vendor_size": size[r["vendor"]],
                "local": local[r["vendor"]],
                "bids_received": bids,
                "amount": round(r["value"], 2),
                "has_outcome_metrics": metrics,
                "reviewed_quarterly": bool(rng.random() < (0.55 if metrics else 0.08)),
            }
        )
    frame = pd.DataFrame(records).sort_values(["award_date", "vendor_id"], kind="stable", ignore_index=True)
    year = frame["award_date"].dt.year
    frame["contract_id"] = [f"C-{y}-{k:04d}" for y, k in zip(year, frame.groupby(year).cumcount() + 1)]
    counter = iter(range(1, 10_000))
    frame["solicitation_id"] = [
        f"{SOLICITATION_PREFIX[m]}-{r.year}-{next(counter):03d}" if m in SOLICITATION_PREFIX else None
        for m, r in zip(frame["award_method"], frame["requisition_date"])
    ]
    frame["bids_received"] = frame["bids_received"].astype("Int64")
    return frame[CONTRACTS.columns]


def performance(register: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly indicators for contracts in lines that measure a unit of service; two vendors lag."""
    by_name = {line.name: line for line in LINES if line.unit}
    rows = []
    for c in register[register["service_line"].isin(list(by_name))].itertuples():
        line = by_name[c.service_line]
        weak = c.vendor_name in truth.UNDERPERFORMING_VENDORS
        first = max(pd.Timestamp(c.start_date), pd.Timestamp(truth.START)).to_period("M")
        last = min(pd.Timestamp(c.end_date), pd.Timestamp(truth.END)).to_period("M")
        for month in pd.period_range(first, last, freq="M"):
            units = int(rng.poisson(line.monthly_units * (0.9 if weak else 1.0)))
            on_time = float(np.clip(rng.normal(0.86 if weak else 0.955, 0.025), 0, 1))
            fill = float(np.clip(rng.normal(0.82 if weak else 0.95, 0.03), 0, 1))
            complaints = int(rng.poisson(line.monthly_complaints * (WEAK_COMPLAINTS if weak else 1.0)))
            cost = line.unit_cost * float(lognormal(rng, 0.93 if weak else 1.0, 1.05))
            survey = rng.random() < 0.8
            satisfaction = float(np.clip(rng.normal(3.1 if weak else 4.0, 0.18), 1, 5)) if survey else None
            rows.append(
                {
                    "contract_id": c.contract_id,
                    "month": str(month),
                    "service_line": c.service_line,
                    "vendor_name": c.vendor_name,
                    "unit": line.unit,
                    "units_delivered": units,
                    "on_time_rate": on_time,
                    "staffing_fill_rate": fill,
                    "complaints": complaints,
                    "cost_per_unit": cost,
                    "customer_satisfaction": satisfaction,
                }
            )
    return pd.DataFrame(rows)[PERFORMANCE.columns].sort_values(["contract_id", "month"], ignore_index=True)
