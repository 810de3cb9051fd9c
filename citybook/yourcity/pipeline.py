"""From an export file to every measure: pick the mapping, load into DuckDB, check, measure."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from citybook.i18n import tr
from citybook.yourcity import measures
from citybook.yourcity.errors import CityDataError
from citybook.yourcity.load import Loaded, build_tables, quality_table, rejected_rows
from citybook.yourcity.mapping import Mapping, fit_to_headers, read_mapping
from citybook.yourcity.presets import detect_preset, load_preset, preset_names
from citybook.yourcity.readers import Export, headers, load_raw, open_export
from citybook.yourcity.schema import start_validation

MEMORY_LIMIT = "2GB"  # enough for a 3-million-row export's tables; beyond it DuckDB spills to disk


@dataclass
class CityAnalysis:
    """One export, analysed: how it was read, its data-quality table, and lesson 04's measures."""

    export: Export
    mapping: Mapping
    mapping_label: str
    loaded: Loaded
    quality: pd.DataFrame
    rejected: pd.DataFrame
    validated_rows: int
    schema_errors: list[str]
    grain: str
    not_in_export: list[str]
    citywide: dict[str, float]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    con: duckdb.DuckDBPyConnection | None = None

    def requests(self) -> pd.DataFrame:
        """Return the loaded Open311-shaped table as a pandas frame (for a notebook; large exports stay in DuckDB)."""
        return self.con.execute("SELECT * FROM service_requests").df()


def choose_mapping(path: Path, mapping_path: Path | None, preset: str | None) -> tuple[Export, Mapping, str]:
    """Return the export, its mapping (a file, a named preset, or the preset its headers match) and a label."""
    if mapping_path:
        mapping, label = read_mapping(Path(mapping_path)), str(mapping_path)
    elif preset:
        mapping, label = load_preset(preset), tr("built-in preset '{name}'", name=preset)
    else:
        mapping, label = None, ""
    export = open_export(
        path,
        mapping.file_format if mapping else "auto",
        mapping.encoding if mapping else "auto",
        mapping.delimiter if mapping else "auto",
        mapping.sheet if mapping else None,
    )
    if mapping is None:
        found = headers(export)
        name = detect_preset(found)
        if name is None:
            raise CityDataError(
                "no built-in preset matches this export's headers",
                file=str(path),
                column=", ".join(found[:6]) + (", ..." if len(found) > 6 else ""),
                fix="write a mapping: `citybook city-report EXPORT --suggest > mapping.yaml`, check it, then run with "
                f"--mapping mapping.yaml (presets: {', '.join(preset_names())}).",
            )
        mapping, label = load_preset(name), tr("built-in preset '{name}' (recognised from the headers)", name=name)
        export = open_export(path, mapping.file_format, mapping.encoding, mapping.delimiter, mapping.sheet)
    return export, mapping, label


def connect(threads: int | None = None, memory_limit: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection that keeps file order and stays within a laptop's memory.

    Past `memory_limit` DuckDB spills to a folder in the system's temporary directory instead of growing
    (its own default is 80% of the machine's memory, shared here with the browser and the notebook).
    """
    spill = Path(tempfile.gettempdir()) / "citybook-duckdb"
    config = {
        "memory_limit": memory_limit,
        "temp_directory": str(spill),
        "preserve_insertion_order": True,
    }
    if threads:
        config["threads"] = int(threads)
    con = duckdb.connect(config=config)
    con.execute("SET enable_progress_bar = false")  # a per-connection setting: no bars in the command's output
    return con


def analyse(
    path: Path | str,
    mapping: Path | str | None = None,
    *,
    preset: str | None = None,
    as_of: str | None = None,
    threads: int | None = None,
    memory_limit: str = MEMORY_LIMIT,
) -> CityAnalysis:
    """Read an export, load and check it in DuckDB, and compute every measure of lesson 04."""
    export, chosen, label = choose_mapping(Path(path), Path(mapping) if mapping else None, preset)
    chosen, cols, not_in_export = fit_to_headers(chosen, headers(export), str(export.path))
    con = connect(threads, memory_limit)
    load_raw(con, export, list(dict.fromkeys(cols.values())))
    loaded = build_tables(con, chosen, cols, str(export.path), as_of)
    if loaded.usable == 0:
        first = con.execute("SELECT reason, count(*) AS n FROM judged GROUP BY ALL ORDER BY n DESC LIMIT 1").fetchone()
        raise CityDataError(
            f"no row of the export is usable (most are: {first[0] if first else 'empty'})",
            file=str(export.path),
            fix="check the mapping's columns and formats against the file; --suggest drafts a mapping from it.",
        )
    quality = quality_table(con, chosen)
    rejected = rejected_rows(con, chosen)
    con.execute("DROP TABLE judged")  # counted and kept as frames: free the text copy before measuring
    validation = start_validation(con)  # Frictionless runs in a thread while DuckDB measures
    measures.create_views(con, chosen.timezone)
    citywide = measures.citywide_time_to_close(con)
    grain = measures.choose_grain(con)
    periods = measures.trend(con, grain, loaded.as_of, citywide["p90_hours"])
    tables = {
        "volume_by_type": measures.volume_by_type(con),
        "volume_by_type_month": measures.volume_by_type_month(con),
        "time_to_close_by_type": measures.time_to_close_by_type(con),
        "on_time_by_type": measures.on_time_by_type(con),
        "trend": periods,
        "control_chart": measures.control_chart(periods),
        "by_area": measures.by_area(con, chosen.area_field),
        "area_by_type": measures.area_by_type(con, chosen.area_field),
    }
    validated, errors = validation.result()
    return CityAnalysis(
        export, chosen, label, loaded, quality, rejected, validated, errors, grain, not_in_export, citywide, tables, con
    )
