"""The Spanish edition's catalogues: complete, current with the English source, and consistent."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from citybook.book.build import extract_messages
from citybook.i18n import LANGUAGES
from citybook.i18n.extract import code_templates
from citybook.i18n.language import SOURCE_LANGUAGE
from citybook.i18n.translate import CODE_CATALOGUES, LOCALES

TRANSLATED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
# MyST roles whose target must survive translation unchanged (a glued value, a citation).
KEPT_ROLES = re.compile(r"\{(glue(?::\w+)?|cite(?::\w+)?|numref|doc|ref)\}`([^`]*)`")
FIELDS = re.compile(r"\{(\w*)(?:[:!][^{}]*)?\}")


def _catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _catalogues(language: str) -> list[Path]:
    return sorted((LOCALES / language / "LC_MESSAGES").rglob("*.po"))


def _role_targets(text: str) -> Counter:
    return Counter((role.split(":")[0], target.split("<")[-1].rstrip(">")) for role, target in KEPT_ROLES.findall(text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    missing, fuzzy, total = [], [], 0
    for path in _catalogues(language):
        for message in _catalogue(path):
            if not message.id:
                continue
            total += 1
            where = f"{path.relative_to(LOCALES)}: {str(message.id)[:70]!r}"
            if message.fuzzy:
                fuzzy.append(where)
            elif not message.string:
                missing.append(where)
    print(f"{language}: {total} messages, {len(missing)} untranslated, {len(fuzzy)} fuzzy")
    assert total > 3000, "the catalogues are nearly empty: run `make translations`"
    assert not missing, f"{len(missing)} untranslated messages, e.g.:\n" + "\n".join(missing[:20])
    assert not fuzzy, f"{len(fuzzy)} fuzzy messages (the English changed; check them):\n" + "\n".join(fuzzy[:20])


@pytest.mark.parametrize("language", TRANSLATED)
def test_code_catalogues_hold_every_marked_string(language: str) -> None:
    for name, template in code_templates().items():
        path = LOCALES / language / CODE_CATALOGUES / f"{name}.po"
        assert path.exists(), f"{path} is missing: run `make translations`"
        have = {(m.context, str(m.id)) for m in _catalogue(path) if m.id and m.string and not m.fuzzy}
        absent = [str(m.id) for m in template if m.id and (m.context, str(m.id)) not in have]
        assert not absent, f"{path.name} lacks {len(absent)} strings the code marks, e.g. {absent[:5]}"


@pytest.mark.slow
@pytest.mark.parametrize("language", TRANSLATED)
def test_prose_catalogues_match_the_english_source(language: str) -> None:
    templates = extract_messages()
    for template_path in sorted(templates.rglob("*.pot")):
        page = template_path.relative_to(templates).with_suffix(".po")
        path = LOCALES / language / "LC_MESSAGES" / page
        assert path.exists(), f"{page} has no {language} catalogue: run `make translations`"
        have = {str(m.id) for m in _catalogue(path) if m.id and m.string and not m.fuzzy}
        absent = [str(m.id) for m in _catalogue(template_path) if m.id and str(m.id) not in have]
        assert not absent, f"{page}: {len(absent)} English paragraphs have no translation, e.g. {absent[:3]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_glued_values_citations_and_fields(language: str) -> None:
    problems = []
    for path in _catalogues(language):
        for message in _catalogue(path):
            if not message.id or not message.string:
                continue
            source, target = str(message.id), str(message.string)
            if _role_targets(source) != _role_targets(target):
                problems.append(f"{path.name}: roles differ in {source[:60]!r}")
            if CODE_CATALOGUES in str(path) and set(FIELDS.findall(source)) != set(FIELDS.findall(target)):
                problems.append(f"{path.name}: fields {{...}} differ in {source[:60]!r}")
    assert not problems, "\n".join(problems[:30])


def _term_base(language: str) -> list[dict]:
    return yaml.safe_load((LOCALES / language / "term-base.yml").read_text(encoding="utf-8"))["terms"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_terms_follow_the_term_base(language: str) -> None:
    # Multi-word terms only: single words ("target", "mean") have everyday senses too.
    terms = [t for t in _term_base(language) if len(re.split(r"[\s-]+", t["en"])) > 1]
    problems = []
    for path in _catalogues(language):
        for message in _catalogue(path):
            if not message.id or not message.string or message.fuzzy:
                continue
            if message.string == message.id:
                continue  # a data value or a name, kept as it is
            # Inline code is data (column names, category values) and a quoted title is a name: neither
            # is prose to translate.
            unchecked = r"`[^`]*`|\"[^\"]*\"|«[^»]*»|“[^”]*”"
            source = re.sub(unchecked, "", str(message.id)).lower()
            target = re.sub(unchecked, "", str(message.string)).lower()
            for term in terms:
                accepted = [term["es"], *term.get("forms", [])]
                if re.search(rf"\b{re.escape(term['en'].lower())}s?\b", source) and not any(
                    form.lower() in target for form in accepted
                ):
                    problems.append(f"{path.relative_to(LOCALES)}: {term['en']!r} not as {term['es']!r}")
    assert not problems, f"{len(problems)} departures from the term base:\n" + "\n".join(problems[:30])


@pytest.mark.parametrize("language", TRANSLATED)
def test_term_base_has_one_spanish_term_per_english_term(language: str) -> None:
    terms = _term_base(language)
    english = Counter(t["en"].lower() for t in terms)
    assert not [t for t, n in english.items() if n > 1]
    glossary = [t for t in terms if t.get("glossary")]
    assert len(glossary) >= 50, "every glossary entry has its Spanish term"


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_code_string_has_one_translation_across_catalogues(language: str) -> None:
    # tr() reads every code catalogue into one table: the same English must read the same everywhere.
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in sorted((LOCALES / language / CODE_CATALOGUES).rglob("*.po")):
        for message in _catalogue(path):
            if not message.id or not message.string or message.fuzzy:
                continue
            english, translation = (message.context or "") + "|" + str(message.id), str(message.string)
            if english in seen and seen[english][0] != translation:
                clashes.append(
                    f"{english!r}: {seen[english][0]!r} ({seen[english][1]}) vs {translation!r} ({path.name})"
                )
            seen.setdefault(english, (translation, path.name))
    assert not clashes, f"{len(clashes)} code strings translated two ways:\n" + "\n".join(clashes[:30])
