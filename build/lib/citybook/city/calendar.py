"""The city's calendar: observed holidays, business days, seasons."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from citybook.city.schema import Field, Table

TABLE = Table(
    name="holidays",
    title="City holidays",
    description=(
        "Days City Hall is closed (observed dates: a Saturday holiday is observed on Friday, a "
        "Sunday holiday on Monday), 2022-2025. Use them with weekends to count business days, as "
        "service levels in business days do."
    ),
    convention="US federal holiday calendar as adopted by many US cities; observed-date rules of 5 U.S.C. 6103.",
    fields=(
        Field("date", "date", "Observed date City Hall is closed.", required=True),
        Field("holiday", "string", "Name of the holiday.", required=True),
    ),
    primary_key=("date",),
)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Mon=0) of a month; n=-1 for the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """Saturday holidays are observed on Friday, Sunday ones on Monday."""
    return day - timedelta(days=1) if day.weekday() == 5 else day + timedelta(days=1) if day.weekday() == 6 else day


def holidays(first_year: int = 2022, last_year: int = 2025) -> pd.DataFrame:
    """Observed city holidays for the years given."""
    rows = []
    for y in range(first_year, last_year + 1):
        thanksgiving = _nth_weekday(y, 11, 3, 4)
        named = [
            ("New Year's Day", _observed(date(y, 1, 1))),
            ("Martin Luther King Jr. Day", _nth_weekday(y, 1, 0, 3)),
            ("Presidents' Day", _nth_weekday(y, 2, 0, 3)),
            ("Memorial Day", _nth_weekday(y, 5, 0, -1)),
            ("Juneteenth", _observed(date(y, 6, 19))),
            ("Independence Day", _observed(date(y, 7, 4))),
            ("Labor Day", _nth_weekday(y, 9, 0, 1)),
            ("Indigenous Peoples' Day", _nth_weekday(y, 10, 0, 2)),
            ("Veterans Day", _observed(date(y, 11, 11))),
            ("Thanksgiving Day", thanksgiving),
            ("Day after Thanksgiving", thanksgiving + timedelta(days=1)),
            ("Christmas Day", _observed(date(y, 12, 25))),
        ]
        rows += [{"date": d, "holiday": name} for name, d in named if d.year == y]
    frame = pd.DataFrame(rows).sort_values("date", ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@lru_cache(maxsize=1)
def _holiday_days() -> tuple:
    return tuple(holidays()["date"].to_numpy().astype("datetime64[D]"))


def holiday_dates() -> np.ndarray:
    """Observed holiday dates as numpy day values, for numpy's business-day functions."""
    return np.array(_holiday_days(), dtype="datetime64[D]")


def is_business_day(days: np.ndarray | pd.Series) -> np.ndarray:
    """True on weekdays that are not city holidays."""
    return np.is_busday(np.asarray(days).astype("datetime64[D]"), holidays=holiday_dates())


def add_business_days(moments: pd.Series, n: np.ndarray | int) -> pd.Series:
    """Add whole business days, keeping the clock time; a start on a closed day counts from the next open one."""
    day = moments.dt.floor("D")
    clock = moments - day
    shifted = np.busday_offset(day.to_numpy().astype("datetime64[D]"), n, roll="forward", holidays=holiday_dates())
    return pd.Series(pd.to_datetime(shifted), index=moments.index) + clock


def roll_to_working_hours(
    moments: pd.Series, rng: np.random.Generator, opens: float = 7.5, closes: float = 17.5
) -> pd.Series:
    """Move moments outside business days or office hours to the next opening (plus a short lag)."""
    day = moments.dt.floor("D")
    hour = (moments - day) / pd.Timedelta(hours=1)
    ok = is_business_day(day.to_numpy()) & (hour >= opens) & (hour < closes)
    start_day = np.where(hour < opens, day, day + pd.Timedelta(days=1)).astype("datetime64[D]")
    next_open = np.busday_offset(start_day, 0, roll="forward", holidays=holiday_dates())
    lag = pd.to_timedelta(rng.uniform(0, 120, len(moments)), unit="min")
    moved = pd.Series(pd.to_datetime(next_open), index=moments.index) + pd.Timedelta(hours=opens) + lag
    return moments.where(ok, moved.dt.floor("s"))


def long_date(day: date) -> str:
    """A date as people write it: 1 April 2024."""
    return f"{day.day} {day:%B %Y}"


def days_in_period(start: date, end: date) -> pd.DatetimeIndex:
    """Every calendar day from start to end inclusive."""
    return pd.date_range(start, end, freq="D")
