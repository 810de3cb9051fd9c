"""The 311 service catalogue: what residents can request, who does it, and the service level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from citybook.city.schema import Field, Table

# relative monthly volume profiles (January first), each averaging 1
FLAT = (1,) * 12
FREEZE_THAW = (1.3, 2.2, 2.6, 1.9, 1.1, 0.8, 0.7, 0.6, 0.6, 0.6, 0.7, 0.9)
SUMMER = (0.6, 0.6, 0.8, 1.0, 1.2, 1.4, 1.5, 1.4, 1.2, 1.0, 0.7, 0.6)
WINTER = (1.4, 1.4, 1.1, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.4)
MOVING = (0.7, 0.7, 0.9, 1.1, 1.2, 1.3, 1.3, 1.3, 1.1, 0.9, 0.8, 0.7)
RAIN = (0.7, 0.7, 1.0, 1.3, 1.4, 1.3, 1.1, 1.0, 1.0, 1.0, 0.8, 0.7)
# relative volume by weekday (Monday first)
WEEKDAY = (1.18, 1.12, 1.08, 1.05, 1.0, 0.62, 0.55)
WEEKEND_HEAVY = (0.8, 0.75, 0.8, 0.9, 1.1, 1.5, 1.45)


@dataclass(frozen=True)
class Service:
    """One request type, with its public catalogue entry and the generator's parameters."""

    code: str
    name: str
    department: str
    sla_value: int
    sla_unit: str  # "hours" (calendar, crews work around the clock) or "business days"
    description: str
    annual_volume: float  # requests a year citywide
    median_hours: float  # typical time to close
    p90_ratio: float  # 90th percentile / median of time to close
    income_slope: float  # volume multiplier exp(slope x standardised log income): < 0 leans low-income
    season: tuple[float, ...] = FLAT
    weekday: tuple[float, ...] = WEEKDAY
    night: bool = False  # reported mostly in the evening and at night
    storm_surge: float = 0.0  # extra volume on the storm's first day, in multiples of normal
    storm_decay_days: float = 2.0


SERVICES: tuple[Service, ...] = (
    Service(
        "POTHOLE",
        "Pothole",
        "Public Works",
        72,
        "hours",
        "A hole in the road surface.",
        6800,
        40,
        3.2,
        0.15,
        FREEZE_THAW,
    ),
    Service(
        "SIDEWALK",
        "Sidewalk Repair",
        "Public Works",
        60,
        "business days",
        "Broken, lifted or missing sidewalk.",
        700,
        800,
        3.0,
        0.10,
    ),
    Service(
        "STREETLIGHT",
        "Streetlight Out",
        "Transportation",
        10,
        "business days",
        "A streetlight that is out, flickering or on during the day.",
        2200,
        110,
        3.5,
        0.0,
        WINTER,
        storm_surge=3.0,
        storm_decay_days=3.0,
    ),
    Service(
        "SIGNAL",
        "Traffic Signal Malfunction",
        "Transportation",
        24,
        "hours",
        "A traffic signal that is dark, stuck or mistimed.",
        650,
        5,
        4.0,
        0.2,
        storm_surge=6.0,
        storm_decay_days=1.5,
    ),
    Service(
        "WATERLEAK",
        "Water Leak",
        "Water Utility",
        24,
        "hours",
        "Water leaking from a main, hydrant or meter in the street.",
        1100,
        8,
        4.0,
        0.0,
        WINTER,
    ),
    Service(
        "DRAIN",
        "Clogged Storm Drain",
        "Water Utility",
        3,
        "business days",
        "A blocked storm drain or flooding in the street.",
        700,
        45,
        4.0,
        0.0,
        RAIN,
        storm_surge=8.0,
        storm_decay_days=2.0,
    ),
    Service(
        "TRASH",
        "Missed Trash Pickup",
        "Solid Waste Services",
        2,
        "business days",
        "Household trash or recycling not collected on the scheduled day.",
        3800,
        22,
        3.5,
        0.35,
    ),
    Service(
        "BULKY",
        "Bulky Item Pickup",
        "Solid Waste Services",
        10,
        "business days",
        "Collection of furniture, appliances or other large items.",
        3200,
        120,
        3.0,
        -0.10,
        MOVING,
    ),
    Service(
        "DUMPING",
        "Illegal Dumping",
        "Solid Waste Services",
        5,
        "business days",
        "Rubbish dumped on public land or in an alley.",
        2400,
        75,
        4.0,
        -0.70,
    ),
    Service(
        "GRAFFITI",
        "Graffiti Removal",
        "Code Enforcement",
        7,
        "business days",
        "Graffiti on public property or visible from the street.",
        1700,
        110,
        4.0,
        -0.30,
    ),
    Service(
        "VEHICLE",
        "Abandoned Vehicle",
        "Code Enforcement",
        10,
        "business days",
        "A vehicle parked on the street for more than 72 hours or inoperable.",
        1900,
        160,
        3.5,
        -0.45,
    ),
    Service(
        "HOUSING",
        "Housing Code Violation",
        "Code Enforcement",
        20,
        "business days",
        "Unsafe or unsanitary rental housing conditions.",
        1600,
        380,
        3.2,
        -0.90,
    ),
    Service(
        "NOISE",
        "Noise Complaint",
        "Code Enforcement",
        48,
        "hours",
        "Persistent noise from a party, business or construction after hours.",
        2100,
        6,
        5.0,
        0.30,
        SUMMER,
        WEEKEND_HEAVY,
        night=True,
    ),
    Service(
        "TREE",
        "Tree Maintenance",
        "Parks and Forestry",
        30,
        "business days",
        "Pruning or removal of a street tree.",
        1300,
        450,
        3.5,
        0.60,
        SUMMER,
    ),
    Service(
        "TREEDOWN",
        "Fallen Tree or Limb",
        "Parks and Forestry",
        24,
        "hours",
        "A tree or large limb down across a street or sidewalk.",
        450,
        18,
        4.0,
        0.20,
        SUMMER,
        storm_surge=25.0,
        storm_decay_days=2.5,
    ),
    Service(
        "RODENT",
        "Rodent Complaint",
        "Health",
        5,
        "business days",
        "Rats or mice seen outdoors or in a vacant building.",
        1000,
        70,
        3.5,
        -0.60,
        SUMMER,
    ),
)
BY_CODE = {s.code: s for s in SERVICES}
DEPARTMENTS = tuple(dict.fromkeys(s.department for s in SERVICES))

TABLE = Table(
    name="service_catalog",
    title="311 service catalogue",
    description=(
        "The request types residents can make through 311, the department responsible and the "
        "service level: the time within which a request should be closed, in calendar hours or in "
        "business days (weekdays that are not city holidays; see holidays.csv)."
    ),
    convention="Open311 GeoReport v2 service list (service_code, service_name, description, group) with a service-level agreement added.",
    fields=(
        Field("service_code", "string", "Code of the request type.", required=True),
        Field("service_name", "string", "Name of the request type.", required=True),
        Field("agency_responsible", "string", "Department that does the work.", required=True, enum=DEPARTMENTS),
        Field("sla_value", "integer", "Service level: close within this many units.", required=True, minimum=1),
        Field("sla_unit", "string", "Unit of the service level.", required=True, enum=("hours", "business days")),
        Field("description", "string", "What the request is for."),
    ),
    primary_key=("service_code",),
)


def catalog() -> pd.DataFrame:
    """The service catalogue as published."""
    return pd.DataFrame(
        {
            "service_code": [s.code for s in SERVICES],
            "service_name": [s.name for s in SERVICES],
            "agency_responsible": [s.department for s in SERVICES],
            "sla_value": [s.sla_value for s in SERVICES],
            "sla_unit": [s.sla_unit for s in SERVICES],
            "description": [s.description for s in SERVICES],
        }
    )


def column(attribute: str) -> np.ndarray:
    """One parameter for every service, in catalogue order."""
    return np.array([getattr(s, attribute) for s in SERVICES])
