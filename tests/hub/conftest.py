"""A real JupyterHub for the test: fresh system users, the shared environment, an exchange, on 127.0.0.1.

Everything is made here and removed afterwards (users and their homes, the hub's folder). The shared
environment is kept between runs in /opt/citybook-hub/venv (CITYBOOK_HUB_VENV to move it), rebuilt
when requirements-lock.txt changes, as `make hub` does.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from citybook.hub.accounts import Cohort, ensure_users, remove_users
from citybook.hub.environment import ensure_venv
from citybook.hub.site import HubSite, free_port
from tests.hub.cohort import PARTICIPANTS

DEFAULT_VENV = Path("/opt/citybook-hub/venv")


@dataclass
class RunningHub:
    """A started hub and what the test needs to use it."""

    site: HubSite
    password: str
    process: subprocess.Popen
    users: dict[str, str]  # participant label -> hub user name

    @property
    def instructor(self) -> str:
        """The test's instructor's user name."""
        return self.site.cohort.instructors[0]


def stop(process: subprocess.Popen) -> None:
    """Stop the hub (it stops users' servers and its proxy), then anything left in its session."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the proxy, if the hub could not stop it
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def hub() -> Iterator[RunningHub]:
    """A running hub with one instructor and the three test participants."""
    if os.geteuid() != 0:
        pytest.fail("The hub test creates system users, so it runs as root (as `make test` does in CI).")
    tag = secrets.token_hex(3)
    users = {participant.label: f"t{tag}-{participant.label}" for participant in PARTICIPANTS}
    cohort = Cohort(instructors=(f"t{tag}-teacher",), participants=tuple(users.values()))
    root = Path(tempfile.mkdtemp(prefix="citybook-hub-test-"))
    venv = Path(os.environ.get("CITYBOOK_HUB_VENV", DEFAULT_VENV))
    created: list[str] = []
    process = None
    try:
        ensure_venv(venv)
        created = ensure_users(cohort.everyone)
        assert created == list(cohort.everyone), "test users with these random names already existed"
        site = HubSite(root=root, venv=venv, cohort=cohort, port=free_port())
        password = secrets.token_urlsafe(12)
        process = site.start(password)
        yield RunningHub(site=site, password=password, process=process, users=users)
    finally:
        if process is not None:
            stop(process)
        remove_users(created)
        shutil.rmtree(root, ignore_errors=True)
