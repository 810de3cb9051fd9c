"""What one seed's data show about each planted effect: the numbers PLANTED_EFFECTS.md quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from citybook.city import answers, raw_export, survey, truth

if TYPE_CHECKING:  # pragma: no cover
    from citybook.city.model import City


def pilot_findings(city: City) -> dict[str, Any]:
    """Sections 1-2: the pothole pilot's difference in differences and regression to the mean."""
    t = city.tables
    req, hoods, dist = t["service_requests"], t["neighborhoods"], t["districts"]
    pilot = sorted(int(d) for d in dist.loc[dist["pothole_pilot"], "district"])
    hood_rates = answers.pothole_rates(req, hoods.set_index("neighborhood_id")["population"], "neighborhood_id")
    dist_rates = answers.pothole_rates(req, dist.set_index("district")["population"], "district")
    return {
        "pilot": pilot,
        "effect_log": np.log(truth.PILOT_EFFECT),
        "trend_pct": -100 * np.expm1(truth.POTHOLE_TREND_PER_YEAR),
        "did": answers.pilot_did(req, dist),
        "gaps": answers.pretrend_gaps(req, dist),
        "worst_hoods": {year: answers.worst_improve(hood_rates, year, 10) for year in (2022, 2023)},
        "worst_districts_2022": answers.worst_improve(dist_rates, 2022, 3),
        "pilot_rates": dist_rates.loc[pilot],
        "other_rates": dist_rates.drop(index=pilot),
    }


def service_findings(city: City) -> dict[str, Any]:
    """Sections 3-5: Goodhart's law, equity and request mix, the payment-reminder trial."""
    t = city.tables
    req, trial_table, kpi = t["service_requests"], t["payment_reminder_trial"], t["kpi_monthly"]
    sw01 = (
        kpi[kpi["measure_id"].eq("SW-01")]
        .assign(after=lambda k: k["month"] >= f"{truth.GOODHART_START:%Y-%m}")
        .groupby("after")["actual"]
        .mean()
    )
    return {
        "sw01_before": sw01[False],
        "sw01_after": sw01[True],
        "reopen": answers.reopen_rates(req),
        "refile_top": answers.refile_rates(req).head(3),
        "equity": answers.equity_gaps(req, t["neighborhoods"]),
        "itt": answers.trial_itt(trial_table),
        "control_rate": 100 * trial_table.query("arm == 'control'")["paid_30d"].mean(),
    }


def operations_findings(city: City) -> dict[str, Any]:
    """Sections 6-10: the survey, EMS response, pavement costs and wear, vendors."""
    t = city.tables
    ems_stats = answers.ems_p90(t["ems_incidents"])
    perf = (
        t["vendor_performance"]
        .groupby(["service_line", "vendor_name"])[["on_time_rate", "complaints", "customer_satisfaction"]]
        .mean()
    )
    weak = perf.index.get_level_values(1).isin(truth.UNDERPERFORMING_VENDORS)
    weak_lines = perf.index.get_level_values(0).isin(perf[weak].index.get_level_values(0))
    return {
        "survey_means": answers.survey_means(t["resident_survey"]),
        "survey_truth": survey.population_mean_satisfaction(t["neighborhoods"]),
        "ems_p90": ems_stats,
        "worst_travel": int(ems_stats["travel_by_district"].idxmax()),
        "band_costs": answers.pavement_costs(t["pavement_condition"], t["pavement_segments"]),
        "wear": answers.pavement_wear(t["pavement_condition"]),
        "weak_on_time": perf[weak]["on_time_rate"].mean(),
        "peer_on_time": perf[weak_lines & ~weak]["on_time_rate"].mean(),
    }


def data_findings(city: City) -> dict[str, Any]:
    """Sections 11-13: skew, the raw export's faults, the data inventory's gaps."""
    t = city.tables
    raw = t["service_requests_raw"]
    return {
        "skew": answers.p90_median_ratios(t["service_requests"]),
        "raw_rows": len(raw),
        "published_rows": len(t["service_requests"]),
        "faults": {
            "duplicates": int(raw.duplicated().sum()),
            "test_addresses": int(raw["address"].isin(raw_export.STAFF_TEST_ADDRESSES).sum()),
            "utc_batch": int(raw["export_batch"].isin(raw_export.UTC_BATCHES).sum()),
            "no_code": int((raw["service_code"].isna() | raw["service_code"].eq("")).sum()),
            "closed_no_time": int((raw["status"].eq("closed") & raw["closed_datetime"].isna()).sum()),
            "closed_before": int((raw["closed_datetime"] < raw["requested_datetime"]).sum()),
            "no_coordinates": int(raw["lat"].isna().sum()),
        },
        "inventory": answers.inventory_gaps(t["data_inventory"]),
    }


def seed_findings(city: City) -> dict[str, Any]:
    """Every number PLANTED_EFFECTS.md reports for this seed, by name."""
    return {
        **pilot_findings(city),
        **service_findings(city),
        **operations_findings(city),
        **data_findings(city),
    }
