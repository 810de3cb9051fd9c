"""The Sphinx extension behind the book: chart scripts, static files, generated pages."""

from __future__ import annotations

import html
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from citybook.book import language_switch, translated_glue
from citybook.book.chart_specs import setup_chart_specs
from citybook.book.chart_words import chart_locale, chart_script_strings
from citybook.book.generated import write_generated_files
from citybook.book.site_css import setup_site_css
from citybook.charts.html import CHART_MARKER
from citybook.charts.vendor import chart_script_paths, copy_chart_libraries
from citybook.i18n import LANGUAGES, tr
from citybook.i18n.language import LANGUAGE_VARIABLE

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"


def _add_static_and_template_paths(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    config.templates_path = [str(TEMPLATES_DIR), *config.templates_path]


def _set_language(app: Sphinx, config: Config) -> None:
    # Lessons' kernels and the chart renderer read the edition's language from the environment.
    if config.language not in LANGUAGES:
        raise ValueError(f"_config.yml sets language {config.language!r}; the book has {', '.join(LANGUAGES)}.")
    os.environ[LANGUAGE_VARIABLE] = config.language


def _write_generated(app: Sphinx, config: Config) -> None:
    write_generated_files(Path(app.srcdir))


def _adjust_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body", "")
    # Docutils marks the bibliography role="list" but its entries are not list items, which
    # assistive technology (and axe) reject; without the role it is a plain group of entries.
    context["body"] = body = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
    # Its entries carry role="doc-biblioentry", deprecated in DPUB-ARIA 1.1 and not allowed on a div.
    context["body"] = body = _BIBLIOENTRY_ROLE.sub(r"\1", body)
    context["body"] = body = defer_code_rendering(body)
    context["metatags"] = context.get("metatags", "") + _description_meta(app, context, doctree)
    # Only pages that draw a chart load the chart script; it fetches Vega itself, after first paint,
    # when the first chart comes near the viewport.
    if CHART_MARKER not in body:
        return
    app.add_js_file("citybook-charts.js", loading_method="defer", **_chart_script_attributes(app.config.language))


_BIBLIOENTRY_ROLE = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')


@cache
def _chart_script_attributes(language: str) -> dict[str, str]:
    # The same for every page of an edition: built once per build, not once per page.
    return {
        "data-libraries": " ".join(chart_script_paths()),
        "data-strings": chart_script_strings(),
        "data-locale": chart_locale(),
    }


# Highlighted code is most of a lesson's DOM (thousands of spans): the browser styles and lays out
# a block only when it nears the viewport, and reserves its height (from its line count) until then.
_CODE_BLOCK = re.compile(r'<div class="highlight"><pre>(.*?)</pre>', re.S)
# The theme draws code at 14 px with a 17.5 px line and 16 px padding top and bottom (16 px = 1em).
CODE_LINE_EM = 17.5 / 16
CODE_PADDING_EM = 2.0


def defer_code_rendering(body: str) -> str:
    """Mark each highlighted code block content-visibility: auto, with its height reserved."""

    def mark(match: re.Match) -> str:
        lines = match.group(1).rstrip("\n").count("\n") + 1
        height = f"{lines * CODE_LINE_EM + CODE_PADDING_EM:.2f}em"
        style = f"content-visibility: auto; contain-intrinsic-size: auto {height}"
        return f'<div class="highlight" style="{style}"><pre>{match.group(1)}</pre>'

    return _CODE_BLOCK.sub(mark, body)


META_DESCRIPTION_CHARS = 160


def page_description(doctree: Any, fallback: str) -> str:
    """Return a page's search-result summary: its first real paragraph (a lesson's one-line promise)."""
    for paragraph in doctree.findall(nodes.paragraph) if doctree is not None else []:
        if any(isinstance(parent, (nodes.Admonition, nodes.topic, nodes.sidebar)) for parent in _ancestors(paragraph)):
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) >= 40:
            break
    else:
        text = fallback
    if len(text) > META_DESCRIPTION_CHARS:
        text = text[: META_DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def _description_meta(app: Sphinx, context: dict[str, Any], doctree: Any) -> str:
    if 'name="description"' in context.get("metatags", ""):
        return ""
    title = re.sub(r"<[^>]+>", "", str(context.get("title", ""))).strip()
    book = str(app.config.html_title or app.config.project)
    fallback = f"{title}: {book}" if title and title != book else book
    return f'\n<meta name="description" content="{html.escape(page_description(doctree, fallback))}" />'


# The sidebar's expand arrows are <summary> elements holding only an icon-font chevron: name each one.
_SIDEBAR_TOGGLE = re.compile(r'(<a [^>]*>([^<]+)</a>\s*<details(?: open="open")?>\s*)<summary>')


def name_sidebar_toggles(toctree_html: str) -> str:
    """Give each sidebar expand arrow an accessible name from the page it opens."""

    def named(match: re.Match) -> str:
        name = tr("Sections of {page}", page=match.group(2).strip())
        return f'{match.group(1)}<summary aria-label="{html.escape(name)}">'

    return _SIDEBAR_TOGGLE.sub(named, toctree_html)


def _name_toggles_in_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "citybook_named", False):
        return

    def generate_named(*args: Any, **kwargs: Any) -> Any:
        result = generate(*args, **kwargs)
        named = name_sidebar_toggles(str(result))
        return type(result)(named) if isinstance(result, str) else named

    generate_named.citybook_named = True  # type: ignore[attr-defined]
    context["generate_toctree_html"] = generate_named


# documentation_options.js stays blocking: Sphinx's inline page scripts use what it defines at once.
# reading-mode.js too (it is tiny): it marks <html> with the reader's mode before the page draws, so
# code hidden in Leader mode never shows and then vanishes (a layout shift).
BLOCKING_SCRIPTS = ("documentation_options.js", "reading-mode.js")


def _defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Load the theme's and extensions' scripts with defer, so none holds up the first paint."""
    scripts = context.get("script_files")
    # The search page's inline script calls doctools' _ready at once: it keeps its scripts blocking.
    if not isinstance(scripts, list) or pagename == "search":
        return
    deferred = []
    for script in scripts:
        attributes = getattr(script, "attributes", None)
        filename = str(getattr(script, "filename", "") or "")
        if (
            attributes is None
            or not filename
            or filename.split("?")[0].endswith(BLOCKING_SCRIPTS)
            or {"defer", "async"} & set(attributes)
            or attributes.get("type") == "module"
        ):
            deferred.append(script)
        else:
            deferred.append(type(script)(filename, priority=script.priority, **{**attributes, "defer": "defer"}))
    scripts[:] = deferred


# The reading-mode switch is in the page from the start (reading-mode.js wires it), so nothing shifts when
# the page draws; pages without code cells get none.
def reading_mode_switch() -> str:
    """Return the Leader/Analyst switch, in the edition's language."""
    label, leader, analyst = tr("Reading mode:"), tr("Leader"), tr("Analyst")
    leader_hint, analyst_hint = tr("Text and charts, no code"), tr("Everything, with the code")
    help_text = tr("Leader hides the code and keeps the text and charts; Analyst shows everything.")
    return (
        '<div class="reading-mode" role="group" aria-labelledby="reading-mode-label">'
        f'<span id="reading-mode-label" class="reading-mode__label">{label}</span>'
        '<button type="button" class="reading-mode__button" data-mode="leader" aria-pressed="false" '
        f'aria-describedby="reading-mode-help" title="{leader_hint}">{leader}</button>'
        '<button type="button" class="reading-mode__button" data-mode="analyst" aria-pressed="false" '
        f'aria-describedby="reading-mode-help" title="{analyst_hint}">{analyst}</button>'
        f'<span id="reading-mode-help" class="reading-mode__help">{help_text}</span></div>\n'
    )


def _add_reading_mode_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    body = context.get("body", "")
    if 'class="cell ' in body:
        context["body"] = reading_mode_switch() + body


def _copy_vendor(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        copy_chart_libraries(Path(app.outdir) / "_static")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the book's chart rendering, styles and generated pages with Sphinx."""
    app.connect("config-inited", _set_language, priority=100)
    app.connect("config-inited", _add_static_and_template_paths)
    app.connect("config-inited", _write_generated)
    app.connect("html-page-context", _adjust_page)
    app.connect("html-page-context", _add_reading_mode_switch)
    app.connect("html-page-context", _name_toggles_in_context, priority=900)  # after the theme's own
    app.connect("html-page-context", _defer_scripts, priority=950)  # after every extension's additions
    app.connect("build-finished", _copy_vendor)
    language_switch.setup(app)
    translated_glue.setup(app)
    app.add_css_file("citybook.css")
    app.add_css_file("reading-mode.css")
    app.add_js_file("reading-mode.js")  # in the head, not deferred: the mode applies before the page draws
    # Jupyter Book always passes comments_config; we leave out sphinx_comments, which defines it.
    app.add_config_value("comments_config", {}, "html")
    setup_site_css(app)
    setup_chart_specs(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
