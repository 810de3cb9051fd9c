"""Run a participant's cells inside the sandbox and export the plain data each of their cells leaves.

The grader copies this file and plain_data.py into the sandbox's read-only /grader folder and starts
`python -s -E /grader/sandbox_runner.py PLAN OUT`. It imports nothing of citybook (the course folder
is not in the sandbox). The plan holds the instructor's locked code cells and the participant's
cells, never a test cell. After every cell the kernel notes a fingerprint of each name; after a
participant's cell it writes the plain values that changed to OUT/export-<index>.json. When all cells
have run, one JSON document goes to the original stdout: each cell's outputs and the exports.
Everything this process prints comes from inside the sandbox: the grader trusts none of it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError


def snapshot_source(out: Path, index: int | None) -> str:
    """Return the one-line cell that snapshots (and for a participant's cell, exports) the namespace."""
    target = repr(str(out / f"export-{index}.json")) if index is not None else "None"
    return f'__import__("plain_data").snapshot(get_ipython().user_ns, {target})'


def build_notebook(plan: dict, out: Path) -> tuple[nbformat.NotebookNode, list[tuple[int, int]]]:
    """Interleave the plan's cells with snapshot cells; return the notebook and (cell, plan index) pairs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    positions = []
    for step in plan["cells"]:
        positions.append((len(nb.cells), step["index"]))
        nb.cells.append(nbformat.v4.new_code_cell(step["source"]))
        exported = step["index"] if step["kind"] == "participant" else None
        nb.cells.append(nbformat.v4.new_code_cell(snapshot_source(out, exported)))
    return nb, positions


def run(plan: dict, out: Path, workdir: str) -> dict:
    """Execute the plan's cells in one kernel; return outputs per cell index, exports and notes."""
    nb, positions = build_notebook(plan, out)
    client = NotebookClient(
        nb,
        timeout=plan["cell_timeout"],
        allow_errors=True,
        interrupt_on_timeout=True,
        kernel_name="python3",
        resources={"metadata": {"path": workdir}},
    )
    notes: list[str] = []
    ran = 0
    with client.setup_kernel():
        for number, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, number)
            except DeadKernelError:
                notes.append("the kernel stopped (os._exit, a crash, or the memory or time limit)")
                break
            except CellTimeoutError:
                notes.append(f"a cell kept running after it was interrupted at the {plan['cell_timeout']} s limit")
                break
            ran = number + 1
    outputs = {str(index): nb.cells[position].get("outputs", []) for position, index in positions if position < ran}
    exports = {}
    for step in plan["cells"]:
        path = out / f"export-{step['index']}.json"
        if step["kind"] == "participant" and path.is_file():
            exports[str(step["index"])] = path.read_text(encoding="utf-8")
    return {"outputs": outputs, "exports": exports, "notes": notes, "ran_all": ran == len(nb.cells)}


def main() -> None:
    """Read the plan, run it, write one JSON document to the original stdout."""
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(sys.argv[2])
    reply = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())  # nothing the kernel prints can reach the grader's pipe directly
    result = run(plan, out, os.getcwd())
    reply.write(json.dumps(result, allow_nan=True))
    reply.close()


if __name__ == "__main__":
    main()
