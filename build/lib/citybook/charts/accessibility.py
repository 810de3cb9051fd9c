"""What every chart must carry so a screen-reader user gets the same finding."""

from __future__ import annotations


class ChartTextMissing(ValueError):
    """A chart was drawn without the title or description the book requires."""


def chart_title(spec: dict) -> str:
    """Return the chart's title text, or an empty string."""
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(title)
    return str(title).strip()


def chart_description(spec: dict) -> str:
    """Return the chart's text description, or an empty string."""
    return str(spec.get("description", "")).strip()


def require_title_and_description(spec: dict) -> None:
    """Raise ChartTextMissing unless the top-level chart has a title and a description."""
    missing = [
        what for what, text in (("title", chart_title(spec)), ("description", chart_description(spec))) if not text
    ]
    if missing:
        raise ChartTextMissing(
            "Every chart in the book needs a title that states the finding and a description "
            "that says it in words (used as the chart's accessible name). This chart has no "
            + " and no ".join(missing)
            + ". Add them with .properties(title=..., description=...) on the outermost chart."
        )


def plain_text(spec: dict) -> str:
    """Return the text a reader without the chart gets: title, then description."""
    return f"{chart_title(spec)}\n\n{chart_description(spec)}"
