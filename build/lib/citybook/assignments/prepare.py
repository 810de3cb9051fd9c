"""Copy each assignment's data files from datasets/ into its source folder."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from citybook.assignments.manifest import ASSIGNMENTS
from citybook.paths import ASSIGNMENTS as COURSE
from citybook.paths import DATASETS


def source_dir(assignment_id: str, course: Path = COURSE) -> Path:
    """The folder nbgrader reads the assignment from."""
    return course / "source" / assignment_id


def prepare(assignment_id: str, course: Path = COURSE, datasets: Path = DATASETS) -> list[Path]:
    """Copy the data files one assignment needs next to its notebook; return the copied paths."""
    target = source_dir(assignment_id, course)
    missing = [name for name in ASSIGNMENTS[assignment_id].data if not (datasets / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{assignment_id}: not in {datasets}: {', '.join(missing)} (run `make data`)")
    copied = []
    for name in ASSIGNMENTS[assignment_id].data:
        src, dst = datasets / name, target / name
        if not dst.exists() or not filecmp.cmp(src, dst, shallow=False):
            shutil.copyfile(src, dst)
        copied.append(dst)
    return copied
