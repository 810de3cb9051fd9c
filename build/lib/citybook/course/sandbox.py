"""Limits and isolation for executing one submission: where its kernel runs and what it may touch.

nbgrader's own `Execute` preprocessor runs the notebook; `SandboxedExecute` changes only *where* and
*how*: the kernel starts in a fresh temporary folder holding the submission's data files and nothing
else (no notebook with hidden tests, no gradebook, no source folder), with a scrubbed environment,
under `kernel_guard` (memory, CPU, file-size and wall-clock limits, forbidden paths, no programs, no
network). Its output is capped, and a kernel that dies or stops answering ends the run with every
remaining cell marked as not run, so nothing unexecuted can count as passed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Int, List, Unicode

# What happened while executing, for the grading summary. The worker empties it before each job;
# it is filled only by the grader's side (never from anything the kernel sends).
NOTES: list[str] = []

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits one submission runs under."""

    cell_timeout: int = 30  # seconds for one cell before it is interrupted
    notebook_timeout: int = 300  # seconds for a whole submission (all its notebooks), then it is stopped
    memory_mb: int = 2048  # address space of the kernel process
    output_mb: int = 5  # output kept per cell; the rest is dropped with a note
    file_mb: int = 200  # largest file the kernel may write

    def as_dict(self) -> dict[str, int]:
        """Return the limits as a plain dictionary (for a job sent to a worker)."""
        return asdict(self)


def take_notes() -> list[str]:
    """Return and clear what the sandbox noted since the last call."""
    notes = list(NOTES)
    NOTES.clear()
    return notes


def kernel_environment(home: Path) -> dict[str, str]:
    """Return the whole environment of a graded kernel: no course paths, one thread per library."""
    tmp = home / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "IPYTHONDIR": str(home / ".ipython"),
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        "LANG": "C.UTF-8",
        "NBGRADER_EXECUTION": "autograde",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        # One thread per numerical library: several kernels share the cores, and every extra thread
        # reserves address space that counts against the memory limit.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
    }


def copy_data_files(source: Path, target: Path) -> None:
    """Copy every file of a folder except notebooks (the data a submission reads)."""
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.suffix != ".ipynb":
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


class GuardedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel under kernel_guard, in a scrubbed environment."""

    guard_arguments: list[str] = []
    kernel_env: dict[str, str] = {}
    pid_file: str = ""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
        """Launch `python -I -m citybook.course.kernel_guard ... -- <ipykernel arguments>`."""
        if len(kernel_cmd) < 3 or kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]:
            raise RuntimeError(
                "course autograde runs Python notebooks with ipykernel only; this notebook asks for "
                f"the kernel command {kernel_cmd!r}."
            )
        guarded = [
            sys.executable,
            "-I",
            "-m",
            "citybook.course.kernel_guard",
            *self.guard_arguments,
            "--",
            *kernel_cmd[3:],
        ]
        inherited = kw.get("env") or {}
        kw["env"] = {**{k: v for k, v in inherited.items() if k.startswith("JPY_")}, **self.kernel_env}
        await super()._async_launch_kernel(guarded, **kw)
        if self.pid_file and self.provisioner is not None and getattr(self.provisioner, "pid", None):
            Path(self.pid_file).write_text(str(self.provisioner.pid))


class SandboxedExecute(Execute):
    """nbgrader's Execute, run in an isolated folder under limits, with output capped."""

    memory_mb = Int(2048, help="Address-space limit of the kernel, in MiB (0: none).").tag(config=True)
    wall_seconds = Int(300, help="The kernel ends itself after this many seconds.").tag(config=True)
    file_mb = Int(200, help="Largest file the kernel may write, in MiB.").tag(config=True)
    output_mb = Int(5, help="Output kept per cell, in MiB; the rest is dropped.").tag(config=True)
    workspace = Unicode("", help="Folder in which each notebook's own sandbox folder is made.").tag(config=True)
    deny_paths = List(Unicode(), help="Folders the kernel may not touch.").tag(config=True)
    pid_file = Unicode("", help="Where to write the kernel's process id (so it can be stopped).").tag(config=True)
    # After a cell's reply, how long its last outputs may take to arrive (nbclient's default is 4 s).
    # Longer here: a cell that printed 100 MB is still sending it, on a machine busy grading.
    iopub_timeout = Int(10, help="Seconds to wait for a cell's outputs after its reply.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict, km: object = None) -> tuple[NotebookNode, dict]:
        """Execute the notebook with a private sandbox folder as the kernel's working folder."""
        prepared = Path(resources["metadata"]["path"])  # nbgrader's autograded folder for this student
        sandbox = Path(tempfile.mkdtemp(prefix="sandbox-", dir=self.workspace or None))
        work, home = sandbox / "work", sandbox / "home"
        work.mkdir()
        home.mkdir()
        copy_data_files(prepared, work)
        self._sandbox = sandbox
        self._home = home
        self._halted = ""
        self._output_bytes: dict[int, int] = {}
        self.kernel_manager_class = GuardedKernelManager
        run_resources = {**resources, "metadata": {**resources.get("metadata", {}), "path": str(work)}}
        try:
            nb, _ = super().preprocess(nb, run_resources, km)
        finally:
            shutil.rmtree(sandbox, ignore_errors=True)
        return nb, resources

    def create_kernel_manager(self) -> GuardedKernelManager:
        """Create the kernel manager and give it the guard's arguments and environment."""
        km = super().create_kernel_manager()
        arguments = [
            "--memory-mb",
            str(self.memory_mb),
            "--cpu-seconds",
            str(self.wall_seconds),
            "--wall-seconds",
            str(self.wall_seconds),
            "--file-mb",
            str(self.file_mb),
            "--allow",
            str(self._sandbox),
        ]
        for path in self.deny_paths:
            arguments += ["--deny", path]
        km.guard_arguments = arguments
        km.kernel_env = kernel_environment(self._home)
        # The connection file goes in the sandbox too: the kernel may read nothing of the grader's home.
        km.connection_file = str(self._home / "kernel-connection.json")
        km.pid_file = self.pid_file
        return km

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        """Execute one cell; once the kernel is gone, mark each later code cell as not run."""
        if self._halted:
            if cell.cell_type == "code":
                cell.outputs = [halted_output(self._halted)]
                cell.execution_count = None
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._halt(
                cell,
                f"the kernel stopped while running cell {index + 1} (os._exit, a crash, or the memory or time limit)",
            )
        except CellTimeoutError:
            self._halt(
                cell, f"cell {index + 1} kept running after it was interrupted at the {self.timeout} s time limit"
            )
        return cell, resources

    def _halt(self, cell: NotebookNode, reason: str) -> None:
        self._halted = reason
        self.shutdown_kernel = "immediate"
        NOTES.append(reason)
        cell.outputs = [*cell.get("outputs", []), halted_output(reason)]

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> dict | None:
        """Note the timeout (for the summary), then let nbgrader interrupt the cell as usual."""
        NOTES.append(f"a cell ran past the {timeout} s time limit and was interrupted")
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> NotebookNode | None:
        """Keep a cell's output up to the limit, then drop the rest with one line saying so."""
        size = content_size(msg.get("content", {}))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        limit = self.output_mb * MiB
        if used + size <= limit:
            return super().output(outs, msg, display_id, cell_index)
        if used <= limit:  # the first output past the limit: say so once
            NOTES.append(f"output of cell {cell_index + 1} was cut at {self.output_mb} MB")
            notice = NotebookNode(
                output_type="stream",
                name="stdout",
                text=f"\n[The grader cut this cell's output at {self.output_mb} MB.]\n",
            )
            outs.append(notice)
            return notice
        return None


def halted_output(reason: str) -> NotebookNode:
    """Return the error output that marks a cell as failed because the kernel had stopped."""
    return NotebookNode(
        output_type="error",
        ename="KernelStopped",
        evalue=reason,
        traceback=[f"KernelStopped: {reason}. This cell was not run."],
    )


def content_size(content: dict) -> int:
    """Return the number of characters of text and data a message carries."""
    total = 0
    for key in ("text", "evalue"):
        value = content.get(key)
        if isinstance(value, str):
            total += len(value)
    for value in (content.get("data") or {}).values():
        total += len(value) if isinstance(value, str) else len(str(value))
    total += sum(len(line) for line in content.get("traceback") or [])
    return total
