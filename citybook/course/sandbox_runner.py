"""Run a participant's cells inside the sandbox and export the plain data each of their cells leaves.

The grader copies this file and plain_data.py into the sandbox's read-only /grader folder and starts
`python -s -E /grader/sandbox_runner.py PLAN OUT`. It imports nothing of citybook (the course folder
is not in the sandbox). The plan holds the instructor's locked code cells and the participant's
cells, never a test cell (and the files the cells wrote in the working folder go back too, for tests
that read them). After every cell the kernel notes a fingerprint of each name; after a
participant's cell it writes the plain values that changed, among the names the tests read, to
OUT/export-<index>.bin (plain_data's columnar form). When all cells have run, one report goes to the
original stdout: a JSON part (each cell's outputs, what went wrong) followed by the exports' bytes.
Everything this process prints comes from inside the sandbox: the grader trusts none of it.
"""

from __future__ import annotations

# ruff: noqa: E402  (the clock is read before the imports: their cost is part of the profile)
import time

STARTED = time.monotonic()  # before the heavy imports: the grader compares it with when it started the sandbox

import base64
import json
import os
import struct
import sys
from pathlib import Path
from typing import BinaryIO

# jsonschema (which nbformat imports) compiles an IRI grammar on import when rfc3987_syntax is
# installed: over a second of CPU per submission, for a string format no notebook uses. The runner
# goes without it (the participant's kernel is a process of its own and keeps it).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

REPORT_MAGIC = b"CBREPORT"
MAX_FILES = 20  # files written by the cells that are handed to the tests
INTERRUPTS = 3  # a busy cell (say, still sending a huge output) may need more than one


def snapshot_source(out: Path, index: int | None) -> str:
    """Return the one-line cell that snapshots (and for a participant's cell, exports) the namespace."""
    target = repr(str(out / f"export-{index}.bin")) if index is not None else "None"
    return f'__import__("plain_data").snapshot(get_ipython().user_ns, {target})'


def build_notebook(plan: dict, out: Path) -> tuple[nbformat.NotebookNode, list[tuple[int, int]]]:
    """Interleave the plan's cells with snapshot cells; return the notebook and (cell, plan index) pairs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    positions = []
    nb.cells.append(nbformat.v4.new_code_cell(f'__import__("plain_data").want({plan.get("export_names")!r})'))
    for step in plan["cells"]:
        positions.append((len(nb.cells), step["index"]))
        nb.cells.append(nbformat.v4.new_code_cell(step["source"]))
        exported = step["index"] if step["kind"] == "participant" else None
        nb.cells.append(nbformat.v4.new_code_cell(snapshot_source(out, exported)))
    return nb, positions


class Client(NotebookClient):
    """nbclient's client, noting which cells ran past the time limit (and were interrupted)."""

    timed_out: list[int]
    cut: list[int]
    output_bytes: dict[int, int]
    output_limit: int
    current: int = -1

    async def _async_handle_timeout(self, timeout: int, cell: nbformat.NotebookNode | None = None) -> None:
        """Interrupt a cell at each timeout; after INTERRUPTS ignored interrupts, give up on it."""
        if self.timed_out.count(self.current) >= INTERRUPTS:
            raise CellTimeoutError.error_from_timeout_and_cell("Cell ignored its interrupts", timeout, cell)
        self.timed_out.append(self.current)
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> nbformat.NotebookNode | None:
        """Keep a cell's output up to the limit, then drop the rest with one line saying so."""
        content = msg.get("content", {})
        size = sum(len(str(content.get(key) or "")) for key in ("text", "evalue", "data", "traceback"))
        used = self.output_bytes.get(cell_index, 0)
        self.output_bytes[cell_index] = used + size
        if used + size <= self.output_limit:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.output_limit:  # the first output past the limit: say so once
            self.cut.append(self.current)
            text = f"\n[The grader cut this cell's output at {self.output_limit // (1024 * 1024)} MB.]\n"
            notice = nbformat.v4.new_output("stream", name="stdout", text=text)
            outs.append(notice)
            return notice
        return None


def run(plan: dict, out: Path, workdir: str) -> dict:
    """Execute the plan's cells in one kernel; return outputs per cell index, exports and what went wrong."""
    nb, positions = build_notebook(plan, out)
    index_of = dict(positions)
    client = Client(
        nb,
        timeout=plan["cell_timeout"],
        allow_errors=True,
        interrupt_on_timeout=True,
        shutdown_kernel="immediate",  # the sandbox is thrown away: no need to wait for a graceful exit
        kernel_name="python3",
        resources={"metadata": {"path": workdir}},
    )
    client.timed_out, client.cut, client.output_bytes = [], [], {}
    client.output_limit = plan["output_limit"]
    stopped: dict = {}
    ran = 0
    deadline = time.monotonic() + plan["notebook_timeout"]
    timings = {"runner started": STARTED, "kernel start": 0.0, "cells": 0.0, "export": 0.0, "kernel stop": 0.0}
    begun = time.monotonic()
    with client.setup_kernel():
        timings["kernel start"] = time.monotonic() - begun
        for number, cell in enumerate(nb.cells):
            begun = time.monotonic()
            client.current = index_of.get(number, index_of.get(number - 1, -1))
            if time.monotonic() > deadline:
                stopped = {"index": client.current, "why": "deadline"}
                break
            try:
                client.execute_cell(cell, number)
            except DeadKernelError:
                stopped = {"index": client.current, "why": "dead"}
                break
            except CellTimeoutError:
                stopped = {"index": client.current, "why": "stuck"}
                break
            finally:
                timings["cells" if number in index_of else "export"] += time.monotonic() - begun
            ran = number + 1
        begun = time.monotonic()
    timings["kernel stop"] = time.monotonic() - begun
    outputs = {str(index): nb.cells[position].get("outputs", []) for position, index in positions if position < ran}
    exports = {}
    for step in plan["cells"]:
        path = out / f"export-{step['index']}.bin"
        if step["kind"] == "participant" and path.is_file():
            exports[str(step["index"])] = path.read_bytes()
    return {
        "outputs": outputs,
        "exports": exports,
        "stopped": stopped,
        "timed_out": client.timed_out,
        "cut": client.cut,
        "timings": timings,
    }


def written_files(workdir: Path, before: dict[str, tuple[int, int]], limit: int) -> dict[str, str]:
    """Return the files the cells created or changed in the working folder (base64), up to `limit` bytes in all."""
    files, total = {}, 0
    for path in sorted(workdir.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        name = path.relative_to(workdir).as_posix()
        stat = path.stat()
        if before.get(name) == (stat.st_size, stat.st_mtime_ns) or len(files) >= MAX_FILES:
            continue
        total += stat.st_size
        if total > limit:
            break
        files[name] = base64.b64encode(path.read_bytes()).decode()
    return files


def file_states(workdir: Path) -> dict[str, tuple[int, int]]:
    """Return each file's size and modification time."""
    return {
        p.relative_to(workdir).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in workdir.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def main() -> None:
    """Read the plan, run it, write one JSON document to the original stdout."""
    imported = time.monotonic()
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(sys.argv[2])
    reply = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())  # nothing the kernel prints can reach the grader's pipe directly
    before = file_states(Path.cwd())
    result = run(plan, out, os.getcwd())
    collected = time.monotonic()
    result["files"] = written_files(Path.cwd(), before, plan["files_limit"])
    result["timings"]["imports"] = imported - STARTED
    result["timings"]["written files"] = time.monotonic() - collected
    write_report(reply, result)


def write_report(reply: BinaryIO, result: dict) -> None:
    """Write the report: REPORT_MAGIC, the JSON part's length (8 bytes), the JSON part, then each export's bytes.

    The JSON part's "exports" maps a cell's index to the [offset, length] of its bytes after it.
    """
    exports, offset, places = result.pop("exports"), 0, {}
    for index, blob in exports.items():
        places[index] = [offset, len(blob)]
        offset += len(blob)
    text = json.dumps({**result, "exports": places}, allow_nan=True).encode("utf-8")
    reply.write(REPORT_MAGIC + struct.pack("<Q", len(text)) + text)
    for blob in exports.values():
        reply.write(blob)
    reply.close()


if __name__ == "__main__":
    main()
