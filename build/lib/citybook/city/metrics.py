"""Standard measures computed from the generated tables (used by the KPI and budget tables)."""

from __future__ import annotations

import pandas as pd


def hours_to_close(requests: pd.DataFrame) -> pd.Series:
    """Time to close in hours (NaN while open)."""
    return (requests["closed_datetime"] - requests["requested_datetime"]) / pd.Timedelta(hours=1)


def within_sla(requests: pd.DataFrame) -> pd.Series:
    """True if the request was closed by its expected_datetime (open requests count as not met)."""
    return requests["closed_datetime"].notna() & (requests["closed_datetime"] <= requests["expected_datetime"])


def ems_intervals(incidents: pd.DataFrame) -> pd.DataFrame:
    """NFPA 1710 intervals in seconds: call processing, turnout, travel, total response."""

    def seconds(start: str, end: str) -> pd.Series:
        return (incidents[end] - incidents[start]) / pd.Timedelta(seconds=1)

    return pd.DataFrame(
        {
            "call_processing_s": seconds("call_received", "dispatched"),
            "turnout_s": seconds("dispatched", "en_route"),
            "travel_s": seconds("en_route", "on_scene"),
            "response_s": seconds("call_received", "on_scene"),
        }
    )


def permit_days(permits: pd.DataFrame) -> pd.Series:
    """Calendar days from complete application to issue (NaN if not issued)."""
    return (permits["issued_date"] - permits["complete_date"]) / pd.Timedelta(days=1)
