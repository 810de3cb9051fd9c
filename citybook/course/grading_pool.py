"""The pool of grading processes: N slots, each running one long-lived `citybook.course.grading_process`.

A slot sends one job, waits for its reply with a deadline, and on overrun (or a crash) stops its worker
and that worker's kernel, then starts a fresh worker for the next job. So one stuck submission costs
one slot for one deadline, never the run.
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import subprocess
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path


def failed(job: dict, reason: str) -> dict:
    """Return the reply for a job whose worker did not answer."""
    return {
        "student_id": job["student_id"],
        "status": "failed",
        "reason": reason,
        "notes": [],
        "log": "",
        "private_dir": job.get("private_dir", ""),
    }


def stop_process(pid: int, marker: str = "") -> None:
    """Kill a process (and, for a worker, its process group); with a marker, only if its command has it."""
    try:
        if marker:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if marker not in command:
                return
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass


class WorkerSlot:
    """One worker process and the kernel it may have running."""

    def __init__(self, index: int, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.pid_file = run_dir / f"slot-{index}.kernel.pid"
        self.log_path = run_dir / f"slot-{index}.log"
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "citybook.course.grading_process"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=self.run_dir,
                text=True,
                start_new_session=True,
            )
        return self.process

    def grade(self, job: dict, deadline: float) -> dict:
        """Send a job to this slot's worker and return its reply, or a failure after `deadline` seconds."""
        process = self.process if self.process and self.process.poll() is None else self._start()
        self.pid_file.unlink(missing_ok=True)
        assert process.stdin and process.stdout
        try:
            process.stdin.write(json.dumps({**job, "pid_file": str(self.pid_file)}) + "\n")
            process.stdin.flush()
        except BrokenPipeError:
            self.stop()
            return failed(job, "the grading process could not start (see the slot log)")
        ready, _, _ = select.select([process.stdout], [], [], deadline)
        if not ready:
            self.stop()
            return failed(job, f"stopped after {deadline:.0f} s, the limit for one submission")
        line = process.stdout.readline()
        if not line:
            code = self.stop()
            return failed(job, f"the grading process ended unexpectedly (exit code {code})")
        return json.loads(line)

    def stop(self) -> int | None:
        """Kill this slot's worker (its whole process group) and the kernel it started."""
        if self.pid_file.exists():
            try:
                stop_process(int(self.pid_file.read_text()), marker="sandbox_runner")
            except ValueError:
                pass
        if self.process is None:
            return None
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
        code = self.process.wait()
        self.process = None
        return code

    def close(self) -> None:
        """Ask the worker to finish (end of its input), then make sure it has."""
        if self.process and self.process.poll() is None and self.process.stdin:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.stop()


def run_jobs(jobs: Iterable[dict], workers: int, run_dir: Path, deadline: float) -> Iterator[dict]:
    """Grade jobs on `workers` slots in parallel; yield each reply as soon as it arrives."""
    slots: queue.Queue[WorkerSlot] = queue.Queue()
    all_slots = [WorkerSlot(index, run_dir) for index in range(workers)]
    for slot in all_slots:
        slots.put(slot)

    def on_a_slot(job: dict) -> dict:
        slot = slots.get()
        try:
            return slot.grade(job, deadline)
        finally:
            slots.put(slot)

    executor = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [executor.submit(on_a_slot, job) for job in jobs]
        for future in as_completed(futures):
            yield future.result()
    finally:
        # On an interruption, drop the queued jobs; stopping the slots unblocks the running ones.
        executor.shutdown(wait=False, cancel_futures=True)
        for slot in all_slots:
            slot.close()
        executor.shutdown(wait=True)
