"""Bring one gettext catalogue in line with its English template, writing it only when a message changed."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def merge_catalogue(path: Path, template: Catalog, language: str) -> Path:
    """Add new messages, mark changed ones fuzzy (old translation kept), drop removed ones; return the path."""
    if path.exists():
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
    else:
        catalogue = Catalog(locale=language, project="citybook", fuzzy=False)
    catalogue.update(template, update_header_comment=False, update_creation_date=False)
    catalogue.obsolete.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=0, omit_header=False, include_lineno=False, sort_output=False)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())
    return path
