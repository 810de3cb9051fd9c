"""Leaf helpers for writing files reproducibly: write-if-changed and deterministic zips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write bytes to path unless it already holds them, so unchanged builds stay unchanged."""
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def deterministic_zip(files: dict[str, Path]) -> bytes:
    """Return a zip of files (archive name to path) whose bytes depend only on the contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name].read_bytes())
    return buffer.getvalue()
