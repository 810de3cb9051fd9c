"""Read an export's times: recognise the format from a sample, parse in DuckDB, put offsets into local time."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from citybook.yourcity.errors import CityDataError

_TIMES = ("%H:%M:%S.%f", "%H:%M:%S", "%H:%M")
# Families of formats, each tried as a whole; a family parses a value if any of its formats does.
FAMILIES: dict[str, tuple[str, ...]] = {
    "ISO 8601": tuple(f"%Y-%m-%d{sep}{t}" for t in _TIMES for sep in ("T", " ")) + ("%Y-%m-%d",),
    "ISO 8601 with offset": tuple(f"%Y-%m-%d{sep}{t}%z" for t in _TIMES for sep in ("T", " ")),
    "month first (mm/dd/yyyy)": ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p")
    + tuple(f"%m/%d/%Y {t}" for t in _TIMES)
    + ("%m/%d/%Y",),
    "day first (dd/mm/yyyy)": tuple(f"%d{s}%m{s}%Y {t}" for s in "/-." for t in _TIMES)
    + tuple(f"%d{s}%m{s}%Y" for s in "/-."),
}
ISO = "ISO 8601"
DAY_FIRST, MONTH_FIRST = "day first (dd/mm/yyyy)", "month first (mm/dd/yyyy)"
SAMPLE = 5000
ACCEPT_SHARE = 0.9  # a format that reads fewer sample values than this is not the file's format


@dataclass(frozen=True)
class TimeFormat:
    """How one time field is read."""

    family: str
    formats: tuple[str, ...]
    main: str = ""  # the family's format most sample values have: tried first, alone (fast on millions of rows)

    @property
    def has_offset(self) -> bool:
        """True when values carry a UTC offset (then they are converted to the city's local time)."""
        return any("%z" in f for f in self.formats)


def quote(column: str) -> str:
    """Return a column name quoted for DuckDB SQL."""
    return '"' + column.replace('"', '""') + '"'


def text_sql(columns: tuple[str, ...]) -> str:
    """Return SQL for a time's text: one column, or a date column and a time column joined by a space."""
    date = f"NULLIF(TRIM({quote(columns[0])}), '')"
    if len(columns) == 1:
        return date
    return f"({date} || COALESCE(' ' || NULLIF(TRIM({quote(columns[1])}), ''), ''))"


def sql_list(formats: tuple[str, ...]) -> str:
    """Return a DuckDB list literal of format strings."""
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in formats) + "]"


def parse_sql(text: str, fmt: TimeFormat, timezone: str) -> str:
    """Return SQL parsing a time's text into a local, naive TIMESTAMP (NULL when it cannot be read)."""
    value = f"regexp_replace({text}, 'Z$', '+00:00')" if fmt.has_offset else text
    parsed = f"try_strptime({value}, {sql_list(fmt.formats)})"
    if fmt.family == ISO:  # DuckDB's own ISO 8601 reader is several times faster than strptime
        # A CAST would ignore an offset: values that may carry one (a sign 5 or 6 from the end, or a Z; a plain
        # date too, harmlessly) go to strptime instead. Cheaper than a regular expression on millions of rows.
        no_offset = f"NOT (right({value}, 1) = 'Z' OR substr({value}, -6, 1) IN ('+', '-') OR substr({value}, -5, 1) IN ('+', '-'))"
        return f"coalesce(CASE WHEN {no_offset} THEN TRY_CAST({value} AS TIMESTAMP) END, {parsed}::TIMESTAMP)"
    if fmt.main:  # COALESCE only parses with the whole family the rows the main format could not read
        parsed = f"coalesce(try_strptime({value}, {sql_list((fmt.main,))}), {parsed})"
    return f"timezone('{timezone}', {parsed})" if fmt.has_offset else f"{parsed}::TIMESTAMP"


def detect_format(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: tuple[str, ...],
    *,
    declared: str,
    day_first: bool | None,
    file: str,
) -> TimeFormat | None:
    """Return the format that reads a time field's values, from the mapping or a sample; None if the field is empty."""
    text = text_sql(columns)
    label = " + ".join(columns)
    # The table is in file order (insertion order is kept), so a LIMIT without ORDER BY stops after the first
    # SAMPLE values instead of sorting millions of rows; the ORDER BY outside only sorts those few.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _sample AS SELECT v FROM (SELECT _row, {text} AS v FROM {table} "
        f"WHERE {text} IS NOT NULL LIMIT {SAMPLE}) ORDER BY _row"
    )
    sample = [row[0] for row in con.execute("SELECT v FROM _sample").fetchall()]
    if not sample:
        return None
    if declared != "auto":
        candidates = {"declared in the mapping": (declared,)}
    else:
        candidates = dict(FAMILIES)
    counts = ", ".join(f"count({parse_sql('v', TimeFormat(f, formats), 'UTC')})" for f, formats in candidates.items())
    read = dict(zip(candidates, con.execute(f"SELECT {counts} FROM _sample").fetchone()))  # one query, every family
    full = [f for f, n in read.items() if n == len(sample)]
    if DAY_FIRST in full and MONTH_FIRST in full:
        if day_first is None:
            example = sample[0]
            raise CityDataError(
                "the dates could be day first (dd/mm/yyyy) or month first (mm/dd/yyyy): no day in the sample is above 12",
                file=file,
                column=label,
                example=example,
                fix="add `day_first: true` (or false) to the mapping.",
            )
        full = [DAY_FIRST if day_first else MONTH_FIRST]
    best = max(read, key=lambda f: (read[f], f in full, -list(candidates).index(f)))
    if day_first is not None and read.get(DAY_FIRST if day_first else MONTH_FIRST, -1) == read[best]:
        best = DAY_FIRST if day_first else MONTH_FIRST
    if read[best] < ACCEPT_SHARE * len(sample):
        unread = con.execute(
            f"SELECT v FROM _sample WHERE {parse_sql('v', TimeFormat(best, candidates[best]), 'UTC')} IS NULL LIMIT 1"
        ).fetchone()[0]
        tried = "the format declared in the mapping" if declared != "auto" else "ISO 8601, mm/dd/yyyy and dd/mm/yyyy"
        raise CityDataError(
            f"{len(sample) - read[best]:,} of the first {len(sample):,} values cannot be read as dates ({tried})",
            file=file,
            column=label,
            example=unread,
            fix="check that the mapping names the right column; if it does, set `date_format:` in the mapping "
            "to the values' format (strftime codes, e.g. '%d/%m/%Y %H:%M' or '%Y%m%d'); "
            "rows that still cannot be read are then counted, not lost.",
        )
    chosen = candidates[best]
    zulu = "regexp_replace(v, 'Z$', '+00:00')"
    counts = ", ".join(f"count(try_strptime({zulu}, {sql_list((f,))}))" for f in chosen)
    hits = dict(zip(chosen, con.execute(f"SELECT {counts} FROM _sample").fetchone()))
    return TimeFormat(best, chosen, max(chosen, key=lambda f: (hits[f], -chosen.index(f))))
