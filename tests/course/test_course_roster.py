"""The roster: bad files are refused with the rows named and nothing changed; re-imports keep grades."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from citybook.course.config import Course
from citybook.course.errors import CourseError
from citybook.course.roster import import_roster, load_roster, parse_roster
from tests.helpers.cohort import copy_fixture_course

GOOD = "id,name,city,email\nana,Ana López,Recife,ana@example.org\nben,Ben Okafor,Toronto,ben@example.org\n"


@pytest.fixture(scope="module")
def empty_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course with an empty gradebook, made once (creating a gradebook runs alembic, which is slow)."""
    root = tmp_path_factory.mktemp("roster") / "course"
    copy_fixture_course(root, "source")
    with Course.open(root).gradebook():
        pass
    return root


@pytest.fixture
def course(empty_course: Path, tmp_path: Path) -> Course:
    return Course.open(shutil.copytree(empty_course, tmp_path / "course"))


def refusal(text: str) -> CourseError:
    with pytest.raises(CourseError) as caught:
        parse_roster(text, "roster.csv")
    return caught.value


def test_missing_columns_are_named() -> None:
    error = refusal("id,name\nana,Ana\n")
    assert error.where == "roster.csv, line 1"
    assert "missing the columns city, email" in error.what


def test_every_bad_row_is_named_with_its_line() -> None:
    error = refusal(
        "id,name,city,email\n"
        "ana,Ana,Recife,ana@example.org\n"
        "ana lópez,Ana L,Recife,al@example.org\n"  # a space cannot be in a folder name nbgrader uses
        "ben+1,Ben,Toronto,ben@example.org\n"  # '+' splits exchange file names
        "ANA,Ana Again,Recife,ana2@example.org\n"  # clashes with 'ana' on case-insensitive disks
        "cy,,Recife,cy@example.org\n"
        "dee,Dee,Lima,not-an-email\n"
    )
    assert "5 rows of the roster cannot be imported; nothing was changed" in error.what
    assert [d.split(":")[0] for d in error.details] == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "cannot be a folder name" in error.details[0] and "'ana lópez'" in error.details[0]
    assert "already used on line 2" in error.details[2]
    assert "the name is empty" in error.details[3]
    assert "not an e-mail address" in error.details[4]


def test_a_bad_file_changes_nothing(course: Course, tmp_path: Path) -> None:
    (tmp_path / "good.csv").write_text(GOOD)
    import_roster(course, tmp_path / "good.csv")
    (tmp_path / "bad.csv").write_text(GOOD + "ana,Ana Twice,Recife,a2@example.org\n")
    with pytest.raises(CourseError):
        import_roster(course, tmp_path / "bad.csv")
    assert load_roster(course)["ana"].name == "Ana López"


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's own add_submission
def test_reimporting_updates_details_and_keeps_grades(course: Course, tmp_path: Path) -> None:
    (tmp_path / "first.csv").write_text(GOOD)
    import_roster(course, tmp_path / "first.csv")
    with Gradebook(course.db_url, course.course_id) as gradebook:
        gradebook.add_assignment("ps1")
        gradebook.add_submission("ps1", "ana")
    (tmp_path / "second.csv").write_text(
        "id,name,city,email\nana,Ana María López,Recife,ana@city.example\ncy,Cy Tan,Lima,cy@example.org\n"
    )
    change = import_roster(course, tmp_path / "second.csv")
    assert (change.added, change.updated, change.kept) == (["cy"], ["ana"], ["ben"])
    with Gradebook(course.db_url, course.course_id) as gradebook:
        ana = gradebook.find_student("ana")
        assert (ana.first_name, ana.last_name, ana.email) == ("Ana María", "López", "ana@city.example")
        assert [s.assignment.name for s in ana.submissions] == ["ps1"]
        assert {s.id for s in gradebook.students} == {"ana", "ben", "cy"}
    assert sorted(load_roster(course)) == ["ana", "ben", "cy"]
