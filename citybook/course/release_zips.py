"""One zip per released assignment (notebook + data) for the book's downloads, the same bytes every run."""

from __future__ import annotations

from pathlib import Path

from citybook.course import release
from citybook.course.catalogue import CATALOGUE, copy_data
from citybook.course.config import Course
from citybook.files import deterministic_zip, write_if_changed
from citybook.paths import ASSIGNMENTS as COURSE_FOLDER
from citybook.paths import DATASETS


def is_current(course: Course, assignment_id: str) -> bool:
    """True if the release exists and is newer than its source notebook and every data file it needs."""
    notebook = f"{assignment_id}.ipynb"
    released = course.release_dir(assignment_id) / notebook
    inputs = [course.source_dir(assignment_id) / notebook, *(DATASETS / name for name in CATALOGUE[assignment_id].data)]
    return released.is_file() and all(released.stat().st_mtime >= p.stat().st_mtime for p in inputs if p.exists())


def write_zip(folder: Path, target: Path) -> Path:
    """Zip `folder` as `<folder name>/...` with fixed times and order."""
    files = {
        f"{folder.name}/{p.relative_to(folder).as_posix()}": p
        for p in folder.rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }
    write_if_changed(target, deterministic_zip(files))
    return target


def prepare_and_release(course: Course, assignment_id: str) -> Path:
    """Copy an assignment's data next to its notebook and release it (nbgrader generate_assignment)."""
    copy_data(course, assignment_id)
    return release.generate(course, assignment_id)


def write_release_zips(dest: Path, course_root: Path = COURSE_FOLDER) -> dict[str, Path]:
    """Write `<dest>/<id>.zip` for every assignment, releasing first any that is missing or stale."""
    course = Course.open(course_root)
    for assignment_id in CATALOGUE:
        if not is_current(course, assignment_id):
            prepare_and_release(course, assignment_id)
    return {a: write_zip(course.release_dir(a), Path(dest) / f"{a}.zip") for a in CATALOGUE}
