"""`course autograde`: grade every collected submission of an assignment, in parallel, safely, once.

Plan (parent): check each submitted folder; refuse what cannot be graded; skip what was already graded
and has not changed. Run (workers): nbgrader's Autograde in a private copy per submission, with the
participant's code in a bubblewrap sandbox and the tests in a separate process (see sandbox.py).
Settle (parent, one at a time): import the scores into the course gradebook, put the autograded
notebook in place, record the outcome. A crash part-way loses nothing: a re-run picks up where it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook
from tqdm import tqdm

from citybook.course.config import Course
from citybook.course.errors import CourseError
from citybook.course.gradebook_copy import assignment_fingerprint, import_grades, make_template
from citybook.course.grades import assignment_scores, grading_record, grading_record_path
from citybook.course.grading_pool import run_jobs
from citybook.course.grading_process import GRADEBOOK
from citybook.course.isolation import require_isolation
from citybook.course.roster import load_roster
from citybook.course.sandbox import Limits
from citybook.course.state import folder_fingerprint, replace_folder, write_atomically, write_json
from citybook.course.submission import check_submission
from citybook.course.timings import take_timings, timed

# Time a worker gets beyond the notebooks' own limits: copying, sanitising, saving grades.
GRACE_SECONDS = 60
NOT_ISOLATED = "graded WITHOUT isolation (--no-isolation): its code could see and change the grader's files"


@dataclass
class Outcome:
    """What autograde did with one participant's submission."""

    student_id: str
    status: str  # graded, unchanged, failed, refused, missing, not on roster
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    to_grade_by_hand: float = 0.0


def students_to_consider(course: Course, assignment_id: str, only: list[str]) -> tuple[list[str], list[Outcome]]:
    """Return whom to grade (the roster, or everyone who submitted) and outcomes for strangers."""
    submitted = course.students_in(course.directories.submitted_directory, assignment_id)
    roster = load_roster(course)
    if only:
        unknown = [sid for sid in only if sid not in roster and sid not in submitted]
        if unknown:
            raise CourseError(
                f"no participant or submission with the id {', '.join(unknown)}",
                fix="check the ids with `course grades`, or import them with `course roster import`.",
            )
        return list(only), []
    if not roster:
        return submitted, []
    strangers = [
        Outcome(
            sid,
            "not on roster",
            "a submission from someone not on the roster: add them with `course roster import` to grade it",
        )
        for sid in submitted
        if sid not in roster
    ]
    return sorted(roster), strangers


def plan(
    course: Course,
    assignment_id: str,
    notebooks: list[str],
    students: list[str],
    force: bool,
    record: dict[str, dict],
    isolate: bool = True,
) -> tuple[list[dict], list[Outcome]]:
    """Decide per participant: a job for a worker, or an outcome straight away (missing, refused, unchanged)."""
    assignment_print = assignment_fingerprint(course, assignment_id)
    jobs: list[dict] = []
    outcomes: list[Outcome] = []
    for student_id in students:
        folder = course.submitted(student_id, assignment_id)
        if not folder.is_dir():
            outcomes.append(Outcome(student_id, "missing", "no submission collected"))
            continue
        check = check_submission(folder, notebooks)
        fingerprint = hashlib.sha256((folder_fingerprint(folder) + assignment_print).encode()).hexdigest()
        if check.refusal:
            outcomes.append(Outcome(student_id, "refused", check.refusal))
            record[student_id] = {"status": "refused", "reason": check.refusal, "fingerprint": fingerprint}
            continue
        before = record.get(student_id, {})
        autograded = course.autograded(student_id, assignment_id)
        if (
            not force
            and before.get("status") == "graded"
            and before.get("fingerprint") == fingerprint
            and before.get("isolated", True) == isolate
            and autograded.is_dir()
        ):
            outcomes.append(Outcome(student_id, "unchanged", notes=before.get("notes", [])))
            continue
        jobs.append(
            {
                "student_id": student_id,
                "submitted_dir": str(folder),
                "renames": check.renames,
                "skip": check.skip,
                "notes": check.notes,
                "fingerprint": fingerprint,
            }
        )
    return jobs, outcomes


def settle(
    course: Course, gradebook: Gradebook, assignment_id: str, job: dict, reply: dict, record: dict[str, dict]
) -> Outcome:
    """Import one worker's result into the course (the only place that writes the course gradebook)."""
    student_id = job["student_id"]
    notes = job["notes"] + reply.get("notes", [])
    log_path = course.state_dir / "logs" / assignment_id / f"{student_id}.log"
    write_atomically(log_path, reply.get("log", "").encode("utf-8", errors="replace"))
    private = Path(reply.get("private_dir") or job["private_dir"])
    reason = reply.get("reason", "")
    try:
        if reply["status"] == "graded":
            # The gradebook first (it is what the formgrader and the exports read), then the notebook.
            with timed("import grades"):
                import_grades(gradebook, private / GRADEBOOK, assignment_id, student_id)
            autograded = private / course.directories.autograded_directory / student_id / assignment_id
            with timed("put notebook in place"):
                replace_folder(autograded, course.autograded(student_id, assignment_id))
    except Exception as error:  # e.g. the gradebook locked by another program for too long
        gradebook.db.rollback()
        reason = f"graded, but the result could not be saved ({type(error).__name__}: {error}); run again"
    finally:
        shutil.rmtree(private, ignore_errors=True)
    if reply["status"] == "graded" and not reason:
        outcome = Outcome(student_id, "graded", notes=notes)
    else:
        if record.get(student_id, {}).get("status") == "graded":
            notes.append("the grade from the previous run is kept")
        outcome = Outcome(student_id, "failed", reason, notes=notes)
    record[student_id] = {
        "status": outcome.status,
        "reason": outcome.reason,
        "notes": outcome.notes,
        "fingerprint": job["fingerprint"] if outcome.status == "graded" else "",
        "seconds": reply.get("seconds"),
        "timings": {**(reply.get("timings") or {}), **take_timings()},
        "isolated": job.get("isolate", True),
        "log": str(log_path),
        "at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    return outcome


def autograde(
    course: Course,
    assignment_id: str,
    *,
    workers: int = 2,
    limits: Limits = Limits(),
    only: list[str] | None = None,
    force: bool = False,
    progress: bool = True,
    isolate: bool = True,
) -> list[Outcome]:
    """Grade an assignment's submissions in parallel; return one outcome per participant."""
    if workers < 1:
        raise CourseError("--workers must be at least 1", fix="use --workers 2 on a two-core machine.")
    if isolate:
        require_isolation()
    record = grading_record(course, assignment_id)
    students, outcomes = students_to_consider(course, assignment_id, only or [])
    notebooks = course.notebook_names(assignment_id)
    jobs, planned = plan(course, assignment_id, notebooks, students, force, record, isolate)
    outcomes += planned
    if jobs:
        outcomes += run_jobs_in_private(course, assignment_id, jobs, workers, limits, progress, record, isolate)
    write_json(grading_record_path(course, assignment_id), record)
    add_scores(course, assignment_id, outcomes)
    return sorted(outcomes, key=lambda o: o.student_id)


def run_jobs_in_private(
    course: Course,
    assignment_id: str,
    jobs: list[dict],
    workers: int,
    limits: Limits,
    progress: bool,
    record: dict[str, dict],
    isolate: bool,
) -> list[Outcome]:
    """Grade the jobs on worker processes and settle each reply as it arrives."""
    outcomes = []
    record_path = grading_record_path(course, assignment_id)
    notebooks = course.notebook_names(assignment_id)
    grading_root = course.state_dir / "grading"
    grading_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="run-", dir=grading_root) as private_root:
        run_dir = Path(private_root)
        os.chmod(run_dir, 0o700)
        make_template(course, run_dir / "template.db")
        by_student = {}
        for job in jobs:
            job.update(
                course_root=str(course.root),
                assignment_id=assignment_id,
                template_db=str(run_dir / "template.db"),
                private_dir=str(run_dir / f"private-{job['student_id']}"),
                limits=limits.as_dict(),
                isolate=isolate,
            )
            if not isolate:
                job["notes"] = [*job["notes"], NOT_ISOLATED]
            by_student[job["student_id"]] = job
        # Each notebook: its sandbox, then its tests, each within the notebook limit.
        deadline = 2 * limits.notebook_timeout * len(notebooks) + GRACE_SECONDS
        with (
            tqdm(
                total=len(jobs),
                desc=f"Grading {assignment_id}",
                unit="submission",
                file=sys.stderr,
                disable=not progress,
            ) as bar,
            course.gradebook() as gradebook,
        ):
            for reply in run_jobs(jobs, min(workers, len(jobs)), run_dir, deadline):
                job = by_student[reply["student_id"]]
                outcomes.append(settle(course, gradebook, assignment_id, job, reply, record))
                write_json(record_path, record)
                bar.update(1)
    return outcomes


def add_scores(course: Course, assignment_id: str, outcomes: list[Outcome]) -> None:
    """Fill in each graded or unchanged outcome's score from the course gradebook."""
    scores = assignment_scores(course, assignment_id)
    for outcome in outcomes:
        score = scores.get(outcome.student_id)
        if score and outcome.status in ("graded", "unchanged", "failed"):
            outcome.score, outcome.max_score = score.score, score.max_score
            outcome.to_grade_by_hand = score.to_grade_by_hand


def summary_table(outcomes: list[Outcome], isolated: bool = True) -> str:
    """Return the end-of-run table: one line per participant, then the counts (and a warning if not isolated)."""

    def points(value: float | None) -> str:
        return "-" if value is None else f"{value:g}"

    rows = [("participant", "status", "score", "what happened")]
    for outcome in outcomes:
        said = "; ".join(part for part in [outcome.reason, *outcome.notes] if part)
        if outcome.to_grade_by_hand:
            said = "; ".join(filter(None, [said, f"{outcome.to_grade_by_hand:g} points to grade by hand"]))
        score = f"{points(outcome.score)} / {points(outcome.max_score)}" if outcome.score is not None else "-"
        rows.append((outcome.student_id, outcome.status, score, said))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d}".rstrip() for a, b, c, d in rows]
    counts = Counter(outcome.status for outcome in outcomes)
    lines.append("")
    lines.append(", ".join(f"{status} {count}" for status, count in sorted(counts.items())))
    if not isolated:
        lines.append(
            "WARNING: graded without isolation (--no-isolation); these grades are marked so in the grading record."
        )
    return "\n".join(lines)
