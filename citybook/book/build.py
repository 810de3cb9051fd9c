"""Build the book's editions (`make book`) and refresh the translation catalogues (`make translations`)."""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from citybook.book.editions import BUILD, LOCALES, edition_config, edition_folder, write_edition_config
from citybook.i18n import LANGUAGES
from citybook.i18n.extract import untranslated_count, update_code_catalogues
from citybook.i18n.language import LANGUAGE_VARIABLE, SOURCE_LANGUAGE
from citybook.i18n.notebooks import update_assignment_catalogues
from citybook.paths import ROOT

SITE = BUILD / "html"
GETTEXT = BUILD / "gettext" / "_build" / "gettext"


def _tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _jupyter_book(arguments: list[str], language: str) -> None:
    environment = {**os.environ, LANGUAGE_VARIABLE: language}
    command = [_tool("jupyter-book"), "build", ".", "--warningiserror", "--keep-going", *arguments]
    result = subprocess.run(command, cwd=ROOT, env=environment, check=False)
    if result.returncode != 0:
        sys.exit(f"The {LANGUAGES[language].name} edition did not build (see the messages above).")


REDIRECT = re.compile(r'url=([^"\s]+)"')


def write_front_door(folder: Path, language: str, title: str) -> None:
    """Replace Jupyter Book's bare redirect (index.html) with one that names its language and icon."""
    page = folder / "index.html"
    found = REDIRECT.search(page.read_text(encoding="utf-8")) if page.exists() else None
    if not found:
        return
    target = html.escape(found.group(1))
    page.write_text(
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        # An empty icon: the page leaves at once, so the browser should fetch none (nor ask for /favicon.ico).
        '<link rel="icon" href="data:,">\n'
        f'<meta http-equiv="Refresh" content="0; url={target}">\n</head>\n'
        f'<body><p><a href="{target}">{html.escape(title)}</a></p></body>\n</html>\n',
        encoding="utf-8",
    )


def build_edition(language: str) -> Path:
    """Build one edition, executing its lessons in its language, and place it in the site."""
    print(f"\n=== {LANGUAGES[language].name} edition ===", flush=True)
    if language == SOURCE_LANGUAGE:
        _jupyter_book([], language)
        write_front_door(SITE, language, edition_config(language)["title"])
        return SITE
    output = BUILD / language
    _jupyter_book(["--config", str(write_edition_config(language)), "--path-output", str(output)], language)
    target = SITE / edition_folder(language)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(output / "_build" / "html", target)
    write_front_door(target, language, edition_config(language)["title"])
    return target


def extract_messages() -> Path:
    """Write the English source's message templates (.pot), one per page, without executing lessons."""
    config = write_edition_config(SOURCE_LANGUAGE, execute=False)
    arguments = ["--config", str(config), "--path-output", str(BUILD / "gettext"), "--builder", "custom"]
    _jupyter_book([*arguments, "--custom-builder", "gettext"], SOURCE_LANGUAGE)
    return GETTEXT


def update_catalogues(languages: list[str]) -> None:
    """Bring each language's catalogues in line with the source: new messages added, changed ones fuzzy."""
    templates = extract_messages()
    for language in languages:
        command = [_tool("sphinx-intl"), "update", "-p", str(templates), "-d", str(LOCALES), "-l", language, "-w", "0"]
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        # Code strings and the assignments' instructions: catalogues written from the source directly.
        reported = update_code_catalogues(language) + update_assignment_catalogues(language)
        for path in reported:
            print(f"{path.relative_to(ROOT)}: {untranslated_count(path)} to translate")
        for path in sorted((LOCALES / language / "LC_MESSAGES").rglob("*.po")):
            if path not in reported and (count := untranslated_count(path)):
                print(f"{path.relative_to(ROOT)}: {count} to translate")


def main(argv: list[str] | None = None) -> None:
    """Build the editions named (all by default), or refresh the catalogues with --catalogues."""
    parser = argparse.ArgumentParser(prog="python -m citybook.book.build", description=__doc__)
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES), help="editions to build (default: all)")
    parser.add_argument("--catalogues", action="store_true", help="refresh locales/ from the English source")
    options = parser.parse_args(argv)
    unknown = [code for code in options.languages if code not in LANGUAGES]
    if unknown:
        parser.error(f"no edition {', '.join(unknown)}; the book's languages are {', '.join(LANGUAGES)}")
    if options.catalogues:
        update_catalogues([code for code in options.languages if code != SOURCE_LANGUAGE])
        return
    # English first: it is the site's root, and each other edition is placed inside it.
    for language in sorted(options.languages, key=lambda code: code != SOURCE_LANGUAGE):
        build_edition(language)
    print(f"\nThe book is at {SITE / 'index.html'}  (or run: make serve)")


if __name__ == "__main__":
    main()
