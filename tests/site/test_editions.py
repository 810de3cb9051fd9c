"""The book's editions side by side: every page in each language, linked both ways, charts translated."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from citybook.book.editions import edition_folder
from citybook.book.language_switch import alternate_links
from citybook.book.linkcheck import html_pages
from citybook.i18n import LANGUAGES
from citybook.i18n.language import SOURCE_LANGUAGE
from tests.helpers.page_visit import visit_page

TRANSLATED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
CHART_NAME = re.compile(r'<span id="[^"]+-name" hidden>(.*?)</span>')
PASTED = re.compile(r'<span class="pasted-text">(.*?)</span>')
PHONE_LESSONS = [
    "lessons/04-311-performance-analytics.html",
    "lessons/06-equity-who-waits.html",
    "lessons/09-randomised-trials.html",
]


def _english_pages(site: Path) -> list[str]:
    editions = {edition_folder(code).rstrip("/") for code in TRANSLATED}
    return [p.relative_to(site).as_posix() for p in html_pages(site) if p.relative_to(site).parts[0] not in editions]


def _read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_hreflang_alternates_are_absolute_and_name_every_edition() -> None:
    links = alternate_links("https://example.org/book", "lessons/04-x")
    found = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', links))
    assert found == {
        "en": "https://example.org/book/lessons/04-x.html",
        "es-419": "https://example.org/book/es/lessons/04-x.html",
        "x-default": "https://example.org/book/lessons/04-x.html",
    }
    assert alternate_links("", "lessons/04-x") == ""


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_page_has_its_twin_in_each_edition(site: Path, language: str) -> None:
    english = set(_english_pages(site))
    translated = {
        p.relative_to(site / edition_folder(language)).as_posix() for p in html_pages(site / edition_folder(language))
    }
    assert len(english) > 20
    assert english == translated, f"only in English: {english - translated}; only in {language}: {translated - english}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_language_attribute_and_switcher(site: Path, language: str) -> None:
    for name in _english_pages(site):
        for code in (SOURCE_LANGUAGE, language):
            page = site / edition_folder(code) / name
            text = page.read_text(encoding="utf-8")
            if 'http-equiv="Refresh"' in text:
                assert f'<html lang="{code}"' in text and 'rel="icon"' in text, page
                continue  # index.html: only a redirect to the welcome page
            # <html lang> names the language ("es", which the theme's scripts know); hreflang the variety.
            assert f'<html lang="{code}"' in text, f"{page}: wrong <html lang>"
            # Relative hreflang is ignored by search engines: none unless the site's address is set.
            assert 'rel="alternate" hreflang' not in text, f"{page}: hreflang without the site's address"
            switch = re.search(r'<nav class="language-switch"[^>]*>(.*?)</nav>', text, re.S)
            assert switch, f"{page} has no language switcher"
            other = language if code == SOURCE_LANGUAGE else SOURCE_LANGUAGE
            link = re.search(r'href="([^"]+)" hreflang="([^"]+)"', switch.group(1))
            assert link and link.group(2) == LANGUAGES[other].tag, f"{page}: switcher does not offer {other}"
            assert (page.parent / link.group(1)).resolve() == (site / edition_folder(other) / name).resolve()


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_chart_keeps_its_english_title(site: Path, language: str) -> None:
    untranslated, charts = [], 0
    for name in _english_pages(site):
        english = CHART_NAME.findall(_read(site, name))
        translated = CHART_NAME.findall(_read(site, edition_folder(language) + name))
        assert len(english) == len(translated), (
            f"{name}: {len(english)} charts in English, {len(translated)} in {language}"
        )
        charts += len(english)
        for source, target in zip(english, translated):
            source_title, target_title = source.split(": ", 1)[-1], target.split(": ", 1)[-1]
            if re.search(r"[a-z]{3}", source_title) and source_title == target_title:
                untranslated.append(f"{name}: {source_title[:80]}")
    assert charts > 50
    assert not untranslated, f"{len(untranslated)} charts still titled in English:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("language", TRANSLATED)
def test_glued_numbers_are_written_the_editions_way(site: Path, language: str) -> None:
    # English writes 83% and 1,234; the Spanish edition 83 % (no-break space) and 1.234.
    wrong = []
    for name in _english_pages(site):
        for value in PASTED.findall(_read(site, edition_folder(language) + name)):
            # 83% or 1,234 (a grouping comma after a leading group that is not 0: 0,361 is Spanish).
            if re.search(r"\d%|(?<![\d.,])[1-9]\d{0,2},\d{3}\b", html.unescape(value)):
                wrong.append(f"{edition_folder(language)}{name}: {value}")
        for value in PASTED.findall(_read(site, name)):
            if "\u00a0%" in html.unescape(value):
                wrong.append(f"{name}: {value}")
    assert not wrong, f"{len(wrong)} glued numbers in the other edition's style:\n" + "\n".join(wrong[:30])


@pytest.mark.browser
@pytest.mark.parametrize("name", PHONE_LESSONS)
def test_spanish_lessons_at_phone_width(browser, site: Path, site_url: str, name: str) -> None:
    """Three Spanish lessons on a phone: Spanish interface, charts drawn; screenshots kept for review."""
    with visit_page(browser, f"{site_url}/es/{name}", "phone") as (page, visit):
        assert page.evaluate("document.documentElement.lang") == "es"
        assert page.locator(".reading-mode__label").inner_text().startswith("Modo de lectura")
        assert page.locator("nav.language-switch a").first.inner_text() == "English"
        assert visit.console_errors == []
        shots = site.parent / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"es-phone-{Path(name).stem}.png"), full_page=False)
        # The first chart, drawn, with its Spanish title and words.
        figure = page.locator("figure.citybook-chart").first
        figure.scroll_into_view_if_needed()
        page.wait_for_selector("figure.citybook-chart .citybook-chart__view[data-drawn='true']")
        assert figure.locator("figcaption summary").first.inner_text().startswith("El gráfico en palabras")
        page.screenshot(path=str(shots / f"es-phone-{Path(name).stem}-chart.png"), full_page=False)
