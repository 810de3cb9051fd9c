"""The book build against its baseline: the lessons' own execution time, measured in the same run."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.timing import timed_run, write_report
from citybook.paths import ROOT

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))


def lesson_seconds(lesson: Path) -> float:
    """Execute one lesson alone, in a fresh kernel, without writing it back."""
    code = (
        "import nbformat, sys; from nbclient import NotebookClient; "
        f"nb = nbformat.read({str(lesson)!r}, 4); "
        f"NotebookClient(nb, kernel_name='python3', resources={{'metadata': {{'path': {str(lesson.parent)!r}}}}}).execute()"
    )
    return timed_run([sys.executable, "-c", code], cwd=ROOT)


def main() -> None:
    """Measure a clean build, the summed lesson executions and a no-change rebuild."""
    jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
    per_lesson = {lesson.stem: lesson_seconds(lesson) for lesson in LESSONS}
    summed = sum(per_lesson.values())
    with tempfile.TemporaryDirectory(prefix="bench-build-") as out:
        build = [jupyter_book, "build", ".", "--path-output", out, "--warningiserror", "--keep-going"]
        clean = timed_run(build, cwd=ROOT)
        rebuild = timed_run(build, cwd=ROOT)
    lines = [
        "# Book build benchmark",
        "",
        "| measure | seconds |",
        "|---|---:|",
        *[f"| execute {name} alone | {secs:.1f} |" for name, secs in per_lesson.items()],
        f"| sum of lesson executions (baseline) | {summed:.1f} |",
        f"| clean build | {clean:.1f} |",
        f"| no-change rebuild | {rebuild:.1f} |",
        "",
        f"- clean build / summed lesson executions: **{clean / summed:.2f}x** (target at most 1.5x)",
        f"- no-change rebuild / clean build: **{rebuild / clean:.0%}** (target under 15%)",
    ]
    write_report("build", lines)


if __name__ == "__main__":
    main()
