"""Read scores out of the gradebook, and export them as CSV (per participant, and per item)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from citybook.course.config import Course
from citybook.course.roster import Participant, load_roster
from citybook.course.state import read_json, write_atomically

GRADING_RECORDS = "autograde"


@dataclass(frozen=True)
class ItemScore:
    """One graded item (an nbgrader grade cell) of one submission."""

    notebook: str
    item: str
    kind: str  # "autograded" (a test cell) or "by hand" (a memo or other manually graded cell)
    score: float
    max_score: float
    needs_manual_grade: bool


@dataclass
class SubmissionScore:
    """One participant's scores on one assignment, as the gradebook holds them."""

    student_id: str
    score: float
    max_score: float
    autograded_score: float
    autograded_max: float
    late_penalty: float
    timestamp: str
    items: list[ItemScore] = field(default_factory=list)

    @property
    def to_grade_by_hand(self) -> float:
        """Points still waiting for a grader in the formgrader."""
        return sum(item.max_score for item in self.items if item.needs_manual_grade)


def grading_record_path(course: Course, assignment_id: str) -> Path:
    """Where `course autograde` records each participant's grading status for an assignment."""
    return course.state_dir / GRADING_RECORDS / f"{assignment_id}.json"


def grading_record(course: Course, assignment_id: str) -> dict[str, dict]:
    """Return the grading status per participant (status, reason, notes...) for an assignment."""
    return read_json(grading_record_path(course, assignment_id), {})  # type: ignore[return-value]


def assignment_scores(course: Course, assignment_id: str) -> dict[str, SubmissionScore]:
    """Return every graded submission of an assignment, by participant id."""
    scores: dict[str, SubmissionScore] = {}
    with course.gradebook() as gradebook:
        for submission in gradebook.find_assignment(assignment_id).submissions:
            items = [
                ItemScore(
                    notebook=notebook.name,
                    item=grade.name,
                    # nbgrader grades a cell by hand when it is also a solution cell (a memo, a written answer).
                    kind="by hand"
                    if grade.name in {c.name for c in notebook.notebook.solution_cells}
                    else "autograded",
                    score=float(grade.score or 0),
                    max_score=float(grade.max_score or 0),
                    needs_manual_grade=bool(grade.needs_manual_grade),
                )
                for notebook in submission.notebooks
                for grade in notebook.grades
            ]
            scores[submission.student.id] = SubmissionScore(
                student_id=submission.student.id,
                score=float(submission.score or 0),
                max_score=float(submission.max_score or 0),
                autograded_score=float(submission.code_score or 0),
                autograded_max=float(submission.max_code_score or 0),
                late_penalty=float(submission.late_submission_penalty or 0),
                timestamp=str(submission.timestamp or ""),
                items=items,
            )
    return scores


def assignment_ids(course: Course) -> list[str]:
    """Return the assignments the gradebook knows, in name order."""
    with course.gradebook() as gradebook:
        return sorted(assignment.name for assignment in gradebook.assignments)


def participants(course: Course) -> dict[str, Participant]:
    """Return the roster, plus anyone the gradebook has who is not on it (with empty details)."""
    people = load_roster(course)
    with course.gradebook() as gradebook:
        for student in gradebook.students:
            if student.id not in people:
                name = " ".join(part for part in (student.first_name, student.last_name) if part)
                people[student.id] = Participant(student.id, name, "", student.email or "")
    return people


SUMMARY_COLUMNS = (
    "assignment",
    "participant",
    "name",
    "city",
    "email",
    "status",
    "score",
    "max_score",
    "autograded_score",
    "autograded_max",
    "to_grade_by_hand",
    "late_penalty",
    "submitted_at",
)
ITEM_COLUMNS = (
    "assignment",
    "participant",
    "city",
    "notebook",
    "item",
    "kind",
    "score",
    "max_score",
    "needs_manual_grade",
)


def status_of(student_id: str, scores: dict[str, SubmissionScore], record: dict[str, dict]) -> str:
    """Return a participant's grading status in words: graded, failed (why), not submitted..."""
    entry = record.get(student_id, {})
    status = entry.get("status", "")
    if status in ("failed", "refused"):
        return f"{status}: {entry.get('reason', '')}"
    if student_id in scores:
        return "graded"
    return status or "not submitted"


def export_rows(course: Course) -> tuple[list[dict], list[dict]]:
    """Return the summary rows (participant x assignment) and the item rows of every assignment."""
    people = participants(course)
    summary: list[dict] = []
    items: list[dict] = []
    for assignment in assignment_ids(course):
        scores = assignment_scores(course, assignment)
        record = grading_record(course, assignment)
        for student_id in sorted(people):
            person = people[student_id]
            score = scores.get(student_id)
            summary.append(
                {
                    "assignment": assignment,
                    "participant": student_id,
                    "name": person.name,
                    "city": person.city,
                    "email": person.email,
                    "status": status_of(student_id, scores, record),
                    "score": score.score if score else "",
                    "max_score": score.max_score if score else "",
                    "autograded_score": score.autograded_score if score else "",
                    "autograded_max": score.autograded_max if score else "",
                    "to_grade_by_hand": score.to_grade_by_hand if score else "",
                    "late_penalty": score.late_penalty if score else "",
                    "submitted_at": score.timestamp if score else "",
                }
            )
            for item in score.items if score else []:
                items.append(
                    {
                        "assignment": assignment,
                        "participant": student_id,
                        "city": person.city,
                        "notebook": item.notebook,
                        "item": item.item,
                        "kind": item.kind,
                        "score": item.score,
                        "max_score": item.max_score,
                        "needs_manual_grade": item.needs_manual_grade,
                    }
                )
    return summary, items


def csv_text(rows: list[dict], columns: tuple[str, ...]) -> str:
    """Return rows as CSV text with a header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export_grades(course: Course, output: Path | None = None) -> tuple[Path, Path]:
    """Write grades.csv (per participant per assignment) and grade-items.csv (per item); return both paths."""
    summary, items = export_rows(course)
    target = Path(output) if output else course.reports_dir / "grades.csv"
    item_target = target.with_name(f"{target.stem}-items{target.suffix or '.csv'}")
    write_atomically(target, csv_text(summary, SUMMARY_COLUMNS).encode("utf-8"))
    write_atomically(item_target, csv_text(items, ITEM_COLUMNS).encode("utf-8"))
    return target, item_target
