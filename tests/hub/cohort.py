"""The test cohort's answers to ps1, typed into the released notebook as a participant would.

Answers come from the instructor's source notebook (its solution regions), so the test types the
model answer, never a copy of a score. Expected autograded points are read from the source's test
cells: the participant who answers everything gets all of them, the one who answers q1 and q2 gets
those questions' points only, the one who answers nothing gets zero.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from citybook.paths import ASSIGNMENTS

ASSIGNMENT = "ps1-311-performance"
SOURCE = ASSIGNMENTS / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def _cells() -> list[dict]:
    return json.loads(SOURCE.read_text(encoding="utf-8"))["cells"]


def _meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def answer_cells() -> dict[str, tuple[int, str]]:
    """Each autograded answer cell's grade id -> (index in the notebook, the full model answer)."""
    answers = {}
    for index, cell in enumerate(_cells()):
        meta = _meta(cell)
        if cell["cell_type"] == "code" and meta.get("solution") and not meta.get("grade"):
            lines = "".join(cell["source"]).splitlines()
            answers[meta["grade_id"]] = (
                index,
                "\n".join(line for line in lines if line.strip() not in SOLUTION_MARKERS),
            )
    return answers


def memo_cell() -> int:
    """The index of the memo (a manually graded markdown answer)."""
    return next(
        index for index, cell in enumerate(_cells()) if cell["cell_type"] == "markdown" and _meta(cell).get("solution")
    )


def points_by_test() -> dict[str, float]:
    """Each autograded test cell's grade id -> its points."""
    return {
        _meta(cell)["grade_id"]: float(_meta(cell)["points"])
        for cell in _cells()
        if cell["cell_type"] == "code" and _meta(cell).get("grade") and not _meta(cell).get("solution")
    }


@dataclass(frozen=True)
class Participant:
    """One test participant: which questions they answer (by prefix) and the points that should earn."""

    label: str
    questions: tuple[str, ...]  # e.g. ("q1", "q2"); empty for no answers at all
    memo: str = ""  # the written memo (graded by hand, so it earns no autograded points)

    def answers(self) -> list[tuple[int, str]]:
        """(cell index, text) for each answer this participant types."""
        typed = [
            (index, text)
            for grade_id, (index, text) in answer_cells().items()
            if grade_id.split("-")[0] in self.questions
        ]
        if self.memo:
            typed.append((memo_cell(), self.memo))
        return typed

    def expected_points(self) -> float:
        """The autograded points these answers should earn."""
        return sum(points for grade_id, points in points_by_test().items() if grade_id.split("-")[0] in self.questions)


ALL_QUESTIONS = tuple(sorted({grade_id.split("-")[0] for grade_id in answer_cells()}))
PARTICIPANTS = (
    Participant(
        "correct",
        ALL_QUESTIONS,
        memo="**Headline.** Most requests meet their service level, but the slowest services keep one resident "
        "in ten waiting weeks.",
    ),
    Participant("partial", ("q1", "q2")),
    Participant("blank", ()),
)
