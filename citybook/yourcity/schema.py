"""Check the loaded table against the sample city's Frictionless schema for service_requests."""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb
import frictionless

from citybook.paths import DATASETS
from citybook.yourcity.load import OPEN311_COLUMNS

# Fields every city's table must fill; the sample city requires more, which another city's export may lack.
REQUIRED = {"service_request_id", "status", "service_code", "service_name", "requested_datetime"}
VALIDATE_ROWS = 2_000  # rows Frictionless checks (the first, in file order); DuckDB holds every row to the same types
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def city_schema(package: Path = DATASETS / "datapackage.json") -> dict:
    """Return the sample city's service_requests schema, without what is particular to that city.

    Kept: field names, order, types, time formats, the open/closed status and the primary key. Dropped: the
    sample city's own value lists and ranges (departments, districts 1-10, its coordinates), foreign keys to
    its other tables, and 'required' on the fields an export may not have. Districts are text, as cities
    name them (wards, comunas, community boards).
    """
    resource = next(r for r in json.loads(package.read_text())["resources"] if r["name"] == "service_requests")
    schema = copy.deepcopy(resource["schema"])
    schema.pop("foreignKeys", None)
    for field in schema["fields"]:
        constraints = field.pop("constraints", {})
        kept = {}
        if field["name"] == "status":
            kept["enum"] = constraints["enum"]
        if field["name"] in REQUIRED:
            kept["required"] = True
        if kept:
            field["constraints"] = kept
        if field["name"] == "district":
            field["type"] = "string"
            field.pop("unit", None)
    assert [f["name"] for f in schema["fields"]] == list(OPEN311_COLUMNS), "service_requests columns changed"
    return schema


def validate_table(con: duckdb.DuckDBPyConnection, limit: int = VALIDATE_ROWS) -> tuple[int, list[str]]:
    """Validate the first `limit` rows of `service_requests` with Frictionless; return rows checked and errors."""
    return start_validation(con, limit).result()


def start_validation(con: duckdb.DuckDBPyConnection, limit: int = VALIDATE_ROWS) -> Future[tuple[int, list[str]]]:
    """Write the first `limit` rows of `service_requests` and validate them in a background thread.

    Frictionless reads row by row in Python; DuckDB releases the GIL while it measures, so both run at once.
    The result is (rows checked, errors).
    """
    folder = tempfile.mkdtemp(prefix="citybook-validate-")
    path = Path(folder) / "service_requests.csv"
    con.execute(
        f"COPY (SELECT * FROM service_requests LIMIT {int(limit)}) TO '{path}' "
        f"(HEADER, DELIMITER ',', TIMESTAMPFORMAT '{TIME_FORMAT}')"
    )
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(_validate_file, path)
    pool.shutdown(wait=False)  # the thread ends when the validation does; nothing waits for it here
    return future


def _validate_file(path: Path) -> tuple[int, list[str]]:
    """Validate a service_requests CSV with Frictionless, then delete its folder; return rows checked and errors."""
    try:
        resource = frictionless.Resource(
            path=path.name,
            basepath=str(path.parent),
            encoding="utf-8",  # DuckDB wrote it: no need to detect the encoding (a pass over the file)
            schema=frictionless.Schema.from_descriptor(city_schema(), allow_invalid=True),
            detector=frictionless.Detector(schema_sync=False),
        )
        # allow_invalid skips re-checking the schema itself (already valid in datapackage.json): that check
        # imports jsonschema's URI grammars, seconds of start-up per run, and does not look at a single row.
        report = frictionless.validate(resource, limit_errors=20)
        checked = report.tasks[0].stats.get("rows") if report.tasks else 0
        errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors][:20]
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    return int(checked or 0), errors
