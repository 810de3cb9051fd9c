"""Languages of the book: one translation function for strings code produces, and Babel formatting."""

from citybook.i18n.formats import date, money, number, percent
from citybook.i18n.language import LANGUAGES, current_language, locale_name, use_language
from citybook.i18n.translate import N_, tr, tr_values, trc

__all__ = [
    "LANGUAGES",
    "N_",
    "current_language",
    "date",
    "locale_name",
    "money",
    "number",
    "percent",
    "tr",
    "tr_values",
    "trc",
    "use_language",
]
