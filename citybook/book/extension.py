"""The Sphinx extension behind the book: chart scripts, static files, generated pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from citybook.book.generated import write_generated_files
from citybook.book.vega_mime import CHART_MARKER
from citybook.book.vendor import chart_script_paths, copy_chart_libraries

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"


def _add_static_and_template_paths(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    config.templates_path = [str(TEMPLATES_DIR), *config.templates_path]


def _write_generated(app: Sphinx, config: Config) -> None:
    write_generated_files(Path(app.srcdir))


def _adjust_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body", "")
    # Docutils marks the bibliography role="list" but its entries are not list items, which
    # assistive technology (and axe) reject; without the role it is a plain group of entries.
    context["body"] = body = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
    # Only pages that draw a chart pay for loading Vega.
    if CHART_MARKER not in body:
        return
    for path in [*chart_script_paths(), "citybook-charts.js"]:
        app.add_js_file(path, loading_method="defer")


def _copy_vendor(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        copy_chart_libraries(Path(app.outdir) / "_static")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the book's chart rendering, styles and generated pages with Sphinx."""
    app.connect("config-inited", _add_static_and_template_paths)
    app.connect("config-inited", _write_generated)
    app.connect("html-page-context", _adjust_page)
    app.connect("build-finished", _copy_vendor)
    app.add_css_file("citybook.css")
    app.add_css_file("reading-mode.css")
    app.add_js_file("reading-mode.js")  # in the head, not deferred: the mode applies before the page draws
    # Jupyter Book always passes comments_config; we leave out sphinx_comments, which defines it.
    app.add_config_value("comments_config", {}, "html")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
