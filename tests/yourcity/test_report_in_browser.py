"""Each real export's report in headless Chromium, checked like the book's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.page_visit import chart_states, serious_accessibility_violations, visit_page
from tests.helpers.site_server import serve_directory
from tests.yourcity.conftest import REAL_FILES

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.parametrize("city", list(REAL_FILES))
def test_report_draws_offline_without_errors_and_passes_axe(browser, city_reports: dict[str, Path], city: str) -> None:
    """The report loads nothing from another host, logs no error, draws every chart and has no serious axe violation."""
    with serve_directory(city_reports[city]) as url:
        with visit_page(browser, f"{url}/index.html", "desktop") as (page, visit):
            assert visit.external_requests == [], f"{city}: asked other hosts for {visit.external_requests}"
            assert visit.failed_requests == [], f"{city}: failed requests {visit.failed_requests}"
            assert visit.console_errors == [], f"{city}: console errors {visit.console_errors}"
            states = chart_states(page)
            assert len(states) >= 4, f"{city}: expected at least four charts, found {len(states)}"
            undrawn = [s for s in states if s["drawn"] != "true" or not s["graphic"]]
            assert undrawn == [], f"{city}: charts not drawn: {undrawn}"
            violations = serious_accessibility_violations(page)
            assert violations == [], f"{city}: serious accessibility violations: {violations}"


def test_the_books_sample_report_is_linked_and_draws(browser, site: Path, site_url: str) -> None:
    """Lesson 14 and the city-report page link the sample city's report, and it draws like the others."""
    links = set()
    for page in ("lessons/14-your-city.html", "book/your-city.html"):
        html = (site / page).read_text(encoding="utf-8")
        links |= {href for href in re.findall(r'href="\.\./(_downloads/[^"]+/index\.html)"', html)}
    assert len(links) == 1, f"expected one link to the sample report from both pages, found {links}"
    with visit_page(browser, f"{site_url}/{links.pop()}", "desktop") as (page, visit):
        assert visit.external_requests == [] and visit.console_errors == [], visit
        states = chart_states(page)
        assert len(states) >= 6 and all(s["drawn"] == "true" and s["graphic"] for s in states), states
        assert serious_accessibility_violations(page) == []
