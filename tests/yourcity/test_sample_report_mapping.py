"""The book's example report uses the very mapping lesson 14 teaches, so the two cannot drift apart."""

from __future__ import annotations

import ast

import nbformat
import yaml

from citybook.book.generated import SAMPLE_MAPPING
from citybook.paths import LESSONS


def lesson_mapping() -> dict:
    """The MAPPING string lesson 14 writes to its mapping file, parsed."""
    notebook = nbformat.read(LESSONS / "14-your-city.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.source.lstrip().startswith("MAPPING ="):
            tree = ast.parse(cell.source)
            value = next(n.value.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "MAPPING")
            return yaml.safe_load(value)
    raise AssertionError("lesson 14 has no cell assigning MAPPING")


def test_the_book_example_uses_lesson_14s_mapping() -> None:
    assert yaml.safe_load(SAMPLE_MAPPING.read_text(encoding="utf-8")) == lesson_mapping()
