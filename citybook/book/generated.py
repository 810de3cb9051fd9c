"""Files the book build writes before reading sources: the data catalogue and downloads."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from citybook.files import deterministic_zip, write_if_changed
from citybook.paths import DATASETS

GENERATED = Path("book") / "generated"
# The city report's example: the sample city's raw export, through the mapping lesson 14 writes.
SAMPLE_EXPORT = "service_requests_raw.csv.gz"
SAMPLE_MAPPING = resources.files("citybook.yourcity") / "examples" / "corvella-raw.yaml"
SAMPLE_AS_OF = "2025-01-01T00:00:00"
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
    """Write the data download, the assignments' participant zips and the data catalogue page.

    The zips are the releases in the edition's language (the Spanish edition's are the Spanish
    releases), under the same names, so the pages' download links are the same in every edition.
    """
    from citybook.course.release_zips import write_release_zips
    from citybook.i18n import current_language

    out = srcdir / GENERATED
    write_if_changed(out / DATA_ZIP, deterministic_zip(dataset_files()))
    write_release_zips(out / "assignments", language=current_language())
    package = DATASETS / "datapackage.json"
    if package.exists():
        from citybook.city.catalogue import render_catalogue

        write_if_changed(out / "data-catalogue.md", render_catalogue(package).encode())
    write_sample_city_report(out / "your-city")


def write_sample_city_report(out: Path) -> Path:
    """Write the city report of the sample city's raw export (linked from lesson 14 and the city-report page)."""
    from citybook.yourcity import analyse
    from citybook.yourcity.report import write_report

    with resources.as_file(SAMPLE_MAPPING) as mapping:
        analysis = analyse(DATASETS / SAMPLE_EXPORT, mapping, as_of=SAMPLE_AS_OF)
    return write_report(analysis, out)
