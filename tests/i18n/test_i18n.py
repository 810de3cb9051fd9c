"""The translation function, Babel formatting and the collection of code strings."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from citybook.book.language_switch import edition_links
from citybook.i18n import date, money, number, percent, tr, tr_values, translate, use_language
from citybook.i18n.extract import notebook_messages
from citybook.i18n.language import LANGUAGE_VARIABLE, current_language


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["1,234.5", "83%", "83.5%", "$1,250,000", "-$12.50", "12 July 2023", "July 2023"]),
        (
            "es",
            ["1.234,5", "83\u00a0%", "83,5\u00a0%", "$1.250.000", "-$12,50", "12 de julio de 2023", "julio de 2023"],
        ),
    ],
)
def test_numbers_money_and_dates_are_written_the_languages_way(language: str, expected: list[str]) -> None:
    with use_language(language):
        got = [
            number(1234.5, 1),
            percent(0.834),
            percent(0.8345, 1),
            money(1_250_000),
            money(-12.5, 2),
            date(dt.date(2023, 7, 12)),
            date("2023-07-12", "month"),
        ]
    assert got == expected


def test_the_edition_locale_can_be_set_for_a_country(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYBOOK_LOCALE", "es_MX")
    with use_language("es"):
        assert (number(1234.5, 1), percent(0.83)) == ("1,234.5", "83%")
    with use_language("en"):
        assert number(1234.5, 1) == "1,234.5"  # a Spanish locale never applies to English


def test_tr_translates_fills_fields_and_falls_back_to_english(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = Catalog(locale="es")
    catalogue.add("{n} requests on time", "{n} solicitudes a tiempo")
    catalogue.add("Pothole", "Bache")
    folder = tmp_path / "es" / translate.CODE_CATALOGUES
    folder.mkdir(parents=True)
    with (folder / "test.po").open("wb") as handle:
        write_po(handle, catalogue)
    read = translate.code_messages.__wrapped__  # the uncached reader
    monkeypatch.setattr(translate, "code_messages", lambda language: read(language, tmp_path))
    assert tr("{n} requests on time", n=5) == "5 requests on time"
    with use_language("es"):
        assert tr("{n} requests on time", n=5) == "5 solicitudes a tiempo"
        assert tr_values(["Pothole", 3, None]) == ["Bache", 3, None]
        assert tr("Not in any catalogue") == "Not in any catalogue"


def test_an_unknown_language_is_refused_with_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANGUAGE_VARIABLE, "pt")
    with pytest.raises(ValueError, match="CITYBOOK_LANG='pt'.*en, es"):
        current_language()
    with pytest.raises(ValueError, match="not a language of the book"):
        with use_language("fr"):
            pass


def test_marked_strings_are_collected_from_notebook_code(tmp_path) -> None:
    cells = [
        {"cell_type": "markdown", "source": ['tr("prose is not code")']},
        {
            "cell_type": "code",
            "source": [
                "%matplotlib inline\n",
                'x = tr("Share on time, {year}", year=2024)\n',
                'LABELS = [N_("Median"), "not marked"]\n',
                'n = trc("count", "no")\n',
                'y = f"{tr(name)}"',
            ],
        },
    ]
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    found = [(message, context) for message, _, context in notebook_messages(path)]
    assert found == [("Share on time, {year}", None), ("Median", None), ("no", "count")]


@pytest.mark.parametrize(
    ("language", "page", "expected"),
    [
        ("en", "lessons/04-x", {"en": "../lessons/04-x.html", "es": "../es/lessons/04-x.html"}),
        ("es", "lessons/04-x", {"en": "../../lessons/04-x.html", "es": "../../es/lessons/04-x.html"}),
        ("es", "index", {"en": "../index.html", "es": "../es/index.html"}),
    ],
)
def test_edition_links_point_at_the_same_page(language: str, page: str, expected: dict[str, str]) -> None:
    assert edition_links(language, page) == expected


@pytest.mark.parametrize("value", [1.85, 2.675, 0.125, 1234.5, 7.0, 0.05])
def test_numbers_round_as_python_formats_them(value: float) -> None:
    with use_language("en"):
        assert number(value, 1) == f"{value:,.1f}"
        assert number(value, 2) == f"{value:,.2f}"
        assert percent(value / 10, 1) == f"{value / 10:,.1%}"
