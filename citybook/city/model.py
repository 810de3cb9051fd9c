"""The sample city as generated, in memory: its tables, its maps and the facts its documents report."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class City:
    """Everything generated: tables by name, GeoJSON documents, and facts the docs report."""

    seed: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    geojson: dict[str, dict] = field(default_factory=dict)
    pilot: dict[int, object] = field(default_factory=dict)
