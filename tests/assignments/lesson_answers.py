"""Each assignment answered the way its lesson does it: the lesson's own functions, its own steps.

A participant who follows the lesson must earn full marks. For every answer cell of every
assignment, the code below is what a participant who copies the lesson would write: functions are
taken from the lesson notebooks themselves (`lesson_function`, so a change to the lesson's method
reaches this test), and the lesson's other steps are restated with the cell they come from.
Lesson cells are cited by the lesson file and what the cell computes, not by index, since lessons move.
"""

from __future__ import annotations

import ast
import json
from functools import cache

from citybook.paths import LESSONS


@cache
def lesson_function(stem: str, name: str) -> str:
    """The source of the top-level function `name` as defined in lessons/<stem>.ipynb."""
    notebook = json.loads((LESSONS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return ast.get_source_segment(source, node) + "\n"
    raise LookupError(f"lessons/{stem}.ipynb defines no function {name!r}")


L04, L03, L06, L08, L09, L10, L11, L12 = (
    "04-311-performance-analytics",
    "03-performance-management",
    "06-equity-who-waits",
    "08-results-driven-contracting",
    "09-randomised-trials",
    "10-evaluating-a-pilot",
    "11-data-as-a-service",
    "12-listening-to-residents",
)


def ps1() -> dict[str, str]:
    # Lesson 04, "closed requests" cell: hours to close and on_time; "by_service" cell: count, median, p90.
    return {
        "q1-answer": """
closed = requests[requests["status"].eq("closed")].copy()
closed["hours_to_close"] = (closed["closed_datetime"] - closed["requested_datetime"]).dt.total_seconds() / 3600
closed["on_time"] = closed["closed_datetime"] <= closed["expected_datetime"]
""",
        "q2-answer": """
by_service = (
    closed.groupby("service_name")["hours_to_close"]
    .agg(requests="count", median="median", p90=lambda hours: hours.quantile(0.9))
    .rename(columns={"median": "median_hours", "p90": "p90_hours"})
    .sort_values("median_hours", ascending=False)
)
""",
        # Lesson 04 exercise "pothole districts": the same agg, on every year here.
        "q3-answer": """
potholes = closed[closed["service_code"].eq("POTHOLE")]
potholes_by_district = potholes.groupby("district")["hours_to_close"].agg(
    median_hours="median", p90_hours=lambda hours: hours.quantile(0.9)
)
""",
        # Lesson 04 "compliance" cell, KPI 311-01's definition: requests due before the export; open past
        # the deadline counts as missed.
        "q4-answer": """
due = requests[requests["expected_datetime"] < EXPORT].copy()
due["on_time"] = due["closed_datetime"].notna() & (due["closed_datetime"] <= due["expected_datetime"])
sla_by_service = due.groupby("service_name")["on_time"].mean()
sla_overall = float(due["on_time"].mean())
""",
        # Lesson 04 "Goodhart" cell groups by the month requested (to_period("M")).
        "q5-answer": """
month = closed["requested_datetime"].dt.to_period("M").astype(str)
trend = closed.groupby(month)["hours_to_close"].median().rename("median_hours").rename_axis("month").reset_index()
""",
        "q6-answer": """
worst_three = list(due.groupby("service_name")["on_time"].mean().nsmallest(3).index)
""",
        "q7-answer": """
reopened_share = closed.groupby(["agency_responsible", closed["requested_datetime"].dt.year])["reopened"].mean().unstack()
""",
        "q8-answer": """
table = by_service.reset_index()
p90 = alt.Chart(table).mark_bar().encode(
    y=alt.Y("service_name:N", sort="-x", title=None),
    x=alt.X("p90_hours:Q", title="Hours to close (bar: 90th percentile; tick: median)"),
    tooltip=["service_name", "median_hours", "p90_hours"],
)
median = alt.Chart(table).mark_tick(color="black").encode(y=alt.Y("service_name:N", sort="-x"), x="median_hours:Q")
chart = (p90 + median).properties(title="The slowest tenth of requests waits several times the median")
""",
        # Lesson 05, "intervals" cell (seconds_between), "priority_1" cell and "standard_check" cell.
        "q9-answer": """
def seconds_between(start, end):
    return (ems[end] - ems[start]) / pd.Timedelta(seconds=1)


ems["turnout_s"] = seconds_between("dispatched", "en_route")
ems["travel_s"] = seconds_between("en_route", "on_scene")
arrived = ems[ems["on_scene"].notna()]
priority_1 = arrived[arrived["priority"].eq(1)]
STANDARDS_S = {"turnout_s": 60, "travel_s": 480}
ems_p90 = pd.Series({column: priority_1[column].quantile(0.9) for column in STANDARDS_S})
ems_within = pd.Series({column: (priority_1[column] <= limit).mean() for column, limit in STANDARDS_S.items()})
""",
    }


def ps2() -> dict[str, str]:
    # Lesson 06, "who asks" cell (per_hood, by_group) and "headline gap" cell (waits, naive_gap);
    # the within-type gap is the lesson's own equity_gaps function.
    return {
        "q1-answer": """
in_2024 = requests[requests["requested_datetime"].dt.year.eq(2024)]
per_capita = neighborhoods.set_index("neighborhood_id")[["neighborhood_name", "income_group", "population"]].copy()
per_capita["requests"] = in_2024.groupby("neighborhood_id").size().reindex(per_capita.index, fill_value=0)
per_capita["per_1000"] = per_capita["requests"] / per_capita["population"] * 1000
""",
        "q2-answer": """
by_income = per_capita.groupby("income_group")[["requests", "population"]].sum().reindex(INCOME_GROUPS)
by_income["per_1000"] = by_income["requests"] / by_income["population"] * 1000
""",
        "q3-answer": """
closed = requests[requests["status"].eq("closed")].copy()
closed["hours"] = (closed["closed_datetime"] - closed["requested_datetime"]).dt.total_seconds() / 3600
closed = closed.merge(neighborhoods[["neighborhood_id", "income_group"]], on="neighborhood_id")
waits = closed.groupby("income_group")["hours"].agg(median="median").reindex(INCOME_GROUPS)
median_by_income = waits["median"]
naive_gap = float(waits.loc["low", "median"] / waits.loc["high", "median"] - 1)
""",
        "q4-answer": lesson_function(L06, "equity_gaps")
        + """
gaps = equity_gaps(closed)
pair = closed[closed["income_group"].isin(["low", "high"])]
type_medians = pair.groupby(["service_name", "income_group"])["hours"].median().unstack()
within_type_gap = float(gaps["within_type"])
""",
        "q5-answer": """
mix = pd.crosstab(closed["service_name"], closed["income_group"], normalize="columns")[INCOME_GROUPS]
""",
        # Lesson 06 explorer: a geoshape map with transform_lookup and a tooltip.
        "q6-answer": """
view_table = per_capita.reset_index()[["neighborhood_id", "neighborhood_name", "per_1000"]]
chart = (
    alt.Chart(alt.Data(values=shapes["features"]))
    .mark_geoshape(stroke="white")
    .transform_lookup(lookup="properties.neighborhood_id", from_=alt.LookupData(view_table, "neighborhood_id", ["neighborhood_name", "per_1000"]))
    .encode(color=alt.Color("per_1000:Q", title="Requests per 1,000 residents"), tooltip=["neighborhood_name:N", "per_1000:Q"])
    .project("mercator")
    .properties(title="Per resident, every income third asks for service about as often")
)
""",
        # Lesson 12, "composition" cell (respondents_by_cell), "cell_weights" cell (adults ÷ respondents) and
        # its own share_satisfied function, with the lesson's weight column from the cell weights.
        "q7-answer": lesson_function(L12, "share_satisfied")
        + """
respondents_by_cell = survey.groupby(["age_band", "tenure"]).size().rename("respondents")
composition = targets.set_index(["age_band", "tenure"]).join(respondents_by_cell).reset_index()
cell_weights = composition.assign(weight=composition["adult_population"] / composition["respondents"])[["age_band", "tenure", "weight"]]
weighted_survey = survey.merge(cell_weights, on=["age_band", "tenure"])
satisfied_unweighted = share_satisfied(weighted_survey, "sat_overall", weighted=False)
satisfied_weighted = share_satisfied(weighted_survey, "sat_overall")
""",
    }


def ps3() -> dict[str, str]:
    # Lesson 03, "score" cell (np.where on direction) and "monthly_score / yearly_score" cell; capping
    # from its exercise (clip(upper=1.25) then mean). Unlike the lesson, no provisional months to drop
    # (the assignment says so): the lesson's formulas on every month.
    return {
        "q1-answer": """
scored = kpis.copy()
scored["score"] = np.where(scored["direction"] == "higher", scored["actual"] / scored["target"], scored["target"] / scored["actual"])
scored["year"] = scored["month"].str[:4].astype(int)
""",
        "q2-answer": """
monthly_score = scored.groupby("month", as_index=False).agg(score=("score", "mean"))
cityscore = monthly_score.set_index("month")["score"]
""",
        "q3-answer": """
latest_score = float(cityscore.iloc[-1])
""",
        "q4-answer": """
met_2024 = scored[scored["year"] == 2024].groupby("measure_id", as_index=False).agg(mean_score=("score", "mean"))
off_target_2024 = list(met_2024[met_2024["mean_score"] < 1].sort_values("mean_score")["measure_id"])
""",
        "q5-answer": """
by_department = scored[scored["year"] == 2024].groupby("department")["score"].mean().sort_values()
""",
        "q6-answer": """
cityscore_capped = scored.assign(capped=scored["score"].clip(upper=1.25)).groupby("month")["capped"].mean()
""",
        "q7-answer": """
yearly_score = scored.groupby("year")["score"].mean()
change_since_2022 = float(yearly_score[2024] - yearly_score[2022])
""",
        "q8-answer": """
line = alt.Chart(monthly_score).mark_line().encode(
    x=alt.X("month:O", title="Month"), y=alt.Y("score:Q", title="City score (1 = on target)"), tooltip=["month", "score"]
)
target = alt.Chart(pd.DataFrame({"score": [1.0]})).mark_rule().encode(y="score:Q")
chart = (line + target).properties(title="The city score crossed its targets in 2023")
""",
        # Lesson 07, "budget" cell (cost_per_unit, actual_vs_adopted) and "flag" cell (THRESHOLD, every_year).
        "q9-answer": """
budget["cost_per_unit"] = budget["actual"] / budget["output_value"]
budget["actual_vs_adopted"] = budget["actual"] / budget["adopted"] - 1
cost_per_unit = budget.pivot(index="program", columns="fiscal_year", values="cost_per_unit")
THRESHOLD = 0.05
budget["flag"] = np.where(budget["actual_vs_adopted"].abs() > THRESHOLD, "More than 5% off", "Within 5%")
flagged = budget[budget["flag"].eq("More than 5% off")]
years_flagged = flagged.groupby("program")["fiscal_year"].agg(["count", list])
n_years = budget["fiscal_year"].nunique()
off_budget_every_year = sorted(years_flagged[years_flagged["count"].eq(n_years)].index.tolist())
""",
    }


def ps4() -> dict[str, str]:
    # Lesson 09: its own standardised_difference, difference_with_interval, sample_size_per_arm; the
    # value-for-money cell charges a text only where a mobile number is on file.
    header = "from math import ceil, sqrt\nfrom statistics import NormalDist\nZ95 = NormalDist().inv_cdf(0.975)\n"
    return {
        "q1-answer": header
        + lesson_function(L09, "standardised_difference")
        + """
covariates = trial[COVARIATES].astype(float)
balance = covariates.groupby(trial["arm"]).mean()
control = covariates[trial["arm"].eq("control")]
std_diffs = pd.DataFrame({
    arm: {c: standardised_difference(covariates.loc[trial["arm"].eq(arm), c], control[c]) for c in COVARIATES}
    for arm in TREATMENTS
}).T
balanced = bool((std_diffs.abs() < 0.1).all().all())
""",
        "q2-answer": """
paid_by_arm = {arm: group["paid_30d"] for arm, group in trial.groupby("arm")}
rates = pd.Series({arm: paid_by_arm[arm].mean() for arm in ARMS})
""",
        "q3-answer": lesson_function(L09, "difference_with_interval")
        + """
effects = 100 * pd.DataFrame({arm: difference_with_interval(paid_by_arm[arm], paid_by_arm["control"]) for arm in TREATMENTS}).T
effects = effects.rename(columns={"difference": "effect_pp", "low": "ci_low_pp", "high": "ci_high_pp"})
""",
        "q4-answer": """
LETTER_COST, TEXT_COST = 0.68, 0.04
texts_sent_per_account = trial.loc[trial["arm"].eq("personalised_text"), "has_mobile"].mean()
cost_per_account = pd.Series({
    "standard_letter": LETTER_COST, "social_norm_letter": LETTER_COST, "personalised_text": TEXT_COST * texts_sent_per_account,
})
cost_per_extra_payer = cost_per_account / (effects["effect_pp"] / 100)
""",
        "q5-answer": lesson_function(L09, "sample_size_per_arm")
        + """
letter_rate = paid_by_arm["standard_letter"].mean()
n_follow_up = sample_size_per_arm(letter_rate, letter_rate + 0.02)
n_one_point = sample_size_per_arm(letter_rate, letter_rate + 0.01)
""",
    }


def ps5() -> dict[str, str]:
    # Lesson 10: "potholes" cell (hours, log_hours), "by_district" cell (mean log hours per district and
    # period), "did" cell (mean change pilot - mean change others), "event study" cell (group_gap per
    # quarter), and its own relative_change function for regression to the mean (group rates pooled: all requests
    # per all residents).
    return {
        "q1-answer": """
one_year_before = PILOT_START - pd.DateOffset(years=1)
closed_potholes = requests[requests["service_code"].eq("POTHOLE") & requests["status"].eq("closed")].copy()
closed_potholes["hours_to_close"] = (closed_potholes["closed_datetime"] - closed_potholes["requested_datetime"]) / pd.Timedelta(hours=1)
closed_potholes["group"] = np.where(closed_potholes["district"].isin(PILOT_DISTRICTS), "pilot", "comparison")
closed_potholes["period"] = np.select(
    [closed_potholes["requested_datetime"].between(one_year_before, PILOT_START, inclusive="left"),
     closed_potholes["requested_datetime"] >= PILOT_START],
    ["before", "after"], default="earlier",
)
potholes = closed_potholes[closed_potholes["period"].ne("earlier")].copy()
""",
        "q2-answer": """
potholes["log_hours"] = np.log(potholes["hours_to_close"])
district_periods = potholes.groupby(["district", "period"])["log_hours"].mean().unstack("period")
district_logs = district_periods[["before", "after"]]
by_district = district_logs.assign(change=district_logs["after"] - district_logs["before"])
by_district["pilot"] = by_district.index.isin(PILOT_DISTRICTS)
naive = by_district.loc[by_district["pilot"], "change"].mean()
did = by_district.loc[by_district["pilot"], "change"].mean() - by_district.loc[~by_district["pilot"], "change"].mean()
naive_change = float(np.expm1(naive))
did_change = float(np.expm1(did))
""",
        "q3-answer": """
earlier = closed_potholes[closed_potholes["requested_datetime"] < PILOT_START].copy()
earlier["log_hours"] = np.log(earlier["hours_to_close"])
earlier["quarter"] = earlier["requested_datetime"].dt.to_period("Q")
quarterly = earlier.groupby(["quarter", "district"])["log_hours"].agg(["mean"]).reset_index()
quarterly["pilot"] = quarterly["district"].isin(PILOT_DISTRICTS)
pre_trend = pd.DataFrame({
    str(q): {"pilot": rows.loc[rows["pilot"], "mean"].mean(), "comparison": rows.loc[~rows["pilot"], "mean"].mean()}
    for q, rows in quarterly.groupby("quarter")
}).T
pre_trend["gap"] = pre_trend["pilot"] - pre_trend["comparison"]
""",
        "q4-answer": lesson_function(L10, "relative_change")
        + """
all_potholes = requests[requests["service_code"].eq("POTHOLE")]
requests_per_year = all_potholes.groupby(["district", all_potholes["requested_datetime"].dt.year.rename("year")]).size().unstack()
pothole_rates = requests_per_year.div(districts.set_index("district")["population"], axis=0) * 1000
selected = sorted(pothole_rates[2023].nlargest(3).index)
population = districts.set_index("district")["population"]
rtm_ratio = float(relative_change(requests_per_year, population, pd.Index(selected), 2023))
""",
    }


def ps6() -> dict[str, str]:
    # Lesson 08: "cycle_days" and "procurement_kpis" cells, the "competition" labels, the
    # "management" cell, the "per_vendor" cell and its scorecard against the line's median vendor.
    return {
        "q1-answer": """
cycle_days = (contracts["award_date"] - contracts["requisition_date"]).dt.days
cycle_by_method = contracts.assign(cycle_days=cycle_days).groupby("award_method").agg(
    contracts=("contract_id", "count"),
    median_days=("cycle_days", "median"),
    p90_days=("cycle_days", lambda s: s.quantile(0.9)),
)
""",
        # The lesson marks its labels for translation with N_, which returns its argument unchanged.
        "q2-answer": "def N_(message):\n    return message\n\n\n"
        + lesson_function(L08, "competition")
        + """
labels = contracts.apply(competition, axis=1)
competed = contracts[contracts["award_method"].isin(["competitive sealed bid", "request for proposals"])]
mean_bids = competed.groupby("award_method")["bids_received"].mean()
single_bid_share = float(competed["bids_received"].eq(1).mean())
non_competitive_spend_share = float(contracts.loc[labels.eq("No competition"), "amount"].sum() / contracts["amount"].sum())
""",
        "q3-answer": """
perf = performance.assign(invoiced=performance["cost_per_unit"] * performance["units_delivered"])
per_vendor = perf.groupby(["service_line", "vendor_name"]).agg(
    months=("month", "count"),
    on_time=("on_time_rate", "mean"),
    staffing=("staffing_fill_rate", "mean"),
    complaints=("complaints", "sum"),
    units=("units_delivered", "sum"),
    invoiced=("invoiced", "sum"),
    satisfaction=("customer_satisfaction", "mean"),
)
per_vendor["complaints_per_1000"] = per_vendor["complaints"] / per_vendor["units"] * 1000
per_vendor["cost_per_unit"] = per_vendor["invoiced"] / per_vendor["units"]
scorecard = per_vendor.reset_index("service_line").rename(columns={
    "on_time": "on_time_rate", "staffing": "staffing_fill_rate", "complaints_per_1000": "complaints_per_1000_units",
})
""",
        "q4-answer": """
INDICATORS = {"on_time": +1, "staffing": +1, "complaints_per_1000": -1, "cost_per_unit": -1, "satisfaction": +1}
line = per_vendor.groupby(level="service_line")
has_peer = line["months"].transform("count") > 1
lesson_scorecard = pd.DataFrame({
    column: (direction * (per_vendor[column] / line[column].transform("median") - 1)).where(has_peer)
    for column, direction in INDICATORS.items()
})
WORSE = -0.05
worse_count = (lesson_scorecard < WORSE).sum(axis=1)
flagged = sorted(worse_count[worse_count >= 4].index.get_level_values("vendor_name"))
relative = lesson_scorecard.droplevel("service_line").rename(columns={
    "on_time": "on_time_rate", "staffing": "staffing_fill_rate", "complaints_per_1000": "complaints_per_1000_units",
})
""",
        "q5-answer": """
management = {
    "outcome_metrics": float(contracts["has_outcome_metrics"].mean()),
    "reviewed_quarterly": float(contracts["reviewed_quarterly"].mean()),
}
""",
    }


def ps7() -> dict[str, str]:
    # Lesson 11, the cleaning cell: its own tidy() for names, then rules 1-7 step by step; rule 8
    # (withholding sensitive locations) and the suppressed count table from its privacy section.
    return {
        "q1-answer": """
step1 = raw.drop_duplicates()
n_duplicates = len(raw) - len(step1)
""",
        "q2-answer": lesson_function(L11, "tidy")
        + """
is_test = tidy(step1["service_name"]).str.startswith("test") | step1["address"].isin(STAFF_TEST_ADDRESSES)
step2 = step1[~is_test].copy()
n_test_records = int(is_test.sum())
""",
        "q3-answer": """
step3 = step2.copy()
for column in TIMES:
    step3[column] = pd.to_datetime(step3[column], format="%Y-%m-%dT%H:%M:%S")
in_utc = step3["export_batch"].isin(UTC_BATCHES)
step3.loc[in_utc, TIMES] = step3.loc[in_utc, TIMES] - pd.Timedelta(hours=6)
""",
        "q4-answer": """
code_of_name = dict(zip(tidy(catalog["service_name"]), catalog["service_code"]))
step4 = step3.copy()
code_from_name = tidy(step4["service_name"]).map(code_of_name | ALIASES)
n_codes_from_names = int(step4["service_code"].isna().sum())
step4["service_code"] = step4["service_code"].fillna(code_from_name)
step4["service_name"] = step4["service_code"].map(dict(zip(catalog["service_code"], catalog["service_name"])))
""",
        "q5-answer": """
no_close = step4["status"].eq("closed") & step4["closed_datetime"].isna()
step5 = step4.copy()
step5.loc[no_close, "closed_datetime"] = step5.loc[no_close, "updated_datetime"]
n_filled = int(no_close.sum())
""",
        "q6-answer": """
impossible = step5["closed_datetime"] < step5["requested_datetime"]
step6 = step5[~impossible]
n_closed_before_opened = int(impossible.sum())
""",
        "q7-answer": """
clean = step6[PUBLISHED_COLUMNS].sort_values("service_request_id", ignore_index=True)
clean.loc[clean["service_code"].isin(SENSITIVE_CODES), LOCATION_COLUMNS] = np.nan
""",
        "q8-answer": """
TYPES = {"reopened": "boolean", "district": "integer", "lat": "number", "long": "number"} | {c: "datetime" for c in TIMES}
dictionary = pd.DataFrame({
    "column": PUBLISHED_COLUMNS,
    "type": [TYPES.get(c, "string") for c in PUBLISHED_COLUMNS],
    "description": [f"The {c.replace('_', ' ')} of the request, as described in the data catalogue." for c in PUBLISHED_COLUMNS],
})
""",
        "q9-answer": """
made_2024 = step6[step6["requested_datetime"].dt.year.eq(2024)]
counts_2024 = made_2024.groupby(["neighborhood_id", "service_code"]).size().rename("requests").reset_index()
published_counts = counts_2024.assign(requests=counts_2024["requests"].astype("Int64").mask(counts_2024["requests"] < SUPPRESS_BELOW))
""",
        "q10-answer": """
clean.to_csv("service_requests_clean.csv", index=False)
dictionary.to_csv("data_dictionary.csv", index=False)
published_counts.to_csv("requests_by_neighborhood_2024.csv", index=False)
""",
    }


LESSON_ANSWERS = {
    "ps1-311-performance": ps1,
    "ps2-equity": ps2,
    "ps3-scorecard": ps3,
    "ps4-randomised-trial": ps4,
    "ps5-pilot-evaluation": ps5,
    "ps6-contracts": ps6,
    "ps7-data-quality": ps7,
}
