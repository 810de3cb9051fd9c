"""`python -m citybook.course.build_assignments [ID ...] [--lang es]`: copy data, release with nbgrader, write the zips."""

from __future__ import annotations

import argparse
import time

from citybook.course.catalogue import CATALOGUE
from citybook.course.config import Course
from citybook.course.release_zips import prepare_and_release, write_zip
from citybook.i18n import LANGUAGES, current_language
from citybook.paths import ASSIGNMENTS as COURSE_FOLDER
from citybook.paths import BOOK

ZIP_DIR = BOOK / "generated" / "assignments"


def main(argv: list[str] | None = None) -> None:
    """Prepare, release and zip the chosen assignments (all by default), printing progress."""
    parser = argparse.ArgumentParser(prog="python -m citybook.course.build_assignments", description=__doc__)
    parser.add_argument("ids", nargs="*", metavar="ID", help=f"assignment ids (default: all): {', '.join(CATALOGUE)}")
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=current_language(),
        help="the language of the zips' instructions (default: $CITYBOOK_LANG, else en)",
    )
    options = parser.parse_args(argv)
    ids = options.ids or list(CATALOGUE)
    unknown = sorted(set(ids) - set(CATALOGUE))
    if unknown:
        parser.error(f"unknown assignment(s): {', '.join(unknown)}")
    course = Course.open(COURSE_FOLDER)
    for n, assignment_id in enumerate(ids, 1):
        start = time.perf_counter()
        released = prepare_and_release(course, assignment_id, options.lang)
        zip_path = write_zip(released, ZIP_DIR / f"{assignment_id}.zip")
        print(
            f"[{n}/{len(ids)}] {assignment_id}: released, {zip_path.relative_to(BOOK.parent)} "
            f"({time.perf_counter() - start:.1f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
