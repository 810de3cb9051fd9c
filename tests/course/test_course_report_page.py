"""The cohort report's page, rendered from a cohort built by hand (no grading): escaped, complete, offline."""

from __future__ import annotations

import re
from collections import Counter

import jinja2
import pandas as pd
import pytest

from citybook.course.report import Cohort, page
from citybook.templates import render

ITEMS = ["q1", "q2", "q3", "memo"]


def cohort(scored: bool = True) -> Cohort:
    """Three graded participants (one with a hostile city name) and one who did not submit."""
    people = pd.DataFrame(
        [
            {"id": "ana", "city": "Springfield", "status": "graded", "score_pct": 100.0},
            {"id": "ben", "city": "Shelby <b>ville</b>", "status": "graded", "score_pct": 45.5},
            {"id": "cy", "city": "Springfield", "status": "graded", "score_pct": 70.0},
            {"id": "dee", "city": "(no city)", "status": "not submitted", "score_pct": None},
        ]
    )
    if not scored:
        people = people.assign(score_pct=None)
    marks = {"ana": [1, 1, 1, 1], "ben": [0, 1, 0, 0], "cy": [1, 0, 1, 0]}
    items = pd.DataFrame(
        [
            {"id": who, "item": item, "kind": kind, "graded": kind == "auto" or who != "ben", "full_marks": bool(mark)}
            for who, row in marks.items()
            for item, mark, kind in zip(ITEMS, row, ["auto", "auto", "auto", "by hand"])
        ]
    )
    failures = {"q2": Counter({"AssertionError: use the median, not the 'mean' & <sum>": 1})}
    return Cohort("permits", people, items, ITEMS, failures)


def test_the_page_names_what_to_reteach_and_escapes_what_participants_wrote() -> None:
    html = page(cohort(), "city <course>")
    assert "<p class='lede'>city &lt;course&gt;: 4 participants, 3 graded, median autograded score 70%." in html
    assert "1 answer is waiting to be graded by hand" in html
    reteach = html.split("<h2>What to reteach</h2>")[1].split("<h2>")[0]
    # Hardest first (q2 and q3: 2 of 3, q1: 2 of 3 too, in notebook order); the memo still waits for ben.
    assert re.findall(r"<tr><td>(q\d|memo)</td>", reteach) == ["q1", "q2", "q3"]
    assert "use the median, not the &#x27;mean&#x27; &amp; &lt;sum&gt; (1)" in reteach
    cities = html.split("<h2>Cities</h2>")[1].split("<h2>")[0].split("<details class='numbers'>")[1]
    assert "<td>Shelby &lt;b&gt;ville&lt;/b&gt;</td>" in cities and "<b>" not in cities
    attention = html.split("<h2>Submissions that need attention</h2>")[1].split("<h2>")[0]
    assert "<td>dee</td><td>(no city)</td><td>not submitted</td>" in attention


def test_the_page_has_three_charts_with_their_numbers_and_loads_nothing_from_elsewhere() -> None:
    html = page(cohort(), "c")
    main = html.split("<main>")[1].split("</main>")[0]
    assert re.findall(r"<h2>([^<]+)</h2>", main) == [
        "What to reteach",
        "Scores",
        "Items",
        "Cities",
        "Submissions that need attention",
        "How this report is made",
    ]
    assert html.count('class="citybook-chart"') == 3
    assert html.count("<summary>The numbers behind this chart</summary>") == 3
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert html.count("<script>") >= 2 and html.rstrip().endswith("</html>")


def test_a_cohort_with_nothing_graded_says_what_to_run() -> None:
    html = page(cohort(scored=False), "c")
    assert "No submission has been graded yet: run <code>course autograde</code> first." in html
    assert 'class="citybook-chart"' not in html and "What to reteach" not in html


def test_a_template_missing_a_value_fails_loudly() -> None:
    with pytest.raises(jinja2.UndefinedError, match="assignment_id"):
        render("citybook.course", "cohort-report.html.j2")
