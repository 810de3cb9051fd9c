"""The book's notebook renderer: myst-nb's own, minus the widget state the book never uses."""

from __future__ import annotations

from myst_nb.core.render import NbElementRenderer

from citybook.book.translated_glue import remember_renderer


class BookNotebookRenderer(NbElementRenderer):
    """Drops ipywidgets state: widgets run in the live notebook; the book uses Vega explorers."""

    def render_nb_finalise(self, metadata: dict) -> None:
        """Finalise the page without embedding widget state (dead weight with random ids)."""
        super().render_nb_finalise({k: v for k, v in metadata.items() if k != "widgets"})
        # The page is rendered; its translated paragraphs are parsed next and need its glued values.
        remember_renderer(self.renderer.sphinx_env.docname, self)
