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
        "loses": ["q2-rates", "q3-effect", "q3-ci", "q4-cost", "q5-n", "q5-one-point"],
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
    {  # Standardised by the control arm's standard deviation alone (not the pooled one).
        "name": "control-sd-only",
        "cell": "q1-answer",
        "replace": [
            (
                'pooled_sd = np.sqrt((variances.loc[TREATMENTS] + variances.loc["control"]) / 2)',
                'pooled_sd = np.sqrt(variances.loc["control"])',
            )
        ],
        "loses": ["q1-std-diffs"],
    },
    {  # Raw differences in means, not standardised (the balance owed swamps the rest).
        "name": "unstandardised-differences",
        "cell": "q1-answer",
        "replace": [
            (
                'std_diffs = (balance.loc[TREATMENTS] - balance.loc["control"]) / pooled_sd',
                'std_diffs = balance.loc[TREATMENTS] - balance.loc["control"]',
            )
        ],
        "loses": ["q1-std-diffs", "q1-balanced"],
    },
    {  # A text charged for every account in the arm, mobile number or not.
        "name": "text-cost-per-account-sent",
        "cell": "q4-answer",
        "replace": [
            (
                'cost_per_account["personalised_text"] = COST_PER_REMINDER["personalised_text"] * text_share',
                'cost_per_account["personalised_text"] = COST_PER_REMINDER["personalised_text"]',
            )
        ],
        "loses": ["q4-cost"],
    },
    {  # A one-sided z in the sample-size formula.
        "name": "one-sided-sample-size",
        "cell": "q5-answer",
        "replace": [
            ("z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)", "z = stats.norm.ppf(0.95) + stats.norm.ppf(0.8)")
        ],
        "loses": ["q5-n", "q5-one-point"],
    },
    {  # Rounded down (int() cuts the decimals) where the question says to round up.
        "name": "sample-size-rounded-down",
        "cell": "q5-answer",
        "replace": [
            ("n_follow_up = math.ceil(", "n_follow_up = int("),
            ("n_one_point = math.ceil(", "n_one_point = int("),
        ],
        "loses": ["q5-n", "q5-one-point"],
    },
]
