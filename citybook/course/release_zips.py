"""One zip per released assignment (notebook + data) for the book's downloads, the same bytes every run.

The book's language decides which release is zipped: the Spanish edition's downloads (built with
CITYBOOK_LANG=es) are the Spanish releases, under the same names, so the pages' links stay as they are.
"""

from __future__ import annotations

from pathlib import Path

from citybook.course import release
from citybook.course.catalogue import CATALOGUE, copy_data
from citybook.course.config import Course
from citybook.files import deterministic_zip, write_if_changed
from citybook.i18n import current_language
from citybook.i18n.language import SOURCE_LANGUAGE
from citybook.i18n.notebooks import catalogue_path
from citybook.paths import ASSIGNMENTS as COURSE_FOLDER
from citybook.paths import DATASETS


def is_current(course: Course, assignment_id: str, language: str = SOURCE_LANGUAGE) -> bool:
    """True if the release exists and is newer than its source notebook, its data and its translation."""
    notebook = f"{assignment_id}.ipynb"
    released = release.release_folder(course, assignment_id, language) / notebook
    inputs = [course.source_dir(assignment_id) / notebook, *(DATASETS / name for name in CATALOGUE[assignment_id].data)]
    if language != SOURCE_LANGUAGE:
        inputs.append(catalogue_path(assignment_id, language))
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


def prepare_and_release(course: Course, assignment_id: str, language: str = SOURCE_LANGUAGE) -> Path:
    """Copy an assignment's data next to its notebook and release it (nbgrader generate_assignment).

    In another language, the English release is made first, then the translated one; its folder is returned.
    """
    copy_data(course, assignment_id)
    released = release.generate(course, assignment_id)
    if language != SOURCE_LANGUAGE:
        released, _ = release.generate_translated(course, assignment_id, language)
    return released


def write_release_zips(dest: Path, course_root: Path = COURSE_FOLDER, language: str | None = None) -> dict[str, Path]:
    """Write `<dest>/<id>.zip` for every assignment in the build's language, releasing any missing or stale."""
    language = language or current_language()
    course = Course.open(course_root)
    for assignment_id in CATALOGUE:
        if not is_current(course, assignment_id, language):
            prepare_and_release(course, assignment_id, language)
    return {a: write_zip(release.release_folder(course, a, language), Path(dest) / f"{a}.zip") for a in CATALOGUE}
