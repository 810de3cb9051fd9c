"""The book's editions: one source, one Jupyter Book configuration per language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from citybook.i18n import LANGUAGES
from citybook.i18n.language import SOURCE_LANGUAGE
from citybook.paths import ROOT

CONFIG = ROOT / "_config.yml"
BUILD = ROOT / "_build"
LOCALES = ROOT / "locales"

# What changes from the English configuration in each other edition; everything else is shared.
EDITION_SETTINGS: dict[str, dict[str, Any]] = {
    "es": {
        "title": "Gobierno municipal guiado por datos",
        "author": "Los autores del currículo",
        "extra_footer": (
            "<p>Contenido CC BY 4.0, código MIT. La ciudad de ejemplo y todos sus datos son ficticios.</p>"
        ),
        "search_bar_text": "Buscar en el libro",
        # myst-nb's button on hidden code ({type} would insert the English "source").
        "code_prompt_show": "Mostrar el código",
        "code_prompt_hide": "Ocultar el código",
    },
}


def edition_folder(language: str) -> str:
    """Return where an edition sits in the site: the root for English, `es/` for Spanish."""
    return "" if language == SOURCE_LANGUAGE else f"{language}/"


def edition_config(language: str, execute: bool = True) -> dict[str, Any]:
    """Return the Jupyter Book configuration of one edition (English is `_config.yml` itself)."""
    if language not in LANGUAGES:
        raise ValueError(f"{language!r} is not a language of the book; use one of: {', '.join(LANGUAGES)}.")
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    sphinx = config["sphinx"]["config"]
    if not execute:
        config["execute"]["execute_notebooks"] = "off"
    if language == SOURCE_LANGUAGE:
        return config
    settings = EDITION_SETTINGS[language]
    config["title"] = settings["title"]
    config["author"] = settings["author"]
    config["html"]["extra_footer"] = settings["extra_footer"]
    sphinx["language"] = language
    sphinx["html_title"] = settings["title"]
    sphinx["html_theme_options"]["search_bar_text"] = settings["search_bar_text"]
    sphinx["nb_code_prompt_show"] = settings["code_prompt_show"]
    sphinx["nb_code_prompt_hide"] = settings["code_prompt_hide"]
    return config


def write_edition_config(language: str, execute: bool = True) -> Path:
    """Write an edition's configuration under _build/config/ and return its path."""
    folder = BUILD / "config"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"_config.{language}{'' if execute else '.noexec'}.yml"
    text = yaml.safe_dump(edition_config(language, execute), allow_unicode=True, sort_keys=False)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
