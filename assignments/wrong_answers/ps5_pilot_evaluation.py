"""Plausible mistakes in ps5-pilot-evaluation (see README.md)."""

WRONG_ANSWERS = [
    {  # "Before" taken as all history since 2022, not the 12 months before the start.
        "name": "all-history-before",
        "cell": "q1-answer",
        "replace": [('    & (requests["requested_datetime"] >= window_start)\n', "")],
        "loses": ["q1-periods", "q2-logs", "q2-naive", "q2-did"],
    },
    {  # Mean hours instead of mean log hours: a few very long waits drive the result.
        "name": "mean-hours-not-logs",
        "cell": "q2-answer",
        "replace": [
            (
                'potholes["log_hours"] = np.log(potholes["hours_to_close"])',
                'potholes["log_hours"] = potholes["hours_to_close"]',
            )
        ],
        "loses": ["q2-logs", "q2-naive", "q2-did"],
    },
    {  # Pooled every request of a group (the lesson warns against it) instead of districts as units.
        "name": "pooled-requests",
        "cell": "q2-answer",
        "replace": [
            (
                "naive_change = float(np.expm1(change[in_pilot].mean()))\n"
                "did_change = float(np.expm1(change[in_pilot].mean() - change[~in_pilot].mean()))",
                'pooled = potholes.assign(pilot=potholes["district"].isin(PILOT_DISTRICTS))'
                '.groupby(["pilot", "period"])["log_hours"].mean()\n'
                'naive_change = float(np.expm1(pooled[True, "after"] - pooled[True, "before"]))\n'
                'did_change = float(np.expm1(pooled[True, "after"] - pooled[True, "before"]'
                ' - pooled[False, "after"] + pooled[False, "before"]))',
            )
        ],
        "loses": ["q2-naive", "q2-did"],
    },
    {  # The difference in differences left in log hours, where a proportion was asked for.
        "name": "did-in-log-hours",
        "cell": "q2-answer",
        "replace": [
            (
                "did_change = float(np.expm1(change[in_pilot].mean() - change[~in_pilot].mean()))",
                "did_change = float(change[in_pilot].mean() - change[~in_pilot].mean())",
            )
        ],
        "loses": ["q2-did"],
    },
    {  # Pre-trend from pooled requests, each district weighted by its volume.
        "name": "pooled-pre-trend",
        "cell": "q3-answer",
        "replace": [
            (
                'by_district_quarter = earlier.groupby(["quarter", "district"])["log_hours"].mean().reset_index()',
                'by_district_quarter = earlier[["quarter", "district", "log_hours"]]',
            )
        ],
        "loses": ["q3-pretrend"],
    },
    {  # Raw counts: forgot to divide by population.
        "name": "counts-not-rates",
        "cell": "q4-answer",
        "replace": [
            (
                'pothole_rates = counts.div(districts.set_index("district")["population"], axis=0) * 1000',
                "pothole_rates = counts",
            )
        ],
        "loses": ["q4-rates", "q4-selected", "q4-rtm"],
    },
    {  # Only closed requests counted in the rates (a missed filter the other way round).
        "name": "closed-only-rates",
        "cell": "q4-answer",
        "replace": [
            (
                'all_potholes = requests[requests["service_code"] == "POTHOLE"]',
                'all_potholes = requests[(requests["service_code"] == "POTHOLE") & (requests["status"] == "closed")]',
            )
        ],
        "loses": ["q4-rates", "q4-rtm"],
    },
    {  # A group's rate as the plain average of its districts' rates (a small district weighs as much as a large one).
        "name": "mean-of-district-rates",
        "cell": "q4-answer",
        "replace": [
            (
                "change = lambda rows: group_rate(rows, 2024) / group_rate(rows, 2023)",
                "change = lambda rows: pothole_rates.loc[rows, 2024].mean() / pothole_rates.loc[rows, 2023].mean()",
            )
        ],
        "loses": ["q4-rtm"],
    },
]
