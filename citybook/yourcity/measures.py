"""Lesson 04's measures for any city, computed in DuckDB from the `service_requests` table."""

from __future__ import annotations

import duckdb
import pandas as pd

GRAINS = {"month": "1 month", "week": "1 week", "day": "1 day"}
XMR_FACTOR = 2.66  # converts the average moving range into about three standard deviations (Wheeler)
MIN_CONTROL_PERIODS = 6


def elapsed_hours_sql(timezone: str, start: str, end: str) -> str:
    """Return SQL for the real elapsed hours between two local times (daylight-saving changes included)."""
    return f"(epoch(timezone('{timezone}', {end})) - epoch(timezone('{timezone}', {start}))) / 3600.0"


def create_views(con: duckdb.DuckDBPyConnection, timezone: str) -> None:
    """Create the table `closed_requests`: closed requests with their hours to close and on-time flag (computed once)."""
    hours = elapsed_hours_sql(timezone, "requested_datetime", "closed_datetime")
    # Only the columns the measures read: a narrow table is a fraction of the memory of a copy of every column.
    con.execute(f"""
        CREATE OR REPLACE TABLE closed_requests AS
        SELECT service_name, requested_datetime, neighborhood_id, district, {hours} AS hours_to_close,
            CASE WHEN expected_datetime IS NOT NULL THEN closed_datetime <= expected_datetime END AS on_time
        FROM service_requests WHERE status = 'closed' AND closed_datetime IS NOT NULL""")


def volume_by_type(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return requests, closed and open per service type, largest first."""
    return con.execute("""
        SELECT service_name, count(*) AS requests,
            count(*) FILTER (WHERE status = 'closed') AS closed, count(*) FILTER (WHERE status = 'open') AS open
        FROM service_requests GROUP BY ALL ORDER BY requests DESC, service_name""").df()


def volume_by_type_month(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return requests per service type per calendar month made."""
    return con.execute("""
        SELECT CAST(date_trunc('month', requested_datetime) AS DATE) AS month, service_name, count(*) AS requests
        FROM service_requests GROUP BY ALL ORDER BY month, requests DESC, service_name""").df()


def citywide_time_to_close(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Return the count, median, 90th percentile and mean hours to close of all closed requests."""
    row = con.execute("""
        SELECT count(*), median(hours_to_close), quantile_cont(hours_to_close, 0.9), avg(hours_to_close)
        FROM closed_requests""").fetchone()
    return dict(zip(("closed_requests", "median_hours", "p90_hours", "mean_hours"), row))


def time_to_close_by_type(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return closed requests, median, 90th-percentile and mean hours to close per service type (fastest first)."""
    return con.execute("""
        SELECT service_name, count(*) AS closed_requests, median(hours_to_close) AS median_hours,
            quantile_cont(hours_to_close, 0.9) AS p90_hours, avg(hours_to_close) AS mean_hours
        FROM closed_requests GROUP BY ALL ORDER BY median_hours, service_name""").df()


def on_time_by_type(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return, per service type, closed requests with a deadline and the share closed on or before it."""
    return con.execute("""
        SELECT service_name, count(on_time) AS closed_with_deadline, count(*) FILTER (WHERE on_time) AS on_time,
            avg(CAST(on_time AS DOUBLE)) AS on_time_share
        FROM closed_requests WHERE on_time IS NOT NULL GROUP BY ALL ORDER BY on_time_share, service_name""").df()


def choose_grain(con: duckdb.DuckDBPyConnection) -> str:
    """Return the period for trends: months when requests span six months or more, else weeks for six weeks, else days."""
    first, last = con.execute(
        "SELECT min(requested_datetime), max(requested_datetime) FROM service_requests"
    ).fetchone()
    span = pd.Timestamp(last) - pd.Timestamp(first)
    return "month" if span >= pd.Timedelta(days=180) else "week" if span >= pd.Timedelta(days=42) else "day"


def trend(con: duckdb.DuckDBPyConnection, grain: str, as_of: pd.Timestamp, p90_hours: float) -> pd.DataFrame:
    """Return per period: requests, still open, median and P90 hours to close, and whether it is partial or provisional.

    A period is partial when the requests cover only part of it (the first or last period of an extract),
    or it ends after the export; it is provisional when it ends less than the
    citywide 90th-percentile time to close before the export: its slow requests have not closed yet.
    """
    frame = con.execute(f"""
        WITH made AS (
            SELECT date_trunc('{grain}', requested_datetime) AS period, count(*) AS requests,
                avg(CAST(status = 'open' AS DOUBLE)) AS still_open_share, min(requested_datetime) AS first_request,
                max(requested_datetime) AS last_request
            FROM service_requests GROUP BY ALL),
        waits AS (
            SELECT date_trunc('{grain}', requested_datetime) AS period, median(hours_to_close) AS median_hours,
                quantile_cont(hours_to_close, 0.9) AS p90_hours
            FROM closed_requests GROUP BY ALL)
        SELECT made.period, made.period + INTERVAL '{GRAINS[grain]}' AS period_end, requests, still_open_share,
            median_hours, p90_hours, first_request, last_request
        FROM made LEFT JOIN waits USING (period) ORDER BY made.period""").df()
    length = frame["period_end"] - frame["period"]
    first, last = frame.index == 0, frame.index == len(frame) - 1
    frame["partial"] = (
        (frame["period_end"] > as_of)
        | (first & (frame["first_request"] - frame["period"] > 0.1 * length))
        | (last & (frame["period_end"] - frame["last_request"] > 0.1 * length))
    )
    settle = pd.Timedelta(hours=float(p90_hours or 0))
    frame["provisional"] = frame["partial"] | (frame["period_end"] > as_of - settle)
    return frame.drop(columns=["first_request", "last_request"])


def control_chart(periods: pd.DataFrame) -> pd.DataFrame:
    """Return an XmR chart of requests per period: centre and limits from every complete period, and the signals."""
    complete = periods[~periods["partial"]]
    if len(complete) < MIN_CONTROL_PERIODS:
        return pd.DataFrame(columns=["period", "requests", "centre", "lower", "upper", "signal"])
    centre = complete["requests"].mean()
    reach = XMR_FACTOR * complete["requests"].diff().abs().mean()
    chart = complete[["period", "requests"]].copy()
    chart["centre"], chart["lower"], chart["upper"] = centre, max(centre - reach, 0.0), centre + reach
    chart["signal"] = (chart["requests"] > chart["upper"]) | (chart["requests"] < chart["lower"])
    return chart.reset_index(drop=True)


def by_area(con: duckdb.DuckDBPyConnection, area_field: str) -> pd.DataFrame:
    """Return per area: requests, closed requests, median and 90th-percentile hours to close (largest first)."""
    return con.execute(f"""
        SELECT made.area, requests, closed_requests, median_hours, p90_hours FROM
            (SELECT {area_field} AS area, count(*) AS requests FROM service_requests
             WHERE {area_field} IS NOT NULL GROUP BY ALL) AS made
        LEFT JOIN
            (SELECT {area_field} AS area, count(*) AS closed_requests, median(hours_to_close) AS median_hours,
                quantile_cont(hours_to_close, 0.9) AS p90_hours
             FROM closed_requests WHERE {area_field} IS NOT NULL GROUP BY ALL) AS waits USING (area)
        ORDER BY requests DESC, made.area""").df()


def area_by_type(con: duckdb.DuckDBPyConnection, area_field: str) -> pd.DataFrame:
    """Return median hours to close and closed requests per area and service type."""
    return con.execute(f"""
        SELECT {area_field} AS area, service_name, count(*) AS closed_requests, median(hours_to_close) AS median_hours
        FROM closed_requests WHERE {area_field} IS NOT NULL GROUP BY ALL ORDER BY area, service_name""").df()
