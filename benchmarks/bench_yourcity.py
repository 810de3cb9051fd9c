"""Your-city reports at scale: `citybook city-report`'s DuckDB path against plain pandas on the same export.

The sample city's 97,091 service requests are resampled (fixed seed) to each size and written in NYC Open
Data's Socrata columns. Each engine runs in a fresh process that reports its wall time and peak memory:

- DuckDB: `analyse()`: load, every data-quality check, Frictionless on the first 2,000 rows (in a thread), all measures.
- pandas: a careful analyst's script for the same checks and measures: `read_csv` of only the needed
  columns as text, `to_datetime` with the explicit format, the same daylight-saving-aware hours, groupbys.

    python -m benchmarks.bench_yourcity [--rows 100000,1000000,3000000]     (or CITYBOOK_BENCH_ROWS)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.timing import write_report
from citybook.paths import ROOT

DEFAULT_ROWS = "100000,1000000,3000000"
DATA = ROOT / "_build" / "bench" / "yourcity"
ZONE = "America/New_York"
ISO = "%Y-%m-%dT%H:%M:%S.%f"


def export_file(rows: int) -> Path:
    """Return the synthetic NYC-style export of `rows` rows, writing it (in another process) the first time."""
    path = DATA / f"nyc-style-{rows}.csv"
    if not path.exists():
        # A separate process, so this one stays small: children inherit nothing, but keep the reports honest.
        write = f"from citybook.yourcity.synthetic import write_nyc_export; write_nyc_export({str(path.with_suffix('.tmp'))!r}, {rows})"
        subprocess.run([sys.executable, "-c", write], cwd=ROOT, check=True)
        path.with_suffix(".tmp").rename(path)
    return path


def peak_memory_mb() -> float:
    """Return this process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_duckdb(path: Path) -> dict:
    """Load, check and measure with the city-report pipeline."""
    from citybook.yourcity import analyse

    analysis = analyse(path)
    return {"usable": analysis.loaded.usable, "median": analysis.citywide["median_hours"]}


def run_pandas(path: Path) -> dict:
    """The same checks and measures in plain pandas."""
    import pandas as pd

    columns = ["unique_key", "created_date", "closed_date", "due_date", "complaint_type", "status", "community_board"]
    frame = pd.read_csv(path, usecols=columns, dtype=str, keep_default_na=False)
    times = {
        c: pd.to_datetime(frame[c].replace("", None), format=ISO, errors="coerce")
        for c in ("created_date", "closed_date", "due_date")
    }
    bad = (
        frame["unique_key"].eq("")
        | frame["unique_key"].duplicated()
        | times["created_date"].isna()
        | frame["complaint_type"].eq("")
        | (frame["closed_date"].ne("") & times["closed_date"].isna())
        | (frame["due_date"].ne("") & times["due_date"].isna())
        | (frame["status"].str.lower().eq("closed") & (times["closed_date"] < times["created_date"]))
    )
    usable = frame[~bad].assign(**{c: s[~bad] for c, s in times.items()})
    usable["month"] = usable["created_date"].dt.to_period("M").dt.to_timestamp()
    closed = usable[usable["status"].str.lower().eq("closed") & usable["closed_date"].notna()].copy()
    start = closed["created_date"].dt.tz_localize(ZONE, ambiguous="NaT", nonexistent="shift_forward")
    end = closed["closed_date"].dt.tz_localize(ZONE, ambiguous="NaT", nonexistent="shift_forward")
    closed["hours"] = (end - start).dt.total_seconds() / 3600
    closed["on_time"] = closed["closed_date"] <= closed["due_date"]
    p90 = lambda hours: hours.quantile(0.9)  # noqa: E731
    usable.groupby("complaint_type").size()
    usable.groupby(["month", "complaint_type"]).size()
    closed.groupby("complaint_type")["hours"].agg(["count", "median", p90, "mean"])
    closed.groupby("complaint_type")["on_time"].mean()
    closed.groupby("month")["hours"].agg(["median", p90])
    usable.groupby("community_board").size()
    closed.groupby("community_board")["hours"].agg(["median", p90])
    closed.groupby(["community_board", "complaint_type"])["hours"].median()
    return {"usable": int(len(usable)), "median": float(closed["hours"].median())}


def measure(engine: str, path: Path) -> dict:
    """Run one engine on one file in a fresh process; return seconds and peak memory (MB)."""
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_yourcity", "--engine", engine, "--file", str(path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if output.returncode != 0:
        raise RuntimeError(f"{engine} on {path.name} failed:\n{output.stderr[-2000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def child(engine: str, path: Path) -> None:
    """Run inside the fresh process: time the work (imports done), print the result as JSON."""
    if engine == "duckdb":
        import jsonschema  # noqa: F401 - Frictionless imports it on first use (seconds): start-up, like pandas' import

        import citybook.yourcity  # noqa: F401 - import cost is not the work measured
    else:
        import pandas  # noqa: F401
    started = time.perf_counter()
    result = (run_duckdb if engine == "duckdb" else run_pandas)(path)
    result["seconds"] = time.perf_counter() - started
    result["peak_mb"] = peak_memory_mb()
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> None:
    """Benchmark each size with both engines and write benchmarks/results/yourcity.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=os.environ.get("CITYBOOK_BENCH_ROWS", DEFAULT_ROWS))
    parser.add_argument("--engine", choices=["duckdb", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine:
        child(args.engine, Path(args.file))
        return
    lines = [
        "# Your-city report: DuckDB pipeline against plain pandas",
        "",
        f"Synthetic NYC-style exports resampled from the sample city; {os.cpu_count()} CPU cores (shared), load average "
        f"{os.getloadavg()[0]:.1f} at the start.",
        "Time is the work after imports; peak memory is each fresh process's maximum resident set (VmHWM).",
        "DuckDB does more work than the pandas script: a fourth time column, trimming, coordinates, the data-quality "
        "table with examples, the rejected rows, and Frictionless on the first 2,000 rows.",
        "",
        "| rows | file (MB) | DuckDB (s) | DuckDB peak (MB) | pandas (s) | pandas peak (MB) | time pandas / DuckDB | memory pandas / DuckDB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for rows in [int(n) for n in args.rows.split(",") if n.strip()]:
        path = export_file(rows)
        duck, panda = measure("duckdb", path), measure("pandas", path)
        assert duck["usable"] == panda["usable"], (
            f"the engines disagree on usable rows: {duck['usable']} vs {panda['usable']}"
        )
        # pandas leaves out the hour repeated when clocks go back; DuckDB (ICU) reads it as the first one.
        assert abs(duck["median"] - panda["median"]) < 0.1, f"the engines disagree on the median: {duck} vs {panda}"
        lines.append(
            f"| {rows:,} | {path.stat().st_size / 1e6:,.0f} | {duck['seconds']:.1f} | {duck['peak_mb']:,.0f} | "
            f"{panda['seconds']:.1f} | {panda['peak_mb']:,.0f} | {panda['seconds'] / duck['seconds']:.1f} | "
            f"{panda['peak_mb'] / duck['peak_mb']:.1f} |"
        )
        print(lines[-1], flush=True)
    write_report("yourcity", lines)


if __name__ == "__main__":
    main()
