"""Read lesson notebooks for the template checks: headings, blocks, charts, glue, citations."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from citybook.charts.renderer import VEGALITE_MIMETYPE
from citybook.paths import LESSONS

FENCE = re.compile(r"^\s*(```|~~~)")


def lesson_paths() -> list[Path]:
    """Return every lesson notebook, in reading order."""
    return sorted(LESSONS.glob("[0-9][0-9]-*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4."""
    return nbformat.read(path, as_version=4)


def markdown(notebook: nbformat.NotebookNode) -> str:
    """Return all markdown cells joined."""
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def headings(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """Return (level, text) of every Markdown heading outside fenced blocks."""
    found = []
    for cell in (c for c in notebook.cells if c.cell_type == "markdown"):
        in_fence = False
        for line in cell.source.splitlines():
            # Code blocks and directives open and close with backtick fences; '#' inside is not a heading.
            if FENCE.match(line):
                in_fence = not in_fence if (not in_fence or line.strip() in ("```", "~~~")) else in_fence
                continue
            match = re.match(r"^(#{1,6})\s+(.*)", line)
            if match and not in_fence:
                found.append((len(match.group(1)), match.group(2).strip()))
    return found


def outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """Return every output of every code cell."""
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def chart_specs(notebook: nbformat.NotebookNode) -> list[dict]:
    """Return the Vega-Lite spec of every chart output."""
    return [o["data"][VEGALITE_MIMETYPE] for o in outputs(notebook) if VEGALITE_MIMETYPE in o.get("data", {})]


def is_interactive(spec: dict) -> bool:
    """True when a chart has a parameter bound to a control, or a selection."""

    def walk(node: object) -> bool:
        if isinstance(node, dict):
            for param in node.get("params", []) or []:
                if "bind" in param or "select" in param:
                    return True
            return any(walk(v) for v in node.values())
        if isinstance(node, list):
            return any(walk(v) for v in node)
        return False

    return walk(spec)


def glue_keys_defined(notebook: nbformat.NotebookNode) -> set[str]:
    """Return the keys glued by code cells."""
    source = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    return set(re.findall(r"""glue\(\s*["']([^"']+)["']""", source))


def glue_keys_used(notebook: nbformat.NotebookNode) -> set[str]:
    """Return the keys prose refers to with {glue} roles."""
    return {m.split(":")[0] for m in re.findall(r"\{glue(?::\w+)?\}`([^`]+)`", markdown(notebook))}


def cited_keys(notebook: nbformat.NotebookNode) -> set[str]:
    """Return the bibliography keys cited with {cite} roles."""
    keys: set[str] = set()
    for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", markdown(notebook)):
        keys.update(k.strip() for k in group.split(","))
    return keys
