"""Plausible mistakes in ps4-randomised-trial (see README.md)."""

WRONG_ANSWERS = [
    {  # "Per protocol": dropped the accounts whose reminder never arrived (breaks randomisation).
        "name": "delivered-only",
        "cell": "q2-answer",
        "replace": [
            (
                'rates = trial.groupby("arm")["paid_30d"].mean().reindex(ARMS)',
                'rates = trial[trial["delivered"].ne(False)].groupby("arm")["paid_30d"].mean().reindex(ARMS)',
            )
        ],
        "loses": ["q2-rates", "q3-effect", "q3-ci", "q4-cost", "q5-n"],
    },
    {  # Effects left as proportions (0.04), not percentage points (4).
        "name": "proportions-not-points",
        "cell": "q3-answer",
        "replace": [("100 * ", "")],
        "loses": ["q3-units", "q3-effect", "q3-ci", "q4-cost"],
    },
    {  # A 90% interval (z = 1.645) reported as a 95% one.
        "name": "ninety-percent-interval",
        "cell": "q3-answer",
        "replace": [("z = stats.norm.ppf(0.975)", "z = stats.norm.ppf(0.95)")],
        "loses": ["q3-ci"],
    },
    {  # A one-sided z in the sample-size formula.
        "name": "one-sided-sample-size",
        "cell": "q5-answer",
        "replace": [("stats.norm.ppf(1 - alpha / 2)", "stats.norm.ppf(1 - alpha)")],
        "loses": ["q5-function", "q5-n"],
    },
]
