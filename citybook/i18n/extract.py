"""Collect the code strings marked for translation (tr, N_) into catalogues, one per source."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

from citybook.i18n.catalogues import merge_catalogue
from citybook.i18n.data_labels import data_labels
from citybook.i18n.translate import CODE_CATALOGUES, LOCALES
from citybook.paths import LESSONS, ROOT

KEYWORDS = {"tr": (1,), "N_": (1,), "trc": ((1, "c"), 2)}
PACKAGE = ROOT / "citybook"
PACKAGE_CATALOGUE = "citybook"
DATA_CATALOGUE = "data-labels"


Found = tuple[str, str, str | None]  # message, where it is, context (trc) or None


def _python_messages(source: str, origin: str) -> Iterator[Found]:
    # Babel warns on every f-string argument, even a value passed to a field (tr("{d}", d=f"...")): quiet.
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(extract_python(io.BytesIO(source.encode()), KEYWORDS, [], {}))
    for _lineno, function, message, _comments in found:
        context = None
        if function == "trc" and isinstance(message, tuple) and len(message) >= 2:
            context, message = message[0], message[1]
        message = message[0] if isinstance(message, tuple) else message  # tr("...", name=value)
        if isinstance(message, str) and message:
            yield message, origin, context  # no line numbers: they would change the catalogue at every edit


def notebook_messages(path: Path) -> list[Found]:
    """Return the marked strings of a notebook's code cells, with the cell each comes from."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found: list[Found] = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            # IPython magics are not Python: leave those lines out of the scan.
            source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
            found += _python_messages(source, f"cell {index}")
    return found


def package_messages() -> list[Found]:
    """Return the marked strings of the citybook package's modules."""
    found: list[Found] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "i18n":
            continue  # the translation machinery itself names tr and N_ in its docstrings
        found += _python_messages(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    return found


def code_templates() -> dict[str, Catalog]:
    """Return one message template per source: the package, and each lesson with marked strings."""
    labels = [(label, place, None) for label, place in data_labels()]
    sources = {PACKAGE_CATALOGUE: package_messages(), DATA_CATALOGUE: labels}
    for lesson in sorted(LESSONS.glob("*.ipynb")):
        sources[f"lessons/{lesson.stem}"] = notebook_messages(lesson)
    templates = {}
    for name, messages in sources.items():
        template = Catalog(project="citybook", fuzzy=False)
        for message, place, context in messages:
            flags = ["python-brace-format"] if "{" in message else []
            template.add(message, locations=[(place, None)], flags=flags, context=context)
        if len(template):
            templates[name] = template
    return templates


def update_code_catalogues(language: str, root: Path = LOCALES) -> list[Path]:
    """Add new code strings to a language's catalogues and mark changed ones fuzzy; return the files."""
    written = []
    for name, template in code_templates().items():
        path = root / language / CODE_CATALOGUES / f"{name}.po"
        merge_catalogue(path, template, language)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    """Update the code catalogues of the languages named (or of every language but English)."""
    import argparse

    from citybook.i18n.language import LANGUAGES, SOURCE_LANGUAGE

    parser = argparse.ArgumentParser(prog="python -m citybook.i18n.extract", description=main.__doc__)
    parser.add_argument("languages", nargs="*", default=[code for code in LANGUAGES if code != SOURCE_LANGUAGE])
    for language in parser.parse_args(argv).languages:
        for path in update_code_catalogues(language):
            print(f"{path.relative_to(ROOT)}: {untranslated_count(path)} to translate")


def untranslated_count(path: Path) -> int:
    """Count a catalogue's messages with no translation yet or marked fuzzy (changed in the source)."""
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return sum(1 for message in catalogue if message.id and (not message.string or message.fuzzy))


if __name__ == "__main__":
    main()
