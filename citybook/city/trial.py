"""A block-randomised trial of payment reminders on overdue utility accounts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from citybook.city import truth
from citybook.city.draws import categorical, logistic, lognormal
from citybook.city.schema import Field, ForeignKey, Table

ARMS = ("control", "standard_letter", "social_norm_letter", "personalised_text")
BALANCE_BANDS = ("under_200", "200_to_499", "500_plus")
LANGUAGES = ("English", "Spanish", "Other")
COMMERCIAL_SHARE = 0.08
FULL_PAYMENT_SHARE = 0.65  # of payers, share who pay the whole balance

TABLE = Table(
    name="payment_reminder_trial",
    title="Payment reminder trial",
    description=(
        "A randomised trial the fictional city's Finance department ran on utility accounts at least "
        "30 days overdue: on 4 March 2024 each account got nothing (control), the standard reminder "
        "letter, a letter with a social-norm line (most neighbours pay on time), or a personalised "
        "text message. Accounts were randomised with equal shares within blocks of district x balance "
        "band (column `block`). `delivered` records whether the reminder reached the account (returned "
        "letters; no mobile number on file or a failed text); it is empty for the control arm. "
        "Compare arms as randomised (intention to treat): paid_30d is 1 if the account paid within 30 days."
    ),
    convention="Behavioural Insights Team 'Test, Learn, Adapt' randomised controlled trial; outcome and arms in the style of BIT's reminder trials (Haynes et al. 2013; Hallsworth et al. 2017).",
    fields=(
        Field("account_id", "string", "Utility account (pseudonymised).", required=True),
        Field("district", "integer", "Service district of the service address.", required=True, minimum=1, maximum=10),
        Field("neighborhood_id", "string", "Neighbourhood of the service address.", required=True),
        Field(
            "account_type",
            "string",
            "Residential or commercial account.",
            required=True,
            enum=("residential", "commercial"),
        ),
        Field(
            "balance_owed",
            "number",
            "Overdue balance on the mailing date.",
            unit="USD",
            required=True,
            minimum=0,
            decimals=2,
        ),
        Field("balance_band", "string", "Band of balance_owed used for blocking.", required=True, enum=BALANCE_BANDS),
        Field(
            "days_overdue",
            "integer",
            "Days the oldest unpaid bill was overdue on the mailing date.",
            unit="days",
            required=True,
            minimum=30,
        ),
        Field("prior_late_payments", "integer", "Late payments in the previous 24 months.", required=True, minimum=0),
        Field("has_mobile", "boolean", "True if a mobile number is on file.", required=True),
        Field("preferred_language", "string", "Language of correspondence.", required=True, enum=LANGUAGES),
        Field("block", "string", "Randomisation block: district x balance band.", required=True),
        Field("arm", "string", "Assigned arm.", required=True, enum=ARMS),
        Field("mailing_date", "date", "Day reminders went out.", required=True),
        Field("delivered", "boolean", "True if the reminder reached the account (empty for control)."),
        Field(
            "paid_30d",
            "integer",
            "1 if any payment arrived within 30 days of the mailing date.",
            required=True,
            enum=(0, 1),
        ),
        Field(
            "amount_paid_30d", "number", "Amount paid within 30 days.", unit="USD", required=True, minimum=0, decimals=2
        ),
    ),
    primary_key=("account_id",),
    foreign_keys=(
        ForeignKey(("neighborhood_id",), "neighborhoods", ("neighborhood_id",)),
        ForeignKey(("district",), "districts", ("district",)),
    ),
)


def effect_if_delivered(arm: str) -> float:
    """Lift in payment probability for a delivered reminder, so the ITT equals the documented truth."""
    delivery = (
        truth.MOBILE_ON_FILE_RATE * truth.TEXT_DELIVERY_RATE
        if arm == "personalised_text"
        else truth.LETTER_DELIVERY_RATE
    )
    return truth.TRIAL_TRUE_ITT_PP[arm] / 100 / delivery


def _assign(blocks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Equal allocation within each block; leftover places go to arms in a random order."""
    arm = np.empty(len(blocks), dtype=object)
    for b in np.unique(blocks):
        idx = np.flatnonzero(blocks == b)
        order = rng.permutation(len(ARMS))
        arm[idx] = np.array(ARMS)[rng.permutation(np.resize(order, len(idx)))]
    return arm


def generate(hoods: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Accounts, covariates, block randomisation, delivery and 30-day payment."""
    n = truth.TRIAL_ACCOUNTS
    weight = hoods["households"] * (0.5 + hoods["share_poverty"])
    hood = categorical(rng, np.broadcast_to(weight / weight.sum(), (n, len(hoods))))
    district = hoods["district"].to_numpy()[hood]
    commercial = rng.random(n) < COMMERCIAL_SHARE
    balance = np.round(np.clip(lognormal(rng, np.where(commercial, 780, 260), 3.2), 31, None), 2)
    band = np.select([balance < 200, balance < 500], BALANCE_BANDS[:2], BALANCE_BANDS[2])
    days_overdue = np.clip(np.round(30 + lognormal(rng, 25, 4.0, n)), 30, 365).astype(int)
    prior = np.clip(rng.poisson(1.2 + 2.0 * hoods["share_poverty"].to_numpy()[hood]), 0, 12)
    limited = hoods["share_limited_english"].to_numpy()[hood]
    language = np.array(LANGUAGES)[
        categorical(rng, np.column_stack([1 - 1.25 * limited, 0.9 * limited, 0.35 * limited]))
    ]
    has_mobile = rng.random(n) < truth.MOBILE_ON_FILE_RATE
    block = np.array([f"D{d:02d}-{b}" for d, b in zip(district, band)])
    arm = _assign(block, rng)
    letter = np.isin(arm, ["standard_letter", "social_norm_letter"])
    text = arm == "personalised_text"
    delivered = np.where(
        letter,
        rng.random(n) < truth.LETTER_DELIVERY_RATE,
        np.where(text, has_mobile & (rng.random(n) < truth.TEXT_DELIVERY_RATE), False),
    )
    score = -0.45 * np.log(balance / 260) - 0.30 * prior - 0.006 * (days_overdue - 55) + 0.4 * commercial
    intercept = brentq(lambda a: logistic(a + score).mean() - truth.TRIAL_CONTROL_RATE, -10, 5)
    baseline = logistic(intercept + score)
    lift = {a: 0.0 if a == "control" else effect_if_delivered(a) for a in ARMS}
    p = baseline + np.array([lift[a] for a in arm]) * delivered
    paid = rng.random(n) < np.clip(p, 0, 1)
    share = np.where(rng.random(n) < FULL_PAYMENT_SHARE, 1.0, rng.uniform(0.2, 0.9, n))
    ids = rng.choice(np.arange(1_000_000, 9_999_999), n, replace=False)
    frame = pd.DataFrame(
        {
            "account_id": [f"UA-{i}" for i in ids],
            "district": district,
            "neighborhood_id": hoods["neighborhood_id"].to_numpy()[hood],
            "account_type": np.where(commercial, "commercial", "residential"),
            "balance_owed": balance,
            "balance_band": band,
            "days_overdue": days_overdue,
            "prior_late_payments": prior,
            "has_mobile": has_mobile,
            "preferred_language": language,
            "block": block,
            "arm": arm,
            "mailing_date": pd.Timestamp(truth.TRIAL_MAILING_DATE),
            "delivered": pd.array(np.where(arm == "control", None, delivered), dtype="boolean"),
            "paid_30d": paid.astype(int),
            "amount_paid_30d": np.round(np.where(paid, balance * share, 0.0), 2),
        }
    )
    return frame.sort_values("account_id", ignore_index=True)
