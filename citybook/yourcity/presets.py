"""Built-in mappings for the common 311 portals, recognised from an export's headers."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources

import yaml

from citybook.yourcity.errors import CityDataError
from citybook.yourcity.mapping import Mapping, mapping_from_dict, normalise_header

PRESET_DIR = resources.files("citybook.yourcity") / "presets"


def preset_names() -> list[str]:
    """Return the built-in presets' names (their file names without .yaml), sorted."""
    return sorted(p.name.removesuffix(".yaml") for p in PRESET_DIR.iterdir() if p.name.endswith(".yaml"))


def preset_text(name: str) -> str:
    """Return a preset's YAML, to read or to copy as a starting point."""
    path = PRESET_DIR / f"{name}.yaml"
    if not path.is_file():
        raise CityDataError(
            f"there is no built-in preset called {name!r}",
            example=name,
            fix=f"use one of: {', '.join(preset_names())}, or write a mapping (--template).",
        )
    return path.read_text(encoding="utf-8")


def load_preset(name: str) -> Mapping:
    """Return a built-in preset as a Mapping."""
    return replace(mapping_from_dict(yaml.safe_load(preset_text(name)), f"preset {name}"), is_preset=True)


def detect_preset(headers: list[str]) -> str | None:
    """Return the preset whose `detect` headers all appear in the export (the most specific wins), or None."""
    present = {normalise_header(h) for h in headers}
    matches = []
    for name in preset_names():
        wanted = {normalise_header(h) for h in load_preset(name).detect}
        if wanted and wanted <= present:
            matches.append((-len(wanted), name))
    return min(matches)[1] if matches else None
