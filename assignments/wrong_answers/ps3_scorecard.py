"""Plausible mistakes in ps3-scorecard (see README.md)."""

WRONG_ANSWERS = [
    {  # Forgot that lower is better for response times and vacancy rates.
        "name": "no-inversion",
        "cell": "q1-answer",
        "replace": [('kpis["target"] / kpis["actual"],', 'kpis["actual"] / kpis["target"],')],
        "loses": [
            "q1-direction",
            "q1-values",
            "q2-values",
            "q3-latest",
            "q4-off-target",
            "q5-departments",
            "q6-capped",
            "q7-change",
        ],
    },
    {  # The median of the scores rather than their mean.
        "name": "median-instead-of-mean",
        "cell": "q2-answer",
        "replace": [('["score"].mean()', '["score"].median()')],
        "loses": ["q2-values", "q3-latest", "q6-capped", "q7-change"],
    },
    {  # Off target over all three years, not 2024.
        "name": "all-years-off-target",
        "cell": "q4-answer",
        "replace": [('kpis[kpis["month"].str.startswith("2024")]', "kpis")],
        "loses": ["q4-off-target"],
    },
    {  # Capped the monthly index instead of each measure's score.
        "name": "cap-after-averaging",
        "cell": "q6-answer",
        "replace": [
            (
                'kpis["score"].clip(upper=1.25).groupby(kpis["month"]).mean()',
                'kpis.groupby("month")["score"].mean().clip(upper=1.25)',
            )
        ],
        "loses": ["q6-capped"],
    },
]
