"""Autograde: re-running is safe, manual grades survive, a stuck worker is stopped, the sandbox's rules hold."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from citybook.course import release
from citybook.course.autograde import autograde
from citybook.course.config import Course
from citybook.course.grading_pool import WorkerSlot
from citybook.course.roster import import_roster
from citybook.course.sandbox import Limits
from tests.helpers import cohort
from tests.helpers.cohort import copy_fixture_course

LIMITS = Limits(cell_timeout=10, notebook_timeout=60, memory_mb=1024)
PEOPLE = [
    cohort.Participant("ana", "Recife"),
    cohort.Participant("caro", "Toronto", ("q2_test",), answers={"q2_answer": "median_days = 14"}),
    cohort.Participant("kim", "Lima", file_name="my permits.ipynb"),
    cohort.Participant("lea", "Lima", raw=b"{not json", status="refused"),
]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    root = tmp_path_factory.mktemp("autograde") / "course"
    copy_fixture_course(root)
    course = Course.open(root)
    (root.parent / "roster.csv").write_text(cohort.roster_csv(PEOPLE))
    import_roster(course, root.parent / "roster.csv")
    release.generate(course, cohort.ASSIGNMENT)
    for who in PEOPLE:
        cohort.write_submission(
            course.submitted(who.id, cohort.ASSIGNMENT), course.release_dir(cohort.ASSIGNMENT) / "permits.ipynb", who
        )
    return course


def gradebook_rows(course: Course) -> list[tuple]:
    """Every grade and comment the gradebook holds, in a stable order."""
    rows = []
    with course.gradebook() as gradebook:
        for submission in gradebook.find_assignment(cohort.ASSIGNMENT).submissions:
            for notebook in submission.notebooks:
                rows += [
                    (submission.student.id, g.name, g.auto_score, g.manual_score, g.needs_manual_grade)
                    for g in notebook.grades
                ]
                rows += [(submission.student.id, c.name, c.auto_comment, c.manual_comment) for c in notebook.comments]
    return sorted(rows, key=repr)


def autograded_files(course: Course) -> dict[str, int]:
    """Every file of every participant's autograded folder, with the time it was last written (ns)."""
    stamps = {}
    for who in PEOPLE:
        folder = course.autograded(who.id, cohort.ASSIGNMENT)
        stamps |= {f"{who.id}/{p.relative_to(folder)}": p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    assert stamps, "no autograded file to compare"
    return stamps


def statuses(outcomes: list) -> dict[str, str]:
    return {o.student_id: o.status for o in outcomes}


def test_grading_again_is_safe_and_changes_nothing(course: Course) -> None:
    first = autograde(course, cohort.ASSIGNMENT, workers=2, limits=LIMITS, progress=False)
    assert statuses(first) == {"ana": "graded", "caro": "graded", "kim": "graded", "lea": "refused"}
    assert {o.student_id: o.score for o in first if o.status == "graded"} == {
        who.id: who.expected for who in PEOPLE if who.status == "graded"
    }
    assert any("'my permits.ipynb' was graded as 'permits.ipynb'" in note for o in first for note in o.notes)
    rows = gradebook_rows(course)

    written = autograded_files(course)
    again = autograde(course, cohort.ASSIGNMENT, workers=2, limits=LIMITS, progress=False)
    assert autograded_files(course) == written  # nothing changed, so nothing ran: no file was rewritten
    assert statuses(again) == {"ana": "unchanged", "caro": "unchanged", "kim": "unchanged", "lea": "refused"}
    assert gradebook_rows(course) == rows

    forced = autograde(
        course, cohort.ASSIGNMENT, workers=2, limits=LIMITS, only=["ana", "caro"], force=True, progress=False
    )
    assert statuses(forced) == {"ana": "graded", "caro": "graded"}
    assert gradebook_rows(course) == rows


def test_a_changed_submission_is_regraded_and_manual_grades_survive(course: Course) -> None:
    with course.gradebook() as gradebook:  # a grader scores ana's memo in the formgrader
        gradebook.find_grade("memo", cohort.ASSIGNMENT, cohort.ASSIGNMENT, "ana").manual_score = 1.5
        gradebook.db.commit()
    fixed = cohort.Participant("caro", "Toronto")
    cohort.write_submission(
        course.submitted("caro", cohort.ASSIGNMENT), course.release_dir(cohort.ASSIGNMENT) / "permits.ipynb", fixed
    )
    outcomes = {
        o.student_id: o
        for o in autograde(course, cohort.ASSIGNMENT, workers=2, limits=LIMITS, force=False, progress=False)
    }
    assert outcomes["caro"].status == "graded" and outcomes["caro"].score == fixed.expected
    assert outcomes["ana"].status == "unchanged"
    forced = autograde(course, cohort.ASSIGNMENT, limits=LIMITS, only=["ana"], force=True, progress=False)
    assert forced[0].score == sum(cohort.POINTS.values()) + 1.5  # the hand-given memo points are kept


def test_a_stuck_submission_is_stopped_with_its_kernel(course: Course, tmp_path: Path) -> None:
    stuck = cohort.Participant("ana", "Recife", prepend={"q1_answer": "import time\ntime.sleep(300)"})
    folder = tmp_path / "submitted"
    cohort.write_submission(folder, course.release_dir(cohort.ASSIGNMENT) / "permits.ipynb", stuck)
    template = tmp_path / "template.db"
    shutil.copyfile(course.db_path, template)
    job = {
        "student_id": "ana",
        "submitted_dir": str(folder),
        "renames": {},
        "skip": [],
        "course_root": str(course.root),
        "assignment_id": cohort.ASSIGNMENT,
        "template_db": str(template),
        "private_dir": str(tmp_path / "private"),
        "isolate": True,
        "limits": Limits(cell_timeout=300, notebook_timeout=300).as_dict(),
    }
    slot = WorkerSlot(0, tmp_path)
    try:
        reply = slot.grade(job, deadline=20)
    finally:
        slot.close()
    assert reply["status"] == "failed" and reply["reason"] == "stopped after 20 s, the limit for one submission"
    kernel = int(slot.pid_file.read_text())
    time.sleep(0.5)
    assert not Path(f"/proc/{kernel}").exists() or b"zombie" in Path(f"/proc/{kernel}/status").read_bytes().lower()


def test_the_grading_record_says_why(course: Course) -> None:
    record = json.loads((course.state_dir / "autograde" / f"{cohort.ASSIGNMENT}.json").read_text())
    assert record["lea"]["status"] == "refused" and "not valid JSON" in record["lea"]["reason"]
    assert Path(record["ana"]["log"]).exists()
