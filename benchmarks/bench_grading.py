"""Grading a cohort: plain serial `nbgrader autograde` against `course autograde --workers 2`, same run.

A synthetic cohort (default 40 submissions of one assignment: most answered from the source notebook,
the rest with the assignment's listed wrong answers or left blank) is graded twice in identical course
copies, once by each. The baseline for overhead is executing the same notebooks alone with nbclient.
`course autograde` does more per submission than nbgrader: each notebook's code runs in a bubblewrap
sandbox, and its tests run again in a separate process on the exported plain values.

    python -m benchmarks.bench_grading [--assignment ID] [--submissions N] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from benchmarks.timing import timed_run, write_report
from citybook.course import release
from citybook.course.config import Course
from citybook.course.grades import assignment_scores, grading_record
from citybook.paths import ASSIGNMENTS
from tests.helpers.cohort import FIXTURE
from tests.helpers.grading import copy_course, fill, wrong_answers  # the assignment tests' own helpers

FIXTURE_ASSIGNMENT = "permits"
DEFAULT_ASSIGNMENT = "ps1-311-performance"
SCRIPTS = Path(sys.executable).parent


def build_course(assignment_id: str, where: Path) -> Course:
    """A throw-away course holding the assignment (generated), from the real course or the test fixture."""
    if assignment_id == FIXTURE_ASSIGNMENT:
        root = where / "course"
        shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("cohort.py", "__pycache__"))
    else:
        root = copy_course(assignment_id, where)
    course = Course.open(root)
    release.generate(course, assignment_id)
    return course


def write_cohort(course: Course, assignment_id: str, size: int) -> list[Path]:
    """Write `size` submissions: three in four answered from the source, the rest wrong or blank."""
    name = f"{assignment_id}.ipynb"
    source = nbformat.read(course.source_dir(assignment_id) / name, as_version=4)
    released = nbformat.read(course.release_dir(assignment_id) / name, as_version=4)
    mistakes = (
        wrong_answers(assignment_id)
        if (ASSIGNMENTS / "wrong_answers").exists() and assignment_id != FIXTURE_ASSIGNMENT
        else []
    )
    paths = []
    for index in range(size):
        if index % 4 != 3:
            notebook = fill(released, source)
        elif mistakes:
            notebook = fill(released, source, mistakes[index // 4 % len(mistakes)])
        else:
            notebook = released
        folder = course.submitted(f"p{index:03d}", assignment_id)
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / name)
        paths.append(folder / name)
    return paths


def measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command; return its wall-clock seconds and the CPU seconds it and its children used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed_run(command, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


ALONE = (
    "import sys, nbformat; from nbclient import NotebookClient\n"
    "for path in sys.argv[2:]:\n"
    "    nb = nbformat.read(path, 4)\n"
    "    NotebookClient(nb, kernel_name='python3', timeout=300, allow_errors=True,\n"
    "                   resources={'metadata': {'path': sys.argv[1]}}).execute()\n"
)


def execute_alone(notebooks: list[Path], data_dir: Path, streams: int = 1) -> tuple[float, float]:
    """Execute each notebook in a fresh kernel with nbclient (no nbgrader), in `streams` parallel streams."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ALONE, str(data_dir), *map(str, notebooks[i::streams])],
            cwd=data_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(streams)
    ]
    if any(process.wait() != 0 for process in processes):
        raise RuntimeError("executing the notebooks alone failed")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def phase_profile(course: Course, assignment_id: str) -> list[str]:
    """Table rows: each grading phase's median and total seconds per submission, from the grading record."""
    timings = [entry.get("timings") or {} for entry in grading_record(course, assignment_id).values()]
    timings = [t for t in timings if t]
    if not timings:
        return []
    phases = sorted({phase for t in timings for phase in t}, key=lambda phase: PHASE_ORDER.get(phase, 99))
    rows = ["| phase (per submission, in its grading process) | median s | total s |", "|---|---:|---:|"]
    for phase in phases:
        values = [t.get(phase, 0.0) for t in timings]
        rows.append(f"| {PHASE_NAMES.get(phase, phase)} | {statistics.median(values):.2f} | {sum(values):.1f} |")
    return rows


PHASE_NAMES = {
    "copy submission": "copy the submission into a private course",
    "nbgrader setup": "nbgrader: configuration and converter",
    "nbgrader's own steps": "nbgrader's own steps (restore cells, checksums, scores into its gradebook)",
    "read instructor cells": "read the instructor's cells from the gradebook",
    "sandbox": "sandbox, in all",
    "sandbox: start": "  sandbox start (bwrap, Python)",
    "sandbox: imports": "  the runner's imports",
    "sandbox: kernel start": "  kernel start",
    "sandbox: cells": "  cell execution",
    "sandbox: export": "  export of values (fingerprints, plain data)",
    "sandbox: kernel stop": "  kernel stop",
    "sandbox: written files": "  files the cells wrote",
    "sandbox: report": "  report to the grader",
    "test replay": "test replay, in all",
    "replay: server start": "  warm test process start (once per grading process)",
    "replay: process start": "  fork of the test process",
    "replay: imports": "  its imports",
    "replay: read plan": "  read the plan",
    "replay: instructor cells": "  instructor's later cells",
    "replay: values": "  decode the plain values",
    "replay: tests": "  test cells",
    "nbgrader autograde": "nbgrader's autograde, in all (sandbox and replay included)",
    "import grades": "gradebook write: import into the course gradebook (parent)",
    "put notebook in place": "put the autograded notebook in place (parent)",
}
PHASE_ORDER = {phase: number for number, phase in enumerate(PHASE_NAMES)}


def progress(what: str, seconds: float, cpu: float) -> float:
    """Print one measurement as it is taken (a long run shows its progress); return the load average now."""
    load = os.getloadavg()[0]
    print(f"{what}: {seconds:.1f} s, {cpu:.1f} CPU s (load average {load:.1f})", file=sys.stderr, flush=True)
    return load


def autograded_scores(course: Course, assignment_id: str) -> dict[str, float]:
    """Every participant's autograded score from a course's gradebook."""
    return {sid: score.autograded_score for sid, score in assignment_scores(course, assignment_id).items()}


def main(argv: list[str] | None = None) -> None:
    """Build the cohort, grade it both ways, and report the times as ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = DEFAULT_ASSIGNMENT if (ASSIGNMENTS / "source" / DEFAULT_ASSIGNMENT).is_dir() else FIXTURE_ASSIGNMENT
    parser.add_argument("--assignment", default=default)
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as temporary:
        base = Path(temporary)
        serial_course = build_course(args.assignment, base / "serial")
        notebooks = write_cohort(serial_course, args.assignment, args.submissions)
        parallel_root = base / "parallel" / "course"
        shutil.copytree(serial_course.root, parallel_root)
        parallel_course = Course.open(parallel_root)
        alone_dir = base / "alone"
        shutil.copytree(serial_course.release_dir(args.assignment), alone_dir)

        loads = [os.getloadavg()[0]]
        alone, alone_cpu = execute_alone(notebooks, alone_dir)
        loads.append(progress("executed alone", alone, alone_cpu))
        ceiling, ceiling_cpu = execute_alone(notebooks, alone_dir, streams=args.workers)
        loads.append(progress(f"executed alone in {args.workers} streams", ceiling, ceiling_cpu))
        serial, serial_cpu = measured(
            [str(SCRIPTS / "nbgrader"), "autograde", args.assignment, "--force"], cwd=serial_course.root
        )
        loads.append(progress("serial nbgrader autograde", serial, serial_cpu))
        parallel, parallel_cpu = measured(
            [
                str(SCRIPTS / "course"),
                "autograde",
                args.assignment,
                "--workers",
                str(args.workers),
                "--no-progress",
                "--course",
                str(parallel_root),
            ],
            cwd=base,
        )
        loads.append(progress(f"course autograde --workers {args.workers}", parallel, parallel_cpu))
        same = autograded_scores(serial_course, args.assignment) == autograded_scores(parallel_course, args.assignment)
        profile = phase_profile(parallel_course, args.assignment)

    n = args.submissions
    speedup = serial / parallel
    overhead = parallel * args.workers / alone - 1
    nbgrader_overhead = serial / alone - 1
    cpu_overhead = parallel_cpu / alone_cpu - 1

    def load(step: int) -> str:
        return f"{loads[step]:.1f} -> {loads[step + 1]:.1f}"

    lines = [
        "# Grading benchmark",
        "",
        f"{n} submissions of `{args.assignment}`, graded in the same run on {os.cpu_count()} cores, "
        f"at {time.strftime('%Y-%m-%d %H:%M %Z')}.",
        "",
        "| measure | seconds | per submission | CPU seconds | CPU per submission | load average (1 min) |",
        "|---|---:|---:|---:|---:|---|",
        f"| execute each notebook alone (nbclient, serial) | {alone:.1f} | {alone / n:.2f} | {alone_cpu:.1f} "
        f"| {alone_cpu / n:.2f} | {load(0)} |",
        f"| the same in {args.workers} parallel streams (this machine's ceiling) | {ceiling:.1f} | {ceiling / n:.2f} "
        f"| {ceiling_cpu:.1f} | {ceiling_cpu / n:.2f} | {load(1)} |",
        f"| `nbgrader autograde`, serial (baseline) | {serial:.1f} | {serial / n:.2f} | {serial_cpu:.1f} "
        f"| {serial_cpu / n:.2f} | {load(2)} |",
        f"| `course autograde --workers {args.workers}` | {parallel:.1f} | {parallel / n:.2f} | {parallel_cpu:.1f} "
        f"(partial) | {parallel_cpu / n:.2f} | {load(3)} |",
        "",
        f"- speed-up of `course autograde --workers {args.workers}` over serial nbgrader: **{speedup:.2f}x** "
        f"({serial:.1f} s / {parallel:.1f} s; target at least 1.6x on 2 cores)",
        f"- for scale: executing the notebooks alone in {args.workers} streams is {alone / ceiling:.2f}x faster than one "
        "stream here (with 2 idle cores it would be close to 2x; other work on the machine lowers it)",
        f"- speed-up of `course autograde` relative to that ceiling: {ceiling / parallel:.0%} of it",
        f"- isolation overhead over bare execution, in worker-seconds ({parallel:.1f} s x {args.workers} / "
        f"{alone:.1f} s - 1): **{overhead:.0%}**, i.e. {parallel * args.workers / alone:.2f}x the bare time",
        f"- CPU time: serial nbgrader {serial_cpu / alone_cpu - 1:.0%} over executing alone; course "
        f"{cpu_overhead:.0%} ({parallel_cpu:.1f} / {alone_cpu:.1f} CPU s) is a lower bound only: the CPU of "
        "processes inside a bubblewrap sandbox is not handed back to this process, so read the phase table",
        f"- for comparison, serial nbgrader's own overhead over executing alone: {nbgrader_overhead:.0%}",
        f"- both runs gave every participant the same autograded score: **{'yes' if same else 'NO'}**",
    ]
    if profile:
        lines += ["", "Where `course autograde`'s time goes (from its grading record):", "", *profile]
    write_report("grading", lines)


if __name__ == "__main__":
    main()
