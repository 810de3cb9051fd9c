"""The assignments' instructions, for translation: one message per paragraph of each instruction cell.

An assignment is written once, in English (assignments/source/<id>/<id>.ipynb). Its Markdown
instruction cells (not the graded cells: code, tests and the memo answer cell stay as they are) are
split into paragraphs, each a message of `locales/<lang>/LC_MESSAGES/assignments/<id>.po`.
`translate_notebook` puts the translations back, cell by cell, so a translated copy of the source
differs from the English only in those cells, and nbgrader releases it with the same checksums.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from citybook.i18n.catalogues import merge_catalogue
from citybook.i18n.translate import LOCALES
from citybook.paths import ASSIGNMENTS

ASSIGNMENT_CATALOGUES = "LC_MESSAGES/assignments"
SOURCES = ASSIGNMENTS / "source"
# A blank line (with any spaces) separates two paragraphs; a code fence keeps its blank lines.
_BLANK = re.compile(r"(\n[ \t]*\n\s*)")
_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)
NBGRADER_FLAGS = ("grade", "solution", "locked", "task")


def is_instruction(cell: dict[str, Any]) -> bool:
    """True for a Markdown cell nbgrader does not track: instructions, questions and memo prompts."""
    flags = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "markdown" and not any(flags.get(name) for name in NBGRADER_FLAGS)


def cell_text(cell: dict[str, Any]) -> str:
    """A cell's source as one string (notebooks store it as a list of lines or one string)."""
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def split_paragraphs(text: str) -> list[tuple[str, str]]:
    """Split Markdown into (paragraph, separator) pairs; joining them all gives the text back exactly.

    A paragraph is a block between blank lines: a heading, a paragraph, a whole list, a whole table,
    or a whole fenced code block (blank lines inside a fence do not split it).
    """
    body = text.strip()
    if not body:
        return [("", text)] if text else []
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(lead) + len(body) :]
    pieces = _BLANK.split(body)
    blocks: list[tuple[str, str]] = [("", lead)] if lead else []
    for index in range(0, len(pieces), 2):
        block, separator = pieces[index], pieces[index + 1] if index + 1 < len(pieces) else ""
        if len(blocks) > bool(lead) and len(_FENCE.findall(blocks[-1][0])) % 2:  # inside a fence: glue it on
            previous, gap = blocks.pop()
            block = previous + gap + block
        blocks.append((block, separator))
    last, gap = blocks[-1]
    blocks[-1] = (last, gap + trail)
    return blocks


def is_message(paragraph: str) -> bool:
    """True for a paragraph with words to translate (not blank, not a rule or a lone number)."""
    return bool(re.search(r"[A-Za-z]", paragraph))


def notebook_messages(notebook: dict[str, Any]) -> list[tuple[str, str]]:
    """Return each instruction paragraph of a notebook once, with the id of the cell it comes from."""
    found: list[tuple[str, str]] = []
    for index, cell in enumerate(notebook["cells"]):
        if is_instruction(cell):
            for paragraph, _ in split_paragraphs(cell_text(cell)):
                if is_message(paragraph):
                    found.append((paragraph, str(cell.get("id", f"cell-{index}"))))
    return found


def assignment_template(notebook: dict[str, Any]) -> Catalog:
    """The message template of one assignment notebook."""
    template = Catalog(project="citybook", fuzzy=False)
    for message, place in notebook_messages(notebook):
        template.add(message, locations=[(place, None)])
    return template


def catalogue_path(assignment_id: str, language: str, root: Path = LOCALES) -> Path:
    """Where an assignment's catalogue for a language is: locales/<lang>/LC_MESSAGES/assignments/<id>.po."""
    return root / language / ASSIGNMENT_CATALOGUES / f"{assignment_id}.po"


def source_notebooks(sources: Path = SOURCES) -> dict[str, Path]:
    """Every assignment's English source notebook, by assignment id."""
    return {path.parent.name: path for path in sorted(sources.glob("*/*.ipynb")) if path.stem == path.parent.name}


def update_assignment_catalogues(language: str, root: Path = LOCALES, sources: Path = SOURCES) -> list[Path]:
    """Add new instruction paragraphs to a language's assignment catalogues, mark changed ones fuzzy."""
    import json

    written = []
    for assignment_id, notebook in source_notebooks(sources).items():
        template = assignment_template(json.loads(notebook.read_text(encoding="utf-8")))
        path = merge_catalogue(catalogue_path(assignment_id, language, root), template, language)
        written.append(path)
    return written


def read_translations(path: Path, language: str) -> dict[str, str]:
    """A catalogue's finished translations (not empty, not fuzzy), English paragraph to translation."""
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in catalogue if m.id and m.string and not m.fuzzy}


def translate_notebook(notebook: dict[str, Any], table: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Return a copy with each instruction paragraph translated, and the paragraphs left in English.

    Only instruction cells change, and only their source: code cells, graded cells, ids and
    metadata stay byte for byte, so nbgrader computes the same checksums for the copy.
    """
    translated = copy.deepcopy(notebook)
    missing: list[str] = []
    for cell in translated["cells"]:
        if not is_instruction(cell):
            continue
        parts = []
        for paragraph, separator in split_paragraphs(cell_text(cell)):
            if is_message(paragraph) and paragraph not in table:
                missing.append(paragraph)
            parts.append(table.get(paragraph, paragraph) + separator)
        text = "".join(parts)
        cell["source"] = text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else text
    return translated, missing
