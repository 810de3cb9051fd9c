"""The cohort's system accounts: one Linux user per hub user (JupyterHub's LocalProcessSpawner).

JupyterHub starts each user's server as that Linux user, so nbgrader's exchange sees real owners:
a participant can only write into the course's inbound folder, and collect checks who submitted.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass

from citybook.hub.errors import HubError

# Linux and JupyterHub both accept these: lower case, a letter first, at most 32 characters.
NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
# A shell, so instructors can run `course` in JupyterLab's terminal; the accounts have no password (no SSH log-in).
SHELL = "/bin/bash"


@dataclass(frozen=True)
class Cohort:
    """Who uses the hub: instructors (formgrader, course folder) and participants."""

    instructors: tuple[str, ...]
    participants: tuple[str, ...]

    def __post_init__(self) -> None:
        for name in self.everyone:
            if not NAME.match(name):
                raise HubError(
                    f"'{name}' cannot be a hub user name",
                    fix="use lower-case letters, digits and '-', starting with a letter, at most 32 characters.",
                )
        if set(self.instructors) & set(self.participants):
            raise HubError("someone is both an instructor and a participant", fix="list each person once.")
        if not self.instructors:
            raise HubError("the cohort has no instructor", fix="name at least one instructor.")

    @property
    def everyone(self) -> tuple[str, ...]:
        """Every user, instructors first."""
        return self.instructors + self.participants


def require_root() -> None:
    """Stop with a clear message unless running as root (needed for useradd and for spawning as users)."""
    if os.geteuid() != 0:
        raise HubError(
            "the hub must be set up and run as root: it creates system users and starts each user's "
            "server as that user",
            fix="run `sudo make hub` (a test machine) or follow the guide's 'Run a cohort hub' for a server.",
        )


def exists(name: str) -> bool:
    """True if a system user of that name exists."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def ensure_users(names: tuple[str, ...] | list[str]) -> list[str]:
    """Create the system users that are missing (home in /home/<name>, no login shell); return those created."""
    require_root()
    if shutil.which("useradd") is None:
        raise HubError("useradd is not installed", fix="apt-get install passwd (Debian/Ubuntu).")
    created = []
    for name in names:
        if exists(name):
            continue
        result = subprocess.run(
            ["useradd", "--create-home", "--shell", SHELL, "--comment", "citybook hub user", name],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise HubError(f"could not create the system user '{name}': {result.stderr.strip()}")
        os.chmod(pwd.getpwnam(name).pw_dir, 0o700)  # participants cannot read each other's work
        created.append(name)
    return created


def stop_processes(name: str, grace: float = 5.0) -> None:
    """End every process that runs as this user (their Jupyter server and kernels), politely first."""
    uid = pwd.getpwnam(name).pw_uid

    def pids() -> list[int]:
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.stat(f"/proc/{entry}").st_uid == uid:
                        found.append(int(entry))
                except FileNotFoundError:
                    pass
        return found

    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while pids() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not pids():
            return


def remove_users(names: tuple[str, ...] | list[str]) -> None:
    """Delete these system users and their homes (only users this code created: the caller keeps the list)."""
    require_root()
    for name in names:
        if not exists(name):
            continue
        stop_processes(name)
        result = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if result.returncode not in (0, 12):  # 12: the home folder was already gone
            raise HubError(f"could not remove the system user '{name}': {result.stderr.strip()}")
