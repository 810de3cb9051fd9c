"""Small helpers shared by the benchmarks: timing a command and writing a report."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def timed_run(command: list[str], cwd: Path) -> float:
    """Run a command to completion (failing loudly) and return its wall-clock seconds."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
        raise RuntimeError(f"{' '.join(command)} failed (exit {result.returncode}):\n{tail}")
    return time.perf_counter() - started


def write_report(name: str, lines: list[str]) -> Path:
    """Print a report and keep a copy in benchmarks/results/NAME.md."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    print(text)
    return path
