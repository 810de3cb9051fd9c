"""The one translation function for strings that code produces: chart titles, captions, printed text."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from citybook.i18n.language import SOURCE_LANGUAGE, current_language
from citybook.paths import ROOT

LOCALES = ROOT / "locales"
# Code strings live beside the prose catalogues, one catalogue per source (a lesson, a package).
CODE_CATALOGUES = "LC_MESSAGES/code"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark a string for the catalogues without translating it here (it is translated where it is shown)."""
    return message


def tr(message: str, /, **values: Any) -> str:
    """Return `message` in the current language, with `{name}` fields filled from `values`."""
    translated = message if current_language() == SOURCE_LANGUAGE else _lookup(current_language(), message)
    return translated.format(**values) if values else translated


def trc(context: str, message: str, /, **values: Any) -> str:
    """Like `tr`, for a short English word that needs another translation in one use ("no" as a count)."""
    if current_language() == SOURCE_LANGUAGE:
        translated = message
    else:
        translated = code_messages(current_language()).get((context, message), message)
    return translated.format(**values) if values else translated


def tr_values(labels: Iterable[Any]) -> list[Any]:
    """Translate each label of a column or list (category names drawn on a chart); non-strings pass."""
    return [tr(label) if isinstance(label, str) else label for label in labels]


def _lookup(language: str, message: str) -> str:
    # A message not yet translated shows in English; tests/book/test_translations.py fails on it.
    return code_messages(language).get(message, message)


@cache
def code_messages(language: str, root: Path = LOCALES) -> dict[str | tuple[str, str], str]:
    """Read every code catalogue of a language into one table: English (or context, English) to translation."""
    table: dict[str | tuple[str, str], str] = {}
    for path in sorted((root / language / CODE_CATALOGUES).rglob("*.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        for message in catalogue:
            if message.id and message.string and not message.fuzzy:
                key = (message.context, str(message.id)) if message.context else str(message.id)
                table[key] = str(message.string)
    return table
