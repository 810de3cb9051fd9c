"""Every requirements file pins packages from the index: no file, local path or URL can slip in again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check_requirements.py"
REQUIREMENT_FILES = sorted([*ROOT.glob("requirements*.txt"), ROOT / "binder" / "requirements.txt"])


def check(*files: Path) -> subprocess.CompletedProcess:
    """Run the same checker `make lock` runs."""
    return subprocess.run([sys.executable, str(CHECK), *map(str, files)], capture_output=True, text=True)


def test_the_project_has_its_requirement_files() -> None:
    names = {p.name for p in REQUIREMENT_FILES}
    assert {"requirements.txt", "requirements-dev.txt", "requirements-lock.txt"} <= names


@pytest.mark.parametrize("path", REQUIREMENT_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_line_is_an_index_pin(path: Path) -> None:
    result = check(path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "planted",
    [
        "vl-convert-python @ file:///tmp/vlc/vl_convert_python-1.9.0-cp37-abi3-manylinux.whl#sha256=00",
        "citybook @ https://example.org/citybook-0.1.tar.gz",
        "./wheels/pandas-3.1.1-cp311-cp311-linux_x86_64.whl",
        "-e .",
        "--find-links /opt/wheels",
        "pandas>=2",
    ],
)
def test_a_planted_bad_line_fails_the_check(tmp_path: Path, planted: str) -> None:
    lock = tmp_path / "requirements-lock.txt"
    lock.write_text((ROOT / "requirements-lock.txt").read_text() + planted + "\n")
    result = check(lock)
    assert result.returncode == 1
    assert planted.split()[0] in result.stderr and "requirements-lock.txt:" in result.stderr


def test_the_lock_pins_every_package_with_a_hash() -> None:
    lines = (ROOT / "requirements-lock.txt").read_text().splitlines()
    pins = [i for i, line in enumerate(lines) if "==" in line and not line.startswith(("#", " "))]
    assert len(pins) > 100
    unhashed = [lines[i] for i in pins if i + 1 >= len(lines) or "--hash=sha256:" not in lines[i + 1]]
    assert not unhashed, f"pinned without a hash: {unhashed[:5]}"


def test_the_lock_holds_every_direct_requirement_at_its_pin() -> None:
    lock = (ROOT / "requirements-lock.txt").read_text().lower().replace("_", "-")
    for name in ("requirements.txt", "requirements-dev.txt"):
        for raw in (ROOT / name).read_text().splitlines():
            pin = raw.split("#", 1)[0].strip().lower().replace("_", "-")
            if pin:
                assert f"\n{pin} \\" in lock, f"{name}: {pin} is not what requirements-lock.txt pins"


def test_the_binder_environment_is_the_lock() -> None:
    def body(path: Path) -> list[str]:
        return [line for line in path.read_text().splitlines() if not line.startswith("#")]

    assert body(ROOT / "binder" / "requirements.txt") == body(ROOT / "requirements-lock.txt")
