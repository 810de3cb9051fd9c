"""Rubrics and model memos quote the numbers the source notebook computes, and follow the memo prompt.

assignments/RUBRICS.md gives, per assignment, a "Figures" table: each figure's value and the Python
expression that computes it from the source notebook's answers. These tests run the source answers,
evaluate every expression and compare; then every number written in the rubric section (its rows
and graded example memos) and in the notebook's model memo must be one of those figures, or one of
the few structural numbers a rubric needs (points, word limits, years, "per 1,000"). A model memo
also follows its own rule: no code, no variable names.
"""

from __future__ import annotations

import os
import re

import pytest

from citybook.course.catalogue import CATALOGUE
from citybook.paths import ASSIGNMENTS as COURSE
from tests.assignments.contract import meta, notebook, participate, workdir

IDS = list(CATALOGUE)
RUBRICS = (COURSE / "RUBRICS.md").read_text(encoding="utf-8")
NUMBER = re.compile(r"(?<![\w.])[-+−]?\$?\d[\d,]*(?:\.\d+)?%?")
# Numbers a rubric may use that are not results: points, word limits, years, thresholds the prompt
# itself sets, and small counts of items ("three numbers", "up to five indicators").
STRUCTURAL = {str(n) for n in range(13)} | {
    "200",
    "250",
    "350",
    "400",
    "1,000",
    "100",
    "2022",
    "2023",
    "2024",
    "95%",
    "0.1",
    "1.0",
    "1.25",
    "30",
    "90th",
    "90",
    "06",
    "00",
    "311",
    "15%",
    "28%",
}


def section(assignment_id: str) -> str:
    """The rubric section of one assignment."""
    start = RUBRICS.index(f"## `{assignment_id}`")
    end = RUBRICS.find("\n## `", start + 1)
    return RUBRICS[start : end if end > 0 else None]


def figures(assignment_id: str) -> list[tuple[str, str, str]]:
    """(figure, value, expression) rows of the section's Figures table."""
    table = section(assignment_id).split("**Figures**", 1)[1].split("**Graded examples**", 1)[0]
    return [
        (name.strip(), value.strip(), expression.strip())
        for name, value, expression in re.findall(r"^\| (.+?) \| (.+?) \| `(.+)` \|$", table, flags=re.M)
    ]


@pytest.fixture(scope="module")
def namespaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Each assignment's source answers, run as a participant would."""
    out = {}
    here = os.getcwd()
    for assignment_id in IDS:
        folder = workdir(assignment_id, tmp_path_factory.mktemp(assignment_id))
        os.chdir(folder)
        try:
            out[assignment_id] = participate(assignment_id)[0]
        finally:
            os.chdir(here)
    return out


def memo_cell(assignment_id: str):
    return next(c for c in notebook(assignment_id).cells if c.cell_type == "markdown" and meta(c).get("grade"))


def prompt_items(assignment_id: str) -> list[str]:
    """The numbered items of the memo prompt (the markdown cell just before the memo cell)."""
    cells = notebook(assignment_id).cells
    index = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and meta(c).get("grade"))
    return re.findall(r"^(\d+)\. \*\*", cells[index - 1].source, flags=re.M)


def numbers(text: str) -> set[str]:
    found = set()
    for token in NUMBER.findall(text):
        token = token.rstrip(",.")
        found.add(token.replace("−", "-"))
    return found


def allowed(assignment_id: str) -> set[str]:
    values = " ".join(value for _, value, _ in figures(assignment_id))
    allow = numbers(values) | STRUCTURAL
    allow |= {n.lstrip("+-$") for n in allow} | {n.rstrip("%") for n in allow}
    return allow


@pytest.mark.parametrize("assignment_id", IDS)
def test_rubric_figures_are_what_the_source_computes(namespaces, assignment_id: str) -> None:
    rows = figures(assignment_id)
    assert len(rows) >= 5, "each rubric lists the figures it quotes"
    wrong = {}
    for name, value, expression in rows:
        got = str(eval(expression, dict(namespaces[assignment_id])))  # noqa: S307 (instructor-written expressions)
        if got != value:
            wrong[name] = (value, got)
    assert not wrong, f"rubric figures that differ from the source notebook (written, computed): {wrong}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_rubric_and_model_memo_quote_only_computed_numbers(assignment_id: str) -> None:
    allow = allowed(assignment_id)
    text = section(assignment_id).split("**Figures**", 1)
    rubric_text = text[0] + text[1].split("**Graded examples**", 1)[1]
    stray = {n for n in numbers(rubric_text) if n.lstrip("+-$").rstrip("%") not in allow and n not in allow}
    assert not stray, f"numbers in the rubric or its examples that are not in its Figures table: {sorted(stray)}"
    memo = memo_cell(assignment_id).source
    stray = {n for n in numbers(memo) if n.lstrip("+-$").rstrip("%") not in allow and n not in allow}
    assert not stray, f"numbers in the model memo that are not in the rubric's Figures table: {sorted(stray)}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_model_memo_follows_the_no_code_rule(assignment_id: str) -> None:
    memo = memo_cell(assignment_id).source
    assert "`" not in memo, "the model memo names variables or code; write the numbers in words"
    assert "placeholder" not in memo.lower() and "(from `" not in memo


@pytest.mark.parametrize("assignment_id", IDS)
def test_rubric_has_a_row_per_prompt_item_and_adds_up(assignment_id: str) -> None:
    """One row per item the memo prompt asks for, a writing row, levels, and the memo's points in total."""
    text = section(assignment_id)
    table = text.split("**Figures**", 1)[0]
    rows = re.findall(r"^\| (\d+)\. .+? \| (\d+) \| .+ \| .+ \| .+ \|$", table, flags=re.M)
    writing = re.findall(r"^\| Writing \| (\d+) \|", table, flags=re.M)
    assert [n for n, _ in rows] == prompt_items(assignment_id), "rubric rows should follow the memo prompt's items"
    assert len(writing) == 1, "one Writing row"
    points = meta(memo_cell(assignment_id))["points"]
    assert sum(int(p) for _, p in rows) + int(writing[0]) == points, "the rows' points add up to the memo's points"
    assert "| Full | Partial | None |" in table, "described levels for every row"
    assert text.count("*Strong (") == 1 and text.count("*Middling (") == 1, "two graded example memos"


@pytest.mark.parametrize("assignment_id", IDS)
def test_graded_examples_add_up(assignment_id: str) -> None:
    """Each graded example's stated total equals the sum of its row marks listed after it."""
    examples = section(assignment_id).split("**Graded examples**", 1)[1]
    for label, total, rest in re.findall(
        r"\*(Strong|Middling) \((\d+)/\d+\)\.\*(.+?)(?=\n\*|\Z)", examples, flags=re.S
    ):
        comment = re.sub(r"\([^)]*\)", "", rest.split('"')[-1])
        marks = re.findall(r"(?<![\d.])(\d+)(?!\d|\.\d|%)", comment)
        assert sum(int(m) for m in marks) == int(total), f"{label} example: marks {marks} do not add up to {total}"


def test_rubrics_file_states_the_rules() -> None:
    assert "never against other memos" in RUBRICS and "half points" not in RUBRICS.replace("no half points", "")
    assert "Memos built on wrong numbers" in RUBRICS


def test_ps7_prompt_and_rubric_raise_the_recount_risk() -> None:
    """ps7's memo prompt and rubric both raise the records-versus-table privacy question."""
    prompt = notebook("ps7-data-quality").cells
    text = "\n".join(c.source for c in prompt if c.cell_type == "markdown")
    assert "rule 8" in text and "recount" in section("ps7-data-quality")
