"""Provisional periods and the control chart, checked against an independent calculation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from citybook.yourcity import analyse

MAPPING = {
    "timezone": "UTC",
    "columns": {"id": "id", "requested": "made", "closed": "closed", "type": "kind", "status": "state"},
}


def export(tmp_path: Path) -> tuple[Path, Path, pd.DataFrame]:
    """Ten months of requests (more each spring), most closed within days, a tenth after six weeks."""
    rng = np.random.default_rng(7)
    made = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.sort(rng.uniform(0, 304, 3000)), unit="D")
    wait = pd.to_timedelta(np.where(rng.uniform(size=3000) < 0.1, 42, rng.uniform(0.1, 6, 3000)), unit="D")
    closed = made + wait
    as_of = pd.Timestamp("2024-10-31 23:00")
    still_open = closed > as_of
    frame = pd.DataFrame(
        {
            "id": [f"R{i}" for i in range(3000)],
            "made": made.strftime("%Y-%m-%d %H:%M:%S"),
            "closed": np.where(still_open, "", closed.strftime("%Y-%m-%d %H:%M:%S")),
            "kind": "Pothole",
            "state": np.where(still_open, "Open", "Closed"),
        }
    )
    path, mapping = tmp_path / "export.csv", tmp_path / "mapping.yaml"
    frame.to_csv(path, index=False)
    mapping.write_text(yaml.safe_dump(MAPPING))
    return path, mapping, frame.assign(made=made, closed=pd.to_datetime(frame["closed"]))


def test_provisional_months_are_those_the_slow_tenth_has_not_left(tmp_path: Path) -> None:
    path, mapping, frame = export(tmp_path)
    analysis = analyse(path, mapping, as_of="2024-10-31T23:00:00")
    closed = frame[frame["state"].eq("Closed")]
    p90 = ((closed["closed"] - closed["made"]).dt.total_seconds() / 3600).quantile(0.9)
    assert analysis.grain == "month"
    trend = analysis.tables["trend"]
    month_end = trend["period"] + pd.offsets.MonthBegin(1)
    expected = month_end > pd.Timestamp("2024-10-31 23:00") - pd.Timedelta(hours=p90)
    assert trend["provisional"].tolist() == expected.tolist()
    assert trend["provisional"].iloc[-1] and not trend["provisional"].iloc[0]


def test_control_limits_follow_the_xmr_rule(tmp_path: Path) -> None:
    path, mapping, frame = export(tmp_path)
    analysis = analyse(path, mapping, as_of="2024-11-01T00:00:00")  # every month complete: all in the limits
    control = analysis.tables["control_chart"]
    counts = frame.groupby(frame["made"].dt.to_period("M")).size().to_numpy()
    centre = counts.mean()
    reach = 2.66 * np.abs(np.diff(counts)).mean()
    assert control["requests"].tolist() == counts.tolist()
    assert np.isclose(control["centre"].iloc[0], centre) and np.isclose(control["upper"].iloc[0], centre + reach)
    assert control["signal"].tolist() == ((counts > centre + reach) | (counts < max(centre - reach, 0))).tolist()
