"""`course report`: one self-contained HTML page that shows what the cohort found hard.

Charts are Altair, in the book's theme, compiled to Vega and drawn by the book's own Vega copy, which is
inlined in the page with the book's chart script: the page loads nothing from any other host, works
offline, and can be sent as one file. Every chart has a title stating its finding, a description in
words, and its numbers as a table.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import altair as alt
import pandas as pd

from citybook.charts.accessibility import require_title_and_description
from citybook.charts.html import chart_html
from citybook.charts.theme import register_theme
from citybook.charts.vendor import CHART_LIBRARIES, installed_file
from citybook.course.config import Course
from citybook.course.grades import SubmissionScore, assignment_scores, grading_record, participants, status_of
from citybook.course.report_charts import RETEACH_BELOW, city_chart, item_chart, percent, score_bins, score_chart
from citybook.course.state import write_atomically
from citybook.templates import render

CHART_SCRIPT = Path(__file__).resolve().parent.parent / "book" / "static" / "citybook-charts.js"


@dataclass
class Cohort:
    """Everything the report shows, read from the gradebook, the roster and the grading record."""

    assignment_id: str
    people: pd.DataFrame  # one row per participant: id, city, status, score_pct
    items: pd.DataFrame  # one row per participant x item: item, kind, full_marks, graded
    item_order: list[str]
    failures: dict[str, Counter]  # item -> the test messages it failed with, counted


def item_order(course: Course, assignment_id: str, scores: dict[str, SubmissionScore]) -> list[str]:
    """Return item names in the order they appear in the source notebooks (else alphabetical)."""
    names = sorted({item.item for score in scores.values() for item in score.items})
    ordered: list[str] = []
    for notebook in sorted(course.source_dir(assignment_id).glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id in names and grade_id not in ordered:
                ordered.append(grade_id)
    return ordered + [name for name in names if name not in ordered]


def failure_messages(course: Course, assignment_id: str, student_id: str) -> dict[str, str]:
    """Return, per failed test cell of one autograded notebook, its error's first line (display only)."""
    found: dict[str, str] = {}
    for path in sorted(course.autograded(student_id, assignment_id).glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not meta.get("grade") or meta.get("solution"):
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    said = (output.get("evalue") or "").strip().splitlines()
                    found[meta["grade_id"]] = (
                        f"{output.get('ename', 'Error')}: {said[0][:140]}"
                        if said
                        else f"{output.get('ename', 'Error')} (no message)"
                    )
    return found


def read_cohort(course: Course, assignment_id: str) -> Cohort:
    """Gather the report's data for one assignment."""
    scores = assignment_scores(course, assignment_id)
    record = grading_record(course, assignment_id)
    people_rows, item_rows = [], []
    failures: dict[str, Counter] = {}
    for student_id, person in sorted(participants(course).items()):
        score = scores.get(student_id)
        pct = 100 * score.autograded_score / score.autograded_max if score and score.autograded_max else None
        people_rows.append(
            {
                "id": student_id,
                "city": person.city or "(no city)",
                "status": status_of(student_id, scores, record),
                "score_pct": pct,
                "to_grade_by_hand": score.to_grade_by_hand if score else 0.0,
            }
        )
        if not score:
            continue
        for item in score.items:
            item_rows.append(
                {
                    "id": student_id,
                    "item": item.item,
                    "kind": item.kind,
                    "graded": not item.needs_manual_grade,
                    "full_marks": item.max_score > 0 and item.score >= item.max_score,
                }
            )
        for item, message in failure_messages(course, assignment_id, student_id).items():
            failures.setdefault(item, Counter())[message] += 1
    items = pd.DataFrame(item_rows, columns=["id", "item", "kind", "graded", "full_marks"])
    return Cohort(assignment_id, pd.DataFrame(people_rows), items, item_order(course, assignment_id, scores), failures)


def item_rates(cohort: Cohort) -> pd.DataFrame:
    """Return per item: graded count, full marks, and their share, in notebook order.

    Items graded by hand are left out while any of them still waits for a grader: a rate from the
    few already graded (often the blank ones, which score zero by themselves) would mislead.
    """
    items = cohort.items
    waiting = set(items.loc[~items["graded"], "item"])
    graded = items[items["graded"] & ~items["item"].isin(waiting)]
    rates = graded.groupby("item").agg(graded=("id", "count"), full=("full_marks", "sum")).reset_index()
    rates["pass_rate"] = rates["full"] / rates["graded"]
    order = {name: index for index, name in enumerate(cohort.item_order)}
    return rates.sort_values("item", key=lambda s: s.map(order)).reset_index(drop=True)


def cell(value: object) -> str:
    """Format a table cell: numbers without noise, missing values as a dash."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return str(value)


def reteach_table(cohort: Cohort, rates: pd.DataFrame) -> pd.DataFrame:
    """Return every item, hardest first, with the messages its tests failed with most often."""
    rows = []
    for row in rates.sort_values("pass_rate", kind="stable").itertuples():
        # Messages the test's author wrote come first: they say what went wrong.
        counts = cohort.failures.get(row.item, Counter())
        common = sorted(
            counts.items(), key=lambda pair: ("(no message)" in pair[0] or pair[0].startswith("NameError"), -pair[1])
        )[:2]
        rows.append(
            {
                "item": row.item,
                "full marks": f"{row.full} of {row.graded} ({percent(100 * row.pass_rate)})",
                "reteach": "yes" if row.pass_rate < RETEACH_BELOW else "",
                "what the tests said most often": "; ".join(f"{m} ({n})" for m, n in common) or "-",
            }
        )
    return pd.DataFrame(rows, columns=["item", "full marks", "reteach", "what the tests said most often"])


@dataclass
class ChartSection:
    """One chart of the report: its heading, its figure (compiled to Vega, as in the book), its numbers."""

    heading: str
    figure: str
    numbers: pd.DataFrame


def chart_section(heading: str, chart: alt.Chart, name: str, numbers: pd.DataFrame) -> ChartSection:
    """Return a chart's section, refusing a chart without a title and a description."""
    spec = chart.to_dict()
    require_title_and_description(spec)
    return ChartSection(heading, chart_html(spec, f"chart-{name}"), numbers)


def chart_sections(rates: pd.DataFrame, scored: pd.DataFrame) -> list[ChartSection]:
    """Return the three charts (scores, items, cities), each with the numbers behind it."""
    bands = score_bins(scored)
    by_city = scored.groupby("city")["score_pct"].agg(["count", "mean", "min", "max"]).reset_index()
    item_numbers = rates.assign(pass_rate=(100 * rates["pass_rate"]).round()).rename(
        columns={"full": "full marks", "pass_rate": "full marks (%)"}
    )
    city_numbers = by_city.rename(
        columns={"count": "graded", "mean": "mean (%)", "min": "lowest (%)", "max": "highest (%)"}
    )
    return [
        chart_section("Scores", score_chart(bands, scored), "scores", bands),
        chart_section("Items", item_chart(rates), "items", item_numbers),
        chart_section("Cities", city_chart(scored), "cities", city_numbers),
    ]


def page(cohort: Cohort, course_id: str) -> str:
    """Return the report's HTML page."""
    register_theme()
    people = cohort.people
    scored = people.dropna(subset=["score_pct"])
    rates = item_rates(cohort) if len(scored) else None
    scripts = [installed_file(package, relative).read_text(encoding="utf-8") for package, relative in CHART_LIBRARIES]
    scripts.append(CHART_SCRIPT.read_text(encoding="utf-8"))
    return render(
        "citybook.course",
        "cohort-report.html.j2",
        assignment_id=cohort.assignment_id,
        course_id=course_id,
        participants=len(people),
        graded=len(scored),
        median=percent(scored["score_pct"].median()) if len(scored) else None,
        waiting=int((cohort.items["kind"].eq("by hand") & ~cohort.items["graded"]).sum()),
        made=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        reteach_below=percent(100 * RETEACH_BELOW),
        reteach=reteach_table(cohort, rates) if rates is not None else None,
        charts=chart_sections(rates, scored) if rates is not None else [],
        attention=people[people["status"] != "graded"][["id", "city", "status"]],
        cell=cell,
        scripts=scripts,
    )


def write_report(course: Course, assignment_id: str, output: Path | None = None) -> Path:
    """Write the cohort report for an assignment; return its path."""
    course.notebook_names(assignment_id)
    target = Path(output) if output else course.reports_dir / f"{assignment_id}-report.html"
    write_atomically(target, page(read_cohort(course, assignment_id), course.course_id).encode("utf-8"))
    return target
