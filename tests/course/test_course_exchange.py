"""Release, fetch, submit, collect, grade and return feedback through nbgrader's exchange on a shared folder.

Participants act with nbgrader's own exchange classes, each with their own home folder, and their
participant id set with CourseDirectory.student_id (what `nbgrader submit --student` sets; on
JupyterHub the id is the hub user name).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeFetchFeedback, ExchangeSubmit
from traitlets.config import Config

from tests.helpers import cohort
from tests.helpers.cohort import copy_fixture_course, run_course

COURSE_ID = "fixture-course"  # from the fixture's nbgrader_config.py


def participant_config(exchange: Path, home: Path, student_id: str) -> Config:
    """What a participant's own nbgrader configuration says on a shared exchange."""
    config = Config()
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.student_id = student_id
    config.Exchange.root = str(exchange)
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(home / ".nbgrader-cache")
    return config


def as_participant(app_class: type, exchange: Path, home: Path, student_id: str) -> object:
    config = participant_config(exchange, home, student_id)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = cohort.ASSIGNMENT
    app = app_class(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.start()
    return app


def work_on(home: Path, who: cohort.Participant) -> None:
    """Fill in the fetched notebook the way `who` would."""
    notebook = home / cohort.ASSIGNMENT / f"{cohort.ASSIGNMENT}.ipynb"
    notebook.write_text(json.dumps(cohort.notebook_for(json.loads(notebook.read_text()), who)))


def test_round_trip_through_the_exchange(tmp_path: Path) -> None:
    root = tmp_path / "course"
    copy_fixture_course(root)
    exchange = tmp_path / "exchange"
    people = [
        cohort.Participant("ana", "Recife"),
        cohort.Participant("ben", "Toronto", ("q2_test",), answers={"q2_answer": "median_days = 14"}),
        cohort.Participant("caro", "Medellín"),
    ]
    (tmp_path / "roster.csv").write_text(cohort.roster_csv(people))
    course = ["--course", str(root)]
    run_course("roster", "import", str(tmp_path / "roster.csv"), *course)
    said = run_course("release", cohort.ASSIGNMENT, "--exchange", str(exchange), *course)
    assert (exchange / COURSE_ID / "outbound" / cohort.ASSIGNMENT / f"{cohort.ASSIGNMENT}.ipynb").exists(), said

    homes = {who.id: tmp_path / "homes" / who.id for who in people}
    for who in people:
        as_participant(ExchangeFetchAssignment, exchange, homes[who.id], who.id)
        # ben first submits a perfect notebook, then a worse one: the newest is the one that counts.
        work_on(homes[who.id], cohort.Participant(who.id, who.city) if who.id == "ben" else who)
        as_participant(ExchangeSubmit, exchange, homes[who.id], who.id)
    time.sleep(0.01)
    work_on(homes["ben"], people[1])
    as_participant(ExchangeSubmit, exchange, homes["ben"], "ben")

    # After submitting, caro adds a link to the instructor's gradebook in her inbound folder.
    caros = sorted((exchange / COURSE_ID / "inbound").glob("caro+*"))
    (caros[-1] / "answers.db").symlink_to(root / "gradebook.db")

    said = run_course("collect", cohort.ASSIGNMENT, "--exchange", str(exchange), *course)
    assert "New submissions collected (3)" in said
    assert "answers.db" in said.split("Links inside submissions, dropped")[1]
    assert not (root / "submitted" / "caro" / cohort.ASSIGNMENT / "answers.db").exists()
    assert "ben: 2 submissions; the newest is used" in said
    submitted = json.loads((root / "submitted" / "ben" / cohort.ASSIGNMENT / f"{cohort.ASSIGNMENT}.ipynb").read_text())
    assert any("median_days = 14" in "".join(cell["source"]) for cell in submitted["cells"])

    assert "Not replaced" in run_course("collect", cohort.ASSIGNMENT, "--exchange", str(exchange), *course)

    run_course("autograde", cohort.ASSIGNMENT, "--workers", "2", "--no-progress", *course)
    run_course("feedback", cohort.ASSIGNMENT, "--exchange", str(exchange), *course)
    for who in people:
        as_participant(ExchangeFetchFeedback, exchange, homes[who.id], who.id)
        pages = list((homes[who.id] / cohort.ASSIGNMENT / "feedback").glob(f"*/{cohort.ASSIGNMENT}.html"))
        assert len(pages) == 1, who.id
        page = pages[0].read_text()
        expected = sum(cohort.POINTS.values()) - sum(cohort.POINTS[t] for t in who.fails)
        assert f"Score: {expected:.1f} / {sum(cohort.POINTS.values()) + cohort.MEMO_POINTS:.1f}" in page, who.id
