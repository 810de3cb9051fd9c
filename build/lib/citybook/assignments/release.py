"""Generate each assignment's participant version with nbgrader (source/<id> -> release/<id>)."""

from __future__ import annotations

from pathlib import Path

from citybook.assignments.nbgrader_api import check, course_api
from citybook.paths import ASSIGNMENTS as COURSE


def release(assignment_ids: list[str], course: Path = COURSE) -> dict[str, Path]:
    """Run nbgrader's generate_assignment for each assignment; return its release folder."""
    api = course_api(course)
    out = {}
    for assignment_id in assignment_ids:
        check(api.generate_assignment(assignment_id, force=True, create=True), f"generate_assignment {assignment_id}")
        out[assignment_id] = Path(api.coursedir.format_path(api.coursedir.release_directory, ".", assignment_id))
    return out
