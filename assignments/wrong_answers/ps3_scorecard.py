"""Plausible mistakes in ps3-scorecard (see README.md)."""

WRONG_ANSWERS = [
    {  # Forgot that lower is better for response times and vacancy rates.
        "name": "no-inversion",
        "cell": "q1-answer",
        "replace": [('scored["target"] / scored["actual"],', 'scored["actual"] / scored["target"],')],
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
        "loses": ["q2-values", "q3-latest", "q6-capped", "q7-change"],  # q6's check compares with cityscore
    },
    {  # Off target over all three years, not 2024.
        "name": "all-years-off-target",
        "cell": "q4-answer",
        "replace": [('scored[scored["month"].str.startswith("2024")]', "scored")],
        "loses": ["q4-off-target"],
    },
    {  # Capped the monthly index instead of each measure's score.
        "name": "cap-after-averaging",
        "cell": "q6-answer",
        "replace": [
            (
                'scored["score"].clip(upper=1.25).groupby(scored["month"]).mean()',
                'scored.groupby("month")["score"].mean().clip(upper=1.25)',
            )
        ],
        "loses": ["q6-capped"],
    },
    {  # A department's score as the mean of its measures' yearly means (the wrong weights when
        # measures report different numbers of months) -- here: the 2024 filter forgotten.
        "name": "departments-all-years",
        "cell": "q5-answer",
        "replace": [
            ('scored[scored["month"].str.startswith("2024")].groupby("department")', 'scored.groupby("department")')
        ],
        "loses": ["q5-departments"],
    },
    {  # Compared 2024 with the year before, not with 2022.
        "name": "change-since-2023",
        "cell": "q7-answer",
        "replace": [('cityscore[year == "2022"].mean()', 'cityscore[year == "2023"].mean()')],
        "loses": ["q7-change"],
    },
    {  # Cost per unit from the adopted budget, not what was actually spent.
        "name": "cost-from-adopted",
        "cell": "q9-answer",
        "replace": [
            (
                'cost_per_unit = budget.pivot(index="program", columns="fiscal_year", values="actual")',
                'cost_per_unit = budget.pivot(index="program", columns="fiscal_year", values="adopted")',
            )
        ],
        "loses": ["q9-values"],
    },
    {  # Overspending only: programmes that underspent by more than 5% are missed.
        "name": "overspend-only",
        "cell": "q9-answer",
        "replace": [("off=gap.abs() > 0.05", "off=gap > 0.05")],
        "loses": ["q9-values"],
    },
]
