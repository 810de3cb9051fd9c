"""Collecting LMS downloads: matching files to participants, newest wins, never downgrade, originals untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from citybook.course import release
from citybook.course.collect import existing_timestamp, from_downloads
from citybook.course.config import Course
from citybook.course.roster import import_roster
from tests.helpers.cohort import copy_fixture_course

ROSTER = (
    "id,name,city,email\nana,Ana López,Recife,ana@example.org\nben,Ben Okafor,Toronto,ben@example.org\n"
    "cy,Cy Tan,Lima,cy@example.org\ndee,Dee Ramos,Lima,dee@example.org\n"
)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fixture course with its roster imported and its assignment generated (made once)."""
    root = tmp_path_factory.mktemp("collect") / "course"
    copy_fixture_course(root)
    course = Course.open(root)
    (root.parent / "roster.csv").write_text(ROSTER)
    import_roster(course, root.parent / "roster.csv")
    release.generate(course, "permits", due="2030-01-02 00:00 UTC")
    return root


@pytest.fixture
def course(released: Path, tmp_path: Path) -> Course:
    root = tmp_path / "course"
    shutil.copytree(released, root)
    return Course.open(root)


def notebook_bytes(marker: str) -> bytes:
    return (
        '{"cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "' + marker + '"}], '
        '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    ).encode()


def write(folder: Path, relative: str, marker: str, when: datetime) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(notebook_bytes(marker))
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2030, 1, day, hour, tzinfo=UTC)


def submitted_marker(course: Course, student_id: str) -> str:
    return (course.submitted(student_id, "permits") / "permits.ipynb").read_text()


def test_files_are_matched_by_id_email_or_name(course: Course, tmp_path: Path) -> None:
    downloads = tmp_path / "downloads"
    write(downloads, "ana_submission/permits.ipynb", "by id", at(1))
    write(downloads, "okaforben_1234_5678_permits.ipynb", "by name, Canvas style", at(1))
    write(downloads, "cy@example.org/permits.ipynb", "by e-mail", at(1))
    write(downloads, "unknown_person/permits.ipynb", "nobody", at(1))
    write(downloads, "Cy Tan and Dee Ramos/permits.ipynb", "two people", at(1))
    (downloads / "notes.txt").write_text("not a notebook, ignored")
    report = from_downloads(course, "permits", downloads)
    assert sorted(line.split()[0] for line in report.collected) == ["ana", "ben", "cy"]
    assert "by name, Canvas style" in submitted_marker(course, "ben")
    unmatched = "\n".join(report.unmatched)
    assert "unknown_person/permits.ipynb: no participant's id, e-mail or name is in its path" in unmatched
    assert "matches several participants (cy, dee)" in unmatched
    assert report.not_submitted == ["dee"]
    assert "ben: 'okaforben_1234_5678_permits.ipynb' as 'permits.ipynb'" in report.renamed


def test_the_newest_file_wins_and_an_older_one_never_replaces_a_newer(course: Course, tmp_path: Path) -> None:
    first, older, newest = tmp_path / "first", tmp_path / "older", tmp_path / "newest"
    write(first, "ana/permits.ipynb", "second attempt", at(1, 12))
    write(first, "ana/old/permits.ipynb", "first attempt", at(1, 9))
    originals = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in first.rglob("*.ipynb")}
    report = from_downloads(course, "permits", first)
    assert "second attempt" in submitted_marker(course, "ana")
    assert report.duplicates and "ana: 2 files for permits" in report.duplicates[0]

    write(older, "ana/permits.ipynb", "a stale download", at(1, 8))
    report = from_downloads(course, "permits", older)
    assert report.kept and "kept the collected one" in report.kept[0]
    assert "second attempt" in submitted_marker(course, "ana")

    write(newest, "ana/permits.ipynb", "third attempt", at(3))
    report = from_downloads(course, "permits", newest)
    assert report.updated == ["ana (2030-01-03 12:00:00 UTC)"]
    assert "third attempt" in submitted_marker(course, "ana")
    assert existing_timestamp(course.submitted("ana", "permits")) == datetime(2030, 1, 3, 12)
    assert any("ana: submitted 2030-01-03 12:00:00 UTC" in line for line in report.late)
    superseded = list((course.state_dir / "superseded" / "permits" / "ana").glob("*/permits/permits.ipynb"))
    assert [p.read_text().count("second attempt") for p in superseded] == [1]  # nothing is lost
    assert originals == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in first.rglob("*.ipynb")}


def test_a_pattern_names_the_participant_and_the_time(course: Course, tmp_path: Path) -> None:
    downloads = tmp_path / "downloads"
    write(downloads, "ps_ana_20300101T100000.ipynb", "early", at(5))  # file times are ignored here
    write(downloads, "ps_ana_20300101T110000.ipynb", "later", at(4))
    write(downloads, "ps_zed_20300101T110000.ipynb", "not on the roster", at(4))
    report = from_downloads(
        course, "permits", downloads, pattern=r"ps_(?P<student_id>[a-z]+)_(?P<timestamp>\d{8}T\d{6})"
    )
    assert "later" in submitted_marker(course, "ana")
    assert existing_timestamp(course.submitted("ana", "permits")) == datetime(2030, 1, 1, 11)
    assert any("'zed' is not on the roster" in line for line in report.unmatched)
