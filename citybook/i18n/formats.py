"""Numbers, money and dates written as the reader's language writes them (Babel, CLDR data)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel import Locale, dates, numbers

from citybook.i18n.language import locale_name


def _exact(value: float) -> Decimal | float:
    # Babel reads a float through its shortest repr (1.85 exactly) and then rounds half to even (1.8);
    # Python's format rounds the float's true binary value (1.8500000000000000888...: 1.9). Keep Python's.
    return Decimal(value) if isinstance(value, float) else value


def number(value: float, digits: int = 0) -> str:
    """Format a number with the locale's grouping and decimal marks and a fixed number of decimals."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(_exact(value), format=pattern, locale=locale_name())


def percent(share: float, digits: int = 0) -> str:
    """Format a share (0.83) as a percentage ('83%' in English) with a fixed number of decimals."""
    pattern = Locale.parse(locale_name()).percent_formats[None].pattern.split(";")[0]
    pattern = re.sub(r"#[#,0]*(\.0+)?", "#,##0" + ("." + "0" * digits if digits else ""), pattern, count=1)
    # Scaled as Python's own "%" format scales it (in binary), so 0.8345 reads 83.5% as f"{0.8345:.1%}" does.
    scaled = _exact(share * 100) / 100 if isinstance(share, float) else share
    return numbers.format_percent(scaled, format=pattern, locale=locale_name())


def money(amount: float, digits: int = 0) -> str:
    """Format an amount of the sample city's dollars: '$1,250,000' in English, '$1.250.000' in Spanish."""
    # "$" before the figure, as the Americas write it (CLDR's general Spanish would put it after).
    sign = "-" if amount < 0 else ""
    return f"{sign}${number(abs(amount), digits)}"


# Named formats as CLDR skeletons, so each language orders and joins the parts its own way
# ("July 2023" / "julio de 2023").
SKELETONS = {"long": "yMMMMd", "month": "yMMMM", "short-month": "yMMM", "day-month": "dMMMM"}


def date(value: dt.date | dt.datetime | str, format: str = "long") -> str:
    """Format a date: 'long' (12 July 2023), 'month' (July 2023), 'short-month', 'day-month' or a CLDR pattern."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if format in SKELETONS:
        return dates.format_skeleton(SKELETONS[format], value, locale=locale_name())
    return dates.format_date(value, format=format, locale=locale_name())
