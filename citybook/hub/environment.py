"""The environment every server on the hub runs from: one venv, readable by every user.

Built from the project's lock (every package pinned by version and hash) with a Python that other
users can run. Here the usual `python3` lives under /root (mode 700), so a venv made from it works
for root only; the hub's venv is made from /usr/bin/python3 (CITYBOOK_HUB_PYTHON to choose another).
The lock is resolved for Python 3.11, so that Python must be 3.11. What is installed is the one
definition of the participants' environment, binder/ (as repo2docker builds the Kubernetes image):
binder/requirements.txt (the lock), then, as binder/postBuild does, the curriculum's own package
(citybook, for `course`) from a copy of the repository's sources, not as an editable link, so the
venv does not depend on the repository staying where it is or readable. (The per-role settings that
postBuild also copies are laid out by citybook.hub.site for a hub on one machine.)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from citybook.hub.errors import HubError
from citybook.paths import ROOT

DEFAULT_PYTHON = "/usr/bin/python3"
LOCK = ROOT / "requirements-lock.txt"
# The one definition of the participants' environment (repo2docker reads the same folder).
REQUIREMENTS = ROOT / "binder" / "requirements.txt"
LOCK_PYTHON = (3, 11)
STAMP = ".citybook-hub"


def world_usable(path: Path) -> bool:
    """True if every user can reach and read this path (each folder above it searchable by others)."""
    path = path.resolve()
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        needed = stat.S_IXOTH if folder != path else (stat.S_IROTH | (stat.S_IXOTH if folder.is_dir() else 0))
        if mode & needed != needed:
            return False
    return True


def check_python(python: str) -> Path:
    """Return the Python to build from, or explain why it will not do."""
    found = shutil.which(python)
    if not found:
        raise HubError(
            f"no Python at {python}",
            fix="apt-get install python3 python3-venv, or set CITYBOOK_HUB_PYTHON to a Python 3.11 "
            "that every user can run.",
        )
    version = subprocess.run(
        [found, "-c", "import sys; print(sys.version_info[0], sys.version_info[1])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if tuple(int(part) for part in version) != LOCK_PYTHON:
        raise HubError(
            f"{found} is Python {'.'.join(version)}, but requirements-lock.txt is resolved for 3.11",
            fix="set CITYBOOK_HUB_PYTHON to a Python 3.11 every user can run, e.g. "
            "`uv python install 3.11 --install-dir /opt/python` then "
            "CITYBOOK_HUB_PYTHON=/opt/python/cpython-3.11*/bin/python3.11",
        )
    real = Path(found).resolve()
    base = Path(
        subprocess.run(
            [found, "-c", "import sys; print(sys.base_prefix)"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    if not world_usable(real) or not world_usable(base):
        raise HubError(
            f"{real} cannot be run by other users (a folder above it is private, e.g. /root)",
            fix="use a Python installed outside /root: /usr/bin/python3 (apt-get install python3-venv), or "
            "set CITYBOOK_HUB_PYTHON to a copy under /opt.",
        )
    return Path(found)


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def package_files() -> list[Path]:
    """The files that make the citybook package (what a reinstall depends on)."""
    return sorted(
        path for path in (ROOT / "citybook").rglob("*") if path.is_file() and "__pycache__" not in path.parts
    ) + [ROOT / "pyproject.toml"]


def _pip(venv: Path, *args: str) -> None:
    command = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise HubError(
            f"pip could not install into the hub's environment {venv}:\n{result.stderr.strip()[-3000:]}",
            fix="check that the package index is reachable; delete the folder and run again to start afresh.",
        )


def ensure_venv(venv: Path, python: str | None = None, log=print) -> Path:
    """Build or update the hub's venv at `venv`; return the path of its bin folder."""
    python = python or os.environ.get("CITYBOOK_HUB_PYTHON", DEFAULT_PYTHON)
    stamp_file = venv / STAMP
    lock_stamp = _digest([REQUIREMENTS, LOCK])
    package_stamp = _digest(package_files())
    old = stamp_file.read_text().split() if stamp_file.exists() else []
    if old == [lock_stamp, package_stamp]:
        return venv / "bin"
    old_umask = os.umask(0o022)  # every user must be able to read and run what is installed
    try:
        if not old or old[0] != lock_stamp:
            base = check_python(python)
            if venv.exists():
                shutil.rmtree(venv)
            log(f"Building the hub's environment in {venv} from {base} (binder/requirements.txt; a few minutes)...")
            venv.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([str(base), "-m", "venv", str(venv)], check=True)
            _pip(venv, "--require-hashes", "-r", str(REQUIREMENTS))
        log(f"Installing the curriculum's package (citybook) into {venv}...")
        with tempfile.TemporaryDirectory(prefix="citybook-src-") as tmp:
            # A copy, so the build leaves no build/ or egg-info in the repository.
            source = Path(tmp) / "src"
            source.mkdir()
            shutil.copytree(ROOT / "citybook", source / "citybook", ignore=shutil.ignore_patterns("__pycache__"))
            for name in ("pyproject.toml", "README.md", "LICENSE"):
                shutil.copy(ROOT / name, source / name)
            _pip(venv, "--no-deps", "--force-reinstall", str(source))
        stamp_file.write_text(f"{lock_stamp} {package_stamp}\n")
    finally:
        os.umask(old_umask)
    if not world_usable(venv / "bin" / "python"):
        raise HubError(
            f"the hub's environment {venv} is not readable by other users",
            fix=f"put it under a folder everyone can enter (e.g. /opt), or chmod o+rx the folders above {venv}.",
        )
    return venv / "bin"
