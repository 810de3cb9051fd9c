"""The published book gives away no assignment solution, hidden test or mark scheme."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import nbformat

from citybook.course.catalogue import CATALOGUE
from citybook.paths import LESSONS
from tests.helpers.grading import MARKERS, secret_regions, source_dir

SHORTEST_SECRET = 12  # shorter lines ("return out") may legitimately appear elsewhere
TEXT_SUFFIXES = {".html", ".js", ".txt", ".ipynb", ".md", ".json", ".py"}


def _lesson_text() -> str:
    """What the lessons teach in the open: an assignment line that a lesson shows is not a leak."""
    return "\n".join(
        cell.source for path in LESSONS.glob("*.ipynb") for cell in nbformat.read(path, as_version=4).cells
    )


def _secrets() -> set[str]:
    secrets: set[str] = set()
    for assignment_id in CATALOGUE:
        notebook = nbformat.read(source_dir(assignment_id) / f"{assignment_id}.ipynb", as_version=4)
        public = {
            line.strip()
            for c in notebook.cells
            for line in c.source.split("\n")
            if line not in secret_regions(c.source)
        }
        secrets |= {line.strip() for c in notebook.cells for line in secret_regions(c.source)} - public
    taught = _lesson_text()
    return {s for s in secrets if len(s) >= SHORTEST_SECRET and s not in taught}


def _published_texts(site: Path) -> dict[str, str]:
    """Every text file of the built site, and every text file inside the zips it offers for download."""
    texts: dict[str, str] = {}
    for path in site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            texts[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                for name in archive.namelist():
                    if Path(name).suffix in TEXT_SUFFIXES:
                        texts[f"{path.name}:{name}"] = archive.read(name).decode("utf-8", errors="replace")
    return texts


def test_built_book_holds_no_solution_or_hidden_test(site: Path) -> None:
    secrets = _secrets()
    assert len(secrets) > 50, "expected the source notebooks to hold solutions and hidden tests"
    texts = _published_texts(site)
    assert any(":" in name for name in texts), "no downloadable zips found in the built book"
    leaks = {name: sorted(s for s in secrets if s in text)[:3] for name, text in texts.items()}
    leaks = {name: found for name, found in leaks.items() if found}
    assert leaks == {}, f"solutions or hidden tests published: {leaks}"
    marked = [name for name, text in texts.items() if any(m in text for m in MARKERS)]
    assert marked == [], f"nbgrader markers published in: {marked}"
