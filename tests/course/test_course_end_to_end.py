"""A synthetic cohort through the whole course cycle: roster, release, collect, autograde, feedback,
grades and report, with good, partial, wrong and hostile submissions graded in one run."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.helpers import cohort
from tests.helpers.cohort import copy_fixture_course, run_course

pytestmark = [pytest.mark.slow, pytest.mark.grading]  # whole cohorts graded through nbgrader

PEOPLE = {p.id: p for p in cohort.cohort()}
DUE = "2030-01-02 00:00 UTC"
ON_TIME = (2030, 1, 1, 12, 0, 0)
LATE = (2030, 1, 3, 12, 0, 0)
EARLIER_DRAFT = (2030, 1, 1, 9, 0, 0)


def tree_hashes(folder: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under a folder."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def lms_download(zips: Path, target: Path) -> Path:
    """Build the zip an LMS gives the instructor: one folder per participant (Moodle-style names)."""
    scratch = target.parent / "work"
    with zipfile.ZipFile(target, "w") as download:
        for number, who in enumerate(PEOPLE.values(), start=1):
            with zipfile.ZipFile(zips / f"{cohort.ASSIGNMENT}-{who.id}.zip") as mine:
                released = scratch / who.id / "released.ipynb"
                released.parent.mkdir(parents=True)
                released.write_bytes(mine.read(f"{cohort.ASSIGNMENT}/{cohort.ASSIGNMENT}.ipynb"))
            path = cohort.write_submission(scratch / who.id / "submitted", released, who)
            if path is None:
                continue
            folder = f"{who.id.title()} Example_{1000 + number}_assignsubmission_file_"
            when = LATE if who.id == "ben" else ON_TIME
            download.writestr(zipfile.ZipInfo(f"{folder}/{path.name}", when), path.read_bytes())
            if who.id == "ana":  # an earlier, wrong draft: the newer file must win
                download.writestr(
                    zipfile.ZipInfo(f"{folder}/draft/{path.name}", EARLIER_DRAFT),
                    b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
                )
        download.writestr(zipfile.ZipInfo("Someone Else_999_assignsubmission_file_/permits.ipynb", ON_TIME), b"{}")
    return target


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Take the cohort through every step once; the tests below read what each step left."""
    base = tmp_path_factory.mktemp("cycle")
    root = base / "course"
    copy_fixture_course(root)
    roster = base / "roster.csv"
    roster.write_text(cohort.roster_csv(list(PEOPLE.values())), encoding="utf-8")
    course = ["--course", str(root)]
    said = {"roster": run_course("roster", "import", str(roster), *course)}
    said["release"] = run_course("release", cohort.ASSIGNMENT, "--zip", str(base / "zips"), "--due", DUE, *course)
    download = lms_download(base / "zips", base / "downloads.zip")
    download_hash = hashlib.sha256(download.read_bytes()).hexdigest()
    said["collect"] = run_course("collect", cohort.ASSIGNMENT, "--from", str(download), *course)
    submitted_before = tree_hashes(root / "submitted")
    said["autograde"] = run_course(
        "autograde",
        cohort.ASSIGNMENT,
        "--workers",
        "2",
        "--cell-timeout",
        "5",
        "--notebook-timeout",
        "60",
        "--memory-mb",
        "1024",
        "--no-progress",
        *course,
    )
    said["feedback"] = run_course("feedback", cohort.ASSIGNMENT, *course)
    said["grades"] = run_course("grades", *course)
    said["report"] = run_course("report", cohort.ASSIGNMENT, *course)
    return {
        "root": root,
        "said": said,
        "base": base,
        "download": download,
        "download_hash": download_hash,
        "submitted_before": submitted_before,
    }


def grade_rows(root: Path) -> dict[str, dict]:
    with open(root / "reports" / "grades.csv", newline="", encoding="utf-8") as handle:
        return {row["participant"]: row for row in csv.DictReader(handle)}


def summary_line(cycle: dict, student_id: str) -> str:
    return next(line for line in cycle["said"]["autograde"].splitlines() if line.split()[:1] == [student_id])


def test_every_participant_gets_the_score_their_work_earns(cycle: dict) -> None:
    rows = grade_rows(cycle["root"])
    assert set(rows) == set(PEOPLE)
    for who in PEOPLE.values():
        row = rows[who.id]
        if who.expected is None:
            assert row["autograded_score"] == "", who.id
            assert row["status"].startswith(who.status if who.status == "refused" else "not submitted"), row
        else:
            assert row["status"] == "graded", (who.id, row["status"])
            assert float(row["autograded_score"]) == who.expected, (who.id, row)
            assert float(row["autograded_max"]) == sum(cohort.POINTS.values())
            assert float(row["max_score"]) == sum(cohort.POINTS.values()) + cohort.MEMO_POINTS


def test_each_item_scores_as_the_cohort_predicts(cycle: dict) -> None:
    with open(cycle["root"] / "reports" / "grades-items.csv", newline="", encoding="utf-8") as handle:
        items = {(row["participant"], row["item"]): row for row in csv.DictReader(handle)}
    for who in PEOPLE.values():
        if who.expected is None:
            continue
        for test, points in cohort.POINTS.items():
            expected = 0.0 if test in who.fails else float(points)
            assert float(items[(who.id, test)]["score"]) == expected, (who.id, test)
        memo = items[(who.id, "memo")]
        assert memo["kind"] == "by hand"
        # An untouched memo scores zero automatically; a written one waits for a grader.
        assert memo["needs_manual_grade"] == str(who.id != "fay")


@pytest.mark.parametrize(
    "student_id, phrase",
    [
        ("gus", "time limit and was interrupted"),
        ("lea", "not valid JSON"),
        ("max", "empty (0 bytes)"),
        ("ned", "was cut at 5 MB"),
        ("pia", "the kernel stopped while running cell"),
        ("sam", "kept running after it was interrupted"),
        ("uma", "no submission collected"),
    ],
)
def test_the_summary_says_what_happened_to_each_hostile_submission(cycle: dict, student_id: str, phrase: str) -> None:
    assert phrase in summary_line(cycle, student_id)


def test_the_originals_are_untouched(cycle: dict) -> None:
    assert hashlib.sha256(cycle["download"].read_bytes()).hexdigest() == cycle["download_hash"]
    assert tree_hashes(cycle["root"] / "submitted") == cycle["submitted_before"]


def test_a_snooping_submission_reaches_nothing(cycle: dict) -> None:
    notebook = json.loads((cycle["root"] / "autograded" / "raj" / "permits" / "permits.ipynb").read_text())
    answer = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q1_answer")
    printed = "".join("".join(o.get("text", "")) for o in answer["outputs"])
    attempts = [line for line in printed.strip().splitlines() if line.startswith(("READ ", "denied "))]
    assert len(attempts) > 10
    # Inside its sandbox a submission may read its own processes and start programs: none of it leads
    # to the course. What it must never reach: a gradebook, a source notebook, the network.
    reached = [
        line
        for line in attempts
        if line.startswith(("READ gradebook", "READ source", "READ glob", "READ sqlite", "READ network"))
    ]
    assert not reached, printed
    assert cohort.HIDDEN_TEST_TEXT not in printed
    assert str(cycle["root"]) not in printed


def test_collect_reports_late_duplicate_and_unmatched_files(cycle: dict) -> None:
    said = cycle["said"]["collect"]
    late = said.split("Late (")[1].split("\n\n")[0]
    assert "ben:" in late and "ana:" not in late
    assert "ana: 2 files for permits" in said
    assert "Someone Else_999" in said and "no participant" in said
    assert "uma" in said.split("No submission from")[1]
    assert "kim: 'permits (1).ipynb' as 'permits.ipynb'" in said
    assert (cycle["root"] / "submitted" / "lea" / "permits" / "permits.ipynb").exists()  # kept, never dropped


def test_the_gradebook_is_whole_and_private_copies_are_gone(cycle: dict) -> None:
    root = cycle["root"]
    with sqlite3.connect(root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        submissions = db.execute("SELECT count(*) FROM submitted_assignment").fetchone()[0]
    assert submissions == sum(1 for who in PEOPLE.values() if who.expected is not None)
    assert not any((root / ".course" / "grading").iterdir())


def test_feedback_is_written_for_each_graded_participant_without_scripts(cycle: dict) -> None:
    for who in PEOPLE.values():
        page = cycle["root"] / "feedback" / who.id / "permits" / "permits.html"
        assert page.exists() == (who.expected is not None), who.id
        if page.exists():  # hidden tests stay hidden, for this cohort and the next
            text = page.read_text()
            assert cohort.HIDDEN_TEST_TEXT not in text and "HIDDEN TESTS" not in text, who.id
            assert "Score: " in text and "That is the mean; use the median." in text, who.id
    tia = (cycle["root"] / "feedback" / "tia" / "permits" / "permits.html").read_text()
    assert "<b>bold</b>" in tia  # the output is shown...
    assert "<script>document.title" not in tia  # ...without its script
    assert not re.search(r"""<script[^>]*src=["']?(?:https?:)?//""", tia)  # and nothing from another host


def test_the_release_carries_no_solution_or_hidden_test(cycle: dict) -> None:
    for path in (cycle["base"] / "zips").glob("*.zip"):
        with zipfile.ZipFile(path) as archive:
            text = b"".join(archive.read(name) for name in archive.namelist()).decode()
        assert "BEGIN SOLUTION" not in text and cohort.HIDDEN_TEST_TEXT not in text
        assert "statistics.median(days)" not in text


def test_the_report_is_self_contained_and_names_what_to_reteach(cycle: dict) -> None:
    page = (cycle["root"] / "reports" / "permits-report.html").read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert page.count('class="citybook-chart"') == 3
    assert page.count("<figcaption") == 3
    graded = [who for who in PEOPLE.values() if who.expected is not None]
    rates = {test: sum(test not in who.fails for who in graded) / len(graded) for test in cohort.POINTS}
    hardest = min(rates, key=rates.get)  # the first in notebook order on a tie, as the report does
    assert f"{hardest} was the hardest: {100 * rates[hardest]:.0f}% got it fully right" in page
    reteach = page.split("<h2>What to reteach</h2>")[1].split("<h2>")[0]
    listed = re.findall(r"<tr><td>(q\d_test)</td>", reteach)
    assert listed == sorted(rates, key=rates.get)  # hardest first; the memo waits for its grader
    assert "That is the mean; use the median." in reteach
