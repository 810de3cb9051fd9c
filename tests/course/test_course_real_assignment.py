"""One real assignment of the course through `course`: release, collect, autograde, feedback, report.

Participants are made with the assignment tests' own helpers (tests/grading.py): the source answers,
the blank release, the assignment's listed wrong answers, and one notebook that kills its kernel
half-way. Expected scores come from the source notebook's point values.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from citybook.paths import ASSIGNMENTS
from tests.helpers.cohort import run_course
from tests.helpers.grading import copy_course, fill, wrong_answers

pytestmark = [pytest.mark.slow, pytest.mark.grading]  # whole cohorts graded through nbgrader

ASSIGNMENT = "ps1-311-performance"
pytestmark = pytest.mark.skipif(
    not (ASSIGNMENTS / "source" / ASSIGNMENT).is_dir(), reason=f"the course has no {ASSIGNMENT} yet"
)


def autograded_tests(source: nbformat.NotebookNode) -> list[tuple[int, str, float]]:
    """(cell index, grade id, points) of each autograded test cell, in notebook order."""
    return [
        (index, cell.metadata["nbgrader"]["grade_id"], float(cell.metadata["nbgrader"]["points"]))
        for index, cell in enumerate(source.cells)
        if cell.cell_type == "code"
        and cell.metadata.get("nbgrader", {}).get("grade")
        and not cell.metadata["nbgrader"].get("solution")
    ]


def test_a_real_assignment_grades_as_its_points_say(tmp_path: Path) -> None:
    root = copy_course(ASSIGNMENT, tmp_path)
    name = f"{ASSIGNMENT}.ipynb"
    course = ["--course", str(root)]
    people = {"full": (), "blank": None}
    mistakes = wrong_answers(ASSIGNMENT)[:1]
    people |= {f"wrong{i}": tuple(w.loses) for i, w in enumerate(mistakes)}
    (tmp_path / "roster.csv").write_text(
        "id,name,city,email\n"
        + "".join(
            f"{pid},{pid.title()} Person,{'Recife' if i % 2 else 'Toronto'},{pid}@example.org\n"
            for i, pid in enumerate([*people, "crash"])
        )
    )
    run_course("roster", "import", str(tmp_path / "roster.csv"), *course)
    run_course("release", ASSIGNMENT, "--zip", str(tmp_path / "zips"), *course)

    source = nbformat.read(root / "source" / ASSIGNMENT / name, as_version=4)
    released = nbformat.read(root / "release" / ASSIGNMENT / name, as_version=4)
    tests = autograded_tests(source)
    notebooks = {"full": fill(released, source), "blank": released}
    notebooks |= {f"wrong{i}": fill(released, source, w) for i, w in enumerate(mistakes)}
    crash = fill(released, source)
    answers = [
        i for i, c in enumerate(crash.cells) if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"
    ]
    stop_at = answers[len(answers) // 2]  # os._exit half-way: later tests cannot have run
    crash.cells[stop_at].source = "import os\nos._exit(1)\n" + crash.cells[stop_at].source
    notebooks["crash"] = crash
    people["crash"] = tuple(grade_id for index, grade_id, _ in tests if index > stop_at)
    downloads = tmp_path / "downloads"
    for pid, notebook in notebooks.items():
        (downloads / f"{pid}_attempt").mkdir(parents=True)
        nbformat.write(notebook, downloads / f"{pid}_attempt" / name)
    run_course("collect", ASSIGNMENT, "--from", str(downloads), *course)

    said = run_course("autograde", ASSIGNMENT, "--workers", "2", "--no-progress", *course)
    assert "the kernel stopped while running cell" in said
    run_course("feedback", ASSIGNMENT, *course)
    run_course("grades", *course)
    run_course("report", ASSIGNMENT, *course)

    with open(root / "reports" / "grades-items.csv", newline="") as handle:
        scores = {(row["participant"], row["item"]): float(row["score"]) for row in csv.DictReader(handle)}
    for pid, loses in people.items():
        for _, grade_id, points in tests:
            expected = 0.0 if loses is None or grade_id in loses else points
            assert scores[(pid, grade_id)] == expected, (pid, grade_id)
    assert (root / "reports" / f"{ASSIGNMENT}-report.html").exists()
    assert len(list((root / "feedback").glob(f"*/{ASSIGNMENT}/{name.replace('.ipynb', '.html')}"))) == len(people)
