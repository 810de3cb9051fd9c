"""Each real export's report in headless Chromium, checked like the book's pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.page_visit import chart_states, open_page, serious_accessibility_violations
from tests.helpers.site_server import serve_directory
from tests.yourcity.conftest import REAL_FILES

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.parametrize("city", list(REAL_FILES))
def test_report_draws_offline_without_errors_and_passes_axe(browser, city_reports: dict[str, Path], city: str) -> None:
    """The report loads nothing from another host, logs no error, draws every chart and has no serious axe violation."""
    with serve_directory(city_reports[city]) as url:
        context, page, visit = open_page(browser, f"{url}/index.html", "desktop")
        try:
            assert visit.external_requests == [], f"{city}: asked other hosts for {visit.external_requests}"
            assert visit.failed_requests == [], f"{city}: failed requests {visit.failed_requests}"
            assert visit.console_errors == [], f"{city}: console errors {visit.console_errors}"
            states = chart_states(page)
            assert len(states) >= 4, f"{city}: expected at least four charts, found {len(states)}"
            undrawn = [s for s in states if s["drawn"] != "true" or not s["graphic"]]
            assert undrawn == [], f"{city}: charts not drawn: {undrawn}"
            violations = serious_accessibility_violations(page)
            assert violations == [], f"{city}: serious accessibility violations: {violations}"
        finally:
            context.close()
