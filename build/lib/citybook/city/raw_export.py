"""The raw 311 export with real-world faults, and the documented rules that clean it.

`clean_service_requests(raw, catalog)` applied to `service_requests_raw` gives `service_requests`
exactly. The rules, in order:

1. Drop exact duplicate rows (the export re-sent some rows).
2. Drop test records: a service name starting with "test", or a staff test address.
3. Convert the batch exported in UTC (`export_batch` = "2023-11-app-backfill") to local time:
   subtract 6 hours from every date-time.
4. Standardise service names (case, spaces, punctuation, known misspellings) to the catalogue's
   name, and fill a missing service_code from the name.
5. Fill a missing closed_datetime of a closed request from updated_datetime (the system stamps both
   when a request is closed and nothing happened after).
6. Drop requests closed before they were opened: their times cannot be trusted.
7. Keep the published columns, ordered by service_request_id.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from citybook.city import geography, service_requests, truth
from citybook.city.schema import DATETIME_FORMAT, Field, Table

DATETIME_COLUMNS = ("requested_datetime", "updated_datetime", "expected_datetime", "closed_datetime")
UTC_BATCHES = ("2023-11-app-backfill",)
UTC_BACKFILL_MONTHS = ("2023-09", "2023-10")  # app requests of these months went out in that batch
STAFF_TEST_ADDRESSES = ("1 Civic Center Plaza", "100 block of Test St")
TEST_NAMES = ("TEST", "Test request - do not dispatch", "test")
# misspellings seen in the source systems, after normalisation, and the service they mean
ALIASES = {
    "pot hole": "POTHOLE",
    "potholes": "POTHOLE",
    "pothole repair": "POTHOLE",
    "street light out": "STREETLIGHT",
    "streetlight outage": "STREETLIGHT",
    "street light": "STREETLIGHT",
    "traffic signal": "SIGNAL",
    "signal malfunction": "SIGNAL",
    "water main leak": "WATERLEAK",
    "leak": "WATERLEAK",
    "clogged drain": "DRAIN",
    "storm drain": "DRAIN",
    "missed trash pick up": "TRASH",
    "missed pickup": "TRASH",
    "missed trash": "TRASH",
    "bulky item": "BULKY",
    "bulky items": "BULKY",
    "bulk pickup": "BULKY",
    "dumping": "DUMPING",
    "illegal dumpping": "DUMPING",
    "grafitti": "GRAFFITI",
    "graffiti": "GRAFFITI",
    "abandoned car": "VEHICLE",
    "abandoned vehicles": "VEHICLE",
    "housing violation": "HOUSING",
    "housing code": "HOUSING",
    "noise": "NOISE",
    "loud noise": "NOISE",
    "tree trimming": "TREE",
    "tree maint": "TREE",
    "tree down": "TREEDOWN",
    "fallen tree": "TREEDOWN",
    "rats": "RODENT",
    "rodents": "RODENT",
}
SHARES = {  # share of rows hit by each fault
    "test_record": 0.0012,
    "closed_before_opened": 0.0025,
    "name_variant": 0.06,
    "name_only": 0.03,
    "missing_close": 0.012,
    "duplicate": 0.015,
}


def _relaxed(spec: Field) -> Field:
    """A raw column: same meaning, but the export does not guarantee it."""
    return replace(
        spec, required=spec.name == "service_request_id", enum=spec.enum if spec.name in ("status", "channel") else None
    )


TABLE = Table(
    name="service_requests_raw",
    title="311 service requests: raw export",
    description=(
        "The 311 export as it comes out of the fictional city's two source systems, before cleaning: "
        "exact duplicate rows; test records (service name TEST, staff test addresses); one batch "
        "(export_batch '2023-11-app-backfill') written in UTC instead of local time (UTC-06:00); "
        "service names with inconsistent case, spacing and spelling, some without a service_code; "
        "closed requests without a closed_datetime; requests closed before they were opened; missing "
        "coordinates. Cleaning rules, in order: (1) drop exact duplicates; (2) drop test records; "
        "(3) subtract 6 hours from every time in the UTC batch; (4) map service names to the "
        "catalogue (case, spaces, punctuation, known misspellings) and fill missing codes; (5) fill a "
        "closed request's missing closed_datetime with updated_datetime; (6) drop requests closed "
        "before requested; (7) keep the published columns, ordered by service_request_id. The result "
        "is service_requests exactly (citybook.city.raw_export.clean_service_requests)."
    ),
    convention="Open311 GeoReport v2 request fields, as exported by a CRM, plus source_system and export_batch.",
    fields=tuple(_relaxed(f) for f in service_requests.TABLE.fields)
    + (
        Field(
            "source_system",
            "string",
            "System the row came from: crm (phone, web, walk-in, email) or mobile-app.",
            required=True,
            enum=("crm", "mobile-app"),
        ),
        Field(
            "export_batch",
            "string",
            "Export batch: the month requested (yyyy-mm) or the name of a backfill batch.",
            required=True,
        ),
    ),
    compressed=True,
)


def normalise_name(names: pd.Series) -> pd.Series:
    """Case-fold, turn punctuation into spaces and collapse runs of spaces."""
    text = names.fillna("").astype(str).str.casefold()
    return text.map(lambda s: re.sub(r"\s+", " ", re.sub(r"[-_/.,]", " ", s)).strip())


def _variants(name: str, code: str, rng: np.random.Generator) -> str:
    """One messy spelling of a service name."""
    aliases = [a for a, c in ALIASES.items() if c == code]
    options = [name.upper(), name.lower(), f" {name}", f"{name}  ", name.replace(" ", "  ")] + aliases
    return str(options[rng.integers(len(options))])


def make_raw(requests: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The faulty export, and the published table (requests minus the rows the rules drop)."""
    n = len(requests)
    raw = requests.copy()
    pick = rng.random(n)
    test = pick < SHARES["test_record"]
    closed = raw["status"].eq("closed").to_numpy()
    invalid = ~test & closed & (pick < SHARES["test_record"] + SHARES["closed_before_opened"])
    published = requests[~(test | invalid)].reset_index(drop=True)

    # test records typed in by staff
    raw.loc[test, "service_name"] = rng.choice(TEST_NAMES, test.sum())
    raw.loc[test, "service_code"] = np.where(rng.random(test.sum()) < 0.5, "", raw.loc[test, "service_code"])
    raw.loc[test, "address"] = rng.choice(STAFF_TEST_ADDRESSES, test.sum())
    raw.loc[test, ["long", "lat"]] = geography.CITY_HALL
    # closed before opened
    back = pd.to_timedelta(rng.uniform(1, 24 * 30, invalid.sum()), unit="h")
    raw.loc[invalid, "closed_datetime"] = (raw.loc[invalid, "requested_datetime"] - back).dt.floor("s").to_numpy()
    raw.loc[invalid, "updated_datetime"] = raw.loc[invalid, "closed_datetime"]
    # misspelt names, some without their code
    clean_rows = ~(test | invalid)
    variant = clean_rows & (rng.random(n) < SHARES["name_variant"] + SHARES["name_only"])
    name_only = variant & (rng.random(n) < SHARES["name_only"] / (SHARES["name_variant"] + SHARES["name_only"]))
    raw.loc[variant, "service_name"] = [
        _variants(nm, cd, rng) for nm, cd in zip(raw.loc[variant, "service_name"], raw.loc[variant, "service_code"])
    ]
    raw.loc[name_only, "service_code"] = ""
    # closed requests without a close time (only where nothing happened after closing)
    quiet = clean_rows & closed & (raw["updated_datetime"] == raw["closed_datetime"]).to_numpy()
    raw.loc[quiet & (rng.random(n) < SHARES["missing_close"]), "closed_datetime"] = pd.NaT
    # source systems and export batches; one backfill batch went out in UTC
    app = raw["channel"].eq("app").to_numpy()
    raw["source_system"] = np.where(app, "mobile-app", "crm")
    month = raw["requested_datetime"].dt.strftime("%Y-%m")
    utc = app & month.isin(UTC_BACKFILL_MONTHS).to_numpy()
    raw["export_batch"] = np.where(utc, UTC_BATCHES[0], month)
    for col in DATETIME_COLUMNS:
        raw.loc[utc, col] = raw.loc[utc, col] - pd.Timedelta(hours=truth.UTC_OFFSET_HOURS)
    # rows sent twice
    dupes = raw[rng.random(n) < SHARES["duplicate"]]
    raw = pd.concat([raw, dupes]).sort_values(
        ["export_batch", "requested_datetime", "service_request_id"], kind="stable", ignore_index=True
    )
    return raw[TABLE.columns], published


def clean_service_requests(raw: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Apply the documented cleaning rules to the raw export (as read by `pd.read_csv`)."""
    frame = raw.drop_duplicates().copy()
    # 2. test records
    name = normalise_name(frame["service_name"])
    is_test = name.str.startswith("test") | frame["address"].isin(STAFF_TEST_ADDRESSES)
    frame = frame[~is_test].copy()
    # 3. the UTC batch
    for col in DATETIME_COLUMNS:
        frame[col] = pd.to_datetime(frame[col], format=DATETIME_FORMAT)
    utc = frame["export_batch"].isin(UTC_BATCHES)
    for col in DATETIME_COLUMNS:
        frame.loc[utc, col] = frame.loc[utc, col] + pd.Timedelta(hours=truth.UTC_OFFSET_HOURS)
    # 4. service names and codes
    lookup = dict(zip(normalise_name(catalog["service_name"]), catalog["service_code"])) | ALIASES
    from_name = normalise_name(frame["service_name"]).map(lookup)
    code = frame["service_code"].where(
        frame["service_code"].notna() & frame["service_code"].astype(str).ne(""), from_name
    )
    if code.isna().any():
        raise ValueError(f"unknown service names: {sorted(frame.loc[code.isna(), 'service_name'].unique())}")
    frame["service_code"] = code
    frame["service_name"] = code.map(dict(zip(catalog["service_code"], catalog["service_name"])))
    # 5. missing close times
    missing = frame["status"].eq("closed") & frame["closed_datetime"].isna()
    frame.loc[missing, "closed_datetime"] = frame.loc[missing, "updated_datetime"]
    # 6. closed before opened
    frame = frame[~(frame["closed_datetime"] < frame["requested_datetime"])]
    # 7. published columns
    frame = frame[service_requests.TABLE.columns].sort_values("service_request_id", kind="stable", ignore_index=True)
    return frame
