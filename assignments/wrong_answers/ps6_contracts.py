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
        "loses": ["q3-complaints", "q4-relative"],  # Part 4 reuses the scorecard
    },
    {  # Vendors compared with the whole city instead of their own service line.
        "name": "citywide-comparison",
        "cell": "q4-answer",
        "replace": [('line = scorecard.groupby("service_line")', 'line = scorecard.groupby(lambda vendor: "all")')],
        "loses": ["q4-relative", "q4-flagged"],
    },
    {  # Compared with the best vendor of the line instead of its median vendor.
        "name": "best-not-median",
        "cell": "q4-answer",
        "replace": [('line[column].transform("median")', 'line[column].transform("max")')],
        "loses": ["q4-relative", "q4-flagged"],
    },
    {  # Forgot to flip the sign where lower is better (complaints, cost).
        "name": "no-sign-flip",
        "cell": "q4-answer",
        "replace": [
            (
                '"complaints_per_1000_units": -1, "cost_per_unit": -1,',
                '"complaints_per_1000_units": 1, "cost_per_unit": 1,',
            )
        ],
        "loses": ["q4-relative"],  # the flagged list happens to be the same in these data
    },
    {  # Single-bid share over all contracts, not only competitive ones (the wrong denominator).
        "name": "single-bid-all-contracts",
        "cell": "q2-answer",
        "replace": [
            (
                'single_bid_share = float((competitive["bids_received"] == 1).mean())',
                'single_bid_share = float((contracts["bids_received"] == 1).mean())',
            )
        ],
        "loses": ["q2-bids"],
    },
]
