"""Links between the editions: a switcher on every page and hreflang alternates for search engines."""

from __future__ import annotations

import html
from typing import Any

from sphinx.application import Sphinx

from citybook.book.editions import edition_folder
from citybook.i18n import LANGUAGES, tr, use_language
from citybook.i18n.language import SOURCE_LANGUAGE

SWITCH_TEMPLATE = "language-switch.html"


def edition_links(language: str, pagename: str) -> dict[str, str]:
    """Return, for each edition, the relative URL of this page in it (from this page in `language`)."""
    to_site_root = "../" * pagename.count("/") + ("../" if language != SOURCE_LANGUAGE else "")
    return {code: f"{to_site_root}{edition_folder(code)}{pagename}.html" for code in LANGUAGES}


def _add_edition_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    language = app.config.language if app.config.language in LANGUAGES else SOURCE_LANGUAGE
    links = edition_links(language, pagename)
    context["citybook_language"] = LANGUAGES[language]
    with use_language(language):
        context["citybook_switch_label"] = tr("This page in another language")
    context["citybook_editions"] = [(LANGUAGES[code], url) for code, url in links.items() if code != language]
    context["metatags"] = context.get("metatags", "") + alternate_links(str(app.config.html_baseurl or ""), pagename)


def alternate_links(base_url: str, pagename: str) -> str:
    """Return the page's hreflang alternates: absolute URLs, so only when the site's address is configured."""
    if not base_url:
        return ""  # search engines ignore relative hreflang; the visible switcher still links the editions
    base = base_url.rstrip("/") + "/"
    links = {LANGUAGES[code].tag: f"{base}{edition_folder(code)}{pagename}.html" for code in LANGUAGES}
    links["x-default"] = links[LANGUAGES[SOURCE_LANGUAGE].tag]
    return "".join(
        f'\n<link rel="alternate" hreflang="{tag}" href="{html.escape(url)}" />' for tag, url in links.items()
    )


def _put_switch_in_header(app: Sphinx, config: Any) -> None:
    options = config.html_theme_options
    end = options.get("article_header_end", ["article-header-buttons.html"])
    end = [end] if isinstance(end, str) else list(end)
    if SWITCH_TEMPLATE not in end:
        options["article_header_end"] = [SWITCH_TEMPLATE, *end]


def setup(app: Sphinx) -> None:
    """Register the edition links with Sphinx (called by the book's extension)."""
    app.connect("config-inited", _put_switch_in_header)
    app.connect("html-page-context", _add_edition_links)
