"""Which language the book, a lesson's kernel or a command is working in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# The environment variable a build sets for each edition; lessons' kernels inherit it.
LANGUAGE_VARIABLE = "CITYBOOK_LANG"
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    """A language the book is published in."""

    code: str  # the catalogue folder under locales/ and the Sphinx language
    tag: str  # BCP 47 with the variety (es-419), for hreflang; <html lang> is the code
    locale: str  # the CLDR locale Babel formats numbers and dates with
    name: str  # the language's own name, for the switcher


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en", "en_GB", "English"),  # the book is written in British English
    # Latin American Spanish. Numbers follow CLDR's general Spanish (1.234,5 and 83 %), as Argentina,
    # Colombia, Chile and most of South America write them; CLDR's es_419 writes 1,234.5 and 83% as
    # Mexico and Central America do: set CITYBOOK_LOCALE=es_419 (or es_MX) to build an edition that way.
    "es": Language("es", "es-419", "es", "Español"),
}

_override: list[str] = []


def current_language() -> str:
    """Return the code of the language in use: set by `use_language`, else $CITYBOOK_LANG, else English."""
    code = _override[-1] if _override else os.environ.get(LANGUAGE_VARIABLE, SOURCE_LANGUAGE)
    if code not in LANGUAGES:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"{LANGUAGE_VARIABLE}={code!r} is not a language of the book; use one of: {known}.")
    return code


LOCALE_VARIABLE = "CITYBOOK_LOCALE"


def locale_name(code: str | None = None) -> str:
    """Return the Babel locale numbers and dates are written in: $CITYBOOK_LOCALE, else the language's."""
    language = LANGUAGES[code or current_language()]
    chosen = os.environ.get(LOCALE_VARIABLE, "")
    return chosen if chosen.split("_")[0] == language.code else language.locale


@contextmanager
def use_language(code: str) -> Iterator[None]:
    """Work in another language inside a `with` block (a report or release in Spanish, say)."""
    if code not in LANGUAGES:
        raise ValueError(f"{code!r} is not a language of the book; use one of: {', '.join(sorted(LANGUAGES))}.")
    _override.append(code)
    try:
        yield
    finally:
        _override.pop()
