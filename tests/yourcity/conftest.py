"""Shared fixtures for the your-city tests: the real exports beside the repository, and their reports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from citybook.paths import ROOT
from citybook.yourcity.cli import main

REAL_FILES = {
    "nyc": "nyc-311-2024-05.csv",
    "boston": "boston-311-2019-animal-and-pest.csv",
    "buenos_aires": "buenos-aires-147-2021-08.csv",
}


def real_311_dir() -> Path:
    """Return ../shared/real-311 beside the clone (CI), or beside the folder holding a worktree, or $CITYBOOK_REAL_311."""
    candidates = [Path(p) for p in [os.environ.get("CITYBOOK_REAL_311", "")] if p]
    candidates += [Path(ROOT).parent / "shared" / "real-311", Path(ROOT).parent.parent / "shared" / "real-311"]
    for candidate in candidates:
        if all((candidate / name).is_file() for name in REAL_FILES.values()):
            return candidate
    pytest.fail(
        "The real 311 exports are missing: expected "
        + ", ".join(REAL_FILES.values())
        + f" in one of {[str(c) for c in candidates]}. Put the shared/ folder beside the clone "
        "(or set CITYBOOK_REAL_311 to the folder)."
    )


@pytest.fixture(scope="session")
def real_311() -> Path:
    """The folder of real exports (the tests fail, not skip, without it)."""
    return real_311_dir()


@pytest.fixture(scope="session")
def city_reports(real_311: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run `citybook city-report` once on each real export; return each report's folder."""
    folders = {}
    for city, name in REAL_FILES.items():
        out = tmp_path_factory.mktemp(f"report-{city}")
        assert main(["city-report", str(real_311 / name), "--out", str(out)]) == 0, f"city-report failed on {name}"
        folders[city] = out
    return folders
