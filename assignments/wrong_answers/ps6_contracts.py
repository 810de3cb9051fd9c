"""Plausible mistakes in ps6-contracts (see README.md)."""

WRONG_ANSWERS = [
    {  # The average cycle time instead of the median.
        "name": "mean-instead-of-median",
        "cell": "q1-answer",
        "replace": [('median_days="median",', 'median_days="mean",')],
        "loses": ["q1-values"],
    },
    {  # Share of contracts, not of dollars (the wrong denominator).
        "name": "share-of-contracts-not-dollars",
        "cell": "q2-answer",
        "replace": [
            (
                'float(contracts.loc[non_competitive, "amount"].sum() / contracts["amount"].sum())',
                "float(non_competitive.mean())",
            )
        ],
        "loses": ["q2-spend"],
    },
    {  # Averaged the monthly cost per unit: small months count as much as big ones.
        "name": "unweighted-cost",
        "cell": "q3-answer",
        "replace": [
            (
                '"cost_per_unit": grouped["invoiced"].sum() / grouped["units_delivered"].sum(),',
                '"cost_per_unit": grouped["cost_per_unit"].mean(),',
            )
        ],
        "loses": ["q3-cost"],
    },
    {  # Complaints per month instead of per 1,000 units of service.
        "name": "complaints-per-month",
        "cell": "q3-answer",
        "replace": [
            ('grouped["complaints"].sum() / grouped["units_delivered"].sum() * 1000', 'grouped["complaints"].mean()')
        ],
        "loses": ["q3-complaints"],
    },
]
