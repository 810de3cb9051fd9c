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
    {  # A plain weighted average of the ratios (not of their logarithms), as the old question asked.
        "name": "arithmetic-mean-of-ratios",
        "cell": "q4-answer",
        "replace": [
            (
                'float(np.expm1(np.average(np.log(type_medians["low"] / type_medians["high"]), weights=weights)))',
                'float(np.average(type_medians["low"] / type_medians["high"], weights=weights) - 1)',
            )
        ],
        "loses": ["q4-gap"],
    },
    {  # Open requests kept: their missing close times make the medians come from closed ones anyway,
        # but the mix then counts open requests too (the wrong denominator).
        "name": "mix-with-open-requests",
        "cell": "q5-answer",
        "replace": [
            (
                'mix = pd.crosstab(closed["service_name"], closed["income_group"], normalize="columns")',
                'mix = pd.crosstab(requests["service_name"], requests["neighborhood_id"].map(neighborhoods.set_index("neighborhood_id")["income_group"]), normalize="columns")',
            )
        ],
        "loses": ["q5-mix"],
    },
    {  # Shares of each type across groups (normalised by row) instead of within each group.
        "name": "mix-normalised-by-type",
        "cell": "q5-answer",
        "replace": [('normalize="columns")', 'normalize="index")')],
        "loses": ["q5-mix"],
    },
    {  # Weights the wrong way round: respondents per adult, so the groups that answer most count most.
        "name": "survey-weights-inverted",
        "cell": "q7-answer",
        "replace": [
            (
                'cell_weights["adult_population"] / cell_weights["respondents"]',
                'cell_weights["respondents"] / cell_weights["adult_population"]',
            )
        ],
        "loses": ["q7-shape", "q7-values"],
    },
    {  # "4 or 5" read as "above 4": only the 5s count as satisfied.
        "name": "survey-only-fives",
        "cell": "q7-answer",
        "replace": [('satisfied = answered["sat_overall"] >= 4', 'satisfied = answered["sat_overall"] > 4')],
        "loses": ["q7-values"],
    },
]
