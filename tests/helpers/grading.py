"""Grade fake participants' notebooks as instructors do and read their scores from nbgrader's gradebook.

One run per assignment, in a throw-away copy of the course: release the assignment, submit a
notebook per fake participant (the source answers, the blank release, each wrong answer), run
`course autograde` once for all of them, and read every item's score back from the gradebook.
"""

from __future__ import annotations

import runpy
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from sqlalchemy.exc import SAWarning

from citybook.course import release
from citybook.course.catalogue import copy_data
from citybook.course.config import CONFIG_FILE, Course
from citybook.course.release_zips import write_zip
from citybook.paths import ASSIGNMENTS as COURSE
from tests.helpers.cohort import run_course

WRONG_ANSWERS = COURSE / "wrong_answers"
SOURCE, BLANK = "source", "blank"
MARKERS = (
    "BEGIN SOLUTION",
    "END SOLUTION",
    "BEGIN HIDDEN TESTS",
    "END HIDDEN TESTS",
    "BEGIN MARK SCHEME",
    "END MARK SCHEME",
)


@dataclass(frozen=True)
class WrongAnswer:
    """A plausible mistake: text replacements in one answer cell and the items it should lose."""

    name: str
    cell: str
    replace: tuple[tuple[str, str], ...]
    loses: tuple[str, ...]


@dataclass
class Graded:
    """What one assignment's grading run produced (picklable, so it can come from a worker)."""

    assignment_id: str
    course: Path
    zip_path: Path
    scores: dict[str, dict[str, tuple[float | None, float, str]]] = field(
        default_factory=dict
    )  # student -> item -> (auto, max, type)
    wrong: list[WrongAnswer] = field(default_factory=list)
    participant_failures: list[str] = field(default_factory=list)  # cells that failed in the participant's own run

    def autograded(self, student: str) -> dict[str, tuple[float, float]]:
        """Autograded items only (code test cells): item -> (score, max)."""
        return {k: (a, m) for k, (a, m, kind) in self.scores[student].items() if kind == "code"}


def wrong_answers(assignment_id: str) -> list[WrongAnswer]:
    """The wrong answers listed in assignments/wrong_answers/<id>.py."""
    path = WRONG_ANSWERS / f"{assignment_id.replace('-', '_')}.py"
    entries = runpy.run_path(str(path))["WRONG_ANSWERS"]
    return [
        WrongAnswer(e["name"], e["cell"], tuple(tuple(r) for r in e["replace"]), tuple(e["loses"])) for e in entries
    ]


def answer_text(source: str) -> str:
    """A solution cell's answer as a participant would type it: the solution without its markers."""
    return "\n".join(line for line in source.split("\n") if not any(m in line for m in MARKERS[:2]))


def secret_regions(source: str) -> list[str]:
    """The lines of a cell that sit inside solution, hidden-test or mark-scheme regions."""
    out, inside = [], False
    for line in source.split("\n"):
        if any(line.strip().startswith(f"### BEGIN {k}") for k in ("SOLUTION", "HIDDEN TESTS", "MARK SCHEME")):
            inside = True
        elif any(line.strip().startswith(f"### END {k}") for k in ("SOLUTION", "HIDDEN TESTS", "MARK SCHEME")):
            inside = False
        elif inside:
            out.append(line)
    return out


def fill(
    released: nbformat.NotebookNode, source: nbformat.NotebookNode, wrong: WrongAnswer | None = None
) -> nbformat.NotebookNode:
    """The released notebook with every answer cell filled in from the source, optionally with one mistake."""
    answers = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    out = nbformat.from_dict(released)
    for cell in out.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        text = answer_text(answers[meta["grade_id"]])
        if wrong is not None and meta["grade_id"] == wrong.cell:
            for old, new in wrong.replace:
                if old not in text:
                    raise ValueError(f"wrong answer {wrong.name!r}: {old!r} is not in cell {wrong.cell!r}")
                text = text.replace(old, new)
        cell.source = text
    return out


def source_dir(assignment_id: str) -> Path:
    """The course's own source folder of an assignment."""
    return Course.open(COURSE).source_dir(assignment_id)


def release_dir(assignment_id: str, course: Path) -> Path:
    """The released (participant) folder of an assignment in a course folder."""
    return Course.open(course).release_dir(assignment_id)


def copy_course(assignment_id: str, root: Path) -> Path:
    """A throw-away course in `root` holding one assignment, its data, and the course's config."""
    course = root / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(COURSE / CONFIG_FILE, course / CONFIG_FILE)
    notebook = f"{assignment_id}.ipynb"
    (course / "source" / assignment_id).mkdir()
    shutil.copy(source_dir(assignment_id) / notebook, course / "source" / assignment_id / notebook)
    copy_data(Course.open(course), assignment_id)
    return course


def submit(course: Path, assignment_id: str, student: str, notebook: nbformat.NotebookNode) -> None:
    """Place a notebook where nbgrader collects submissions."""
    folder = course / "submitted" / student / assignment_id
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{assignment_id}.ipynb")


def read_scores(
    course: Path, assignment_id: str, students: list[str]
) -> dict[str, dict[str, tuple[float | None, float, str]]]:
    """Every graded item of every student, straight from the gradebook."""
    out = {}
    with Course.open(course).gradebook() as gradebook:
        for student in students:
            notebook = gradebook.find_submission_notebook(assignment_id, assignment_id, student)
            out[student] = {g.name: (g.auto_score, g.max_score, g.cell_type) for g in notebook.grades}
    return out


def run_as_participant(notebook: nbformat.NotebookNode, folder: Path) -> list[str]:
    """Run a notebook in `folder` as a participant would, without nbgrader; return the cells that failed."""
    executed = nbformat.from_dict(notebook)
    NotebookClient(
        executed, timeout=120, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(folder)}}
    ).execute()
    return [
        c.metadata.get("nbgrader", {}).get("grade_id", c.get("id", "?"))
        for c in executed.cells
        if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)
    ]


def grade_assignment(assignment_id: str, root: Path) -> Graded:
    """Release one assignment in a copy of the course, grade every fake participant in one autograde run."""
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own gradebook session noise
    course = copy_course(assignment_id, root)
    release.generate(Course.open(course), assignment_id)
    notebook = f"{assignment_id}.ipynb"
    source = nbformat.read(course / "source" / assignment_id / notebook, as_version=4)
    released = nbformat.read(release_dir(assignment_id, course) / notebook, as_version=4)
    zip_path = write_zip(release_dir(assignment_id, course), root / "zips" / f"{assignment_id}.zip")
    mistakes = wrong_answers(assignment_id)
    submissions = {SOURCE: fill(released, source), BLANK: released}
    submissions |= {f"wrong-{w.name}": fill(released, source, w) for w in mistakes}
    for student, submitted in submissions.items():
        submit(course, assignment_id, student, submitted)
    # The instructors' path: `course autograde` (sandboxed participants' code, tests on plain data).
    run_course("autograde", assignment_id, "--workers", "1", "--force", "--no-progress", "--course", str(course))
    scores = read_scores(course, assignment_id, list(submissions))
    graded = Graded(assignment_id, course, zip_path, scores, mistakes)
    participant = shutil.copytree(release_dir(assignment_id, course), root / "participant")
    graded.participant_failures = run_as_participant(submissions[SOURCE], participant)
    return graded


def autograded_notebook(graded: Graded, student: str) -> nbformat.NotebookNode:
    """The notebook nbgrader executed for a student."""
    path = graded.course / "autograded" / student / graded.assignment_id / f"{graded.assignment_id}.ipynb"
    return nbformat.read(path, as_version=4)
