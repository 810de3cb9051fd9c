"""The course command's own records (JSON under <course>/.course/) and files replaced in one step."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path


def ensure_dir(path: Path) -> Path:
    """Create a folder (and its parents) if needed, and return it."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_json(path: Path, default: object) -> object:
    """Return a JSON file's content, or `default` when the file does not exist yet."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def write_atomically(path: Path, data: bytes) -> None:
    """Replace a file in one step, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json(path: Path, value: object) -> None:
    """Write a JSON record atomically, sorted and indented so that it diffs well."""
    write_atomically(path, (json.dumps(value, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8"))


def folder_fingerprint(folder: Path) -> str:
    """Return a SHA-256 over every file's relative path and bytes (changes when any file changes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def replace_folder(new: Path, destination: Path) -> None:
    """Put a folder in place of another: copy beside it, then swap, so readers never see half of it."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = destination.with_name(f".{destination.name}.incoming")
    retired = destination.with_name(f".{destination.name}.retired")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(new, staging)
    if destination.exists():
        destination.rename(retired)
    staging.rename(destination)
    shutil.rmtree(retired, ignore_errors=True)
