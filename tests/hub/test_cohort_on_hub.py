"""A cohort works ps1 on a real JupyterHub, in Chromium, through the hub's own pages.

The instructor releases ps1 to the exchange (`course release --exchange`); three participants log in
on the hub's login page, fetch ps1 in the Assignments tab, type answers (all, two questions, none),
Validate, and submit; the instructor collects, autogrades and releases feedback with `course`; each
participant fetches the feedback in the Assignments tab and the test reads the score on its page.
Screenshots of every step go to _build/hub-screenshots/, listed with the scores in run.txt.
"""

from __future__ import annotations

import pwd
import re
import stat
import subprocess

from playwright.sync_api import expect

from tests.hub import lab
from tests.hub.cohort import ASSIGNMENT, PARTICIPANTS, points_by_test
from tests.hub.conftest import RunningHub

MANUAL_POINTS = 12.0  # ps1's memo, graded by hand in the formgrader (not yet graded here: scores 0)


def run_as(hub: RunningHub, user: str, *args: str) -> str:
    """Run a `course` step as the instructor's own system user, as they would in the hub's terminal."""
    account = pwd.getpwnam(user)
    result = subprocess.run(
        [str(hub.site.venv / "bin" / "course"), "--course", f"{account.pw_dir}/course", *args],
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=[],
        cwd=account.pw_dir,
        env={
            "HOME": account.pw_dir,
            "USER": user,
            "PATH": f"{hub.site.venv / 'bin'}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
        },
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"course {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_cohort_works_ps1_on_the_hub(hub: RunningHub, browser) -> None:
    shots = lab.Shots()
    try:
        cohort_works_ps1(hub, browser, shots)
    except BaseException:
        for number, context in enumerate(browser.contexts):
            for page in context.pages:
                shots.take(page, f"FAILED-{number}")  # where each browser was when the test failed
        raise


def cohort_works_ps1(hub: RunningHub, browser, shots: lab.Shots) -> None:
    exchange = str(hub.site.exchange)
    teacher = hub.instructor

    # The instructor releases ps1 to the exchange, and imports the roster (the hub user names).
    home = pwd.getpwnam(teacher).pw_dir
    roster = f"{home}/roster.csv"
    with open(roster, "w", encoding="utf-8") as handle:
        handle.write("id,name,city,email\n")
        for user in hub.users.values():
            handle.write(f"{user},Participant {user},Springfield,{user}@example.org\n")
    run_as(hub, teacher, "roster", "import", roster)
    run_as(hub, teacher, "release", ASSIGNMENT, "--exchange", exchange)
    # nbgrader's inbound folder: participants may hand in (write, enter) but not list others' work.
    inbound = hub.site.exchange / "city-data-leaders" / "inbound"
    assert stat.S_IMODE(inbound.stat().st_mode) & 0o777 == 0o733, oct(inbound.stat().st_mode)

    # Three participants, each in their own browser session.
    sessions = {}
    for participant in PARTICIPANTS:
        user = hub.users[participant.label]
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(lab.STEP)
        sessions[participant.label] = (context, page)
        lab.log_in(page, hub.site.url, user, hub.password, shots)
        menu = lab.nbgrader_menu(page)
        assert "Assignment List" in menu, menu
        assert not {"Formgrader", "Create assignment", "Course List"} & set(menu), (
            f"a participant sees instructor tools: {menu}"
        )
        page.keyboard.press("Escape")
        # Not only hidden in the menu: a participant's server does not serve the formgrader at all.
        assert page.request.get(f"{hub.site.url}/user/{user}/formgrader").status == 404
        lab.open_assignments(page)
        shots.take(page, f"{user}-assignments-released")
        lab.fetch(page, ASSIGNMENT)
        shots.take(page, f"{user}-fetched")
        lab.open_notebook(page, ASSIGNMENT, ASSIGNMENT)
        for index, text in participant.answers():
            lab.type_into_cell(page, index, text)
        lab.save(page)
        shots.take(page, f"{user}-answers-typed")
        result = lab.validate(page)
        shots.take(page, f"{user}-validate")
        if participant.label == "correct":
            assert "passes all the tests" in result, result
        else:
            assert "passes all the tests" not in result, result
        lab.close_dialog(page)
        lab.submit(page, ASSIGNMENT)
        shots.take(page, f"{user}-submitted")

    # The instructor's JupyterLab has the formgrader.
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    lab.log_in(page, hub.site.url, teacher, hub.password, shots)
    menu = lab.nbgrader_menu(page)
    assert "Formgrader" in menu, menu
    page.keyboard.press("Escape")

    # Collect, autograde, feedback back through the exchange.
    collected = run_as(hub, teacher, "collect", ASSIGNMENT, "--exchange", exchange)
    for user in hub.users.values():
        assert user in collected, collected
    # An instructor's own account cannot build the isolated sandbox (it needs root to give each notebook a
    # user of its own), so on the hub grading is explicitly unisolated, as the guide says; the record notes it.
    graded = run_as(hub, teacher, "autograde", ASSIGNMENT, "--workers", "2", "--no-progress", "--no-isolation")
    assert "not isolated" in graded.lower() or "no-isolation" in graded.lower(), graded
    run_as(hub, teacher, "feedback", ASSIGNMENT, "--exchange", exchange)
    lab.nbgrader_menu(page)
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Formgrader$")).click()
    formgrader = page.frame_locator(".jp-MainAreaWidget:visible iframe")
    expect(formgrader.get_by_text(ASSIGNMENT).first).to_be_visible(timeout=lab.STEP)
    shots.take(page, f"{teacher}-formgrader")
    context.close()

    # Each participant fetches the feedback and reads the score on its page.
    auto_points = sum(points_by_test().values())
    scores = {}
    for participant in PARTICIPANTS:
        user = hub.users[participant.label]
        context, page = sessions[participant.label]
        lab.fetch_feedback(page, ASSIGNMENT)
        shots.take(page, f"{user}-feedback-fetched")
        heading = lab.open_feedback(page, ASSIGNMENT)
        shots.take(page, f"{user}-feedback")
        found = re.search(r"Score: ([\d.]+) / ([\d.]+)", heading)
        assert found, heading
        scores[participant.label] = float(found.group(1))
        assert float(found.group(2)) == auto_points + MANUAL_POINTS, heading
        assert float(found.group(1)) == participant.expected_points(), (participant.label, heading)
        context.close()
    assert scores["correct"] == auto_points
    assert 0 < scores["partial"] < auto_points
    assert scores["blank"] == 0

    (lab.SHOTS / "run.txt").write_text(f"Scores: {scores}\n" + "".join(f"{path.name}\n" for path in shots.taken))
