"""Run a participant's cells in a bubblewrap sandbox, under OS limits, and read back what it reports.

The sandbox (`bwrap`) has no network, its own PID, IPC and UTS namespaces (everything it starts dies
with it), a private /tmp, read-only system folders, and sees only: the Python installation and the
course's virtual environment (read-only), the grader's runner and plan (read-only, no test cells), the
submission's data files (read-only, in a size-limited writable working folder) and an output folder.
Inside, the process runs as an unprivileged user of its own (one per grading slot) with limits on
memory, CPU time, processes, file size; the grader reads at most `output_mb` of its report.

Without isolation (an explicit choice: `course autograde --no-isolation`) the same runner runs as a
plain subprocess with the same limits, seeing everything the grader's user sees.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from citybook.course import plain_data, sandbox_runner
from citybook.course.errors import CourseError
from citybook.course.timings import add_time

MiB = 1024 * 1024
REPORT_FACTOR = 2  # the report may be twice file_mb (outputs, exported values and written files together)
REPORT_SECONDS = 30  # after the notebook's own limit, time for the runner to report before it is stopped
BWRAP = "/usr/bin/bwrap"
SETPRIV = "/usr/bin/setpriv"
WORK = "/submission"  # the working folder inside the sandbox: the submission's data files
FIRST_UID = 61000  # a sandbox runs as a uid of its own from here: its own process count, nobody else's files
SYSTEM_FOLDERS = ["/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin"]
ETC_FILES = ["passwd", "group", "nsswitch.conf", "localtime", "alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "ssl", "mime.types", "fonts"]  # fmt: skip
NO_BWRAP_FIX = (
    "install bubblewrap (`apt-get install bubblewrap`, or `make chromium`) and run the grader as root "
    "(or where unprivileged user namespaces are allowed); to grade without isolation anyway, pass "
    "--no-isolation (the grades are then marked as not isolated)."
)


def python_folders() -> list[str]:
    """Return the folders the sandbox needs to run this Python: its installation and the virtual environment."""
    return sorted({os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)})


def bwrap_problem() -> str:
    """Return why bubblewrap sandboxes cannot run here ("" if they can)."""
    if not Path(BWRAP).is_file() or not Path(SETPRIV).is_file():
        return f"{BWRAP} (bubblewrap) or {SETPRIV} (util-linux) is missing"
    if os.geteuid() != 0:
        return "the grader is not running as root, so the sandbox cannot switch to its own user"
    probe = [*bwrap_arguments(Path("/nonexistent"), Path("/nonexistent"), uid=FIRST_UID, probe=True), "/bin/true"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start ({error})"
    if result.returncode != 0:
        return f"bubblewrap could not start a sandbox: {result.stderr.strip()[:300]}"
    return ""


def require_isolation() -> None:
    """Raise a CourseError naming the fix if sandboxes cannot run here."""
    problem = bwrap_problem()
    if problem:
        raise CourseError(f"submissions cannot be graded in isolation here: {problem}", fix=NO_BWRAP_FIX)


def bwrap_arguments(grader: Path, data: Path, *, uid: int, file_mb: int = 200, probe: bool = False) -> list[str]:
    """Return the bwrap command line (up to the program) for a sandbox over these folders."""
    arguments = [BWRAP, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    arguments += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
    for folder in SYSTEM_FOLDERS:
        arguments += ["--ro-bind-try", folder, folder]
    for name in ETC_FILES:
        arguments += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    size = str(file_mb * MiB)
    for folder in ("/tmp", WORK, "/out"):
        arguments += ["--perms", "1777", "--size", size, "--tmpfs", folder]
    # After the private /tmp: a virtual environment under /tmp (a clone there) must stay visible.
    for folder in python_folders():
        for parent in reversed(Path(folder).parents[:-1]):  # bwrap would make them readable by root only
            arguments += ["--perms", "0755", "--dir", str(parent)]
        arguments += ["--ro-bind", folder, folder]
    arguments += ["--proc", "/proc", "--dev", "/dev"]
    if not probe:
        arguments += ["--ro-bind", str(grader), "/grader"]
        for path in sorted(data.rglob("*")):
            if path.is_file():
                target = f"{WORK}/{path.relative_to(data).as_posix()}"
                arguments += ["--ro-bind", str(path), target]
    arguments += ["--chdir", WORK]
    arguments += [SETPRIV, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all"]
    arguments += ["--bounding-set=-all", "--no-new-privs"]
    return arguments


def sandbox_environment(home: str, grader: str) -> dict[str, str]:
    """Return the whole environment of the sandboxed runner and its kernel."""
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": home,
        "TMPDIR": "/tmp" if home == "/tmp" else home,
        "PYTHONPATH": grader,
        "LANG": "C.UTF-8",
        "NBGRADER_EXECUTION": "autograde",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
        # One thread per numerical library: several kernels share the cores, and every extra thread
        # reserves address space that counts against the memory limit.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
    }


def limiter(memory_mb: int, cpu_seconds: int, file_mb: int, processes: int) -> Callable[[], None]:
    """Return a function that sets the resource limits in the child before it starts bwrap."""

    def apply() -> None:
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MiB, memory_mb * MiB))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * MiB, file_mb * MiB))
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def prepare_grader_folder(folder: Path, plan: dict) -> None:
    """Write the runner, plain_data and the plan (no test cell) into the folder the sandbox reads."""
    folder.mkdir(parents=True)
    for module in (sandbox_runner, plain_data):
        shutil.copyfile(module.__file__, folder / Path(module.__file__).name)
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    for path in [folder, *folder.iterdir()]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def run_participant_cells(
    plan: dict, data: Path, *, isolate: bool, limits: dict, pid_file: str = ""
) -> tuple[dict, list[str]]:
    """Run the plan's cells (sandboxed if `isolate`); return the runner's report and the grader's notes."""
    with tempfile.TemporaryDirectory(prefix="sandbox-") as scratch:
        root = Path(scratch)
        os.chmod(root, 0o755)
        grader = root / "grader"
        prepare_grader_folder(grader, plan)
        if isolate:
            uid = FIRST_UID + os.getpid() % 30000  # one grading process runs one sandbox at a time
            command = [*bwrap_arguments(grader, data, uid=uid, file_mb=limits["file_mb"]), sys.executable, "-s", "-E"]
            command += ["/grader/sandbox_runner.py", "/grader/plan.json", "/out"]
            env, cwd = sandbox_environment("/tmp", "/grader"), None
        else:
            work, out, home = root / "work", root / "out", root / "home"
            for folder in (work, out, home):
                folder.mkdir()
            copy_tree(data, work)
            command = [
                sys.executable,
                "-s",
                "-E",
                str(grader / "sandbox_runner.py"),
                str(grader / "plan.json"),
                str(out),
            ]
            env, cwd = sandbox_environment(str(home), str(grader)), work
        return run_and_read(command, env, cwd, limits, pid_file)


def copy_tree(source: Path, target: Path) -> None:
    """Copy every file of a folder (the submission's data files) into another."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def run_and_read(
    command: list[str], env: dict, cwd: Path | None, limits: dict, pid_file: str
) -> tuple[dict, list[str]]:
    """Start the runner, wait at most the notebook's time limit, and parse at most REPORT_FACTOR x file_mb of its report."""
    timeout = limits["notebook_timeout"] + REPORT_SECONDS
    cap = limits["file_mb"] * MiB * REPORT_FACTOR  # every cell's outputs, the exported values, the written files
    notes: list[str] = []
    with tempfile.TemporaryFile() as errors:
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,  # a pipe: no file-size limit on the report, and the grader caps what it keeps
            stderr=errors,
            cwd=cwd,
            env=env,
            preexec_fn=limiter(limits["memory_mb"], timeout, limits["file_mb"], limits["processes"]),
        )
        if pid_file:
            Path(pid_file).write_text(str(process.pid))
        received: list[bytes] = []
        size = [0]

        def pump() -> None:
            assert process.stdout is not None
            while chunk := process.stdout.read(MiB):
                size[0] += len(chunk)
                if size[0] <= cap:
                    received.append(chunk)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            notes.append(f"the submission was stopped at the {timeout} s limit for a whole notebook")
        reader.join(timeout=30)
        if pid_file:
            Path(pid_file).unlink(missing_ok=True)
        errors.seek(max(0, errors.seek(0, os.SEEK_END) - 4000))
        stderr_tail = errors.read().decode("utf-8", errors="replace")
    if size[0] > cap:
        notes.append(f"the submission's report passed {cap // MiB} MB; none of its answers were read")
        return {}, notes
    reply = parse_report(b"".join(received))
    if type(reply) is not dict or not reply:
        notes.append("the submission's kernel ended before it reported its answers")
        return {"stderr": stderr_tail}, notes
    note_sandbox_timings(reply.get("timings"), started, time.monotonic())
    return reply, notes


def parse_report(blob: bytes) -> dict:
    """Parse the runner's report (untrusted): its JSON part, with each export's bytes in place of its offsets."""
    start = len(sandbox_runner.REPORT_MAGIC) + 8
    if len(blob) < start or not blob.startswith(sandbox_runner.REPORT_MAGIC):
        return {}
    (size,) = struct.unpack("<Q", blob[len(sandbox_runner.REPORT_MAGIC) : start])
    if size > len(blob) - start:
        return {}
    try:
        reply = json.loads(blob[start : start + size].decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return {}
    if type(reply) is not dict:
        return {}
    payload = memoryview(blob)[start + size :]
    places = reply.get("exports") if type(reply.get("exports")) is dict else {}
    exports = {}
    for index, place in places.items():
        if type(place) is list and len(place) == 2 and all(type(n) is int and n >= 0 for n in place):
            offset, length = place
            if offset + length <= len(payload):
                exports[index] = bytes(payload[offset : offset + length])
    reply["exports"] = exports
    return reply


def note_sandbox_timings(reported: object, started: float, ended: float) -> None:
    """Split the sandbox's wall time into start, kernel start, cells, export and report, for the profile.

    The runner's own figures come from inside the sandbox: they feed the benchmark's profile, never a grade.
    """
    if type(reported) is not dict or not all(type(v) is float for v in reported.values()):
        return
    runner_started = reported.get("runner started", started)
    if not started <= runner_started <= ended:
        return
    phases = {"sandbox: start": runner_started - started}
    for key in ("imports", "kernel start", "cells", "export", "kernel stop", "written files"):
        phases[f"sandbox: {key}"] = min(max(reported.get(key, 0.0), 0.0), ended - started)
    phases["sandbox: report"] = max(0.0, ended - started - sum(phases.values()))
    for phase, seconds in phases.items():
        add_time(phase, seconds)
