"""Reference analyses: how a lesson recovers each planted effect from the published tables.

Each function takes tables as `citybook.city.load.read` returns them and uses only the method the
curriculum teaches (medians and percentiles, difference in differences, stratification, weighting,
normal-approximation intervals). The data tests compare their results with `truth`.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from citybook.city import metrics, truth
from citybook.city.inventory import CITY_DEPARTMENTS

Z95 = 1.959963984540054


def _closed_potholes(requests: pd.DataFrame) -> pd.DataFrame:
    potholes = requests[requests["service_code"].eq("POTHOLE") & requests["status"].eq("closed")].copy()
    potholes["log_hours"] = np.log(metrics.hours_to_close(potholes))
    return potholes


def _district_means(potholes: pd.DataFrame, when: pd.Series) -> pd.DataFrame:
    """Mean log hours, its sampling variance and count per district, for the rows selected by `when`."""
    grouped = potholes[when].groupby("district")["log_hours"]
    return pd.DataFrame({"mean": grouped.mean(), "var": grouped.var() / grouped.size()})


def pilot_did(requests: pd.DataFrame, districts: pd.DataFrame) -> dict[str, float]:
    """Difference in differences of pothole time to close, with the district as the unit.

    For each district: mean log hours of closed pothole requests made in the 12 months before the
    start (pre) and from the start on (post). DiD = average change in pilot districts - average change
    in the others; the naive estimate is the pilot districts' average change alone. Effects are on the
    log scale: `exp(effect) - 1` is the proportional change in time to close.
    """
    start = pd.Timestamp(truth.PILOT_START)
    potholes = _closed_potholes(requests)
    pre = _district_means(
        potholes, potholes["requested_datetime"].between(start - pd.DateOffset(years=1), start, inclusive="left")
    )
    post = _district_means(potholes, potholes["requested_datetime"] >= start)
    change = post["mean"] - pre["mean"]
    change_var = post["var"] + pre["var"]
    pilot = change.index.isin(districts.loc[districts["pothole_pilot"], "district"])
    naive = change[pilot].mean()
    did = naive - change[~pilot].mean()
    se = np.sqrt(change_var[pilot].sum() / pilot.sum() ** 2 + change_var[~pilot].sum() / (~pilot).sum() ** 2)
    return {
        "did": float(did),
        "did_se": float(se),
        "naive": float(naive),
        "did_pct": float(100 * np.expm1(did)),
        "naive_pct": float(100 * np.expm1(naive)),
    }


def pretrend_gaps(requests: pd.DataFrame, districts: pd.DataFrame) -> pd.Series:
    """Quarterly gap in mean log hours before the start: average of pilot districts minus average of the others."""
    potholes = _closed_potholes(requests)
    potholes = potholes[potholes["requested_datetime"] < pd.Timestamp(truth.PILOT_START)]
    quarter = potholes["requested_datetime"].dt.to_period("Q")
    by_district = potholes.groupby([quarter, "district"])["log_hours"].mean().unstack()
    pilot = by_district.columns.isin(districts.loc[districts["pothole_pilot"], "district"])
    return by_district.loc[:, pilot].mean(axis=1) - by_district.loc[:, ~pilot].mean(axis=1)


def pothole_rates(requests: pd.DataFrame, population: pd.Series, by: str) -> pd.DataFrame:
    """Pothole requests per 1,000 residents, by area (`by` column) and year."""
    potholes = requests[requests["service_code"].eq("POTHOLE")]
    counts = potholes.groupby([by, potholes["requested_datetime"].dt.year]).size().unstack(fill_value=0)
    return counts.div(population, axis=0) * 1000


def worst_improve(rates: pd.DataFrame, year: int, top: int) -> float:
    """Regression to the mean: next-year change of the `top` worst areas relative to all others.

    Returns (worst next / worst this) / (others next / others this); below 1 means the worst "improved".
    """
    worst = rates[year].nlargest(top).index
    others = rates.index.difference(worst)
    change = lambda idx: rates.loc[idx, year + 1].mean() / rates.loc[idx, year].mean()  # noqa: E731
    return float(change(worst) / change(others))


def reopen_rates(requests: pd.DataFrame) -> pd.Series:
    """Share of closed requests a resident reopened, by department."""
    closed = requests[requests["status"].eq("closed")]
    return closed.groupby("agency_responsible")["reopened"].mean().sort_values(ascending=False)


def refile_rates(requests: pd.DataFrame, days: int = 14) -> pd.Series:
    """Share of closed requests followed, within `days` of closing, by a new request of the same type at the same coordinates."""
    r = requests[requests["lat"].notna()].sort_values("requested_datetime", kind="stable")
    nxt = r.groupby(["service_code", "lat", "long"])["requested_datetime"].shift(-1)
    gap = nxt - r["closed_datetime"]
    refiled = r["closed_datetime"].notna() & gap.between(pd.Timedelta(0), pd.Timedelta(days=days))
    return refiled.groupby(r["agency_responsible"]).mean().sort_values(ascending=False)


def equity_gaps(requests: pd.DataFrame, hoods: pd.DataFrame) -> dict[str, float]:
    """Low- vs high-income neighbourhoods: naive gap in median hours, and the gap within request type.

    The within-type gap is the request-weighted geometric mean, across types, of the ratio of median
    hours (low / high); both are returned as proportional gaps (0.05 = 5% longer).
    """
    closed = requests[requests["status"].eq("closed")].assign(hours=metrics.hours_to_close)
    closed = closed.merge(hoods[["neighborhood_id", "income_group"]], on="neighborhood_id")
    closed = closed[closed["income_group"].isin(["low", "high"])]
    medians = closed.groupby("income_group")["hours"].median()
    by_type = closed.groupby(["service_code", "income_group"])["hours"].median().unstack()
    weights = closed.groupby("service_code").size()
    log_ratio = np.log(by_type["low"] / by_type["high"])
    mix = closed.groupby("income_group")["service_code"].value_counts(normalize=True).unstack(0)
    return {
        "naive": medians["low"] / medians["high"] - 1,
        "within_type": float(np.expm1(np.average(log_ratio, weights=weights.reindex(log_ratio.index)))),
        "slow_type_share_low": float(mix.loc[["HOUSING", "DUMPING", "RODENT", "VEHICLE", "GRAFFITI"], "low"].sum()),
        "slow_type_share_high": float(mix.loc[["HOUSING", "DUMPING", "RODENT", "VEHICLE", "GRAFFITI"], "high"].sum()),
    }


def trial_itt(trial: pd.DataFrame) -> pd.DataFrame:
    """Intention-to-treat effect of each arm on paid_30d vs control, percentage points, 95% normal-approximation interval."""
    rates = trial.groupby("arm")["paid_30d"].agg(["mean", "size"])
    control = rates.loc["control"]
    rows = []
    for arm in rates.index.drop("control"):
        p, n = rates.loc[arm, "mean"], rates.loc[arm, "size"]
        diff = p - control["mean"]
        se = np.sqrt(p * (1 - p) / n + control["mean"] * (1 - control["mean"]) / control["size"])
        rows.append(
            {
                "arm": arm,
                "rate": 100 * p,
                "itt_pp": 100 * diff,
                "low_pp": 100 * (diff - Z95 * se),
                "high_pp": 100 * (diff + Z95 * se),
            }
        )
    return pd.DataFrame(rows).set_index("arm")


def survey_means(survey: pd.DataFrame, item: str = "sat_overall") -> dict[str, float]:
    """Unweighted and weighted mean rating."""
    answered = survey[survey[item].notna()]
    return {
        "unweighted": float(answered[item].mean()),
        "weighted": float(np.average(answered[item], weights=answered["weight"])),
    }


def ems_p90(incidents: pd.DataFrame) -> dict[str, object]:
    """90th percentiles: travel by district, turnout by night (23:00-06:59) vs day."""
    intervals = metrics.ems_intervals(incidents)
    hour = incidents["call_received"].dt.hour
    night = (hour >= 23) | (hour < 7)
    return {
        "travel_by_district": intervals["travel_s"].groupby(incidents["district"]).quantile(0.9),
        "turnout_night": float(intervals["turnout_s"][night].quantile(0.9)),
        "turnout_day": float(intervals["turnout_s"][~night].quantile(0.9)),
        "response_p90": float(intervals["response_s"].quantile(0.9)),
    }


def p90_median_ratios(requests: pd.DataFrame) -> pd.Series:
    """P90 / median of hours to close, by request type (closed requests)."""
    hours = metrics.hours_to_close(requests).groupby(requests["service_code"])
    return (hours.quantile(0.9) / hours.median()).sort_values()


def pavement_costs(condition: pd.DataFrame, segments: pd.DataFrame) -> pd.Series:
    """Median treatment cost per lane-mile by condition band."""
    c = condition.merge(segments[["segment_id", "lane_miles"]], on="segment_id")
    c = c[c["treatment"].ne("none")]
    return (c["treatment_cost"] / c["lane_miles"]).groupby(c["condition_band"]).median()


def pavement_wear(condition: pd.DataFrame) -> pd.Series:
    """Mean PCI change to the next survey, by band and whether the segment was treated."""
    c = condition.sort_values(["segment_id", "survey_year"]).copy()
    c["change"] = c.groupby("segment_id")["pci"].shift(-1) - c["pci"]
    return c.dropna(subset=["change"]).groupby(["condition_band", c["treatment"].ne("none")])["change"].mean()


def inventory_gaps(inventory: pd.DataFrame, as_of: date = truth.AS_OF.date()) -> dict[str, float]:
    """Counts and shares a data-inventory assessment scores."""
    stale = inventory["last_updated"] < pd.Timestamp(as_of) - pd.DateOffset(months=12)
    published = inventory["published"]
    return {
        "datasets": len(inventory),
        "updated_in_12_months": float(1 - stale.mean()),
        "no_owner": int(inventory["owner"].isna().sum()),
        "published_without_licence": int((published & inventory["licence"].isna()).sum()),
        "without_dictionary": int((~inventory["has_data_dictionary"]).sum()),
        "public_not_published": int((inventory["sensitivity"].eq("public") & ~published).sum()),
        "published_personal_data": int((published & inventory["contains_personal_data"]).sum()),
        "department_coverage": inventory["department"].nunique() / len(CITY_DEPARTMENTS),
    }
