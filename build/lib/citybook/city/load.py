"""Read a published table back with the types its schema declares."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from citybook.city.schema import DATE_FORMAT, DATETIME_FORMAT, Table
from citybook.paths import DATASETS


def read(table: Table, folder: Path = DATASETS) -> pd.DataFrame:
    """The table's CSV with dates and date-times parsed and identifiers kept as text."""
    dtypes = {f.name: "string" for f in table.fields if f.type in ("string", "yearmonth")}
    frame = pd.read_csv(folder / table.path, dtype=dtypes, keep_default_na=False, na_values=[""])
    for f in table.fields:
        if f.type == "datetime":
            frame[f.name] = pd.to_datetime(frame[f.name], format=DATETIME_FORMAT)
        elif f.type == "date":
            frame[f.name] = pd.to_datetime(frame[f.name], format=DATE_FORMAT)
    return frame
