"""citybook installs as a package: a wheel, installed non-editable in a fresh venv, runs from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # builds a wheel and a venv (about 20 s)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the working tree by the standard build frontend."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("citybook-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (not editable); its dependencies come from this test venv."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # Reuse the test environment's third-party packages through a .pth line instead of downloading them
    # again; that folder's own .pth files (the editable citybook finder) are not processed this way.
    site_packages = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site_packages / "test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    return env_dir


def run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a command from the fresh venv in a folder outside the repository."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_wheel_carries_the_package_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "citybook/book/static/citybook-charts.js",
        "citybook/book/static/citybook.css",
        "citybook/book/templates/layout.html",
        "citybook/yourcity/presets/nyc-socrata.yaml",
        "citybook/yourcity/examples/corvella-raw.yaml",
        "citybook/yourcity/templates/report.html.j2",
        "citybook/city/templates/README.md.j2",
        "citybook/city/templates/PLANTED_EFFECTS.md.j2",
        "citybook/city/templates/data-catalogue.md.j2",
        "citybook/course/templates/cohort-report.html.j2",
    ):
        assert needed in names, f"{needed} is missing from the wheel"
    assert not [n for n in names if n.startswith(("tests/", "lessons/", "datasets/"))]


def test_citybook_is_imported_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "python", "-c", "import citybook; print(citybook.__file__)", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    where = Path(result.stdout.strip())
    assert installed in where.parents, f"citybook came from {where}, not from the fresh venv"


def test_the_course_command_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "course", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "autograde" in result.stdout and "release" in result.stdout


def test_the_city_generator_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "city"
    result = run(installed, "python", "-m", "citybook.city", "--out", str(out), "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package = out / "datapackage.json"
    assert package.exists(), f"no datapackage.json in {sorted(p.name for p in out.iterdir())}"
    assert (out / "service_requests.csv.gz").stat().st_size > 1_000_000
