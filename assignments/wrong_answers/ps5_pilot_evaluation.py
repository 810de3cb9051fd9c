"""Plausible mistakes in ps5-pilot-evaluation (see README.md)."""

WRONG_ANSWERS = [
    {  # "Before" taken as all history since 2022, not the 12 months before the start.
        "name": "all-history-before",
        "cell": "q1-answer",
        "replace": [('    & (requests["requested_datetime"] >= window_start)\n', "")],
        "loses": ["q1-periods", "q2-medians", "q2-naive", "q2-did"],
    },
    {  # Means instead of medians.
        "name": "mean-instead-of-median",
        "cell": "q2-answer",
        "replace": [('aggfunc="median"', 'aggfunc="mean"')],
        "loses": ["q2-medians", "q2-naive", "q2-did"],
    },
    {  # The difference in differences in hours, where a proportion was asked for.
        "name": "did-in-hours",
        "cell": "q2-answer",
        "replace": [
            (
                'did_change = float(medians.loc["pilot", "after"] / medians.loc["pilot", "before"] / comparison_ratio - 1)',
                'did_change = float((medians.loc["pilot", "after"] - medians.loc["pilot", "before"])'
                ' - (medians.loc["comparison", "after"] - medians.loc["comparison", "before"]))',
            )
        ],
        "loses": ["q2-did"],
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
]
