"""Files the book build writes before reading sources: the data catalogue and downloads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from citybook.paths import DATASETS

GENERATED = Path("book") / "generated"
DATA_ZIP = "sample-city-data.zip"
# Instructor-only notes stay out of what participants download.
NOT_FOR_PARTICIPANTS = {"PLANTED_EFFECTS.md"}
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write bytes to path unless it already holds them, so unchanged builds stay unchanged."""
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def deterministic_zip(files: dict[str, Path]) -> bytes:
    """Return a zip of files (archive name to path) whose bytes depend only on the contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name].read_bytes())
    return buffer.getvalue()


def dataset_files(datasets: Path = DATASETS) -> dict[str, Path]:
    """Return the files of the sample city a participant may download, by archive name."""
    return {
        f"datasets/{path.relative_to(datasets).as_posix()}": path
        for path in sorted(datasets.rglob("*"))
        if path.is_file() and path.name not in NOT_FOR_PARTICIPANTS
    }


def write_generated_files(srcdir: Path) -> None:
    """Write the data download, the assignments' participant zips and the data catalogue page."""
    from citybook.assignments.zips import write_release_zips

    out = srcdir / GENERATED
    write_if_changed(out / DATA_ZIP, deterministic_zip(dataset_files()))
    write_release_zips(out / "assignments")
    package = DATASETS / "datapackage.json"
    if package.exists():
        from citybook.city.catalogue import render_catalogue

        write_if_changed(out / "data-catalogue.md", render_catalogue(package).encode())
