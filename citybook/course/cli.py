"""The `course` command: the instructor's workflow over nbgrader, one subcommand per step.

    course roster import PATH.csv
    course release ID [--exchange DIR | --zip DIR] [--due WHEN] [--lang es]
    course collect ID [--exchange DIR | --from DIR_OR_ZIP]
    course autograde ID [--workers N]
    course feedback ID [--exchange DIR]
    course grades
    course report ID

Every subcommand takes --course DIR (default: ./assignments). Run `course SUBCOMMAND --help` for more.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from citybook.course.config import Course
from citybook.course.errors import CourseError
from citybook.course.sandbox import Limits
from citybook.i18n import LANGUAGES
from citybook.i18n.language import SOURCE_LANGUAGE

DEFAULT_COURSE = "assignments"


def add_course_option(parser: argparse.ArgumentParser, default: object) -> None:
    """Give a parser the --course option."""
    parser.add_argument(
        "--course", metavar="DIR", default=default, help=f"the nbgrader course folder (default: ./{DEFAULT_COURSE})"
    )


def cmd_roster(args: argparse.Namespace) -> int:
    """Import participants from a CSV file."""
    from citybook.course.roster import import_roster

    change = import_roster(Course.open(args.course), Path(args.path))
    print(f"Roster: {len(change.added)} added, {len(change.updated)} updated, {len(change.unchanged)} unchanged.")
    if change.kept:
        print(
            f"Kept {len(change.kept)} participants who are not in this file (their grades are untouched): "
            + ", ".join(change.kept)
        )
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    """Generate the participants' version, then release it to the exchange or as zip files."""
    from citybook.course import release

    course = Course.open(args.course)
    released = release.generate(course, args.assignment, due=args.due or "")
    print(f"Generated the participants' version in {released}")
    if args.lang != SOURCE_LANGUAGE:
        released, missing = release.generate_translated(course, args.assignment, args.lang)
        print(f"Generated the participants' version in {LANGUAGES[args.lang].name} ({args.lang}) in {released}")
        if missing:
            print(
                f"Warning: {len(missing)} paragraphs have no translation yet and stay in English, e.g. "
                f"{missing[0][:60]!r}. Translate them in locales/{args.lang}/ and release again."
            )
    if args.zip:
        paths = release.to_zips(course, args.assignment, Path(args.zip), language=args.lang)
        print(f"Wrote {len(paths)} zip files (one per participant) in {Path(args.zip).resolve()}")
    else:
        outbound = release.to_exchange(
            course, args.assignment, args.exchange or "", force=args.force, language=args.lang
        )
        print(f"Released to the exchange: {outbound}")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    """Collect submissions from the exchange or from LMS downloads."""
    from citybook.course import collect

    course = Course.open(args.course)
    if args.source:
        report = collect.from_downloads(course, args.assignment, Path(args.source), pattern=args.pattern or "")
    else:
        report = collect.from_exchange(course, args.assignment, args.exchange or "", check_owner=args.check_owner)
    print("\n".join(report.lines()))
    return 0


def cmd_autograde(args: argparse.Namespace) -> int:
    """Grade every collected submission in parallel, under limits."""
    from citybook.course.autograde import autograde, summary_table

    course = Course.open(args.course)
    cell_timeout = args.cell_timeout or int(course.config.Execute.get("timeout") or Limits.cell_timeout)
    limits = Limits(
        cell_timeout=cell_timeout,
        notebook_timeout=args.notebook_timeout,
        memory_mb=args.memory_mb,
        output_mb=args.output_mb,
    )
    outcomes = autograde(
        course,
        args.assignment,
        workers=args.workers,
        limits=limits,
        only=args.student,
        force=args.force,
        progress=not args.no_progress,
        isolate=not args.no_isolation,
    )
    print(summary_table(outcomes, isolated=not args.no_isolation))
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    """Write HTML feedback per participant (and release it through the exchange)."""
    from citybook.course.feedback import generate_feedback

    pages = generate_feedback(Course.open(args.course), args.assignment, args.student or "*", args.exchange or "")
    print(f"Wrote {len(pages)} feedback pages" + (" and released them to the exchange." if args.exchange else "."))
    return 0


def cmd_grades(args: argparse.Namespace) -> int:
    """Export every grade as CSV."""
    from citybook.course.grades import export_grades

    summary, items = export_grades(Course.open(args.course), Path(args.output) if args.output else None)
    print(f"Wrote {summary}\nWrote {items}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the cohort report (a self-contained HTML page with charts)."""
    from citybook.course.report import write_report

    path = write_report(Course.open(args.course), args.assignment, Path(args.output) if args.output else None)
    print(f"Wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the command's parser, with one subparser per step."""
    parser = argparse.ArgumentParser(
        prog="course",
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="The instructor guide (book/instructor-guide.md) walks through a whole cycle.",
    )
    add_course_option(parser, DEFAULT_COURSE)
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")

    def step(name: str, handler: object, help_text: str) -> argparse.ArgumentParser:
        sub = steps.add_parser(name, help=help_text, description=help_text)
        add_course_option(sub, argparse.SUPPRESS)
        sub.set_defaults(handler=handler)
        return sub

    roster = step("roster", cmd_roster, "Import the cohort's participants (id, name, city, email) from a CSV file.")
    roster_actions = roster.add_subparsers(dest="action", required=True, metavar="ACTION")
    roster_import = roster_actions.add_parser(
        "import",
        help="Add or update participants from PATH.csv.",
        description="Add or update participants from a CSV file with the "
        "columns id, name, city, email. Nothing changes if any row is bad.",
    )
    roster_import.add_argument("path", metavar="PATH.csv")
    add_course_option(roster_import, argparse.SUPPRESS)

    release = step("release", cmd_release, "Generate an assignment's participant version and release it.")
    release.add_argument("assignment", metavar="ID")
    where = release.add_mutually_exclusive_group()
    where.add_argument("--exchange", metavar="DIR", help="nbgrader exchange folder (default: Exchange.root)")
    where.add_argument("--zip", metavar="DIR", help="write one zip per participant here instead")
    release.add_argument("--due", metavar="WHEN", help="due date, e.g. '2025-06-30 17:00 UTC'")
    release.add_argument("--force", action="store_true", help="replace an earlier release in the exchange")
    release.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=SOURCE_LANGUAGE,
        help="the language of the instructions (default: en); the code, tests and points are the same in every "
        "language, so grading is too",
    )

    collect = step("collect", cmd_collect, "Collect submissions from the exchange or from LMS downloads.")
    collect.add_argument("assignment", metavar="ID")
    source = collect.add_mutually_exclusive_group()
    source.add_argument("--exchange", metavar="DIR", help="nbgrader exchange folder (default: Exchange.root)")
    source.add_argument("--from", dest="source", metavar="DIR_OR_ZIP", help="a folder or zip file of LMS downloads")
    collect.add_argument(
        "--pattern",
        metavar="REGEX",
        help="with --from: a regular expression with (?P<student_id>...) and optionally "
        "(?P<timestamp>...), matched against each file's path",
    )
    collect.add_argument(
        "--check-owner",
        action="store_true",
        help="with the exchange: warn when a submission's file owner is not its participant",
    )

    grade = step("autograde", cmd_autograde, "Grade every collected submission in parallel, under limits.")
    grade.add_argument("assignment", metavar="ID")
    defaults = Limits()
    grade.add_argument("--workers", type=int, default=2, metavar="N", help="submissions graded at once (default: 2)")
    grade.add_argument(
        "--cell-timeout",
        type=int,
        metavar="S",
        help=f"seconds one cell may run (default: the course's Execute.timeout, else {defaults.cell_timeout})",
    )
    for flag, metavar, default, what in (
        ("--notebook-timeout", "S", defaults.notebook_timeout, "seconds one notebook may run"),
        ("--memory-mb", "MB", defaults.memory_mb, "memory for each process running a submission"),
        ("--output-mb", "MB", defaults.output_mb, "output kept per cell"),
    ):
        grade.add_argument(flag, type=int, default=default, metavar=metavar, help=f"{what} (default: {default})")
    grade.add_argument("--student", action="append", metavar="ID", help="grade only this participant (repeatable)")
    grade.add_argument("--force", action="store_true", help="grade again even if a submission has not changed")
    grade.add_argument(
        "--no-isolation",
        action="store_true",
        help="run submissions without the bubblewrap sandbox (where it cannot run; the grades are marked so)",
    )
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")

    feedback = step("feedback", cmd_feedback, "Write HTML feedback for every graded participant.")
    feedback.add_argument("assignment", metavar="ID")
    feedback.add_argument("--student", metavar="ID", help="only this participant")
    feedback.add_argument("--exchange", metavar="DIR", help="also release the feedback to this exchange")

    grades = step("grades", cmd_grades, "Export every grade as CSV (per participant, and per item).")
    grades.add_argument("--output", metavar="PATH", help="the CSV file (default: <course>/reports/grades.csv)")

    report = step("report", cmd_report, "Write the cohort report: an HTML page with charts of what to reteach.")
    report.add_argument("assignment", metavar="ID")
    report.add_argument("--output", metavar="PATH", help="the HTML file (default: <course>/reports/<ID>-report.html)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; print a plain message (and return 2) for problems the instructor can fix."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CourseError as error:
        print(f"course {args.step}: {error.message()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"course {args.step}: stopped. Running it again is safe: finished work is kept.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
