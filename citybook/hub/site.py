"""The hub's folders and settings on one machine, and starting JupyterHub over them.

    <root>/exchange          nbgrader's exchange (mode 0777, as nbgrader needs; it makes the course's
                             inbound folder write-only for participants itself)
    <root>/etc/common        nbgrader_config.py every server reads: the course id and the exchange
    <root>/etc/<role>        per-role Jupyter settings, copied from deploy/hub/roles/
    <root>/state             the hub's database, cookie secret and log (root only)
    <root>/hub.json          what deploy/hub/jupyterhub_config.py reads (ports, users, paths)

Each instructor gets the course in ~/course (source notebooks and their data), once; releasing,
collecting and grading stay the instructor's job, with the `course` command.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from citybook.hub.accounts import Cohort
from citybook.hub.errors import HubError
from citybook.paths import ASSIGNMENTS, NODE_MODULES, ROOT

CONFIG_FILE = ROOT / "deploy" / "hub" / "jupyterhub_config.py"
ROLES = ROOT / "deploy" / "hub" / "roles"
PROXY = NODE_MODULES / ".bin" / "configurable-http-proxy"
COURSE_ID = "city-data-leaders"

COMMON_NBGRADER_CONFIG = '''"""Written by `make hub` (citybook.hub.site): the exchange every server on this hub shares."""

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True
c.Exchange.timezone = "UTC"
'''


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class HubSite:
    """One hub on this machine: where its folders are, who uses it, which ports it listens on."""

    root: Path
    venv: Path
    cohort: Cohort
    port: int = 8100
    hub_port: int = 0
    proxy_api_port: int = 0
    course_id: str = COURSE_ID
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The address users open."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def exchange(self) -> Path:
        """nbgrader's exchange root."""
        return self.root / "exchange"

    @property
    def state(self) -> Path:
        """The hub's private folder."""
        return self.root / "state"

    @property
    def log(self) -> Path:
        """The hub's log file."""
        return self.state / "jupyterhub.log"

    def settings(self) -> dict:
        """What jupyterhub_config.py reads."""
        return {
            "ip": "127.0.0.1",
            "port": self.port,
            "hub_port": self.hub_port,
            "proxy_api_port": self.proxy_api_port,
            "proxy_command": str(PROXY),
            "venv": str(self.venv),
            "state": str(self.state),
            "instructors": list(self.cohort.instructors),
            "participants": list(self.cohort.participants),
            "config_path": {
                role: [str(self.root / "etc" / role), str(self.root / "etc" / "common")]
                for role in ("instructor", "participant")
            },
        }

    def prepare(self) -> Path:
        """Lay out the folders and settings; give each instructor the course; return hub.json."""
        if not PROXY.exists():
            raise HubError(f"configurable-http-proxy is not installed ({PROXY})", fix="run `make setup` (npm ci).")
        self.hub_port = self.hub_port or free_port()
        self.proxy_api_port = self.proxy_api_port or free_port()
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self.exchange.mkdir(exist_ok=True)
        self.exchange.chmod(0o777)
        self.state.mkdir(exist_ok=True)
        self.state.chmod(0o700)
        etc = self.root / "etc"
        if etc.exists():
            shutil.rmtree(etc)
        shutil.copytree(ROLES, etc, ignore=shutil.ignore_patterns("README.md"))
        (etc / "common").mkdir()
        (etc / "common" / "nbgrader_config.py").write_text(
            COMMON_NBGRADER_CONFIG.format(course_id=self.course_id, exchange=str(self.exchange))
        )
        for path in [etc, *etc.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        for name in self.cohort.instructors:
            give_course(name)
        settings = self.root / "hub.json"
        settings.write_text(json.dumps(asdict_settings(self), indent=2) + "\n")
        settings.chmod(0o600)
        return settings

    def start(self, password: str) -> subprocess.Popen:
        """Start JupyterHub (as root) in the background; return once its login page answers."""
        settings = self.prepare()
        env = {
            **os.environ,
            **self.extra_env,
            "CITYBOOK_HUB_SETTINGS": str(settings),
            "CITYBOOK_HUB_PASSWORD": password,
            "PATH": os.pathsep.join([str(self.venv / "bin"), os.environ.get("PATH", "/usr/bin:/bin")]),
        }
        log = self.log.open("ab")
        process = subprocess.Popen(
            [str(self.venv / "bin" / "jupyterhub"), "-f", str(CONFIG_FILE)],
            cwd=self.state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(f"{self.url}/hub/login", process, self.log)
        except BaseException:  # it did not come up, or Ctrl-C while starting: leave nothing running
            process.terminate()
            process.wait(timeout=60)
            raise
        return process


def asdict_settings(site: HubSite) -> dict:
    """The settings, plus the cohort, as plain JSON."""
    data = site.settings()
    data["cohort"] = asdict(site.cohort)
    return data


def give_course(instructor: str) -> Path:
    """Copy the course (config, source notebooks, their data) into ~instructor/course, once."""
    from citybook.course.catalogue import CATALOGUE, copy_data
    from citybook.course.config import Course

    account = pwd.getpwnam(instructor)
    course = Path(account.pw_dir) / "course"
    if course.exists():
        return course  # the instructor's own work: never overwritten
    course.mkdir()
    shutil.copy(ASSIGNMENTS / "nbgrader_config.py", course / "nbgrader_config.py")
    for assignment_id in CATALOGUE:
        shutil.copytree(
            ASSIGNMENTS / "source" / assignment_id,
            course / "source" / assignment_id,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
        copy_data(Course.open(course), assignment_id)
    for path in [course, *course.rglob("*")]:
        os.chown(path, account.pw_uid, account.pw_gid)
    return course


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Wait until the URL answers, or fail with the end of the hub's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise HubError(f"JupyterHub stopped while starting:\n{tail(log)}", fix="read the log above.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise HubError(f"JupyterHub did not answer at {url} within {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file."""
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
