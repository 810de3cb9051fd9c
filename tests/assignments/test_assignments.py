"""The graded assignments grade correctly: read through nbgrader's gradebook, never its exit codes.

Each assignment is released and graded once, in a throw-away copy of the course, with several fake
participants in one autograde run: the source answers (full marks), the blank release (zero) and
each wrong answer in assignments/wrong_answers/ (loses exactly the items it names). Assignments
are graded two at a time in worker processes (CITYBOOK_GRADING_WORKERS to change).
"""

from __future__ import annotations

import ast
import multiprocessing
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from citybook.course.catalogue import CATALOGUE
from citybook.course.release_zips import write_release_zips, write_zip
from citybook.paths import ASSIGNMENTS as COURSE
from citybook.paths import BOOK
from tests.helpers.grading import (
    BLANK,
    MARKERS,
    SOURCE,
    Graded,
    autograded_notebook,
    grade_assignment,
    release_dir,
    secret_regions,
    source_dir,
    wrong_answers,
)

IDS = list(CATALOGUE)
WRONG = [(a, w) for a in IDS for w in wrong_answers(a)]
SHORTEST_SECRET = 12  # shorter lines ("return out", "plt.show()") may legitimately appear in the release


def source_notebook(assignment_id: str) -> nbformat.NotebookNode:
    """The instructor's notebook."""
    return nbformat.read(source_dir(assignment_id) / f"{assignment_id}.ipynb", as_version=4)


def nbgrader_cells(nb: nbformat.NotebookNode) -> list[dict]:
    """nbgrader metadata of every cell that has it."""
    return [c.metadata["nbgrader"] for c in nb.cells if "nbgrader" in c.metadata]


@pytest.fixture(scope="session")
def grading(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future]]:
    """Every assignment's grading run, started in worker processes at the first test that needs one."""
    workers = int(os.environ.get("CITYBOOK_GRADING_WORKERS", "2"))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    futures = {a: pool.submit(grade_assignment, a, tmp_path_factory.mktemp(a)) for a in IDS}
    yield futures
    pool.shutdown(cancel_futures=True)


def graded(grading: dict[str, Future], assignment_id: str) -> Graded:
    """Wait for one assignment's grading run."""
    return grading[assignment_id].result()


# --- structure: checked on the source notebooks, no grading needed ------------------------------


@pytest.mark.parametrize("assignment_id", IDS)
def test_notebook_metadata_is_valid(assignment_id: str) -> None:
    """nbformat and nbgrader (schema v3) accept every cell; grade ids are unique."""
    nb = source_notebook(assignment_id)
    nbformat.validate(nb)
    MetadataValidator().validate_nb(nb)
    ids = [m["grade_id"] for m in nbgrader_cells(nb)]
    assert len(ids) == len(set(ids)), f"duplicate grade ids: {sorted(i for i in ids if ids.count(i) > 1)}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_notebook_has_the_promised_shape(assignment_id: str) -> None:
    """8-15 autograded items, at least one manually graded memo, one title, and the fiction stated."""
    nb = source_notebook(assignment_id)
    cells = nbgrader_cells(nb)
    tests = [m for m in cells if m.get("grade") and not m.get("solution")]
    memos = [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")]
    assert 8 <= len(tests) <= 15, f"{len(tests)} autograded items"
    assert memos and all(c.metadata["nbgrader"]["solution"] and c.metadata["nbgrader"]["points"] > 0 for c in memos)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert len(re.findall(r"^# ", text, flags=re.M)) == 1, "one H1 title"
    assert "fictional" in text and "Lesson:" in text and "What Works Cities" in text


@pytest.mark.parametrize("assignment_id", IDS)
def test_points_table_matches_the_cells(assignment_id: str) -> None:
    """The points table at the top gives each part the points of its graded cells (qN-..., the memo last)."""
    nb = source_notebook(assignment_id)
    header = nb.cells[0].source
    table = {int(n): int(p) for n, p in re.findall(r"^\| (\d+) \| .+? \| (\d+) \|$", header, flags=re.M)}
    cells: dict[int, float] = {}
    for meta in nbgrader_cells(nb):
        if meta.get("grade"):
            part = re.match(r"q(\d+)-", meta["grade_id"])
            key = int(part.group(1)) if part else max(table)
            cells[key] = cells.get(key, 0) + meta["points"]
    assert table == cells
    assert f"| | **Total** | **{sum(cells.values()):g}** |" in header


@pytest.mark.parametrize("assignment_id", IDS)
def test_notebook_runs_with_requirements_alone_and_local_data(assignment_id: str) -> None:
    """No project imports; every file read is listed in the manifest and sits next to the notebook."""
    code = "\n".join(c.source for c in source_notebook(assignment_id).cells if c.cell_type == "code")
    assert "citybook" not in code
    for module in re.findall(r"^\s*(?:import|from)\s+(\w+)", code, flags=re.M):
        assert module in {"pandas", "numpy", "scipy", "altair", "ipywidgets", "math", "json", "re", "datetime"}, module
    read = set(re.findall(r"""read_\w+\(\s*["']([^"']+)["']""", code)) | set(
        re.findall(r"""open\(\s*["']([^"']+)["']""", code)
    )
    written = set(re.findall(r"""to_csv\(\s*["']([^"']+)["']""", code))
    assert read, "the notebook reads its data"
    assert all("/" not in name and "\\" not in name for name in read | written), (
        "data is read from the notebook's own folder"
    )
    missing = read - written - set(CATALOGUE[assignment_id].data)
    assert not missing, f"read but not in the manifest: {missing}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_book_page_matches_the_notebook(assignment_id: str) -> None:
    """The book's page gives the notebook's total points and links the download zip."""
    page = (BOOK / "assignments" / f"{assignment_id}.md").read_text(encoding="utf-8")
    total = sum(m["points"] for m in nbgrader_cells(source_notebook(assignment_id)) if m.get("grade"))
    assert f"**Points:** {total:g}." in page and f"| | **Total** | **{total:g}** |" in page
    assert f"<../generated/assignments/{assignment_id}.zip>" in page
    assert f"{{doc}}`{assignment_id}`" in (BOOK / "assignments" / "index.md").read_text(encoding="utf-8")


def test_cleaning_rules_match_the_generator() -> None:
    """ps7 states the raw export's rules as constants; they must be the generator's own."""
    from citybook.city import raw_export, service_requests, truth

    setup = next(
        c.source
        for c in source_notebook("ps7-data-quality").cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
    )
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(setup).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.isupper()
        and not isinstance(node.value, ast.Call)
    }
    assert constants["ALIASES"] == raw_export.ALIASES
    assert tuple(constants["STAFF_TEST_ADDRESSES"]) == raw_export.STAFF_TEST_ADDRESSES
    assert tuple(constants["UTC_BATCHES"]) == raw_export.UTC_BATCHES
    assert constants["UTC_OFFSET_HOURS"] == truth.UTC_OFFSET_HOURS
    assert constants["PUBLISHED_COLUMNS"] == service_requests.TABLE.columns
    assert tuple(constants["TIMES"]) == raw_export.DATETIME_COLUMNS


@pytest.mark.parametrize("assignment_id", IDS)
def test_every_memo_has_a_rubric(assignment_id: str) -> None:
    """assignments/RUBRICS.md names every manually graded cell of the assignment."""
    rubrics = (COURSE / "RUBRICS.md").read_text(encoding="utf-8")
    memos = [
        m["grade_id"] for m in nbgrader_cells(source_notebook(assignment_id)) if m.get("grade") and m.get("solution")
    ]
    for grade_id in memos:
        assert f"`{assignment_id}` / `{grade_id}`" in rubrics, f"no rubric for {grade_id}"


@pytest.mark.parametrize(("assignment_id", "wrong"), WRONG, ids=[f"{a}-{w.name}" for a, w in WRONG])
def test_wrong_answer_is_well_formed(assignment_id: str, wrong) -> None:
    """Each wrong answer edits an answer cell and names real autograded items."""
    cells = {m["grade_id"]: m for m in nbgrader_cells(source_notebook(assignment_id))}
    assert cells[wrong.cell].get("solution") and not cells[wrong.cell].get("grade")
    assert wrong.loses and all(cells[item].get("grade") and not cells[item].get("solution") for item in wrong.loses)


@pytest.mark.parametrize("assignment_id", IDS)
def test_at_least_three_different_wrong_answers(assignment_id: str) -> None:
    """Three or more plausible mistakes, each a different edit (not one mistake listed again)."""
    wrong = wrong_answers(assignment_id)
    assert len({w.name for w in wrong}) == len(wrong), [w.name for w in wrong]
    assert len({(w.cell, w.replace) for w in wrong}) == len(wrong), "two wrong answers make the same edit"
    assert len(wrong) >= 3, f"{assignment_id}: {len(wrong)} wrong answers; the course promises at least three"


# --- grading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("assignment_id", IDS)
def test_source_scores_full_marks(grading, assignment_id: str) -> None:
    """The instructor's answers, submitted as a participant's, earn every autograded point."""
    result = graded(grading, assignment_id)
    lost = {k: v for k, v in result.autograded(SOURCE).items() if v[0] != v[1]}
    assert not lost, f"the source answers lose points on {lost}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_blank_release_scores_zero(grading, assignment_id: str) -> None:
    """The untouched release is graded without a crash and earns nothing, memo included."""
    scores = graded(grading, assignment_id).scores[BLANK]
    earned = {k: a for k, (a, _, _) in scores.items() if a}
    assert not earned, f"the blank notebook earns points on {earned}"


@pytest.mark.parametrize(("assignment_id", "wrong"), WRONG, ids=[f"{a}-{w.name}" for a, w in WRONG])
def test_wrong_answer_loses_exactly_its_items(grading, assignment_id: str, wrong) -> None:
    """A plausible mistake loses points on the items it gets wrong, and only there."""
    scores = graded(grading, assignment_id).autograded(f"wrong-{wrong.name}")
    kept = [item for item in wrong.loses if scores[item][0] >= scores[item][1]]
    assert not kept, f"{wrong.name}: still full marks on {kept}"
    lost = {k: v for k, v in scores.items() if k not in wrong.loses and v[0] < v[1]}
    assert not lost, f"{wrong.name}: also loses {lost}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_correct_answers_pass_every_visible_check(grading, assignment_id: str) -> None:
    """Run as a participant would (no hidden tests, no nbgrader), the right answers raise nothing."""
    failures = graded(grading, assignment_id).participant_failures
    assert not failures, f"cells that fail for a participant with the right answers: {failures}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_nothing_writes_to_stderr(grading, assignment_id: str) -> None:
    """No cell of the graded source notebook prints a warning (stderr zeroes a test cell)."""
    nb = autograded_notebook(graded(grading, assignment_id), SOURCE)
    noisy = [
        c.metadata.get("nbgrader", {}).get("grade_id", i)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and any(o.output_type == "stream" and o.name == "stderr" for o in c.outputs)
    ]
    assert not noisy, f"cells writing to stderr: {noisy}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_release_and_zip_hold_no_solution_or_hidden_test(grading, assignment_id: str) -> None:
    """No line of a solution, hidden test or mark scheme reaches the participant's notebook or zip."""
    result = graded(grading, assignment_id)
    source = source_notebook(assignment_id)
    public = "\n".join(
        line for c in source.cells for line in c.source.split("\n") if line not in secret_regions(c.source)
    )
    secrets = {line.strip() for c in source.cells for line in secret_regions(c.source)}
    secrets = {s for s in secrets if len(s) >= SHORTEST_SECRET and s not in public}
    assert secrets, "the source notebook has solutions and hidden tests"
    with zipfile.ZipFile(result.zip_path) as archive:
        names = sorted(archive.namelist())
        texts = {n: archive.read(n).decode("utf-8", errors="replace") for n in names if n.endswith(".ipynb")}
    folder = release_dir(assignment_id, result.course)
    texts[str(folder)] = (folder / f"{assignment_id}.ipynb").read_text(encoding="utf-8")
    for where, text in texts.items():
        cells = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        leaked = sorted(s for s in secrets if s in cells)
        assert not leaked, f"{where} shows: {leaked[:5]}"
        assert not any(m in text for m in MARKERS), f"{where} keeps an nbgrader marker"
    expected = sorted(f"{assignment_id}/{n}" for n in [f"{assignment_id}.ipynb", *CATALOGUE[assignment_id].data])
    assert names == expected, "the zip holds the notebook and its data, nothing else (no rubric, no manifest)"


@pytest.mark.parametrize("assignment_id", IDS)
def test_zip_is_byte_for_byte_reproducible(grading, assignment_id: str, tmp_path: Path) -> None:
    result = graded(grading, assignment_id)
    again = write_zip(release_dir(assignment_id, result.course), tmp_path / "again.zip")
    assert again.read_bytes() == result.zip_path.read_bytes()


def test_write_release_zips_releases_what_is_missing(tmp_path: Path) -> None:
    """The book build's entry point: a course with no release gets one zip per assignment, reproducibly."""
    course = tmp_path / "course"
    shutil.copytree(
        COURSE / "source", course / "source", ignore=shutil.ignore_patterns("*.csv", "*.csv.gz", "*.geojson", "*.json")
    )
    shutil.copy(COURSE / "nbgrader_config.py", course / "nbgrader_config.py")
    first = write_release_zips(tmp_path / "zips", course)
    assert sorted(first) == sorted(IDS) and all(p.is_file() for p in first.values())
    again = write_release_zips(tmp_path / "again", course)
    assert all(first[a].read_bytes() == again[a].read_bytes() for a in IDS)
