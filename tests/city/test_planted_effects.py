"""Each planted effect is recovered from the published files by the method a lesson teaches.

Every assertion compares with the documented truth (`citybook.city.truth`, also in
datasets/PLANTED_EFFECTS.md) within a tolerance, never with a number copied from the output.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from citybook.city import answers, budget, build, ems, survey, truth
from citybook.city.load import read
from citybook.paths import DATASETS

TABLES = {t.name: t for t in build.TABLES}


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    """The published tables, read back with their schema's types."""
    return {name: read(table) for name, table in TABLES.items()}


# --- the pothole pilot: difference in differences ------------------------------------------------


def test_pilot_districts_were_the_worst_for_pothole_complaints_the_year_before(t) -> None:
    dist = t["districts"]
    rates = answers.pothole_rates(t["service_requests"], dist.set_index("district")["population"], "district")
    worst = set(rates[truth.PILOT_SELECTION_YEAR].nlargest(truth.PILOT_DISTRICT_COUNT).index)
    assert set(dist.loc[dist["pothole_pilot"], "district"]) == worst
    assert (dist.loc[dist["pothole_pilot"], "pothole_pilot_start"] == pd.Timestamp(truth.PILOT_START)).all()
    assert dist.loc[~dist["pothole_pilot"], "pothole_pilot_start"].isna().all()


def test_difference_in_differences_recovers_the_pilot_effect(t) -> None:
    result = answers.pilot_did(t["service_requests"], t["districts"])
    true_log = np.log(truth.PILOT_EFFECT)
    assert result["did"] == pytest.approx(true_log, abs=0.08)
    assert abs(result["did"] - true_log) < 2.5 * result["did_se"]


def test_naive_before_after_overstates_the_pilot(t) -> None:
    result = answers.pilot_did(t["service_requests"], t["districts"])
    true_log = np.log(truth.PILOT_EFFECT)
    # documented direction: the naive change also counts the citywide trend and the winter backlog
    assert result["naive"] < true_log - 0.05
    assert result["naive"] < result["did"] - 0.05


def test_pre_trends_are_parallel(t) -> None:
    gaps = answers.pretrend_gaps(t["service_requests"], t["districts"])
    assert len(gaps) >= 8
    slope = np.polyfit(np.arange(len(gaps)), gaps.to_numpy(), 1)[0]
    assert abs(slope) < 0.015  # log hours per quarter
    assert gaps.std() < 0.1


# --- regression to the mean -----------------------------------------------------------------------


def test_worst_neighbourhoods_improve_the_next_year_with_no_intervention(t) -> None:
    hoods = t["neighborhoods"].set_index("neighborhood_id")["population"]
    rates = answers.pothole_rates(t["service_requests"], hoods, "neighborhood_id")
    for year in (2022, 2023):
        assert answers.worst_improve(rates, year, top=10) < 0.9, year


def test_worst_districts_improve_the_next_year(t) -> None:
    dist = t["districts"].set_index("district")["population"]
    rates = answers.pothole_rates(t["service_requests"], dist, "district")
    assert answers.worst_improve(rates, 2022, top=3) < 1.0


# --- Goodhart's law ------------------------------------------------------------------------------


def test_goodhart_department_has_by_far_the_highest_reopen_rate(t) -> None:
    rates = answers.reopen_rates(t["service_requests"])
    assert rates.index[0] == truth.GOODHART_DEPARTMENT
    assert rates.iloc[0] > 2.5 * rates.iloc[1]
    r = t["service_requests"]
    dept = r[r["agency_responsible"].eq(truth.GOODHART_DEPARTMENT) & r["status"].eq("closed")]
    after = dept["requested_datetime"] >= pd.Timestamp(truth.GOODHART_START)
    expected_after = truth.GOODHART_UNRESOLVED * truth.REOPEN_SHARE
    assert dept.loc[after, "reopened"].mean() == pytest.approx(expected_after, abs=0.03)
    assert dept.loc[~after, "reopened"].mean() == pytest.approx(truth.BASE_UNRESOLVED * truth.REOPEN_SHARE, abs=0.015)


def test_goodhart_department_re_files_most_and_its_kpi_looks_great(t) -> None:
    refiled = answers.refile_rates(t["service_requests"])
    assert refiled.index[0] == truth.GOODHART_DEPARTMENT
    kpi = t["kpi_monthly"]
    sw = kpi[kpi["measure_id"].eq("SW-01")]
    after = sw["month"] >= f"{truth.GOODHART_START:%Y-%m}"
    assert sw.loc[after, "actual"].mean() > sw.loc[~after, "actual"].mean() + 5


# --- equity and request mix ----------------------------------------------------------------------


def test_naive_equity_gap_is_mostly_request_mix(t) -> None:
    gaps = answers.equity_gaps(t["service_requests"], t["neighborhoods"])
    true_gap = truth.LOW_INCOME_WITHIN_TYPE_FACTOR - 1
    assert gaps["within_type"] == pytest.approx(true_gap, abs=0.025)
    assert gaps["within_type"] > 0
    assert gaps["naive"] > 0.3
    assert gaps["naive"] > gaps["within_type"] + 0.25
    assert gaps["slow_type_share_low"] > gaps["slow_type_share_high"] + 0.1


# --- the payment-reminder trial ------------------------------------------------------------------


def test_trial_intervals_cover_the_true_intention_to_treat_effects(t) -> None:
    itt = answers.trial_itt(t["payment_reminder_trial"])
    for arm, true_pp in truth.TRIAL_TRUE_ITT_PP.items():
        assert itt.loc[arm, "low_pp"] <= true_pp <= itt.loc[arm, "high_pp"], arm
        assert itt.loc[arm, "high_pp"] - itt.loc[arm, "low_pp"] < 4.5, "intervals should be informative"
    assert itt["itt_pp"].idxmax() == "personalised_text"


def test_trial_randomisation_and_delivery(t) -> None:
    trial = t["payment_reminder_trial"]
    control_rate = trial.loc[trial["arm"].eq("control"), "paid_30d"].mean()
    assert 0.05 <= control_rate <= 0.10
    counts = trial.groupby(["block", "arm"]).size().unstack()
    assert (counts.max(axis=1) - counts.min(axis=1) <= 1).all(), "equal allocation within each block"
    assert (trial["arm"].eq("control") == trial["delivered"].isna()).all()
    text = trial[trial["arm"].eq("personalised_text")]
    assert not text.loc[~text["has_mobile"], "delivered"].any()
    delivered = trial.groupby("arm")["delivered"].mean()
    assert delivered["standard_letter"] == pytest.approx(truth.LETTER_DELIVERY_RATE, abs=0.02)
    assert delivered["personalised_text"] == pytest.approx(
        truth.MOBILE_ON_FILE_RATE * truth.TEXT_DELIVERY_RATE, abs=0.03
    )
    assert (trial.loc[trial["paid_30d"].eq(0), "amount_paid_30d"] == 0).all()
    assert (trial["amount_paid_30d"] <= trial["balance_owed"] + 0.01).all()


# --- the resident survey -------------------------------------------------------------------------


def test_weighting_corrects_the_non_response_bias(t) -> None:
    means = answers.survey_means(t["resident_survey"])
    true_mean = survey.population_mean_satisfaction(t["neighborhoods"])
    assert means["unweighted"] - means["weighted"] > 0.1  # documented direction: unweighted is too high
    assert means["weighted"] == pytest.approx(true_mean, abs=0.08)
    assert means["unweighted"] - true_mean > 0.1


def test_weights_add_up_to_the_targets(t) -> None:
    s, targets = t["resident_survey"], t["survey_weighting_targets"]
    by_cell = s.groupby(["age_band", "tenure"])["weight"].sum()
    expected = targets.set_index(["age_band", "tenure"])["adult_population"]
    assert np.allclose(by_cell.reindex(expected.index), expected, rtol=0.001)
    older_owners = (s["age_band"].eq("65+") & s["tenure"].eq("owner")).mean()
    population_share = expected.loc[("65+", "owner")] / expected.sum()
    assert older_owners > 1.5 * population_share, "older owners are over-represented"


# --- EMS -----------------------------------------------------------------------------------------


def test_the_farthest_district_misses_the_travel_standard_most(t) -> None:
    rings = [
        [tuple(p) for p in f["geometry"]["coordinates"][0]]
        for f in json.loads((DATASETS / "districts.geojson").read_text())["features"]
    ]
    farthest = int(np.argmax(ems.district_distances(rings))) + 1
    stats = answers.ems_p90(t["ems_incidents"])
    assert stats["travel_by_district"].idxmax() == farthest
    travel = (t["ems_incidents"]["on_scene"] - t["ems_incidents"]["en_route"]).dt.total_seconds()
    share_within = (travel <= truth.NFPA_TRAVEL_S).groupby(t["ems_incidents"]["district"]).mean()
    assert share_within.idxmin() == farthest


def test_night_turnout_and_peak_travel_are_slower(t) -> None:
    stats = answers.ems_p90(t["ems_incidents"])
    assert stats["turnout_night"] / stats["turnout_day"] == pytest.approx(truth.NIGHT_TURNOUT_FACTOR, rel=0.1)
    e = t["ems_incidents"]
    travel = (e["on_scene"] - e["en_route"]).dt.total_seconds()
    hour, weekday = e["call_received"].dt.hour, e["call_received"].dt.day_of_week < 5
    peak = weekday & (hour.between(7, 8) | hour.between(16, 17))
    ratio = travel[peak].median() / travel[~peak & weekday & hour.between(10, 14)].median()
    assert ratio == pytest.approx(truth.PEAK_TRAFFIC_FACTOR, rel=0.05)
    assert 7 * 60 <= stats["response_p90"] <= 11 * 60


# --- skew, seasons, storm ------------------------------------------------------------------------


def test_time_to_close_is_right_skewed(t) -> None:
    ratios = answers.p90_median_ratios(t["service_requests"])
    assert ratios.between(2.5, 6.0).all(), ratios


def test_potholes_peak_after_freeze_thaw_and_requests_dip_on_weekends(t) -> None:
    r = t["service_requests"]
    potholes = r[r["service_code"].eq("POTHOLE")]
    by_month = potholes.groupby(potholes["requested_datetime"].dt.month).size()
    assert by_month.loc[[2, 3, 4]].mean() > 2 * by_month.loc[[7, 8, 9]].mean()
    day = r["requested_datetime"].dt.floor("D")
    per_day = r.groupby(day).size()
    weekend = per_day.index.day_of_week >= 5
    assert per_day[~weekend].mean() > 1.4 * per_day[weekend].mean()
    holidays = set(t["holidays"]["date"])
    on_holiday = per_day.index.isin(list(holidays)) & ~weekend
    assert per_day[on_holiday].mean() < 0.75 * per_day[~weekend & ~on_holiday].mean()


def test_storm_backlog_builds_and_clears(t) -> None:
    r = t["service_requests"]
    parks = r[r["service_code"].eq("TREEDOWN") & r["status"].eq("closed")]
    hours = (parks["closed_datetime"] - parks["requested_datetime"]).dt.total_seconds() / 3600
    days = (parks["requested_datetime"] - pd.Timestamp(truth.STORM_START)).dt.days
    volume = parks.groupby(days).size()
    assert volume.loc[0:2].mean() > 5 * volume.loc[-60:-1].mean()
    assert hours[days.between(0, 6)].median() > 2 * hours[days.between(-90, -1)].median()
    assert hours[days.between(60, 120)].median() < 1.3 * hours[days.between(-90, -1)].median()


# --- pavement, budget, contracts, inventory -----------------------------------------------------


def test_deferred_pavement_maintenance_costs_more(t) -> None:
    costs = answers.pavement_costs(t["pavement_condition"], t["pavement_segments"])
    order = [band for band, _, _ in truth.PCI_BANDS]  # good, fair, poor, failed
    present = [b for b in order if b in costs.index]
    assert costs[present].is_monotonic_increasing
    for band in present:
        assert costs[band] == pytest.approx(truth.TREATMENT_BY_BAND[band][1], rel=0.15)


def test_untreated_pavement_deteriorates(t) -> None:
    change = answers.pavement_wear(t["pavement_condition"])
    for band in ("good", "fair", "poor"):
        assert change[(band, False)] < 0
        assert change[(band, True)] > change[(band, False)] + 5


def test_planted_over_and_under_spending(t) -> None:
    b = t["budget"].assign(ratio=lambda d: d["actual"] / d["adopted"])
    for (program, year), ratio in budget.SPENDING.items():
        row = b[b["program"].eq(program) & b["fiscal_year"].eq(year)]
        assert row["ratio"].iloc[0] == pytest.approx(ratio, abs=0.002), (program, year)
    assert (b["output_value"] > 0).all(), "cost per unit must be computable"


def test_under_performing_vendors_stand_out_from_their_peers(t) -> None:
    perf = t["vendor_performance"]
    means = perf.groupby(["service_line", "vendor_name"])[
        ["on_time_rate", "complaints", "customer_satisfaction", "cost_per_unit"]
    ].mean()
    for vendor in truth.UNDERPERFORMING_VENDORS:
        line = means.xs(vendor, level="vendor_name").index[0]
        peers = means.loc[line]
        assert peers["on_time_rate"].idxmin() == vendor
        assert peers["complaints"].idxmax() == vendor
        assert peers["customer_satisfaction"].idxmin() == vendor
        assert peers["cost_per_unit"].idxmin() == vendor, "the cheapest is not the best"
    contracts = t["contracts"]
    emergency = contracts[contracts["award_method"].eq("emergency")]
    assert len(emergency) >= 1 and (emergency["award_date"] >= pd.Timestamp(truth.STORM_START)).all()
    cycle = (
        (contracts["award_date"] - contracts["requisition_date"]).dt.days.groupby(contracts["award_method"]).median()
    )
    assert cycle["request for proposals"] > cycle["competitive sealed bid"] > cycle["cooperative purchasing"]


def test_inventory_has_gaps_to_score(t) -> None:
    gaps = answers.inventory_gaps(t["data_inventory"])
    assert gaps["department_coverage"] < 0.8
    assert gaps["published_personal_data"] >= 1
    assert gaps["no_owner"] >= 3 and gaps["published_without_licence"] >= 1 and gaps["public_not_published"] >= 3
    assert 0.6 < gaps["updated_in_12_months"] < 1.0
