"""Glued values inside translated paragraphs: the translation is parsed with the page's notebook data."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from myst_nb.core.render import NbElementRenderer
from myst_nb.sphinx_ import Parser

# myst-nb parses a translated paragraph as a fresh, notebook-less document, so a {glue} role in it
# finds no values. The renderer of the page being read is kept here, by page, while the page is read.
_RENDERER_OF_PAGE: dict[str, NbElementRenderer] = {}


def remember_renderer(docname: str, renderer: NbElementRenderer) -> None:
    """Keep the renderer of the notebook being read, for its translated paragraphs."""
    _RENDERER_OF_PAGE.clear()  # one page at a time per process
    _RENDERER_OF_PAGE[docname] = renderer


class TranslationAwareParser(Parser):
    """myst-nb's parser; a translated paragraph of a notebook sees that notebook's glued values."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        """Parse a page, or a translated paragraph with its page's notebook renderer in reach."""
        renderer = _RENDERER_OF_PAGE.get(self.env.docname) if self.env is not None else None
        if renderer is None or not str(document.current_source or "").endswith("<translated>"):
            super().parse(inputstring, document)
            return
        document.attributes["nb_renderer"] = renderer
        try:
            super().parse(inputstring, document)
        finally:
            document.attributes.pop("nb_renderer", None)


def setup(app: Any) -> None:
    """Put the translation-aware parser in myst-nb's place."""
    app.add_source_parser(TranslationAwareParser, override=True)
