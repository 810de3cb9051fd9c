"""Every lesson follows the template in DESIGN.md, so a leader always knows where to look."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from citybook.paths import BOOK, DATASETS, ROOT
from tests.helpers.lesson_notebooks import (
    chart_specs,
    cited_keys,
    glue_keys_defined,
    glue_keys_used,
    headings,
    is_interactive,
    lesson_paths,
    markdown,
    outputs,
    read,
)

LESSONS = lesson_paths()
IN_BRIEF_MAX_WORDS = 80  # what a mayor reads in about 30 seconds
REQUIRED_SECTIONS = [
    "The decision",
    "The data",
    "Questions to ask your team",
    "Pitfalls",
    "Exercises",
    "Further reading",
]
WWC_CODES = {row["code"] for row in csv.DictReader((DATASETS / "wwc_criteria.csv").open())}
BIB_KEYS = set(re.findall(r"@\w+\{([^,]+),", (BOOK / "references.bib").read_text()))


def test_there_are_lessons_and_all_are_in_the_toc() -> None:
    assert LESSONS, "no lessons found in lessons/"
    toc = (ROOT / "_toc.yml").read_text()
    missing = [p.stem for p in LESSONS if f"lessons/{p.stem}" not in toc]
    assert missing == [], f"lessons missing from _toc.yml: {missing}"


@pytest.fixture(params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson(request) -> tuple[Path, object]:
    return request.param, read(request.param)


def test_one_h1_first_and_headings_in_order(lesson) -> None:
    path, notebook = lesson
    levels = headings(notebook)
    assert [lvl for lvl, _ in levels].count(1) == 1, f"{path.name}: needs exactly one H1"
    assert levels[0][0] == 1, f"{path.name}: the H1 must come first"
    for (before, _), (after, text) in zip(levels, levels[1:]):
        assert after <= before + 1, f"{path.name}: heading '{text}' skips a level"


def test_leader_blocks_and_sections(lesson) -> None:
    path, notebook = lesson
    text = markdown(notebook)
    assert re.search(r":class:.*\bin-brief\b", text) and "In brief" in text, f"{path.name}: no 'In brief' block"
    titles = [t for _, t in headings(notebook)]
    for section in REQUIRED_SECTIONS:
        assert any(t.startswith(section) for t in titles), f"{path.name}: no '{section}' section"
    assert "**Time:**" in text, f"{path.name}: does not say how long it takes"


def in_brief_words(text: str) -> int:
    """Count the words a reader sees in the In brief block: a glued value or a term counts as one word
    (a number, a name), citations count as none."""
    block = re.search(r":class:[^\n]*\bin-brief\b[^\n]*\n(.*?)\n:::", text, re.S)
    assert block, "no In brief block"
    body = re.sub(r"\{cite(?::\w+)?\}`[^`]*`", "", block.group(1))
    body = re.sub(r"\{glue(?::\w+)?\}`[^`]*`", "GLUED", body)
    body = re.sub(r"\{term\}`([^`<]*?)\s*(<[^>]*>)?`", lambda m: m.group(1), body)
    return len(re.findall(r"[\w%$\u00C0-\u024F][\w'%$.,:\u00C0-\u024F-]*", body))


def test_in_brief_fits_thirty_seconds(lesson) -> None:
    path, notebook = lesson
    words = in_brief_words(markdown(notebook))
    assert words <= IN_BRIEF_MAX_WORDS, f"{path.name}: In brief has {words} words; keep it to {IN_BRIEF_MAX_WORDS}"
    bullets = re.search(r":class:[^\n]*\bin-brief\b[^\n]*\n(.*?)\n:::", markdown(notebook), re.S).group(1)
    count = len(re.findall(r"^- ", bullets, re.M))
    assert 3 <= count <= 5, f"{path.name}: In brief has {count} bullets; the book promises three to five"


def test_in_brief_word_count_counts_what_a_reader_sees() -> None:
    sample = ":::{admonition} In brief\n:class: tip in-brief\n- Waits fell {glue:text}`x` {cite}`a,b`.\n- A {term}`Stat meeting <stat meeting>` helps.\n:::"
    assert in_brief_words(sample) == 7


def test_criteria_named_exist_in_the_standard(lesson) -> None:
    path, notebook = lesson
    line = re.search(r"\*\*Criteria this lesson builds:\*\*(.*)", markdown(notebook))
    assert line, f"{path.name}: no 'Criteria this lesson builds' line"
    codes = set(re.findall(r"\b([A-Z]{2,4}\d)\b", line.group(1)))
    assert codes, f"{path.name}: no criterion codes named"
    assert codes <= WWC_CODES, f"{path.name}: unknown criteria {codes - WWC_CODES}"


def test_exercises_have_collapsed_solutions(lesson) -> None:
    path, notebook = lesson
    text = markdown(notebook)
    exercises = re.findall(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)", text)
    solutions = set(re.findall(r"```\{solution(?:-start)?\}\s*(\S+)\n:class:\s*dropdown", text))
    assert len(exercises) >= 3, f"{path.name}: needs at least three exercises"
    assert set(exercises) <= solutions, (
        f"{path.name}: exercises without a collapsed solution: {set(exercises) - solutions}"
    )


def test_charts_are_titled_described_and_one_is_interactive(lesson) -> None:
    path, notebook = lesson
    specs = chart_specs(notebook)
    assert len(specs) >= 2, f"{path.name}: needs at least two charts"
    for spec in specs:
        assert spec.get("title") and spec.get("description"), f"{path.name}: a chart lacks title or description"
    assert any(is_interactive(s) for s in specs), f"{path.name}: no interactive chart (bound parameter or selection)"


def test_prose_numbers_are_glued_and_terms_and_citations_resolve(lesson) -> None:
    path, notebook = lesson
    used, defined = glue_keys_used(notebook), glue_keys_defined(notebook)
    assert used, f"{path.name}: prose glues no computed number"
    assert used <= defined, f"{path.name}: prose uses glue keys no cell defines: {used - defined}"
    assert "{term}" in markdown(notebook), f"{path.name}: links no glossary term"
    cited = cited_keys(notebook)
    assert cited, f"{path.name}: cites nothing"
    assert cited <= BIB_KEYS, f"{path.name}: citations missing from references.bib: {cited - BIB_KEYS}"


def test_stored_outputs_are_clean(lesson) -> None:
    path, notebook = lesson
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in notebook.metadata, f"{path.name}: stored widget state (run `make lessons`)"
    for cell in (c for c in notebook.cells if c.cell_type == "code"):
        assert cell.execution_count is not None, f"{path.name}: a code cell was never run (run `make lessons`)"
        assert "execution" not in cell.metadata, f"{path.name}: stored execution timestamps"
    for output in outputs(notebook):
        assert output.output_type != "error", f"{path.name}: stored an error"
        assert not (output.output_type == "stream" and output.name == "stderr"), f"{path.name}: wrote to stderr"
        html = "".join(output.get("data", {}).get("text/html", ""))
        assert "altair-viz-" not in html and "cdn." not in html, f"{path.name}: HTML output loads from a CDN"
