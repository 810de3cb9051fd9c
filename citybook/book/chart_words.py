"""What the chart script says and how it writes numbers and dates, in the edition's language."""

from __future__ import annotations

import json

from babel import Locale

from citybook.i18n import locale_name, tr


def chart_script_strings() -> str:
    """Return the chart script's sentences (announcements, table captions) as JSON for data-strings."""
    return json.dumps(
        {
            "set_to": tr("{control} set to {value}"),
            "now": tr("Now:"),
            "and_more": tr("and more."),
            "new_setting": tr("The chart shows the new setting."),
            "current_settings": tr("Current settings:"),
            "now_shows": tr("The chart now shows:"),
            "first_rows": tr("First {shown} of {rows} rows"),
            "one_row": tr("1 row"),
            "rows": tr("{rows} rows"),
            "data_table": tr("Data table, {caption}"),
            "chart": tr("Chart"),
            "scrolls": tr("{chart} (scrolls sideways)"),
            "menu": tr("Chart menu: save the chart as an image"),
            "failed": tr("This chart could not be drawn. Its description follows below."),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def chart_locale() -> str:
    """Return d3's number and time locales (what Vega draws axes with), built from CLDR, as JSON."""
    locale = Locale.parse(locale_name())
    symbols = locale.number_symbols["latn"]
    months = locale.months["format"]
    days = locale.days["format"]
    # d3 counts weekdays from Sunday; CLDR (through Babel) from Monday.
    week = [6, 0, 1, 2, 3, 4, 5]
    return json.dumps(
        {
            "number": locale_name().replace("_", "-"),
            "format": {
                "decimal": symbols["decimal"],
                "thousands": symbols["group"],
                "grouping": [3],
                "currency": ["$", ""],
                "percent": locale.percent_formats[None].pattern.replace("#,##0", "").replace("0", "") or "%",
            },
            "time": {
                "dateTime": "%x, %X",
                "date": "%d/%m/%Y",
                "time": "%H:%M:%S",
                "periods": [locale.day_periods["format"]["abbreviated"].get(p, p.upper()) for p in ("am", "pm")],
                "days": [str(days["wide"][d]) for d in week],
                "shortDays": [str(days["abbreviated"][d]) for d in week],
                "months": [str(months["wide"][m]) for m in range(1, 13)],
                "shortMonths": [str(months["abbreviated"][m]) for m in range(1, 13)],
            },
            "actions": {
                "SVG_ACTION": tr("Save as SVG"),
                "PNG_ACTION": tr("Save as PNG"),
                "CLICK_TO_VIEW_ACTIONS": tr("Click to view actions"),
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
