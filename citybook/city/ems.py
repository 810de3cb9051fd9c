"""Emergency medical incidents with NFPA 1710 time stamps (call, dispatch, en route, on scene)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from citybook.city import calendar, geography, truth
from citybook.city.draws import categorical, lognormal
from citybook.city.schema import Field, ForeignKey, Table

INCIDENTS_PER_1000_A_YEAR = 42.0
PRIORITIES = (1, 2, 3)
PRIORITY_SHARES = (0.35, 0.40, 0.25)
DISPOSITIONS = ("transported", "treated, not transported", "refused care", "cancelled en route")
CANCELLED_SHARE = 0.03
MUTUAL_AID_SHARE = 0.12  # a unit from another district's station answers
HOURLY = np.array(
    [
        2.2,
        1.9,
        1.7,
        1.5,
        1.4,
        1.5,
        2.1,
        3.0,
        3.9,
        4.6,
        5.0,
        5.2,
        5.3,
        5.3,
        5.2,
        5.1,
        5.1,
        5.0,
        4.8,
        4.5,
        4.1,
        3.6,
        3.1,
        2.6,
    ]
)
MONTHLY = (1.08, 1.02, 0.98, 0.95, 0.97, 1.0, 1.05, 1.04, 0.98, 0.96, 0.97, 1.0)
CALL_PROCESSING = {"median_s": 48, "p90_ratio": 1.9}
TURNOUT = {"median_s": 42, "p90_ratio": 1.7}
TRAVEL = {"median_s": 235, "p90_ratio": 1.85}
TRAVEL_DISTANCE_GAIN = 0.45  # travel multiplier grows by this per unit of (district distance / mean distance - 1)
FARTHEST_DISTRICT_EXTRA = 0.10  # the farthest district's one station sits on its inner edge
MUTUAL_AID_TRAVEL = 1.35

TABLE = Table(
    name="ems_incidents",
    title="Emergency medical incidents",
    description=(
        "Ambulance (EMS) incidents of the fictional city of Corvella, 2022-2024, one row per incident "
        "with the first-arriving unit's time stamps to the second (naive local time, UTC-06:00). "
        "Intervals: call processing = dispatched - call_received; turnout = en_route - dispatched; "
        "travel = on_scene - en_route; response = on_scene - call_received. Report the 90th "
        "percentile, not the mean (NFPA 1710: turnout 60 s, travel 240 s, 90% of the time; many "
        "cities hold ambulances to 8:59 at the 90th percentile). Incidents cancelled en route have no "
        "on_scene. Locations are given only by neighbourhood, to protect patients' privacy."
    ),
    convention="NFPA 1710 (2020) time points and intervals; priority levels as in emergency medical dispatch protocols.",
    fields=(
        Field("incident_id", "string", "Incident number (EMSyy-nnnnnn).", required=True),
        Field("call_received", "datetime", "Call answered at the 911 centre (local time).", required=True),
        Field("dispatched", "datetime", "First unit assigned (local time).", required=True),
        Field("en_route", "datetime", "Unit reports moving (local time).", required=True),
        Field("on_scene", "datetime", "Unit arrives (local time); empty if cancelled en route."),
        Field(
            "priority",
            "integer",
            "1 = life-threatening (lights and sirens), 2 = urgent, 3 = non-urgent.",
            required=True,
            enum=PRIORITIES,
        ),
        Field("unit", "string", "First-arriving unit (M + station number).", required=True),
        Field(
            "station",
            "integer",
            "Station the unit is based at (station n serves district n).",
            required=True,
            minimum=1,
            maximum=10,
        ),
        Field("neighborhood_id", "string", "Neighbourhood of the incident.", required=True),
        Field("district", "integer", "Service district of the incident.", required=True, minimum=1, maximum=10),
        Field("disposition", "string", "Outcome of the incident.", required=True, enum=DISPOSITIONS),
    ),
    primary_key=("incident_id",),
    foreign_keys=(
        ForeignKey(("neighborhood_id",), "neighborhoods", ("neighborhood_id",)),
        ForeignKey(("district",), "districts", ("district",)),
    ),
    compressed=True,
)


def district_distances(district_rings: list[list[geography.Point]]) -> np.ndarray:
    """Distance (km) from each district's centroid to the city centre (mean of district centroids)."""
    centroids = np.array([geography.centroid(r) for r in district_rings])
    km = (
        (centroids - centroids.mean(axis=0))
        * geography.KM_PER_DEG_LAT
        * np.array([np.cos(np.radians(centroids[:, 1].mean())), 1.0])
    )
    return np.hypot(km[:, 0], km[:, 1])


def district_travel_factors(district_rings: list[list[geography.Point]]) -> np.ndarray:
    """Travel-time multiplier per district: stations cluster downtown, so far districts wait longer."""
    distance = district_distances(district_rings)
    factor = 1 + TRAVEL_DISTANCE_GAIN * (distance / distance.mean() - 1)
    factor[np.argmax(distance)] += FARTHEST_DISTRICT_EXTRA
    return factor


def generate(
    hoods: pd.DataFrame, district_rings: list[list[geography.Point]], rng: np.random.Generator
) -> pd.DataFrame:
    """EMS incidents: volume by population, poverty and age; intervals by hour, district and priority."""
    days = calendar.days_in_period(truth.START, truth.END)
    risk = hoods["population"].to_numpy() * (
        1 + 1.5 * hoods["share_poverty"].to_numpy() + 2.0 * hoods["share_age_65_plus"].to_numpy()
    )
    daily = INCIDENTS_PER_1000_A_YEAR / 1000 / 365.25 * risk.sum() / (1 + 1.5 * 0.16 + 2.0 * 0.15)
    per_day = rng.poisson(daily * np.array(MONTHLY)[days.month.to_numpy() - 1])
    n = int(per_day.sum())
    day = np.repeat(days.to_numpy(), per_day)
    hour = categorical(rng, np.broadcast_to(HOURLY, (n, 24)))
    call = pd.Series(day) + pd.to_timedelta(hour * 3600 + rng.integers(0, 3600, n), unit="s")
    call = call.sort_values(kind="stable", ignore_index=True)
    hood = categorical(rng, np.broadcast_to(risk / risk.sum(), (n, len(risk))))
    district = hoods["district"].to_numpy()[hood]
    priority = np.array(PRIORITIES)[categorical(rng, np.broadcast_to(PRIORITY_SHARES, (n, 3)))]
    clock = call.dt.hour.to_numpy()
    night = (clock >= 23) | (clock < 7)
    peak = (call.dt.day_of_week.to_numpy() < 5) & (((clock >= 7) & (clock < 9)) | ((clock >= 16) & (clock < 18)))
    mutual_aid = rng.random(n) < MUTUAL_AID_SHARE
    station = np.where(mutual_aid, (district + rng.integers(1, 10, n) - 1) % 10 + 1, district)
    processing = lognormal(
        rng, CALL_PROCESSING["median_s"] * np.where(priority == 1, 0.85, 1.0), CALL_PROCESSING["p90_ratio"]
    )
    turnout = lognormal(
        rng, TURNOUT["median_s"] * np.where(night, truth.NIGHT_TURNOUT_FACTOR, 1.0), TURNOUT["p90_ratio"]
    )
    travel_factor = district_travel_factors(district_rings)[district - 1]
    travel_factor = travel_factor * np.where(peak, truth.PEAK_TRAFFIC_FACTOR, 1.0) * np.where(priority == 1, 0.9, 1.0)
    travel_factor = travel_factor * np.where(mutual_aid, MUTUAL_AID_TRAVEL, 1.0)
    travel = lognormal(rng, TRAVEL["median_s"] * travel_factor, TRAVEL["p90_ratio"])
    dispatched = call + pd.to_timedelta(np.round(processing), unit="s")
    en_route = dispatched + pd.to_timedelta(np.round(turnout), unit="s")
    on_scene = en_route + pd.to_timedelta(np.round(travel), unit="s")
    cancelled = rng.random(n) < CANCELLED_SHARE
    outcome = np.array(DISPOSITIONS[:3])[categorical(rng, np.broadcast_to((0.68, 0.22, 0.10), (n, 3)))]
    year = call.dt.year.to_numpy()
    seq = pd.Series(year).groupby(year).cumcount().to_numpy() + 1
    return pd.DataFrame(
        {
            "incident_id": [f"EMS{y % 100:02d}-{k:06d}" for y, k in zip(year, seq)],
            "call_received": call,
            "dispatched": dispatched,
            "en_route": en_route,
            "on_scene": on_scene.where(~cancelled),
            "priority": priority,
            "unit": [f"M{s:02d}" for s in station],
            "station": station,
            "neighborhood_id": hoods["neighborhood_id"].to_numpy()[hood],
            "district": district,
            "disposition": np.where(cancelled, DISPOSITIONS[3], outcome),
        }
    )
