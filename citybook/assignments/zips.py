"""One zip per released assignment (notebook + data), byte for byte the same on every run."""

from __future__ import annotations

from pathlib import Path

from citybook.assignments.manifest import ASSIGNMENTS
from citybook.files import deterministic_zip, write_if_changed
from citybook.paths import ASSIGNMENTS as COURSE
from citybook.paths import DATASETS


def release_dir(assignment_id: str, course: Path = COURSE) -> Path:
    """The participant folder nbgrader generated for an assignment."""
    return course / "release" / assignment_id


def _is_current(assignment_id: str, course: Path) -> bool:
    """True if the release exists and is newer than its source notebook and every data file it needs."""
    notebook = f"{assignment_id}.ipynb"
    released = release_dir(assignment_id, course) / notebook
    inputs = [course / "source" / assignment_id / notebook] + [
        DATASETS / name for name in ASSIGNMENTS[assignment_id].data
    ]
    return released.is_file() and all(released.stat().st_mtime >= p.stat().st_mtime for p in inputs if p.exists())


def write_zip(folder: Path, target: Path) -> Path:
    """Zip `folder` as `<folder name>/...` with the book's deterministic zip (fixed times and order)."""
    files = {
        f"{folder.name}/{p.relative_to(folder).as_posix()}": p
        for p in folder.rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }
    write_if_changed(target, deterministic_zip(files))
    return target


def write_release_zips(dest: Path, course: Path = COURSE) -> dict[str, Path]:
    """Write `<dest>/<id>.zip` for every assignment, releasing first any that is missing or stale."""
    stale = [a for a in ASSIGNMENTS if not _is_current(a, course)]
    if stale:  # nbgrader is imported only when something has to be released
        from citybook.assignments.prepare import prepare
        from citybook.assignments.release import release

        for assignment_id in stale:
            prepare(assignment_id, course)
        release(stale, course)
    return {a: write_zip(release_dir(a, course), Path(dest) / f"{a}.zip") for a in ASSIGNMENTS}
