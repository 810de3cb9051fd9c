"""The grading process: one long-lived process per slot of the pool, autograding one submission at a time.

`course autograde` starts one per slot (`python -m citybook.course.grading_process`; the slots are in
grading_pool.py), sends it jobs as JSON lines on stdin and reads one JSON line back per job. For each
job it builds a private
course folder (a copy of the gradebook's structure, the assignment's data files, the submission),
runs nbgrader's own Autograde converter there with `IsolatedExecute` in place of `Execute`, and
reports. It never writes to the real course: the parent imports the results, one at a time.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from nbgrader.utils import capture_log

from citybook.course import sandbox
from citybook.course.config import Course
from citybook.course.errors import failure_reason
from citybook.course.timings import add_time, take_timings, timed

GRADEBOOK = "gradebook.db"
OUTSIDE = {"copy submission", "nbgrader setup", "nbgrader autograde"}  # phases not within nbgrader's run


def grading_preprocessors(configured: list) -> list:
    """Return nbgrader's autograde preprocessors with IsolatedExecute in place of Execute."""
    replaced = [sandbox.IsolatedExecute if isinstance(p, type) and issubclass(p, Execute) else p for p in configured]
    if sandbox.IsolatedExecute not in replaced:
        raise RuntimeError("the course's Autograde.autograde_preprocessors has no Execute step to isolate")
    return replaced


def build_private_course(job: dict, course: Course) -> Path:
    """Make the job's private course folder: gradebook copy, data files, submission."""
    private = Path(job["private_dir"])
    shutil.rmtree(private, ignore_errors=True)
    private.mkdir(parents=True)
    shutil.copyfile(job["template_db"], private / GRADEBOOK)
    assignment, student = job["assignment_id"], job["student_id"]
    sandbox.copy_data_files(course.source_dir(assignment), private / "source" / assignment)
    submitted = private / "submitted" / student / assignment
    submitted.mkdir(parents=True)
    original = Path(job["submitted_dir"])
    renames: dict[str, str] = job.get("renames", {})
    skipped = set(job.get("skip", []))
    for path in sorted(original.rglob("*")):
        relative = path.relative_to(original).as_posix()
        if not path.is_file() or path.is_symlink() or relative in skipped:
            continue  # a link could point anywhere the grader can read: never follow one
        target = submitted / renames.get(relative, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return private


@functools.lru_cache(maxsize=4)
def open_course(root: str) -> Course:
    """Open a course once per worker (its configuration does not change during a run)."""
    return Course.open(root)


def grade(job: dict) -> dict:
    """Autograde one submission in its private course folder; return what happened."""
    started = time.monotonic()
    take_timings()
    course = open_course(job["course_root"])
    with timed("copy submission"):
        private = build_private_course(job, course)
    setup_started = time.perf_counter()
    limits = sandbox.Limits(**job["limits"])
    config = course.settings(
        CourseDirectory={"root": str(private), "db_url": f"sqlite:///{private / GRADEBOOK}"},
        OverwriteCells={"add_missing_cells": True},
        IsolatedExecute={
            "isolate": job["isolate"],
            "timeout": limits.cell_timeout,
            "memory_mb": limits.memory_mb,
            "wall_seconds": limits.notebook_timeout,
            "file_mb": limits.file_mb,
            "output_mb": limits.output_mb,
            "processes": limits.processes,
            "instructor_data": str(private / "source" / job["assignment_id"]),
            "pid_file": job["pid_file"],
        },
    )
    coursedir = course.coursedir(config, assignment_id=job["assignment_id"], student_id=job["student_id"])
    converter = Autograde(coursedir=coursedir, config=config)
    converter.autograde_preprocessors = grading_preprocessors(list(converter.autograde_preprocessors))
    converter.force = True
    converter.create_student = True
    sandbox.take_notes()
    add_time("nbgrader setup", time.perf_counter() - setup_started)
    with timed("nbgrader autograde"):
        result = capture_log(converter)
    timings = take_timings()
    inside = sum(seconds for phase, seconds in timings.items() if ":" not in phase and phase not in OUTSIDE)
    timings["nbgrader's own steps"] = round(timings["nbgrader autograde"] - inside, 3)
    log = result.get("log", "") + "\n" + result.get("error", "")
    return {
        "student_id": job["student_id"],
        "status": "graded" if result["success"] else "failed",
        "reason": "" if result["success"] else (failure_reason(log) or "nbgrader could not grade it"),
        "notes": sandbox.take_notes(),
        "private_dir": str(private),
        "log": log,
        "seconds": round(time.monotonic() - started, 2),
        "timings": timings,
    }


def serve(jobs: Iterable[str], replies: TextIO) -> None:
    """Answer each JSON job line from `jobs` with one JSON result line on `replies`."""
    for line in jobs:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            reply = grade(job)
        except Exception as error:  # one bad job never stops the worker
            reply = {
                "student_id": job.get("student_id"),
                "status": "failed",
                "reason": f"{type(error).__name__}: {error}",
                "notes": [],
                "log": traceback.format_exc(),
                "private_dir": job.get("private_dir", ""),
            }
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def main() -> None:
    """Serve jobs on stdin; keep stdout for replies only (anything printed goes to stderr)."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin, replies)


if __name__ == "__main__":
    main()
