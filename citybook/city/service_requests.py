"""311 service requests: volumes, timing, places, and how long each took to close.

The planted effects live here: seasonality and a storm backlog, the pothole-crew pilot, the
within-type equity gap, and the department that closes requests without fixing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from citybook.city import calendar, geography, services, streets, truth
from citybook.city.draws import categorical, lognormal, softmax
from citybook.city.schema import Field, ForeignKey, Table

CHANNELS = ("phone", "web", "app", "walk-in", "email")
# channel logits in 2022 and 2024 (interpolated between) and the shift per sd of log income
_CHANNEL_LOGITS_2022 = np.log([0.46, 0.26, 0.20, 0.04, 0.04])
_CHANNEL_LOGITS_2024 = np.log([0.36, 0.26, 0.32, 0.03, 0.03])
_CHANNEL_INCOME = np.array([-0.10, 0.05, 0.30, -0.25, 0.0])
DAY_HOURS = np.array(
    [
        0.3,
        0.2,
        0.15,
        0.15,
        0.2,
        0.4,
        1.0,
        2.2,
        3.6,
        4.4,
        4.6,
        4.4,
        4.0,
        4.2,
        4.2,
        4.0,
        3.6,
        3.0,
        2.4,
        2.0,
        1.6,
        1.2,
        0.8,
        0.5,
    ]
)
NIGHT_HOURS = np.array(
    [
        3.0,
        2.2,
        1.4,
        0.8,
        0.4,
        0.3,
        0.3,
        0.4,
        0.6,
        0.8,
        1.0,
        1.1,
        1.2,
        1.2,
        1.3,
        1.4,
        1.6,
        2.0,
        2.6,
        3.4,
        4.4,
        5.2,
        5.4,
        4.4,
    ]
)
HOLIDAY_FACTOR = 0.5
VOLUME_GROWTH = {2022: 0.93, 2023: 0.97, 2024: 1.0}  # more requests as the app spreads
POTHOLE_WINTER_SEVERITY = {2022: 1.0, 2023: 1.2, 2024: 0.9}
# pothole reporting: stable neighbourhood differences plus district-year and neighbourhood-year swings
POTHOLE_REPORTING_SD = {"neighborhood": 0.10, "district_year": 0.30, "neighborhood_year": 0.15}
POTHOLE_DISTRICT_HOURS_SD = 0.15  # stable differences between districts' pothole crews (log hours)
UNGEOCODED_SHARE = 0.03  # phone and walk-in requests whose location could not be geocoded
NEVER_CLOSED = {"SIDEWALK": 0.01, "TREE": 0.01, "HOUSING": 0.01, "VEHICLE": 0.005}

TABLE = Table(
    name="service_requests",
    title="311 service requests",
    description=(
        "Every non-emergency service request residents made through 311 in the fictional city of "
        "Corvella, 2022-2024, as published after cleaning (see service_requests_raw for the export "
        "it was cleaned from). Times are naive local wall-clock times (UTC-06:00 all year: the city "
        "does not observe daylight saving). A request still open at the export (2025-01-01 00:00) has "
        "no closed_datetime. Time to close = closed_datetime - requested_datetime; a request meets "
        "its service level if closed by expected_datetime. `reopened` marks requests a resident "
        "reopened because the problem was not fixed. Addresses are given to the block and coordinates are "
        "approximate, to protect residents' privacy."
    ),
    convention="Open311 GeoReport v2 request fields (service_request_id, status, service_code, service_name, agency_responsible, requested_datetime, updated_datetime, expected_datetime, address, lat, long) plus closed_datetime, channel, neighbourhood, district and reopened as many city portals add.",
    fields=(
        Field(
            "service_request_id",
            "string",
            "Unique request number (SRyy-nnnnnn, numbered in order received each year).",
            required=True,
        ),
        Field("status", "string", "open or closed at the time of the export.", required=True, enum=("open", "closed")),
        Field("service_code", "string", "Request type (see service_catalog).", required=True),
        Field("service_name", "string", "Request type name.", required=True),
        Field("agency_responsible", "string", "Department responsible.", required=True, enum=services.DEPARTMENTS),
        Field("requested_datetime", "datetime", "When the request was made (local time).", required=True),
        Field(
            "updated_datetime",
            "datetime",
            "Last change to the request (local time); after a reopening, the reopening.",
            required=True,
        ),
        Field(
            "expected_datetime",
            "datetime",
            "Service-level deadline: requested + the SLA in hours or business days (local time).",
            required=True,
        ),
        Field("closed_datetime", "datetime", "When the request was closed (local time); empty if still open."),
        Field("address", "string", "Block-level address (exact addresses are not published).", required=True),
        Field(
            "lat",
            "number",
            "Approximate latitude (WGS 84); empty if the location could not be geocoded.",
            unit="degrees",
            minimum=37.6,
            maximum=37.95,
            decimals=5,
        ),
        Field(
            "long",
            "number",
            "Approximate longitude (WGS 84); empty if the location could not be geocoded.",
            unit="degrees",
            minimum=-98.6,
            maximum=-98.2,
            decimals=5,
        ),
        Field("neighborhood_id", "string", "Neighbourhood of the request.", required=True),
        Field("district", "integer", "Service district of the request.", required=True, minimum=1, maximum=10),
        Field("channel", "string", "How the request came in.", required=True, enum=CHANNELS),
        Field("reopened", "boolean", "True if a resident reopened the request after it was closed.", required=True),
    ),
    primary_key=("service_request_id",),
    foreign_keys=(
        ForeignKey(("service_code",), "service_catalog", ("service_code",)),
        ForeignKey(("neighborhood_id",), "neighborhoods", ("neighborhood_id",)),
        ForeignKey(("district",), "districts", ("district",)),
    ),
    compressed=True,
)


@dataclass(frozen=True)
class Place:
    """What the request generator needs to know about the city."""

    hoods: pd.DataFrame
    grid: geography.Grid
    streets: pd.DataFrame

    @property
    def income_z(self) -> np.ndarray:
        """Standardised log median household income per neighbourhood."""
        log_income = np.log(self.hoods["median_household_income"].to_numpy(dtype=float))
        return (log_income - log_income.mean()) / log_income.std()

    @property
    def district(self) -> np.ndarray:
        """District of each neighbourhood."""
        return self.hoods["district"].to_numpy()


def _storm_days(days: pd.DatetimeIndex) -> np.ndarray:
    """Days since the storm began (negative before it)."""
    return ((days - pd.Timestamp(truth.STORM_START)) / pd.Timedelta(days=1)).to_numpy()


def _pothole_reporting(place: Place, rng: np.random.Generator) -> np.ndarray:
    """Multiplier on pothole volume per (neighbourhood, year): stable part times yearly swings."""
    n, years = len(place.hoods), len(truth.YEARS)
    sd = POTHOLE_REPORTING_SD
    stable = rng.normal(0, sd["neighborhood"], n)[:, None]
    district_year = rng.normal(0, sd["district_year"], (place.district.max(), years))[place.district - 1]
    hood_year = rng.normal(0, sd["neighborhood_year"], (n, years))
    log_mult = stable + district_year + hood_year
    return np.exp(log_mult - log_mult.mean())


def daily_counts(place: Place, rng: np.random.Generator) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Requests per (service, neighbourhood, day), drawn from Poisson with seasonal and weekly rhythms."""
    days = calendar.days_in_period(truth.START, truth.END)
    pop = place.hoods["population"].to_numpy(dtype=float)
    share = pop / pop.sum()
    income = np.exp(services.column("income_slope")[:, None] * place.income_z[None, :])  # (S, N)
    income /= (income * share).sum(axis=1, keepdims=True)
    month = days.month.to_numpy() - 1
    dow = days.day_of_week.to_numpy()
    year = days.year.to_numpy()
    holiday = calendar.is_business_day(days.to_numpy()) | (dow >= 5)  # False only on weekday holidays
    since_storm = _storm_days(days)
    rate = np.empty((len(services.SERVICES), len(pop), len(days)))
    for s, svc in enumerate(services.SERVICES):
        per_day = svc.annual_volume / 365.25 * np.array(svc.season)[month]
        weekday = np.array(svc.weekday) / np.mean(svc.weekday)
        per_day = per_day * weekday[dow] * np.where(holiday | svc.night, 1.0, HOLIDAY_FACTOR)
        per_day = per_day * np.vectorize(VOLUME_GROWTH.get)(year)
        if svc.storm_surge:
            surge = svc.storm_surge * np.exp(-np.clip(since_storm, 0, None) / svc.storm_decay_days)
            per_day = per_day * (1 + np.where(since_storm >= 0, surge, 0))
        rate[s] = (share * income[s])[:, None] * per_day[None, :]
    pothole = [s.code for s in services.SERVICES].index("POTHOLE")
    reporting = _pothole_reporting(place, rng)  # (N, years)
    year_index = year - truth.YEARS[0]
    severity = np.vectorize(POTHOLE_WINTER_SEVERITY.get)(year)
    rate[pothole] *= reporting[:, year_index] * severity[None, :]
    return days, rng.poisson(rate)


def _time_of_day(night: np.ndarray, rng: np.random.Generator) -> pd.TimedeltaIndex:
    """Seconds after midnight, from the daytime or night-time hourly profile."""
    probs = np.where(night[:, None], NIGHT_HOURS, DAY_HOURS)
    hour = categorical(rng, probs)
    return pd.to_timedelta(hour * 3600 + rng.integers(0, 3600, len(hour)), unit="s")


def _channels(year: np.ndarray, income_z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Channel of each request: the app grows over time and among higher-income residents."""
    t = ((year - 2022) / 2.0)[:, None]
    logits = (1 - t) * _CHANNEL_LOGITS_2022 + t * _CHANNEL_LOGITS_2024 + income_z[:, None] * _CHANNEL_INCOME
    return np.array(CHANNELS)[categorical(rng, softmax(logits))]


def _locate(frame: pd.DataFrame, place: Place, rng: np.random.Generator) -> pd.DataFrame:
    """Block address and approximate coordinates in the request's neighbourhood."""
    cell = frame["hood"].to_numpy()
    lon, lat = geography.random_points(place.grid, cell, rng)
    ungeocoded = frame["channel"].isin(["phone", "walk-in"]).to_numpy() & (rng.random(len(frame)) < UNGEOCODED_SHARE)
    frame["address"] = streets.block_addresses(place.streets, place.grid, cell, rng)
    frame["lat"] = np.where(ungeocoded, np.nan, np.round(lat, 5))
    frame["long"] = np.where(ungeocoded, np.nan, np.round(lon, 5))
    return frame


def base_requests(place: Place, rng: np.random.Generator) -> pd.DataFrame:
    """One row per request first made by a resident: type, neighbourhood, moment, channel, place."""
    days, counts = daily_counts(place, rng)
    flat = counts.ravel()
    cells = np.repeat(np.arange(flat.size), flat)
    service, hood, day = np.unravel_index(cells, counts.shape)
    night = services.column("night")[service]
    requested = pd.Series(days[day]) + _time_of_day(night, rng)
    frame = pd.DataFrame({"service": service, "hood": hood, "requested": requested.to_numpy()})
    frame["channel"] = _channels(frame["requested"].dt.year.to_numpy(), place.income_z[hood], rng)
    return _locate(frame, place, rng)


def choose_pilot(requests: pd.DataFrame, place: Place) -> dict[int, datetime]:
    """The pilot districts: most pothole requests per 1,000 residents in the selection year."""
    potholes = requests[
        (requests["service"] == _code_index("POTHOLE")) & (requests["requested"].dt.year == truth.PILOT_SELECTION_YEAR)
    ]
    per_district = pd.Series(place.district[potholes["hood"].to_numpy()]).value_counts()
    population = place.hoods.groupby("district")["population"].sum()
    rate = (per_district.reindex(population.index, fill_value=0) / population).sort_values(
        ascending=False, kind="stable"
    )
    chosen = sorted(int(d) for d in rate.index[: truth.PILOT_DISTRICT_COUNT])
    return {d: datetime.combine(truth.PILOT_START, datetime.min.time()) for d in chosen}


def _code_index(code: str) -> int:
    return [s.code for s in services.SERVICES].index(code)


def close_requests(
    frame: pd.DataFrame, place: Place, pilot: dict[int, datetime], crew_effect: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Draw each request's time to close (uncensored) and whether the closure fixed the problem."""
    svc = frame["service"].to_numpy()
    hood = frame["hood"].to_numpy()
    district = place.district[hood]
    requested = frame["requested"]
    department = np.array([s.department for s in services.SERVICES])[svc]
    hours = lognormal(rng, services.column("median_hours")[svc], services.column("p90_ratio")[svc])
    log_mult = np.zeros(len(frame))
    # potholes: crews differ by district, improve citywide, and back up after freeze-thaw
    pothole = svc == _code_index("POTHOLE")
    years_in = ((requested - pd.Timestamp(truth.START)) / pd.Timedelta(days=365.25)).to_numpy()
    backlog = np.vectorize(lambda m: truth.FREEZE_THAW_BACKLOG.get(m, 0.0))(requested.dt.month.to_numpy())
    pilot_on = np.isin(district, list(pilot)) & (requested >= pd.Timestamp(truth.PILOT_START)).to_numpy()
    log_mult += pothole * (
        crew_effect[district - 1]
        + truth.POTHOLE_TREND_PER_YEAR * years_in
        + backlog
        + np.log(truth.PILOT_EFFECT) * pilot_on
    )
    # the storm's backlog
    since = ((requested - pd.Timestamp(truth.STORM_START)) / pd.Timedelta(days=1)).to_numpy()
    hit = np.isin(department, truth.STORM_DEPARTMENTS) & (since >= 0) & (since <= 60)
    log_mult += hit * np.log1p(
        truth.STORM_BACKLOG_PEAK * np.exp(-np.clip(since, 0, None) / truth.STORM_BACKLOG_DECAY_DAYS)
    )
    # Goodhart: one department closes fast, often without fixing the problem
    gamed = (department == truth.GOODHART_DEPARTMENT) & (requested >= pd.Timestamp(truth.GOODHART_START)).to_numpy()
    log_mult += gamed * np.log(truth.GOODHART_SPEEDUP)
    closed = (requested + pd.to_timedelta(hours * np.exp(log_mult), unit="h")).dt.floor("s")
    business = services.column("sla_unit")[svc] == "business days"
    closed = closed.where(~business, calendar.roll_to_working_hours(closed, rng))
    # equity: the same request takes longer in the lowest-income third (applied after office-hours
    # rounding, so the ratio within a type is exactly the planted factor)
    low_income = (place.hoods["income_group"].to_numpy() == "low")[hood]
    stretch = np.where(low_income, truth.LOW_INCOME_WITHIN_TYPE_FACTOR, 1.0)
    closed = (requested + (closed - requested) * stretch).dt.floor("s")
    frame["closed"] = closed.to_numpy()
    frame["unresolved"] = rng.random(len(frame)) < np.where(gamed, truth.GOODHART_UNRESOLVED, truth.BASE_UNRESOLVED)
    return frame


def refiled_requests(closed: pd.DataFrame, place: Place, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Split unresolved closures: reopened by the resident, or re-filed as a new request at the same place."""
    reopen = closed["unresolved"].to_numpy() & (rng.random(len(closed)) < truth.REOPEN_SHARE)
    refile = closed["unresolved"].to_numpy() & ~reopen
    source = closed[refile]
    delay = pd.to_timedelta(0.5 + rng.exponential(3.0, len(source)), unit="D")
    new = pd.DataFrame(
        {
            "service": source["service"].to_numpy(),
            "hood": source["hood"].to_numpy(),
            "requested": (source["closed"] + delay).dt.floor("s").to_numpy(),
        }
    )
    new["channel"] = _channels(new["requested"].dt.year.to_numpy(), place.income_z[new["hood"].to_numpy()], rng)
    new["address"] = source["address"].to_numpy()
    new["lat"], new["long"] = source["lat"].to_numpy(), source["long"].to_numpy()
    keep = (new["requested"] < pd.Timestamp(truth.END) + pd.Timedelta(days=1)).to_numpy()
    return new[keep].reset_index(drop=True), reopen


def _expected(requested: pd.Series, svc: np.ndarray) -> pd.Series:
    """Service-level deadline: calendar hours, or business days at the same clock time."""
    value = services.column("sla_value")[svc]
    in_hours = services.column("sla_unit")[svc] == "hours"
    by_hours = requested + pd.to_timedelta(np.where(in_hours, value, 0), unit="h")
    by_days = calendar.add_business_days(requested, np.where(in_hours, 0, value))
    return by_hours.where(in_hours, by_days)


def publish(frame: pd.DataFrame, reopen: np.ndarray, place: Place, rng: np.random.Generator) -> pd.DataFrame:
    """Censor at the export moment, number the requests and lay them out as Open311 fields."""
    as_of = pd.Timestamp(truth.AS_OF)
    svc = frame["service"].to_numpy()
    codes = services.column("code")[svc]
    never = rng.random(len(frame)) < np.vectorize(lambda c: NEVER_CLOSED.get(c, 0.0))(codes)
    is_closed = (frame["closed"] <= as_of).to_numpy() & ~never
    reopened_at = (frame["closed"] + pd.to_timedelta(rng.uniform(1, 14, len(frame)), unit="D")).dt.floor("s")
    reopened = is_closed & reopen & (reopened_at <= as_of).to_numpy()
    age = (as_of - frame["requested"]).clip(upper=pd.Timedelta(hours=72))
    open_update = (frame["requested"] + age * rng.random(len(frame))).dt.floor("s")
    updated = np.where(reopened, reopened_at, np.where(is_closed, frame["closed"], open_update))
    out = pd.DataFrame(
        {
            "status": np.where(is_closed, "closed", "open"),
            "service_code": codes,
            "service_name": services.column("name")[svc],
            "agency_responsible": np.array([s.department for s in services.SERVICES])[svc],
            "requested_datetime": frame["requested"].to_numpy(),
            "updated_datetime": pd.to_datetime(updated),
            "expected_datetime": _expected(frame["requested"], svc).to_numpy(),
            "closed_datetime": frame["closed"].where(is_closed).to_numpy(),
            "address": frame["address"].to_numpy(),
            "lat": frame["lat"].to_numpy(),
            "long": frame["long"].to_numpy(),
            "neighborhood_id": place.hoods["neighborhood_id"].to_numpy()[frame["hood"].to_numpy()],
            "district": place.district[frame["hood"].to_numpy()],
            "channel": frame["channel"].to_numpy(),
            "reopened": reopened,
        }
    )
    out = out.sort_values(
        ["requested_datetime", "service_code", "neighborhood_id", "address"], kind="stable", ignore_index=True
    )
    year = out["requested_datetime"].dt.year
    seq = out.groupby(year).cumcount() + 1
    out.insert(0, "service_request_id", [f"SR{y % 100:02d}-{n:06d}" for y, n in zip(year, seq)])
    return out


def crew_effects(place: Place, rng: np.random.Generator) -> np.ndarray:
    """Stable differences between districts' pothole crews (log hours), unrelated to income.

    The raw draws are made orthogonal to each district's population shares in the low and high
    income groups, so that the within-type equity gap stays the planted one.
    """
    draws = rng.normal(0, POTHOLE_DISTRICT_HOURS_SD, place.district.max())
    shares = pd.crosstab(
        place.hoods["district"],
        place.hoods["income_group"],
        values=place.hoods["population"],
        aggfunc="sum",
        normalize="index",
    ).fillna(0)
    design = np.column_stack([np.ones(len(shares)), shares["low"], shares["high"]])
    fitted = design @ np.linalg.lstsq(design, draws, rcond=None)[0]
    residual = draws - fitted
    return residual * POTHOLE_DISTRICT_HOURS_SD / residual.std()


def generate(place: Place, rng: np.random.Generator) -> tuple[pd.DataFrame, dict[int, datetime]]:
    """All requests (before any export faults) and the pilot districts with their start date."""
    base = base_requests(place, rng)
    pilot = choose_pilot(base, place)
    crew_effect = crew_effects(place, rng)
    base = close_requests(base, place, pilot, crew_effect, rng)
    refiled, reopen = refiled_requests(base, place, rng)
    refiled = close_requests(refiled, place, pilot, crew_effect, rng)
    refiled_reopen = refiled["unresolved"].to_numpy() & (rng.random(len(refiled)) < truth.REOPEN_SHARE)
    everything = pd.concat([base, refiled], ignore_index=True)
    return publish(everything, np.concatenate([reopen, refiled_reopen]), place, rng), pilot
