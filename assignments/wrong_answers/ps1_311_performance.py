"""Plausible mistakes in ps1-311-performance (see README.md)."""

WRONG_ANSWERS = [
    {  # The classic: an average instead of the median that Stat meetings report.
        "name": "mean-instead-of-median",
        "cell": "q2-answer",
        "replace": [('median_hours="median",', 'median_hours="mean",')],
        "loses": ["q2-values"],
    },
    {  # Time to close in days, then used as if it were hours.
        "name": "days-instead-of-hours",
        "cell": "q1-answer",
        "replace": [(".dt.total_seconds() / 3600", ".dt.total_seconds() / 86400")],
        "loses": ["q1-units", "q1-rows", "q2-values", "q3-values", "q5-values"],
    },
    {  # The old habit: closed requests only, so a request still open past its deadline never counts as missed.
        "name": "closed-only-sla",
        "cell": "q4-answer",
        "replace": [
            ('due = requests[requests["expected_datetime"] < EXPORT]', "due = closed"),
        ],
        "loses": ["q4-values", "q4-overall", "q6-worst"],
    },
    {  # Every request in the denominator, even those whose deadline had not yet come at the export.
        "name": "not-yet-due-in-sla",
        "cell": "q4-answer",
        "replace": [
            ('due = requests[requests["expected_datetime"] < EXPORT]', "due = requests"),
        ],
        "loses": ["q4-values", "q4-overall"],
    },
    {  # The trend by month of closing, not month of request.
        "name": "trend-by-month-closed",
        "cell": "q5-answer",
        "replace": [
            ('closed["requested_datetime"].dt.strftime("%Y-%m")', 'closed["closed_datetime"].dt.strftime("%Y-%m")')
        ],
        "loses": ["q5-values"],
    },
    {  # Forgot to keep only potholes.
        "name": "missed-pothole-filter",
        "cell": "q3-answer",
        "replace": [('potholes = closed[closed["service_code"] == "POTHOLE"]', "potholes = closed")],
        "loses": ["q3-values"],
    },
    {  # Overall compliance as the average of the services' shares: every service weighs the same.
        "name": "sla-average-of-services",
        "cell": "q4-answer",
        "replace": [("sla_overall = float(met.mean())", "sla_overall = float(sla_by_service.mean())")],
        "loses": ["q4-overall"],
    },
    {  # The 90th percentile only in the tooltip: the chart draws the medians alone.
        "name": "p90-only-in-tooltip",
        "cell": "q8-answer",
        "replace": [('x=alt.X("p90_hours:Q", title=', 'x=alt.X("median_hours:Q", title=')],
        "loses": ["q8-chart"],
    },
    {  # The worst three by the longest median instead of the lowest compliance.
        "name": "worst-by-median",
        "cell": "q6-answer",
        "replace": [
            ("worst_three = list(sla_by_service.sort_values().index[:3])", "worst_three = list(by_service.index[:3])")
        ],
        "loses": ["q6-worst"],
    },
    {  # The average where the standard asks for a fractile.
        "name": "ems-mean-not-p90",
        "cell": "q9-answer",
        "replace": [("ems_p90 = seconds.quantile(0.9)", "ems_p90 = seconds.mean()")],
        "loses": ["q9-fractiles"],
    },
    {  # Every priority, not the priority 1 calls the objective is for.
        "name": "ems-all-priorities",
        "cell": "q9-answer",
        "replace": [
            ('reached = ems[ems["priority"].eq(1) & ems["on_scene"].notna()]', 'reached = ems[ems["on_scene"].notna()]')
        ],
        "loses": ["q9-fractiles"],
    },
]
