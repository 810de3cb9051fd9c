"""Run an assignment's checks the way the grading contract decides grades, without nbgrader.

The contract (see the course tools): a participant's cells run in their own process; only the plain
data values their answer cells assign (numbers, text, booleans, None, lists, dicts, numpy arrays,
pandas Series and DataFrames, and a chart's `to_dict()`) reach a fresh process, where the locked
instructor cells (imports, data loading) and then every test cell run. So a test cell may use only
names from locked cells and plain values: never a function or object the participant made.

`grade(assignment_id, answers)` does exactly that in-process and returns each test cell's outcome. It
is a fast companion to the nbgrader runs of test_assignments.py, used to prove that each lesson's own
method earns full marks and that the checks never reach into participant code.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd

from citybook.course.catalogue import copy_data
from citybook.course.config import Course
from citybook.paths import ASSIGNMENTS as COURSE

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def notebook(assignment_id: str) -> nbformat.NotebookNode:
    """The instructor's source notebook."""
    return nbformat.read(Course.open(COURSE).source_dir(assignment_id) / f"{assignment_id}.ipynb", as_version=4)


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def solution_code(source: str) -> str:
    """A solution cell as a participant would type it: the markers removed."""
    return "\n".join(line for line in source.split("\n") if line.strip() not in SOLUTION_MARKERS)


def answers_of(assignment_id: str) -> dict[str, str]:
    """The source notebook's code answers, by grade id."""
    return {
        meta(c)["grade_id"]: solution_code(c.source)
        for c in notebook(assignment_id).cells
        if c.cell_type == "code" and meta(c).get("solution")
    }


class ChartSpec:
    """What reaches the grading process for a chart: its Vega-Lite dictionary, nothing callable else."""

    def __init__(self, spec: dict) -> None:
        self._spec = spec

    def to_dict(self) -> dict:
        return json.loads(json.dumps(self._spec))


def plain(value, depth: int = 0):
    """The value as plain data, or raise TypeError if it is not plain data."""
    if depth > 6:
        raise TypeError("too deeply nested")
    if value is None or isinstance(value, (bool, int, float, str, np.generic, pd.Timestamp, pd.Timedelta)):
        return value
    if isinstance(value, np.ndarray) and value.dtype != object:
        return value.copy()
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return value.copy(deep=True)
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return {plain(k, depth + 1): plain(v, depth + 1) for k, v in value.items()}
    if type(value).__module__.startswith("altair") and hasattr(value, "to_dict"):
        return ChartSpec(value.to_dict())
    raise TypeError(type(value).__name__)


@dataclass
class Outcome:
    """One test cell: passed, or the plain-words message of the check that failed."""

    grade_id: str
    points: float
    passed: bool
    message: str = ""


def _run(code: str, namespace: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would reach stderr and zero a test cell in nbgrader
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, "<cell>", "exec"), namespace)  # noqa: S102


def workdir(assignment_id: str, root: Path) -> Path:
    """A folder holding the assignment's data files, as the release does."""
    course = root / "course"
    source = Course.open(COURSE).source_dir(assignment_id)
    target = course / "source" / assignment_id
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(COURSE / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copy(source / f"{assignment_id}.ipynb", target)
    copy_data(Course.open(course), assignment_id)
    return target


def rounded(value, places: int):
    """A plain value with every float rounded to `places` decimals (what a participant who rounds hands in)."""
    if isinstance(value, float | np.floating) and not isinstance(value, bool):
        return round(float(value), places)
    if isinstance(value, pd.Series):
        return value.round(places) if pd.api.types.is_float_dtype(value) else value
    if isinstance(value, pd.DataFrame):
        return value.apply(lambda column: rounded(column, places))
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.round(places)
    if isinstance(value, dict):
        return {k: rounded(v, places) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v, places) for v in value]
    return value


def participate(assignment_id: str, answers: dict[str, str] | None = None) -> tuple[dict, set[str], set[str]]:
    """The participant's process, in the current folder: every code cell in order, `answers` in place of the
    solutions. Returns the namespace, the names answer cells assigned, and the names locked cells assigned."""
    code = answers_of(assignment_id) | (answers or {})
    participant: dict = {}
    locked_names: set[str] = set()
    assigned: set[str] = set()
    for cell in notebook(assignment_id).cells:
        m = meta(cell)
        if cell.cell_type != "code" or m.get("grade"):
            continue
        before = {k: id(v) for k, v in participant.items()}
        if m.get("solution"):
            _run(code[m["grade_id"]], participant)
            assigned |= {k for k, v in participant.items() if before.get(k) != id(v)}
        elif m.get("locked"):
            _run(cell.source, participant)
            locked_names |= {k for k, v in participant.items() if before.get(k) != id(v)}
        else:
            with contextlib.suppress(Exception):
                _run(cell.source, participant)  # ungraded helper cells (charts to look at)
    return participant, assigned, locked_names


def grade(
    assignment_id: str, folder: Path, answers: dict[str, str] | None = None, round_to: int | None = None
) -> dict[str, Outcome]:
    """Run `answers` (grade id -> code; the source's by default) as a participant, then grade by the contract.

    With `round_to`, every float handed to the checks is first rounded to that many decimals.
    """
    import os

    nb = notebook(assignment_id)
    here = os.getcwd()
    os.chdir(folder)
    try:
        participant, assigned, locked_names = participate(assignment_id, answers)
        handed = {}
        for name in sorted(assigned - locked_names):
            with contextlib.suppress(TypeError):
                handed[name] = plain(participant[name])
                if round_to is not None:
                    handed[name] = rounded(handed[name], round_to)
        # 2. The grading process: locked cells afresh, the plain values, then every test cell.
        grading: dict = {}
        for cell in nb.cells:
            m = meta(cell)
            if cell.cell_type == "code" and m.get("locked") and not m.get("grade") and not m.get("solution"):
                _run(cell.source, grading)
        grading.update(handed)
        outcomes = {}
        for cell in nb.cells:
            m = meta(cell)
            if cell.cell_type != "code" or not m.get("grade") or m.get("solution"):
                continue
            try:
                _run(cell.source, grading)
                outcomes[m["grade_id"]] = Outcome(m["grade_id"], m["points"], True)
            except AssertionError as error:
                outcomes[m["grade_id"]] = Outcome(m["grade_id"], m["points"], False, str(error))
            except Exception as error:  # noqa: BLE001
                outcomes[m["grade_id"]] = Outcome(m["grade_id"], m["points"], False, f"{type(error).__name__}: {error}")
        return outcomes
    finally:
        os.chdir(here)
        for name in ("service_requests_clean.csv", "data_dictionary.csv", "requests_by_neighborhood_2024.csv"):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
