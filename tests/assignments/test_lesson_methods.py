"""The checks grade what the question asks, the way the grading contract runs them.

Each test runs an assignment in-process as the contract does (tests/assignments/contract.py):
participant cells first, then only their plain-data values, the locked instructor cells and every
test cell in a fresh namespace. So these tests prove, next to the nbgrader runs of
test_assignments.py:

- a participant who follows the lesson (its own functions and steps) earns every autograded point;
- the source answers earn every point when only plain values reach the checks;
- answers rounded to three decimal places still earn every point (the notebooks ask for full
  precision but say the checks accept rounding);
- every wrong answer in assignments/wrong_answers/ loses exactly the items it names;
- every assert in every test cell says in plain words what was expected, and no check calls
  anything the participant defined.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from citybook.course.catalogue import CATALOGUE
from tests.assignments.contract import answers_of, grade, meta, notebook, workdir
from tests.assignments.lesson_answers import LESSON_ANSWERS
from tests.helpers.grading import wrong_answers

# Runs every assignment's solution, the lessons' methods and each wrong answer in-process (about 80 s).
pytestmark = pytest.mark.slow

IDS = list(CATALOGUE)
WRONG = [(a, w) for a in IDS for w in wrong_answers(a)]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder per assignment holding its data, as the release does."""
    return {a: workdir(a, tmp_path_factory.mktemp(a)) for a in IDS}


def failed(outcomes) -> dict[str, str]:
    return {k: o.message for k, o in outcomes.items() if not o.passed}


def test_every_assignment_has_lesson_answers() -> None:
    """Every answer cell of every assignment has a lesson-method answer."""
    for assignment_id in IDS:
        assert set(LESSON_ANSWERS[assignment_id]()) == set(answers_of(assignment_id)), assignment_id


@pytest.mark.parametrize("assignment_id", IDS)
def test_lesson_method_scores_full_marks(folders, assignment_id: str) -> None:
    """A participant who applies the lesson's own method to each part loses nothing."""
    lost = failed(grade(assignment_id, folders[assignment_id], LESSON_ANSWERS[assignment_id]()))
    assert not lost, f"the lesson's method loses points on {lost}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_source_scores_full_marks_with_plain_values_only(folders, assignment_id: str) -> None:
    """The checks need nothing but plain data from the participant's cells."""
    lost = failed(grade(assignment_id, folders[assignment_id]))
    assert not lost, f"the source answers lose points under the grading contract: {lost}"


def assigned_names(code: str) -> list[str]:
    """Top-level names a cell assigns."""
    names = []
    for node in ast.parse(code).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AugAssign | ast.AnnAssign)
            else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


@pytest.mark.parametrize(
    "assignment_id", [a for a in IDS if a != "ps7-data-quality"]
)  # ps7 counts rows: nothing to round
def test_answers_rounded_to_three_places_score_full_marks(folders, assignment_id: str) -> None:
    """A manager who keeps three decimal places does not lose points to the checks' tolerance."""
    lost = failed(grade(assignment_id, folders[assignment_id], round_to=3))
    assert not lost, f"answers rounded to three places lose points on {lost}"


@pytest.mark.parametrize(("assignment_id", "wrong"), WRONG, ids=[f"{a}-{w.name}" for a, w in WRONG])
def test_wrong_answer_loses_its_items_under_the_contract(folders, assignment_id: str, wrong) -> None:
    """Each plausible mistake loses exactly the items it names, with a message saying what was expected."""
    text = answers_of(assignment_id)[wrong.cell]
    for old, new in wrong.replace:
        assert old in text, f"{wrong.name}: {old!r} is no longer in {wrong.cell}"
        text = text.replace(old, new)
    outcomes = grade(assignment_id, folders[assignment_id], {wrong.cell: text})
    lost = failed(outcomes)
    kept = sorted(set(wrong.loses) - set(lost))
    extra = sorted(set(lost) - set(wrong.loses))
    assert not kept, f"{wrong.name}: still full marks on {kept}"
    assert not extra, f"{wrong.name}: also loses {extra}: {[lost[k] for k in extra]}"
    assert all(len(message) > 20 for message in lost.values()), (
        f"{wrong.name}: a check failed without saying why: {lost}"
    )


def check_cells(assignment_id: str):
    for cell in notebook(assignment_id).cells:
        if cell.cell_type == "code" and meta(cell).get("grade") and not meta(cell).get("solution"):
            yield meta(cell)["grade_id"], cell.source


@pytest.mark.parametrize("assignment_id", IDS)
def test_every_check_says_what_was_expected(assignment_id: str) -> None:
    """No assert in a test cell, visible or hidden, ends in a bare AssertionError."""
    bare = {}
    for grade_id, source in check_cells(assignment_id):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assert) and node.msg is None:
                bare.setdefault(grade_id, []).append(ast.unparse(node.test)[:80])
    assert not bare, f"asserts without a message: {bare}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_checks_call_nothing_the_participant_defined(assignment_id: str) -> None:
    """No check calls a function an answer cell defines, or a method of a participant's object."""
    assigned = set()
    for code in answers_of(assignment_id).values():
        tree = ast.parse(code)
        assigned |= set(assigned_names(code)) | {
            n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)
        }
    calls = {}
    for grade_id, source in check_cells(assignment_id):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in assigned:
                calls.setdefault(grade_id, []).append(node.func.id)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
            ):
                if node.func.value.id in assigned and node.func.attr not in PLAIN_METHODS:
                    calls.setdefault(grade_id, []).append(f"{node.func.value.id}.{node.func.attr}")
    assert not calls, f"checks call participant objects: {calls}"
    assert "TopLevelMixin" not in "".join(s for _, s in check_cells(assignment_id)), "examine charts only via to_dict()"


# Methods of plain data (pandas, numpy, lists, dicts) a check may call on a participant's value.
PLAIN_METHODS = {
    "to_dict",
    "loc",
    "set_index",
    "drop_duplicates",
    "assign",
    "groupby",
    "isna",
    "notna",
    "astype",
    "isin",
    "sum",
    "mean",
    "min",
    "max",
    "all",
    "any",
    "copy",
    "reset_index",
    "sort_values",
    "to_numpy",
    "equals",
    "get",
    "items",
    "keys",
    "values",
    "round",
    "unique",
    "nunique",
    "tolist",
    "fillna",
    "eq",
    "ne",
    "lt",
    "gt",
    "between",
    "str",
    "dt",
    "duplicated",
}
