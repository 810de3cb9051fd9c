"""Building and trade permits: application, completeness, review cycles and issue dates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from citybook.city import calendar, truth
from citybook.city.draws import categorical, lognormal
from citybook.city.schema import Field, ForeignKey, Table


@dataclass(frozen=True)
class PermitType:
    """A permit type and how its review behaves."""

    name: str
    share: float  # of all applications
    first_review_days: float  # median calendar days for the first review
    extra_cycles: float  # mean number of review cycles beyond the first
    valuation: float  # median project value, USD


PERMIT_TYPES = (
    PermitType("Residential alteration", 0.30, 9, 0.6, 28_000),
    PermitType("Residential new construction", 0.06, 24, 1.4, 310_000),
    PermitType("Commercial alteration", 0.14, 18, 1.0, 120_000),
    PermitType("Commercial new construction", 0.02, 40, 2.0, 2_400_000),
    PermitType("Electrical", 0.18, 2, 0.15, 6_000),
    PermitType("Plumbing", 0.14, 2, 0.15, 5_000),
    PermitType("Mechanical", 0.10, 3, 0.2, 9_000),
    PermitType("Demolition", 0.02, 8, 0.4, 25_000),
    PermitType("Sign", 0.04, 6, 0.5, 4_000),
)
STATUSES = ("issued", "in review", "withdrawn", "denied")
APPLICATIONS_A_YEAR = 11_500
RESUBMISSION_DAYS = 9  # median days an applicant takes to answer review comments
RE_REVIEW_SHARE = 0.6  # a re-review takes this share of the first review
WITHDRAWN, DENIED = 0.04, 0.01

TABLE = Table(
    name="permits",
    title="Building and trade permits",
    description=(
        "Permit applications to the fictional city of Corvella, 2022-2024. Processing time = "
        "issued_date - complete_date in calendar days (report the median and the 90th percentile: "
        "the distribution is right-skewed). Each review cycle after the first adds the applicant's "
        "resubmission and a re-review. A permit not issued by the export (2025-01-01) is 'in review'. "
        "Permits are issued on business days only."
    ),
    convention="Permit processing measures as San Francisco (median calendar days from complete application) and Denver (average and 90th percentile) report them.",
    fields=(
        Field("permit_id", "string", "Permit number (BPyy-nnnnn).", required=True),
        Field("permit_type", "string", "Type of permit.", required=True, enum=tuple(t.name for t in PERMIT_TYPES)),
        Field("status", "string", "Status at the export.", required=True, enum=STATUSES),
        Field("application_date", "date", "Application submitted.", required=True),
        Field("complete_date", "date", "Application accepted as complete (empty if withdrawn first)."),
        Field("review_cycles", "integer", "Plan-review cycles so far (empty if never complete).", minimum=1),
        Field("issued_date", "date", "Permit issued (empty if not issued)."),
        Field("valuation", "number", "Declared project value.", unit="USD", required=True, minimum=0, decimals=0),
        Field("neighborhood_id", "string", "Neighbourhood of the work.", required=True),
        Field("district", "integer", "Service district of the work.", required=True, minimum=1, maximum=10),
    ),
    primary_key=("permit_id",),
    foreign_keys=(
        ForeignKey(("neighborhood_id",), "neighborhoods", ("neighborhood_id",)),
        ForeignKey(("district",), "districts", ("district",)),
    ),
    compressed=True,
)


def _next_business_day(days: pd.Series) -> pd.Series:
    """The same day if City Hall is open, else the next day it is."""
    rolled = np.busday_offset(
        days.dt.floor("D").to_numpy().astype("datetime64[D]"), 0, roll="forward", holidays=calendar.holiday_dates()
    )
    return pd.Series(pd.to_datetime(rolled), index=days.index)


def generate(hoods: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Applications on business days; intake, review cycles and issue dates with right-skewed waits."""
    days = calendar.days_in_period(truth.START, truth.END)
    open_days = days[calendar.is_business_day(days.to_numpy())]
    per_day = rng.poisson(APPLICATIONS_A_YEAR / 250, len(open_days))
    applied = pd.Series(np.repeat(open_days.to_numpy(), per_day))
    n = len(applied)
    kind = categorical(rng, np.broadcast_to([t.share for t in PERMIT_TYPES], (n, len(PERMIT_TYPES))))
    first = np.array([t.first_review_days for t in PERMIT_TYPES])[kind]
    extra = rng.poisson(np.array([t.extra_cycles for t in PERMIT_TYPES])[kind])
    intake = np.floor(lognormal(rng, 2.0, 4.0, n))
    review = lognormal(rng, first, 2.2)
    for k in range(int(extra.max())):
        more = extra > k
        review = review + more * (
            lognormal(rng, RESUBMISSION_DAYS, 2.5, n) + lognormal(rng, first * RE_REVIEW_SHARE, 2.0)
        )
    complete = _next_business_day(applied + pd.to_timedelta(intake, unit="D"))
    issued = _next_business_day(complete + pd.to_timedelta(np.round(review), unit="D"))
    fate = rng.random(n)
    withdrawn, denied = fate < WITHDRAWN, (fate >= WITHDRAWN) & (fate < WITHDRAWN + DENIED)
    withdrawn_early = withdrawn & (rng.random(n) < 0.3)
    pending = issued > pd.Timestamp(truth.AS_OF)
    status = np.select([withdrawn, denied, pending.to_numpy()], ["withdrawn", "denied", "in review"], "issued")
    hood = categorical(rng, np.broadcast_to(hoods["population"] / hoods["population"].sum(), (n, len(hoods))))
    year = applied.dt.year.to_numpy()
    seq = pd.Series(year).groupby(year).cumcount().to_numpy() + 1
    complete = complete.where(~withdrawn_early & (complete <= pd.Timestamp(truth.AS_OF)))
    cycles = pd.Series(1 + extra, dtype="Int64").where(complete.notna())
    return pd.DataFrame(
        {
            "permit_id": [f"BP{y % 100:02d}-{k:05d}" for y, k in zip(year, seq)],
            "permit_type": np.array([t.name for t in PERMIT_TYPES])[kind],
            "status": status,
            "application_date": applied,
            "complete_date": complete,
            "review_cycles": cycles,
            "issued_date": issued.where(status == "issued"),
            "valuation": np.round(lognormal(rng, np.array([t.valuation for t in PERMIT_TYPES])[kind], 3.0), -2),
            "neighborhood_id": hoods["neighborhood_id"].to_numpy()[hood],
            "district": hoods["district"].to_numpy()[hood],
        }
    )
