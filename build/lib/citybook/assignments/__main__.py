"""`python -m citybook.assignments [ID ...]`: copy data, release with nbgrader, write the zips."""

from __future__ import annotations

import argparse
import time

from citybook.assignments.manifest import ASSIGNMENTS
from citybook.assignments.prepare import prepare
from citybook.assignments.release import release
from citybook.assignments.zips import release_dir, write_zip
from citybook.paths import BOOK

ZIP_DIR = BOOK / "generated" / "assignments"


def main(argv: list[str] | None = None) -> None:
    """Prepare, release and zip the chosen assignments (all by default), printing progress."""
    parser = argparse.ArgumentParser(prog="python -m citybook.assignments", description=__doc__)
    parser.add_argument("ids", nargs="*", metavar="ID", help=f"assignment ids (default: all): {', '.join(ASSIGNMENTS)}")
    ids = parser.parse_args(argv).ids or list(ASSIGNMENTS)
    unknown = sorted(set(ids) - set(ASSIGNMENTS))
    if unknown:
        parser.error(f"unknown assignment(s): {', '.join(unknown)}")
    for n, assignment_id in enumerate(ids, 1):
        start = time.perf_counter()
        copied = prepare(assignment_id)
        print(f"[{n}/{len(ids)}] {assignment_id}: {len(copied)} data file(s) copied", flush=True)
        release([assignment_id])
        zip_path = write_zip(release_dir(assignment_id), ZIP_DIR / f"{assignment_id}.zip")
        print(
            f"[{n}/{len(ids)}] {assignment_id}: released, {zip_path.relative_to(BOOK.parent)} "
            f"({time.perf_counter() - start:.1f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
