"""Plausible mistakes in ps7-data-quality (see README.md)."""

WRONG_ANSWERS = [
    {  # Moved the UTC batch the wrong way (added 6 hours).
        "name": "utc-wrong-direction",
        "cell": "q3-answer",
        "replace": [("+ pd.Timedelta(hours=UTC_OFFSET_HOURS)", "- pd.Timedelta(hours=UTC_OFFSET_HOURS)")],
        "loses": ["q3-utc", "q7-clean"],
    },
    {  # Dropped only the rows spelt exactly "TEST".
        "name": "exact-test-name-only",
        "cell": "q2-answer",
        "replace": [
            (
                'is_test = trimmed.str.startswith("test") | step1["address"].isin(STAFF_TEST_ADDRESSES)',
                'is_test = step1["service_name"] == "TEST"',
            )
        ],
        "loses": ["q2-test-records", "q4-names", "q6-drop", "q7-clean", "q9-counts", "q9-suppressed"],
    },
    {  # Filled missing close times with the deadline instead of the last update.
        "name": "fill-from-deadline",
        "cell": "q5-answer",
        "replace": [('step5.loc[missing, "updated_datetime"]', 'step5.loc[missing, "expected_datetime"]')],
        "loses": ["q5-fill", "q7-clean"],
    },
    {  # Suppressed counts below 10 and showed the 10s (the written file shows them too).
        "name": "suppress-below-ten",
        "cell": "q9-answer",
        "replace": [(">= SUPPRESS_BELOW)", ">= SUPPRESS_BELOW - 1)")],
        "loses": ["q9-suppressed", "q10-files"],
    },
    {  # Published the housing complaints with their block addresses (rule 8 missed).
        "name": "sensitive-locations-published",
        "cell": "q7-answer",
        "replace": [('clean.loc[clean["service_code"].isin(SENSITIVE_CODES), LOCATION_COLUMNS] = np.nan', "")],
        "loses": ["q7-clean"],
    },
    {  # Counted the summary table from `clean`, where the housing complaints have no neighbourhood.
        "name": "counts-from-published-table",
        "cell": "q9-answer",
        "replace": [
            (
                'in_2024 = step6[step6["requested_datetime"].dt.year == 2024]',
                'in_2024 = clean[clean["requested_datetime"].dt.year == 2024]',
            )
        ],
        "loses": ["q9-counts", "q9-suppressed"],
    },
    {  # Compared names without lower-casing: "Pot Hole" and "pot hole" stay apart.
        "name": "names-not-lower-cased",
        "cell": "q4-answer",
        "replace": [('text = names.fillna("").astype(str).str.lower()', 'text = names.fillna("").astype(str)')],
        "loses": ["q4-names", "q7-clean", "q9-counts", "q9-suppressed"],
    },
]
