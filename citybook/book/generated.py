"""Files the book build writes before reading sources: the data catalogue and downloads."""

from __future__ import annotations

from pathlib import Path

from citybook.files import deterministic_zip, write_if_changed
from citybook.paths import DATASETS

GENERATED = Path("book") / "generated"
DATA_ZIP = "sample-city-data.zip"
# Instructor-only notes stay out of what participants download.
NOT_FOR_PARTICIPANTS = {"PLANTED_EFFECTS.md"}


def dataset_files(datasets: Path = DATASETS) -> dict[str, Path]:
    """Return the files of the sample city a participant may download, by archive name."""
    return {
        f"datasets/{path.relative_to(datasets).as_posix()}": path
        for path in sorted(datasets.rglob("*"))
        if path.is_file() and path.name not in NOT_FOR_PARTICIPANTS
    }


def write_generated_files(srcdir: Path) -> None:
    """Write the data download, the assignments' participant zips and the data catalogue page."""
    from citybook.course.release_zips import write_release_zips

    out = srcdir / GENERATED
    write_if_changed(out / DATA_ZIP, deterministic_zip(dataset_files()))
    write_release_zips(out / "assignments")
    package = DATASETS / "datapackage.json"
    if package.exists():
        from citybook.city.catalogue import render_catalogue

        write_if_changed(out / "data-catalogue.md", render_catalogue(package).encode())
