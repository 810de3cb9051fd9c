"""Copy an assignment's structure out of the gradebook for a worker, and one participant's grades back in.

Workers never open the course gradebook. Each grades in a private copy made from a template (the
course gradebook's structure, with no participants), and the parent imports the result into the
course gradebook one participant at a time: a single writer, so concurrent grading cannot corrupt it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import warnings
from pathlib import Path

from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from citybook.course.config import Course


def make_template(course: Course, target: Path) -> None:
    """Snapshot the course gradebook (SQLite online backup) and remove every participant from the copy."""
    source = sqlite3.connect(f"file:{course.db_path}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    with Gradebook(f"sqlite:///{target}", course.course_id) as gradebook:
        for student in list(gradebook.students):
            gradebook.remove_student(student.id)
    vacuum = sqlite3.connect(target)
    vacuum.execute("VACUUM")
    vacuum.close()


def assignment_fingerprint(course: Course, assignment_id: str) -> str:
    """Return a hash of what grading depends on: each cell's checksum and each grade cell's points."""
    digest = hashlib.sha256()
    with course.gradebook() as gradebook:
        assignment = gradebook.find_assignment(assignment_id)
        for notebook in sorted(assignment.notebooks, key=lambda n: n.name):
            for cell in sorted(notebook.source_cells, key=lambda c: c.name):
                digest.update(f"{notebook.name}/{cell.name}/{cell.checksum}\n".encode())
            for cell in sorted(notebook.grade_cells, key=lambda c: c.name):
                digest.update(f"{notebook.name}/{cell.name}/{cell.max_score}\n".encode())
    return digest.hexdigest()


def import_grades(target: Gradebook, private_db: Path, assignment_id: str, student_id: str) -> None:
    """Copy one participant's autograded scores and comments from a worker's gradebook into `target`."""
    with warnings.catch_warnings():
        # nbgrader's add_submission triggers SQLAlchemy 2 autoflush warnings that mean nothing here.
        warnings.simplefilter("ignore", SAWarning)
        _import_grades(target, private_db, assignment_id, student_id)


def _import_grades(target: Gradebook, private_db: Path, assignment_id: str, student_id: str) -> None:
    with Gradebook(f"sqlite:///{private_db}", target.course_id) as graded:
        result = graded.find_submission(assignment_id, student_id)
        target.update_or_create_student(student_id)  # keeps the roster's details if they exist
        if result.timestamp is not None:
            target.update_or_create_submission(assignment_id, student_id, timestamp=result.timestamp)
        else:
            target.update_or_create_submission(assignment_id, student_id)
        for notebook in result.notebooks:
            into = target.find_submission_notebook(notebook.name, assignment_id, student_id)
            into.late_submission_penalty = notebook.late_submission_penalty
            for grade in notebook.grades:
                kept = target.find_grade(grade.name, notebook.name, assignment_id, student_id)
                kept.auto_score = grade.auto_score
                # As nbgrader's SaveAutoGrades: an item a grader has already scored by hand needs review.
                kept.needs_manual_grade = grade.needs_manual_grade or kept.manual_score is not None
            for comment in notebook.comments:
                kept = target.find_comment(comment.name, notebook.name, assignment_id, student_id)
                kept.auto_comment = comment.auto_comment
        target.db.commit()
