"""Plausible mistakes in ps2-equity (see README.md)."""

WRONG_ANSWERS = [
    {  # Counted all three years, not 2024.
        "name": "all-years-per-capita",
        "cell": "q1-answer",
        "replace": [('in_2024 = requests[requests["requested_datetime"].dt.year == 2024]', "in_2024 = requests")],
        "loses": ["q1-values", "q2-weighted"],
    },
    {  # The group rate as the plain average of its neighbourhoods' rates (unweighted).
        "name": "unweighted-group-rate",
        "cell": "q2-answer",
        "replace": [
            (
                'by_income["per_1000"] = by_income["requests"] / by_income["population"] * 1000',
                'by_income["per_1000"] = per_capita.join(neighborhoods.set_index("neighborhood_id")["income_group"])'
                '.groupby("income_group")["per_1000"].mean()',
            )
        ],
        "loses": ["q2-weighted"],
    },
    {  # Averages instead of medians of time to close.
        "name": "mean-instead-of-median",
        "cell": "q3-answer",
        "replace": [('["hours_to_close"].median()', '["hours_to_close"].mean()')],
        "loses": ["q3-medians", "q3-naive"],
    },
    {  # The gap the wrong way round (high over low).
        "name": "gap-upside-down",
        "cell": "q3-answer",
        "replace": [
            (
                'median_by_income["low"] / median_by_income["high"] - 1',
                'median_by_income["high"] / median_by_income["low"] - 1',
            )
        ],
        "loses": ["q3-naive"],
    },
    {  # Every request type counted the same, however rare.
        "name": "unweighted-within-type",
        "cell": "q4-answer",
        "replace": [("weights=weights", "weights=None")],
        "loses": ["q4-gap"],
    },
]
