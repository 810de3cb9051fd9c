"""The grading process's warm test process: one per grading process, forking a fresh child per notebook.

Starting Python, importing pandas and running the instructor's first read-only cells (imports, loading
the data) is the same for every submission of an assignment. So each grading process keeps one
`python -m citybook.course.test_replay --serve` that has done it once, in a folder holding the
assignment's data files, and asks it to fork a child for each notebook: the child starts from that
state, reads only its own notebook's plain values, runs the tests and ends (see test_replay.serve).
The server never reads a participant's values; no child sees another's. A new set of leading cells
or data files starts a new server. When the server cannot start or answer, the caller falls back to
one fresh process per notebook.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from citybook.course.timings import add_time

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class ReplayServerError(Exception):
    """The warm test process did not start or did not answer."""


def replay_environment(home: str) -> dict[str, str]:
    """Return the whole environment of a test process."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": home,
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": home,
        "PYTHONPATH": PACKAGE_ROOT,
        "OPENBLAS_NUM_THREADS": "1",  # one thread: a process that forks must not hold others
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def leading_instructor_cells(plan: dict) -> list[str]:
    """Return the sources of the instructor's cells before any participant's cell or test (run once per server)."""
    prefix = []
    for step in plan["steps"]:
        if step["kind"] != "instructor":
            break
        prefix.append(step["source"])
    return prefix


def data_key(prefix: list[str], data: Path, cell_timeout: int) -> str:
    """Return a digest of what a server's warm state depends on: the leading cells and the data files."""
    digest = hashlib.sha256(json.dumps([prefix, cell_timeout]).encode())
    for path in sorted(data.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(data).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class ReplayServer:
    """A warm test process and the folder of data files it runs in."""

    def __init__(self, key: str, prefix: list[str], data: Path, cell_timeout: int) -> None:
        self.key = key
        self.folder = Path(tempfile.mkdtemp(prefix="tests-server-"))
        shutil.copytree(data, self.folder / "work")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "citybook.course.test_replay", "--serve"],
            cwd=self.folder / "work",
            env=replay_environment(str(self.folder)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            self.send({"prefix": prefix, "cell_timeout": cell_timeout})
            self.receive("ready", cell_timeout * (len(prefix) + 1) + 60)
        except ReplayServerError:
            self.close()
            raise
        add_time("replay: server start", time.perf_counter() - started)

    def send(self, message: dict) -> None:
        """Write one request line."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except OSError as error:
            raise ReplayServerError(f"the test process stopped ({error})") from error

    def receive(self, key: str, timeout: float) -> dict:
        """Read one reply line holding `key` within `timeout` seconds."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        try:
            reply = json.loads(line) if line else {}
        except ValueError:
            reply = {}
        if key not in reply:
            raise ReplayServerError("the test process did not answer" if ready else "the test process timed out")
        return reply

    def replay(self, plan: Path, result: Path, work: Path, home: Path, timeout: float) -> None:
        """Replay one notebook's plan in a forked child; raise TimeoutError if it runs past `timeout`."""
        self.send({"plan": str(plan), "result": str(result), "work": str(work), "home": str(home)})
        child = self.receive("pid", 30)["pid"]
        try:
            self.receive("exit", timeout)
        except ReplayServerError as error:
            if type(child) is int and child > 0:
                try:
                    os.kill(child, signal.SIGKILL)
                except OSError:
                    pass
            raise TimeoutError("the tests ran past the notebook's time limit") from error

    def close(self) -> None:
        """Stop the server (end of its input, then a kill if needed) and remove its folder."""
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


SERVERS: dict[str, ReplayServer] = {}  # at most one: this grading process's


def server_for(prefix: list[str], data: Path, cell_timeout: int) -> ReplayServer:
    """Return this process's warm test process for these leading cells and data files, starting it if needed."""
    key = data_key(prefix, data, cell_timeout)
    server = SERVERS.get("current")
    if server is not None and (server.key != key or server.process.poll() is not None):
        stop_server()
        server = None
    if server is None:
        server = SERVERS["current"] = ReplayServer(key, prefix, data, cell_timeout)
    return server


def stop_server() -> None:
    """Stop this process's warm test process, if any."""
    server = SERVERS.pop("current", None)
    if server is not None:
        server.close()


atexit.register(stop_server)
