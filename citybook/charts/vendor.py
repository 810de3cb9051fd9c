"""The browser libraries the book serves itself, taken from the pinned npm install."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from citybook.paths import NODE_MODULES, ROOT

# Under _static; pydata-sphinx-theme already uses _static/vendor for its own files.
VENDOR_DIR = "chart-libraries"
# Load order matters: vega-embed expects vega to be defined. (No Vega-Lite: specs are compiled at build.)
CHART_LIBRARIES = (
    ("vega", "build/vega.min.js"),
    ("vega-embed", "build/vega-embed.min.js"),
)


class VendorFilesMissing(RuntimeError):
    """The pinned browser libraries are not installed (or not at the pinned version)."""


def pinned_versions(manifest: Path = ROOT / "package.json") -> dict[str, str]:
    """Return the exact versions package.json pins, dependencies and devDependencies."""
    data = json.loads(manifest.read_text())
    return {**data.get("dependencies", {}), **data.get("devDependencies", {})}


def installed_file(package: str, relative: str, node_modules: Path = NODE_MODULES) -> Path:
    """Return the path of a file in an installed npm package, checking its version first."""
    package_dir = node_modules / package
    wanted = pinned_versions()[package]
    try:
        found = json.loads((package_dir / "package.json").read_text())["version"]
    except FileNotFoundError:
        found = None
    if found != wanted:
        raise VendorFilesMissing(
            f"{package} {wanted} is needed in {node_modules} but "
            + (f"{found} is installed" if found else "it is not installed")
            + ". Run `make book` (it runs `npm ci`) to install the pinned browser libraries."
        )
    return package_dir / relative


def chart_script_paths() -> list[str]:
    """Return the chart libraries' paths under _static, in load order."""
    return [f"{VENDOR_DIR}/{package}/{Path(relative).name}" for package, relative in CHART_LIBRARIES]


def copy_chart_libraries(static_dir: Path) -> None:
    """Copy the chart libraries, and a notice of their licences, into the book's _static folder."""
    notice = ["Third-party browser libraries served by this book (installed from npm at build time):", ""]
    for package, relative in CHART_LIBRARIES:
        source = installed_file(package, relative)
        target_dir = static_dir / VENDOR_DIR / package
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target_dir / source.name)
        meta = json.loads((NODE_MODULES / package / "package.json").read_text())
        notice.append(f"{package} {meta['version']}: {meta.get('license', 'see package')}")
        licence_file = NODE_MODULES / package / "LICENSE"
        if licence_file.exists():
            shutil.copyfile(licence_file, target_dir / "LICENSE")
    (static_dir / VENDOR_DIR / "NOTICE.txt").write_text("\n".join(notice) + "\n")
