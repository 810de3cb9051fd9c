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
    {  # Open requests kept in the denominator of compliance (they count as "not met").
        "name": "open-requests-in-sla",
        "cell": "q4-answer",
        "replace": [
            (
                'met = closed["closed_datetime"] <= closed["expected_datetime"]',
                'met = requests["closed_datetime"] <= requests["expected_datetime"]',
            ),
            ('met.groupby(closed["service_name"])', 'met.groupby(requests["service_name"])'),
        ],
        "loses": ["q4-values", "q4-overall", "q6-worst"],
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
]
