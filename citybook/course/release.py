"""`course release`: make the participants' version (nbgrader generate_assignment) and hand it out.

Out through nbgrader's exchange on a shared folder (`--exchange DIR`, what JupyterHub uses), or as one
zip file per participant (`--zip DIR`) for an LMS or e-mail.

In another language (`--lang es`): the English release is made first, as always (the gradebook
only ever knows the English source), then a translated copy of the source (instruction cells
translated from locales/<lang>/LC_MESSAGES/assignments/<id>.po, every code and graded cell
untouched) goes through nbgrader's own generate step into release-<lang>/<id>/, beside release/.
Same assignment id, cell ids, tests, points and checksums: collecting and grading cannot tell the
languages apart. That generate step writes to a scratch gradebook, so the course's stays English.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.converters import GenerateAssignment
from nbgrader.exchange.default import ExchangeReleaseAssignment
from nbgrader.utils import parse_utc

from citybook.course.config import Course, run_nbgrader
from citybook.course.errors import CourseError
from citybook.course.roster import load_roster
from citybook.files import deterministic_zip
from citybook.i18n import LANGUAGES
from citybook.i18n.language import SOURCE_LANGUAGE
from citybook.i18n.notebooks import catalogue_path, read_translations, translate_notebook

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


def release_directory(course: Course, language: str = SOURCE_LANGUAGE) -> str:
    """nbgrader's release folder name for a language: `release` in English, `release-es` in Spanish."""
    name = course.directories.release_directory
    return name if language == SOURCE_LANGUAGE else f"{name}-{language}"


def release_folder(course: Course, assignment_id: str, language: str = SOURCE_LANGUAGE) -> Path:
    """The released (participant) folder of an assignment in a language."""
    return course.root / release_directory(course, language) / assignment_id


def _translated_sources(course: Course, language: str) -> Path:
    # The translated copies of the sources: the course command's own files, rebuilt at every release.
    return course.state_dir / "translated" / language


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)  # data files are large and never edited: share them
    except OSError:
        shutil.copy2(source, destination)


def generate_translated(course: Course, assignment_id: str, language: str) -> tuple[Path, list[str]]:
    """Release an assignment in another language; return its folder and the paragraphs left in English.

    Run after `generate` (the English release). nbgrader generates from a translated copy of the
    source into release-<language>/<id>/, with a scratch gradebook.
    """
    if language not in LANGUAGES or language == SOURCE_LANGUAGE:
        others = ", ".join(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
        raise CourseError(f"there is no translation into '{language}'", fix=f"use --lang with one of: {others}.")
    source = course.require_source(assignment_id)
    catalogue = catalogue_path(assignment_id, language)
    table = read_translations(catalogue, language)
    if not table:
        raise CourseError(
            f"'{assignment_id}' has no translation into {LANGUAGES[language].name} ({language}) yet",
            where=str(catalogue),
            fix="run `make translations` and translate the catalogue, then release again.",
        )
    sources = _translated_sources(course, language)
    staged = sources / assignment_id
    if staged.exists():
        shutil.rmtree(staged)
    ignore = shutil.ignore_patterns(*course.directories.ignore)
    shutil.copytree(source, staged, ignore=ignore, copy_function=_link_or_copy)
    missing: list[str] = []
    for notebook in sorted(staged.rglob("*.ipynb")):
        english = json.loads((source / notebook.relative_to(staged)).read_text(encoding="utf-8"))
        translated, left = translate_notebook(english, table)
        missing += left
        notebook.unlink()  # a hard link to the English source: replace it, never write through it
        notebook.write_text(json.dumps(translated, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    scratch = sources / "gradebook.db"
    scratch.unlink(missing_ok=True)
    config = course.settings(
        CourseDirectory={
            "source_directory": sources.relative_to(course.root).as_posix(),
            "release_directory": release_directory(course, language),
            "db_url": f"sqlite:///{scratch}",
        }
    )
    converter = GenerateAssignment(coursedir=course.coursedir(config, assignment_id=assignment_id), config=config)
    converter.force = True
    converter.create_assignment = True
    run_nbgrader(converter, f"generate the version of '{assignment_id}' in {LANGUAGES[language].name} ({language})")
    released = release_folder(course, assignment_id, language)
    check_no_secrets(released)
    return released, missing


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


def to_exchange(
    course: Course, assignment_id: str, exchange: str = "", force: bool = False, language: str = SOURCE_LANGUAGE
) -> Path:
    """Release the generated assignment (in a language) to nbgrader's exchange; return its outbound folder.

    The exchange holds one version per assignment id: a cohort on a hub gets one language.
    """
    sections: dict[str, dict] = {"CourseDirectory": {"release_directory": release_directory(course, language)}}
    if exchange:
        sections["Exchange"] = {"root": str(Path(exchange).resolve())}
    config = course.settings(**sections)
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


def to_zips(course: Course, assignment_id: str, target: Path, language: str = SOURCE_LANGUAGE) -> list[Path]:
    """Write one zip per participant on the roster: <assignment>-<id>.zip holding <assignment>/..."""
    participants = load_roster(course)
    if not participants:
        raise CourseError(
            "there is no roster yet, so there is no one to make zip files for",
            fix="run `course roster import PATH.csv` first.",
        )
    released = release_folder(course, assignment_id, language)
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
