"""nbgrader's Execute step, split in two so that a grade never depends on the participant's kernel.

`IsolatedExecute` takes Execute's place in nbgrader's autograde chain (after OverwriteCells has put
back the instructor's locked and test cells, before SaveAutoGrades scores them):

1. The participant's cells and the instructor's locked code cells (imports, data loading) run in a
   bubblewrap sandbox (see isolation.py); test cells are never sent there. After each participant
   cell, the names it created or changed are exported as plain data (see plain_data.py).
2. A fresh process outside the sandbox (test_replay.py) replays the notebook in order: the
   instructor's code cells (sources from the gradebook), each participant cell's exported values, and
   each test cell (sources from the gradebook), whose outputs nbgrader then scores as usual.

What cannot cross as plain data (functions, arbitrary objects) is absent for the tests: a NameError,
a wrong answer with a note saying why.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import Execute
from traitlets import Bool, Int, Unicode

from citybook.course import replay_server
from citybook.course.isolation import run_participant_cells
from citybook.course.timings import add_time, timed

# What happened while executing, for the grading summary. The worker empties it before each job;
# it is filled only by the grader's side (never from anything the sandbox sends).
NOTES: list[str] = []

MiB = 1024 * 1024
MAX_EXPORT_BYTES = 200 * MiB  # one participant cell's exported values


@dataclass(frozen=True)
class Limits:
    """The limits one submission runs under."""

    cell_timeout: int = 30  # seconds for one cell before it is interrupted
    notebook_timeout: int = 300  # seconds for a whole notebook, then its sandbox is stopped
    memory_mb: int = 2048  # address space of each process in the sandbox
    output_mb: int = 5  # output kept per cell
    file_mb: int = 200  # largest file, and size of each writable folder, in the sandbox
    processes: int = 128  # processes and threads the sandbox may run at once

    def as_dict(self) -> dict[str, int]:
        """Return the limits as a plain dictionary (for a job sent to a worker)."""
        return asdict(self)


def take_notes() -> list[str]:
    """Return and clear what the grader noted since the last call."""
    notes = list(NOTES)
    NOTES.clear()
    return notes


def copy_data_files(source: Path, target: Path) -> None:
    """Copy every file of a folder except notebooks (the data a submission reads)."""
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.suffix != ".ipynb":
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def instructor_cells(db_url: str, notebook: str, assignment: str) -> tuple[dict[str, str], dict[str, str]]:
    """Return the gradebook's locked code cells and test cells of a notebook, by grade id, with their sources."""
    with Gradebook(db_url) as gradebook:
        try:
            record = gradebook.find_notebook(notebook, assignment)
        except MissingEntry:
            return {}, {}
        solutions = {cell.name for cell in record.solution_cells}
        graded = {cell.name for cell in record.grade_cells}
        sources = {cell.name: cell for cell in record.source_cells if cell.cell_type == "code"}
        locked = {name: cell.source for name, cell in sources.items() if cell.locked and name not in graded | solutions}
        tests = {name: cell.source for name, cell in sources.items() if name in graded and name not in solutions}
    return locked, tests


def classify(nb: NotebookNode, locked: dict[str, str], tests: dict[str, str]) -> list[dict]:
    """Return one step per code cell, in order: instructor code, a participant's cell, or a test."""
    steps = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in tests:
            steps.append({"index": index, "kind": "test", "source": tests[grade_id]})
        elif grade_id in locked:
            steps.append({"index": index, "kind": "instructor", "source": locked[grade_id]})
        else:
            steps.append({"index": index, "kind": "participant", "source": cell.source})
    return steps


class IsolatedExecute(Execute):
    """nbgrader's Execute, with the participant's code in a sandbox and the tests in a separate process."""

    isolate = Bool(True, help="Run participants' code in a bubblewrap sandbox (False: no isolation).").tag(config=True)
    memory_mb = Int(2048, help="Address-space limit of each sandboxed process, in MiB (0: none).").tag(config=True)
    wall_seconds = Int(300, help="A notebook's sandbox is stopped after this many seconds.").tag(config=True)
    file_mb = Int(200, help="Largest file, and size of each writable folder, in the sandbox, in MiB.").tag(config=True)
    output_mb = Int(5, help="Output kept per cell, in MiB.").tag(config=True)
    processes = Int(128, help="Processes and threads a sandbox may run at once.").tag(config=True)
    instructor_data = Unicode("", help="Folder of the assignment's own data files, for the tests.").tag(config=True)
    pid_file = Unicode("", help="Where to write the sandbox's process id (so it can be stopped).").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict, km: object = None) -> tuple[NotebookNode, dict]:
        """Run the participant's cells in the sandbox, then the tests on their plain values."""
        info = resources["nbgrader"]
        with timed("read instructor cells"):
            locked, tests = instructor_cells(info["db_url"], info["notebook"], info["assignment"])
        steps = classify(nb, locked, tests)
        limits = {
            "cell_timeout": self.timeout or 30,
            "notebook_timeout": self.wall_seconds,
            "memory_mb": self.memory_mb,
            "output_mb": self.output_mb,
            "file_mb": self.file_mb,
            "processes": self.processes,
        }
        plan = {
            "cell_timeout": limits["cell_timeout"],
            "notebook_timeout": limits["notebook_timeout"],
            "output_limit": self.output_mb * MiB,
            "files_limit": self.file_mb * MiB // 4,
            "cells": [s for s in steps if s["kind"] != "test"],
            "export_names": names_read(steps),
        }
        with tempfile.TemporaryDirectory(prefix="submission-data-") as data, timed("sandbox"):
            copy_data_files(Path(resources["metadata"]["path"]), Path(data))
            report, notes = run_participant_cells(
                plan, Path(data), isolate=self.isolate, limits=limits, pid_file=self.pid_file
            )
        NOTES.extend(notes + self.what_happened(report, limits["cell_timeout"]))
        if report.get("stderr"):  # the runner's own last words (from inside the sandbox), for the grading log
            self.log.warning("The sandboxed runner reported no answers; its last output:\n%s", report["stderr"])
        sandbox_outputs = report.get("outputs") if type(report.get("outputs")) is dict else {}
        exports = report.get("exports") if type(report.get("exports")) is dict else {}
        files = report.get("files") if type(report.get("files")) is dict else {}
        with tempfile.TemporaryDirectory(prefix="tests-") as scratch, timed("test replay"):
            folder = Path(scratch)
            (folder / "values").mkdir()
            replay_steps = []
            for step in steps:
                cell = nb.cells[step["index"]]
                if step["kind"] != "test":
                    cell.outputs = self.kept_outputs(sandbox_outputs.get(str(step["index"])), step["index"])
                if step["kind"] == "participant":
                    exported = exports.get(str(step["index"]))
                    path = folder / "values" / f"{step['index']}.bin"
                    if type(exported) is bytes and len(exported) <= MAX_EXPORT_BYTES:
                        path.write_bytes(exported)  # decoded (strictly) only by the test process
                    replay_steps.append({"kind": "values", "index": step["index"], "file": str(path)})
                else:
                    replay_steps.append(step)
            results = self.run_tests(folder, replay_steps, limits, files)
        for step in steps:
            if step["kind"] == "test":
                outputs = results.get("tests", {}).get(str(step["index"]))
                nb.cells[step["index"]].outputs = (
                    [nbformat.from_dict(o) for o in outputs] if outputs is not None else [not_run()]
                )
        NOTES.extend(dict.fromkeys(results.get("notes", [])))
        return nb, resources

    def what_happened(self, report: dict, cell_timeout: int) -> list[str]:
        """Return notes, in the grader's words, on the cells the sandbox reports as stopped, interrupted or cut."""
        notes = []
        for index in sorted({i for i in report.get("timed_out") or [] if type(i) is int})[:10]:  # once per cell
            notes.append(f"cell {index + 1} ran past the {cell_timeout} s time limit and was interrupted")
        for index in sorted({i for i in report.get("cut") or [] if type(i) is int})[:10]:
            notes.append(f"output of cell {index + 1} was cut at {self.output_mb} MB")
        stopped = report.get("stopped") if type(report.get("stopped")) is dict else {}
        index = stopped.get("index")
        if type(index) is int:
            if stopped.get("why") == "stuck":
                notes.append(
                    f"cell {index + 1} kept running after it was interrupted at the {cell_timeout} s time limit"
                )
            elif stopped.get("why") == "deadline":
                notes.append(f"the notebook reached its time limit at cell {index + 1}; later cells did not run")
            else:
                notes.append(
                    f"the kernel stopped while running cell {index + 1} (os._exit, a crash, or the memory or time limit)"
                )
        return notes

    def kept_outputs(self, outputs: object, index: int) -> list[NotebookNode]:
        """Return a participant cell's outputs from the sandbox, if well formed and within the size limit."""
        if type(outputs) is not list:
            return []
        if len(json.dumps(outputs)) > self.output_mb * MiB:
            NOTES.append(f"output of cell {index + 1} was cut at {self.output_mb} MB")
            return [
                NotebookNode(
                    output_type="stream",
                    name="stdout",
                    text=f"[The grader dropped this cell's output: over {self.output_mb} MB.]\n",
                )
            ]
        kept = []
        for output in outputs:
            if type(output) is dict and output.get("output_type") in (
                "stream",
                "display_data",
                "execute_result",
                "error",
            ):
                kept.append(json.loads(json.dumps(output), object_hook=NotebookNode))
        return kept

    def run_tests(self, folder: Path, steps: list[dict], limits: dict, files: dict) -> dict:
        """Replay the notebook's tests in a fresh process, in a folder holding the instructor's data files."""
        work = folder / "work"
        work.mkdir()
        if self.instructor_data:
            copy_data_files(Path(self.instructor_data), work)
        put_written_files(files, work)
        plan_path, result_path = folder / "plan.json", folder / "result.json"
        plan = {"cell_timeout": limits["cell_timeout"], "steps": steps}
        plan_path.write_text(json.dumps(plan, allow_nan=True))
        started = time.monotonic()
        try:
            try:
                server = replay_server.server_for(
                    replay_server.leading_instructor_cells(plan),
                    Path(self.instructor_data or work),
                    limits["cell_timeout"],
                )
                started = time.monotonic()
                server.replay(plan_path, result_path, work, folder, limits["notebook_timeout"])
            except replay_server.ReplayServerError as error:
                self.log.warning("The warm test process failed (%s); running the tests in a new process", error)
                replay_server.stop_server()
                started = time.monotonic()
                subprocess.run(
                    [sys.executable, "-m", "citybook.course.test_replay", str(plan_path), str(result_path)],
                    cwd=work,
                    env=replay_server.replay_environment(str(folder)),
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=limits["notebook_timeout"],
                    check=False,
                )
            result = json.loads(result_path.read_text(encoding="utf-8"))
            note_replay_timings(result.get("timings"), started, time.monotonic())
            return result
        except (subprocess.TimeoutExpired, TimeoutError, OSError, ValueError) as error:
            replay_server.stop_server()
            NOTES.append(f"the tests could not be run ({type(error).__name__}); every test is marked as failed")
            return {}


def note_replay_timings(reported: object, started: float, ended: float) -> None:
    """Split the test replay's wall time into process start, imports, values, instructor cells and tests."""
    if type(reported) is not dict or type(reported.get("started")) is not float:
        return
    add_time("replay: process start", reported["started"] - started)
    for key in ("imports", "read plan", "instructor cells", "values", "tests"):
        add_time(f"replay: {key}", float(reported.get(key, 0.0)))


SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}(/[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}){0,3}$")


def put_written_files(files: dict, folder: Path) -> None:
    """Write the files a submission's cells wrote (plain bytes) into the tests' folder, under safe names only.

    A name that is, or lies under, a file already there (the instructor's data) is skipped.
    """
    for name, encoded in list(files.items())[:20]:
        if type(name) is not str or type(encoded) is not str or not SAFE_NAME.match(name) or ".." in name:
            continue
        parts = name.split("/")
        if any((folder / "/".join(parts[: n + 1])).exists() for n in range(len(parts))):
            continue
        try:
            content = base64.b64decode(encoded, validate=True)
        except ValueError:
            continue
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


DYNAMIC_LOOKUPS = {"globals", "locals", "vars", "dir", "eval", "exec", "get_ipython", "__import__"}
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def names_read(steps: list[dict]) -> list[str] | None:
    """Return the names the sandbox must export: those the tests and the instructor's cells read.

    Only names that also appear in the text of the cells the sandbox runs (the participant's and the
    instructor's read-only ones) are listed, so the list tells a submission nothing about the tests
    it did not already hold. None (export every name) when a test or instructor cell cannot be parsed
    or looks names up by text (globals(), eval...).
    """
    read: set[str] = set()
    for step in steps:
        if step["kind"] not in ("test", "instructor"):
            continue
        try:
            tree = ast.parse(step["source"])
        except SyntaxError:
            return None
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                read.add(node.id)
            elif isinstance(node, ast.Attribute) and node.attr.startswith("__"):
                return None  # __dict__, __builtins__...: a name may be read by text
    if read & DYNAMIC_LOOKUPS:
        return None
    written = {word for step in steps if step["kind"] != "test" for word in IDENTIFIER.findall(step["source"])}
    return sorted(name for name in read & written if not name.startswith("_"))


def not_run() -> NotebookNode:
    """Return the error output that marks a test cell that could not be run."""
    return NotebookNode(
        output_type="error",
        ename="NotRun",
        evalue="this test could not be run",
        traceback=["NotRun: this test could not be run; see the grading log."],
    )
