"""Write the sample city's service requests as a portal would export them (NYC Socrata columns), at any size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from citybook.paths import DATASETS

# NYC Open Data's 311 export header (Socrata API, snake_case), in its order; unused columns are left empty.
NYC_HEADER = (
    "unique_key,created_date,agency,agency_name,complaint_type,descriptor,incident_zip,intersection_street_1,"
    "intersection_street_2,address_type,city,facility_type,status,resolution_description,resolution_action_updated_date,"
    "community_board,borough,x_coordinate_state_plane,y_coordinate_state_plane,open_data_channel_type,park_facility_name,"
    "park_borough,latitude,longitude,location,incident_address,street_name,cross_street_1,cross_street_2,bbl,"
    "location_type,landmark,vehicle_type,closed_date,due_date"
).split(",")
ISO = "%Y-%m-%dT%H:%M:%S.000"
SEED = 2025


def corvella_requests() -> pd.DataFrame:
    """Return the sample city's service_requests table."""
    times = ["requested_datetime", "updated_datetime", "expected_datetime", "closed_datetime"]
    return pd.read_csv(DATASETS / "service_requests.csv.gz", parse_dates=times, date_format="%Y-%m-%dT%H:%M:%S")


def as_nyc_export(requests: pd.DataFrame, rows: int | None = None, seed: int = SEED) -> pd.DataFrame:
    """Return the requests (resampled with replacement to `rows`, deterministically) in NYC Socrata's columns."""
    if rows is not None and rows != len(requests):
        picked = np.random.default_rng(seed).integers(0, len(requests), size=rows)
        requests = requests.iloc[np.sort(picked)].reset_index(drop=True)
    closed = requests["status"].eq("closed")
    out = pd.DataFrame({column: "" for column in NYC_HEADER}, index=requests.index)
    out["unique_key"] = (60_000_000 + requests.index).astype(str)
    out["created_date"] = requests["requested_datetime"].dt.strftime(ISO)
    out["closed_date"] = requests["closed_datetime"].dt.strftime(ISO).fillna("")
    out["due_date"] = requests["expected_datetime"].dt.strftime(ISO)
    out["resolution_action_updated_date"] = requests["updated_datetime"].dt.strftime(ISO)
    out["agency"] = requests["agency_responsible"]
    out["agency_name"] = requests["agency_responsible"]
    out["complaint_type"] = requests["service_name"]
    out["descriptor"] = requests["service_code"]
    out["status"] = np.where(closed, "Closed", "In Progress")
    out["community_board"] = "District " + requests["district"].astype(str).str.zfill(2)
    out["incident_zip"] = requests["neighborhood_id"]
    out["open_data_channel_type"] = requests["channel"].str.upper()
    out["latitude"] = requests["lat"].map(lambda v: "" if pd.isna(v) else f"{v:.5f}")
    out["longitude"] = requests["long"].map(lambda v: "" if pd.isna(v) else f"{v:.5f}")
    out["incident_address"] = requests["address"].str.upper()
    out["borough"] = "CORVELLA"
    return out


def write_nyc_export(path: Path, rows: int | None = None, seed: int = SEED) -> Path:
    """Write the sample city as an NYC-style export of `rows` rows (default: as it is); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    as_nyc_export(corvella_requests(), rows, seed).to_csv(path, index=False, lineterminator="\n")
    return path
