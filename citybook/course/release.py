"""`course release`: make the participants' version (nbgrader generate_assignment) and hand it out.

Out through nbgrader's exchange on a shared folder (`--exchange DIR`, what JupyterHub uses), or as one
zip file per participant (`--zip DIR`) for an LMS or e-mail.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.converters import GenerateAssignment
from nbgrader.exchange.default import ExchangeReleaseAssignment
from nbgrader.utils import parse_utc

from citybook.course.config import Course, run_nbgrader
from citybook.course.errors import CourseError
from citybook.course.roster import load_roster
from citybook.files import deterministic_zip

# Markers that only the instructor's source may contain.
SECRET_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def generate(course: Course, assignment_id: str, due: str = "") -> Path:
    """Run nbgrader generate_assignment; set the due date if given; return the release folder."""
    course.require_source(assignment_id)
    converter = GenerateAssignment(coursedir=course.coursedir(assignment_id=assignment_id), config=course.config)
    converter.force = True
    converter.create_assignment = True
    run_nbgrader(converter, f"generate the participants' version of '{assignment_id}'")
    if due:
        try:
            duedate = parse_utc(due)
        except (ValueError, OverflowError) as error:
            raise CourseError(
                f"cannot read the due date '{due}' ({error})",
                fix="write it as YYYY-MM-DD HH:MM with a time zone, e.g. '2025-06-30 17:00 UTC'.",
            ) from error
        with course.gradebook() as gradebook:
            gradebook.update_or_create_assignment(assignment_id, duedate=duedate)
    released = course.release_dir(assignment_id)
    check_no_secrets(released)
    return released


def check_no_secrets(folder: Path) -> None:
    """Refuse a release that still carries a solution or hidden-test marker."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".ipynb", ".py", ".md", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), start=1):
                if any(marker in line for marker in SECRET_MARKERS):
                    raise CourseError(
                        "the released version still contains a solution or hidden-test marker",
                        where=f"{path}, line {number}",
                        fix="check the source notebook's nbgrader cell types (the marker must sit in a "
                        "solution or test cell) and release again.",
                    )


def to_exchange(course: Course, assignment_id: str, exchange: str = "", force: bool = False) -> Path:
    """Release the generated assignment to nbgrader's exchange; return its outbound folder."""
    config = course.settings(Exchange={"root": str(Path(exchange).resolve())}) if exchange else course.config
    coursedir = course.coursedir(config, assignment_id=assignment_id)
    if not coursedir.course_id:
        raise CourseError(
            "the course has no course id, which the exchange needs",
            where=str(course.root / "nbgrader_config.py"),
            fix='add c.CourseDirectory.course_id = "your-course" to the file.',
        )
    app = ExchangeReleaseAssignment(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.force = force
    try:
        run_nbgrader(app, f"release '{assignment_id}' to the exchange at {app.root}")
    except CourseError as error:
        if "already exists" in error.message():
            error.fix = (
                "it was released before; add --force to replace it (participants who fetched it keep their copy)."
            )
        raise
    return Path(app.root) / coursedir.course_id / "outbound" / assignment_id


def to_zips(course: Course, assignment_id: str, target: Path) -> list[Path]:
    """Write one zip per participant on the roster: <assignment>-<id>.zip holding <assignment>/..."""
    participants = load_roster(course)
    if not participants:
        raise CourseError(
            "there is no roster yet, so there is no one to make zip files for",
            fix="run `course roster import PATH.csv` first.",
        )
    released = course.release_dir(assignment_id)
    # Every participant gets the same folder: compress it once, write it once per participant.
    content = deterministic_zip(
        {
            f"{assignment_id}/{file.relative_to(released).as_posix()}": file
            for file in released.rglob("*")
            if file.is_file()
        }
    )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for participant_id in sorted(participants):
        path = target / f"{assignment_id}-{participant_id}.zip"
        path.write_bytes(content)
        written.append(path)
    return written
