"""Write the city report: one self-contained HTML page (local Vega, the book's chart script) and a CSV per chart."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import altair as alt
import jinja2
import pandas as pd

from citybook.charts.accessibility import require_title_and_description
from citybook.charts.html import chart_html
from citybook.charts.theme import register_theme
from citybook.charts.vendor import CHART_LIBRARIES, installed_file
from citybook.i18n import N_, date, number, tr
from citybook.yourcity import charts
from citybook.yourcity.pipeline import CityAnalysis
from citybook.yourcity.text import language_tag, say

TEMPLATES = resources.files("citybook.yourcity") / "templates"
CHART_SCRIPT = resources.files("citybook.book") / "static" / "citybook-charts.js"


@dataclass
class Block:
    """One chart in the report: its figure HTML, its numbers, and the CSV file holding them."""

    figure: str
    table: pd.DataFrame
    csv: str
    caption: str


@dataclass
class Section:
    """One section of the report: a heading, a sentence of context, and its charts."""

    id: str
    heading: str
    intro: str
    blocks: list[Block]


def cell(value: object) -> str:
    """Format a table cell: numbers without noise, shares as percentages, missing values as a dash."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return number(value) if value.is_integer() else number(value, 2)
    if isinstance(value, int):
        return number(value)
    return str(value)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a tidy CSV the same way every time (fixed float and date formats, Unix line ends)."""
    frame.to_csv(path, index=False, float_format="%.4f", date_format="%Y-%m-%dT%H:%M:%S", lineterminator="\n")


def block(
    chart: alt.TopLevelMixin, table: pd.DataFrame, name: str, out: Path, csv_table: pd.DataFrame | None = None
) -> Block:
    """Return a chart's block and write the CSV of its numbers."""
    spec = chart.to_dict()
    require_title_and_description(spec)
    write_csv(table if csv_table is None else csv_table, out / f"{name}.csv")
    title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    return Block(
        chart_html(spec, f"chart-{name}"),
        _display(table),
        f"{name}.csv",
        " ".join(title) if isinstance(title, list) else str(title),
    )


# The tables' column headings in words (the CSVs keep the column names).
COLUMN_NAMES = {
    "service_name": N_("service name"),
    "requests": N_("requests"),
    "closed": N_("closed"),
    "open": N_("open"),
    "share": N_("share"),
    "month": N_("month"),
    "period": N_("period"),
    "area": N_("area"),
    "closed_requests": N_("closed requests"),
    "median_hours": N_("median (hours)"),
    "p90_hours": N_("p90 (hours)"),
    "mean_hours": N_("mean (hours)"),
    "on_time": N_("on time"),
    "closed_with_deadline": N_("closed with deadline"),
    "on_time_share": N_("on time (%)"),
    "open_share": N_("open (%)"),
    "partial": N_("partial"),
    "provisional": N_("provisional"),
    "centre": N_("centre"),
    "lower": N_("lower"),
    "upper": N_("upper"),
    "signal": N_("signal"),
    "moving_range": N_("moving range"),
    "check": N_("data check"),
    "rows": N_("rows"),
    "share (%)": N_("share (%)"),
    "what happens": N_("what happens"),
    "column": N_("column"),
    "first example": N_("first example"),
}


def column_name(column: str) -> str:
    """Return a table column's heading in the report's language."""
    if column in COLUMN_NAMES:
        return tr(COLUMN_NAMES[column])
    return column.replace("_share", " (%)").replace("_hours", " (hours)").replace("_", " ")


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a table for reading: hours rounded, shares as percentages, columns in words."""
    shown = frame.copy()
    for column in shown.columns:
        if column.endswith("_share"):
            shown[column] = (100 * shown[column]).round(1)
        elif column.endswith("_hours") or column in ("centre", "lower", "upper"):
            shown[column] = shown[column].astype(float).round(1)
    return shown.rename(columns={c: column_name(c) for c in shown.columns})


def sections(analysis: CityAnalysis, out: Path) -> list[Section]:
    """Return the report's measure sections, in lesson 04's order, writing each chart's CSV."""
    t = analysis.tables
    other = say("other_types")
    volume, volume_table = charts.volume_chart(t["volume_by_type"], other)
    monthly, _ = charts.monthly_chart(t["volume_by_type_month"], t["volume_by_type"], other)
    found = [
        Section(
            "volume",
            say("volume_heading"),
            "",
            [
                block(volume, volume_table, "volume-by-type", out, t["volume_by_type"]),
                block(monthly, t["volume_by_type_month"], "volume-by-type-month", out),
            ],
        )
    ]
    wait, wait_table = charts.wait_chart(t["time_to_close_by_type"], analysis.citywide)
    found.append(
        Section(
            "waits",
            say("wait_heading"),
            say(
                "wait_intro",
                median=charts.hours_text(analysis.citywide["median_hours"]),
                p90=charts.hours_text(analysis.citywide["p90_hours"]),
            ),
            [block(wait, wait_table, "time-to-close-by-type", out, t["time_to_close_by_type"])],
        )
    )
    if len(t["on_time_by_type"]):
        on_time, on_time_table = charts.on_time_chart(t["on_time_by_type"])
        found.append(
            Section(
                "on-time",
                say("ontime_heading"),
                "",
                [block(on_time, on_time_table, "on-time-by-type", out, t["on_time_by_type"])],
            )
        )
    else:
        found.append(Section("on-time", say("ontime_heading"), say("ontime_none"), []))
    trend, trend_table = charts.trend_chart(t["trend"], analysis.grain)
    found.append(
        Section(
            "trend",
            say("trend_heading"),
            say("trend_intro", p90=charts.hours_text(analysis.citywide["p90_hours"])),
            [block(trend, trend_table, "trend", out)],
        )
    )
    if len(t["control_chart"]):
        control, control_table = charts.control_chart(t["control_chart"], analysis.grain)
        found.append(
            Section("control", say("control_heading"), "", [block(control, control_table, "control-chart", out)])
        )
    else:
        found.append(Section("control", say("control_heading"), say("control_too_short", n=6), []))
    if len(t["by_area"].dropna(subset=["median_hours"])):
        label = tr("District") if analysis.mapping.area_field == "district" else tr("Neighbourhood")
        area, area_table = charts.area_chart(t["by_area"], label)
        write_csv(t["area_by_type"], out / "area-by-type.csv")
        found.append(Section("area", say("area_heading"), "", [block(area, area_table, "by-area", out, t["by_area"])]))
    else:
        found.append(Section("area", say("area_heading"), say("area_none"), []))
    return found


CSV_NOTES = {
    "data-quality.csv": N_("every check, the rows it caught and the first example"),
    "rejected-rows.csv": N_("every row left out, with its record number, reason and value"),
    "volume-by-type.csv": N_("requests, closed and open per type"),
    "volume-by-type-month.csv": N_("requests per type per month"),
    "time-to-close-by-type.csv": N_("closed requests, median, 90th percentile and mean hours to close per type"),
    "on-time-by-type.csv": N_("closed requests with a deadline and the share on time, per type"),
    "trend.csv": N_(
        "per period: requests, share still open, median and 90th percentile, partial and provisional flags"
    ),
    "control-chart.csv": N_("requests per complete period with the centre line, limits and signals"),
    "by-area.csv": N_("per area: requests, closed requests, median and 90th percentile"),
    "area-by-type.csv": N_("median hours to close per area and type"),
}


def render(analysis: CityAnalysis, out: Path) -> str:
    """Return the report page for an analysis, writing its CSVs into `out`."""
    register_theme()
    body = sections(analysis, out)
    quality = (
        analysis.quality.drop(columns=["key"])
        .assign(share=lambda d: (100 * d["share"]).round(2))
        .rename(columns={"share": "share (%)"})
    )
    quality = quality.rename(columns={c: column_name(c) for c in quality.columns})
    write_csv(analysis.quality.drop(columns=["key"]), out / "data-quality.csv")
    write_csv(analysis.rejected, out / "rejected-rows.csv")
    loaded, city = analysis.loaded, analysis.mapping.name
    span = analysis.con.execute(
        "SELECT min(requested_datetime), max(requested_datetime), count(*) FILTER (WHERE status = 'closed') FROM service_requests"
    ).fetchone()
    validated = (
        say("validated_ok", rows=number(analysis.validated_rows))
        if not analysis.schema_errors
        else say("validated_errors", rows=number(analysis.validated_rows), errors=number(len(analysis.schema_errors)))
    )
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, keep_trailing_newline=True
    )
    scripts = [installed_file(package, relative).read_text(encoding="utf-8") for package, relative in CHART_LIBRARIES]
    scripts.append(CHART_SCRIPT.read_text(encoding="utf-8"))
    files = [(name, tr(what)) for name, what in CSV_NOTES.items() if (out / name).exists()]
    return environment.get_template("report.html.j2").render(
        lang=language_tag(),
        title=say("report_title", city=city),
        lede=say(
            "lede",
            usable=number(loaded.usable),
            rows=number(loaded.rows),
            file=analysis.export.path.name,
            first=date(pd.Timestamp(span[0])),
            last=date(pd.Timestamp(span[1])),
            closed=number(span[2]),
            as_of=f"{date(pd.Timestamp(loaded.as_of))} {pd.Timestamp(loaded.as_of):%H:%M}",
        ),
        quality_intro=say("quality_intro", validated=validated),
        quality=quality,
        quality_flag=column_name("rows"),
        schema_errors=analysis.schema_errors,
        sections=body,
        files=files,
        about=say(
            "about",
            file=f"{analysis.export.path.name} ({analysis.export.describe()})",
            mapping=analysis.mapping_label,
            tz=analysis.mapping.timezone,
        ),
        scripts=scripts,
        not_in_export=", ".join(analysis.not_in_export),
        say=say,
        cell=cell,
    )


def write_report(analysis: CityAnalysis, out: Path) -> Path:
    """Write the report page and its CSVs into a folder; return the page's path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    page.write_text(render(analysis, out), encoding="utf-8")
    return page
