"""`course release ID --lang es`: the same assignment, its instructions in Spanish, graded the same.

Every assignment is released in English and Spanish, through the `course` command, in a throw-away
copy of the course. The Spanish release must differ from the English one only in its instruction
cells: same cell ids, same code, same graded cells with the same checksums and points; and a
participant's answers score the same whichever language they worked in.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from citybook.course import release
from citybook.course.catalogue import CATALOGUE, copy_data
from citybook.course.config import CONFIG_FILE, Course
from citybook.course.release import release_folder
from citybook.course.release_zips import write_release_zips
from citybook.i18n.notebooks import (
    catalogue_path,
    is_instruction,
    is_message,
    read_translations,
    split_paragraphs,
    translate_notebook,
)
from citybook.paths import ASSIGNMENTS
from tests.helpers.cohort import run_course
from tests.helpers.grading import SOURCE, fill, read_scores, source_dir, submit

IDS = list(CATALOGUE)
ES = "es"
GRADED_ASSIGNMENT = "ps1-311-performance"
VERBATIM = ("$$", "```")  # display formulas and code blocks read the same in every language
# Releasing all seven assignments twice takes a minute or more: `make check` leaves those tests out.
releases = pytest.mark.slow


def _notebook(folder: Path, assignment_id: str) -> dict:
    return json.loads((folder / f"{assignment_id}.ipynb").read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


ENGLISH_GRADEBOOK: dict[str, dict] = {}


def _gradebook_record(course: Path, assignment_id: str) -> dict:
    """What the gradebook knows of an assignment's notebook: each cell's source, checksum, type and points."""
    with Course.open(course).gradebook() as gradebook:
        notebook = gradebook.find_notebook(assignment_id, assignment_id)
        cells = {c.name: (c.source, c.checksum, c.cell_type, c.locked) for c in notebook.source_cells}
        grades = {g.name: (g.max_score, g.cell_type) for g in notebook.grade_cells}
    return {"cells": cells, "grades": grades}


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the course with every assignment released in Spanish (and so in English) to an exchange."""
    root = tmp_path_factory.mktemp("language")
    course = root / "course"
    course.mkdir()
    shutil.copy(ASSIGNMENTS / CONFIG_FILE, course / CONFIG_FILE)
    for assignment_id in IDS:
        (course / "source" / assignment_id).mkdir(parents=True)
        notebook = f"{assignment_id}.ipynb"
        shutil.copy(source_dir(assignment_id) / notebook, course / "source" / assignment_id / notebook)
        copy_data(Course.open(course), assignment_id)
        release.generate(Course.open(course), assignment_id)  # English only: what the gradebook should hold
        ENGLISH_GRADEBOOK[assignment_id] = _gradebook_record(course, assignment_id)
        run_course(
            "release", assignment_id, "--lang", ES, "--exchange", str(root / "exchange"), "--course", str(course)
        )
    return course


def test_paragraphs_rebuild_the_text_and_keep_code_fences_whole() -> None:
    text = "\n# Title\n\nOne.\nStill one.\n\n\n```python\nx = 1\n\ny = 2\n```\n\n| a | b |\n|---|---|\n"
    blocks = split_paragraphs(text)
    assert "".join(block + gap for block, gap in blocks) == text
    assert [b for b, _ in blocks if b] == [
        "# Title",
        "One.\nStill one.",
        "```python\nx = 1\n\ny = 2\n```",
        "| a | b |\n|---|---|",
    ]


@pytest.mark.parametrize("assignment_id", IDS)
def test_every_instruction_of_the_assignment_is_translated(assignment_id: str) -> None:
    english = _notebook(source_dir(assignment_id), assignment_id)
    _, missing = translate_notebook(english, read_translations(catalogue_path(assignment_id, ES), ES))
    assert not missing, f"{len(missing)} paragraphs untranslated (or fuzzy), e.g. {missing[0][:80]!r}"


@releases
@pytest.mark.parametrize("assignment_id", IDS)
def test_spanish_release_has_the_same_cells_tests_and_points(released: Path, assignment_id: str) -> None:
    course = Course.open(released)
    english = _notebook(release_folder(course, assignment_id), assignment_id)
    spanish = _notebook(release_folder(course, assignment_id, ES), assignment_id)
    assert [c.get("id") for c in spanish["cells"]] == [c.get("id") for c in english["cells"]]
    assert [c["cell_type"] for c in spanish["cells"]] == [c["cell_type"] for c in english["cells"]]
    for en, es in zip(english["cells"], spanish["cells"], strict=True):
        if en["cell_type"] == "code" or "nbgrader" in en["metadata"]:
            # nbgrader's metadata holds grade, locked, solution, points and the checksum of the cell.
            assert _source(es) == _source(en), f"cell {en.get('id')} changed in Spanish"
            assert es["metadata"] == en["metadata"], f"cell {en.get('id')}: metadata or checksum differs"
    graded = [c["metadata"]["nbgrader"] for c in spanish["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert graded and all("checksum" in m and "points" in m for m in graded)


@releases
@pytest.mark.parametrize("assignment_id", IDS)
def test_spanish_release_reads_in_spanish(released: Path, assignment_id: str) -> None:
    course = Course.open(released)
    english = _notebook(release_folder(course, assignment_id), assignment_id)
    spanish = _notebook(release_folder(course, assignment_id, ES), assignment_id)
    pairs = [(_source(en), _source(es)) for en, es in zip(english["cells"], spanish["cells"]) if is_instruction(en)]
    assert pairs, "no instruction cells"
    for en, es in pairs:
        kept = [p for p, _ in split_paragraphs(es) if is_message(p) and p in en and not p.startswith(VERBATIM)]
        assert not kept, f"left in English: {kept[0][:80]!r}"
    first = pairs[0][1]
    assert first.startswith("# Tarea ") and "puntos" in " ".join(es for _, es in pairs).lower()


@releases
@pytest.mark.parametrize("assignment_id", IDS)
def test_exchange_holds_the_spanish_release_and_the_gradebook_stays_english(released: Path, assignment_id: str) -> None:
    course = Course.open(released)
    outbound = released.parent / "exchange" / course.course_id / "outbound" / assignment_id
    spanish = release_folder(course, assignment_id, ES)
    assert (outbound / f"{assignment_id}.ipynb").read_bytes() == (spanish / f"{assignment_id}.ipynb").read_bytes()
    # Releasing in Spanish left the gradebook as the English release made it.
    record = _gradebook_record(released, assignment_id)
    assert record["grades"] and record == ENGLISH_GRADEBOOK[assignment_id]


@releases
def test_book_zips_are_the_spanish_releases_under_the_same_names(released: Path, tmp_path: Path) -> None:
    zips = write_release_zips(tmp_path, released, language=ES)
    assert sorted(zips) == sorted(IDS) and all(path.name == f"{a}.zip" for a, path in zips.items())
    course = Course.open(released)
    for assignment_id, path in zips.items():
        with zipfile.ZipFile(path) as archive:
            inside = archive.read(f"{assignment_id}/{assignment_id}.ipynb")
        assert inside == (release_folder(course, assignment_id, ES) / f"{assignment_id}.ipynb").read_bytes()


@pytest.mark.slow
def test_solution_scores_the_same_in_spanish_and_english(released: Path) -> None:
    """The source's answers, filled into each language's release, graded by `course autograde`."""
    assignment_id = GRADED_ASSIGNMENT
    course = Course.open(released)
    notebook = f"{assignment_id}.ipynb"
    source = nbformat.read(released / "source" / assignment_id / notebook, as_version=4)
    table = read_translations(catalogue_path(assignment_id, ES), ES)
    source_es = nbformat.from_dict(translate_notebook(source, table)[0])
    english = nbformat.read(release_folder(course, assignment_id) / notebook, as_version=4)
    spanish = nbformat.read(release_folder(course, assignment_id, ES) / notebook, as_version=4)
    students = {f"{SOURCE}-en": fill(english, source), f"{SOURCE}-es": fill(spanish, source_es)}
    for student, submitted in students.items():
        submit(released, assignment_id, student, submitted)
    run_course("autograde", assignment_id, "--workers", "1", "--force", "--no-progress", "--course", str(released))
    scores = read_scores(released, assignment_id, list(students))
    assert scores[f"{SOURCE}-es"] == scores[f"{SOURCE}-en"]
    autograded = {k: v for k, v in scores[f"{SOURCE}-es"].items() if v[2] == "code"}
    assert autograded and all(auto == most for auto, most, _ in autograded.values()), autograded
    graded = released / "autograded" / f"{SOURCE}-es" / assignment_id / notebook
    assert "# Tarea " in _source(json.loads(graded.read_text(encoding="utf-8"))["cells"][0])
