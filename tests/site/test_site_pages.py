"""Every page of the built book in real headless Chromium, at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path

import pytest

from citybook.book.linkcheck import html_pages
from citybook.paths import BUILD_HTML
from tests.helpers.page_visit import (
    VIEWPORTS,
    chart_states,
    page_weight,
    serious_accessibility_violations,
    transferred_weight,
    visit_page,
)
from tests.helpers.site_server import SERVED

MAX_PAGE_BYTES = 2 * 1024 * 1024
SCREENSHOTS = BUILD_HTML.parent / "screenshots"
WEIGHT_REPORT = BUILD_HTML.parent / "page-weight.md"
_weights: dict[str, tuple[int, int]] = {}


def _page_names() -> list[str]:
    return [p.relative_to(BUILD_HTML).as_posix() for p in html_pages(BUILD_HTML)] or ["(no built book)"]


@pytest.fixture(scope="module", autouse=True)
def weight_report():
    """Write the page-weight report once every page has been weighed."""
    yield
    if _weights:
        rows = "\n".join(
            f"| {name} | {size / 1024:,.0f} | {sent / 1024:,.0f} |" for name, (size, sent) in sorted(_weights.items())
        )
        WEIGHT_REPORT.write_text(
            "# Page weight: each page plus everything it alone loads (every chart drawn)\n\n"
            "| page | KiB | KiB sent gzipped |\n|---|---:|---:|\n" + rows + "\n"
        )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", _page_names())
def test_page(browser, site: Path, site_url: str, name: str, viewport: str) -> None:
    """A page loads offline, draws every chart, logs no error and passes axe."""
    assert (site / name).exists(), f"{name} is missing from the built book"
    first_request = len(SERVED)
    with visit_page(browser, f"{site_url}/{name}", viewport) as (page, visit):
        page.wait_for_timeout(200)  # the browser's own requests (its icon) come after load
        # What the server answered, the browser's own requests included (a missing /favicon.ico is
        # a console error in a real browser that Playwright's events do not report).
        refused = [f"{path} ({status})" for path, status in SERVED[first_request:] if status >= 400]
        assert refused == [], f"{name}: the server refused: {refused}"
        assert visit.external_requests == [], f"{name} asked other hosts for: {visit.external_requests}"
        assert visit.failed_requests == [], f"{name} had failed requests: {visit.failed_requests}"
        assert visit.console_errors == [], f"{name} logged errors: {visit.console_errors}"
        undrawn = [c for c in chart_states(page) if c["drawn"] != "true" or not c["graphic"]]
        assert undrawn == [], f"{name}: charts not drawn: {undrawn}"

        shot = SCREENSHOTS / f"{name.removesuffix('.html').replace('/', '__')}-{viewport}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)

        if viewport == "desktop":
            weight = page_weight(page)
            _weights[name] = (weight, transferred_weight(page))
            assert weight <= MAX_PAGE_BYTES, f"{name} weighs {weight / 1024:,.0f} KiB, over the 2 MiB limit"
            violations = serious_accessibility_violations(page)
            assert violations == [], f"{name}: serious accessibility violations: {violations}"
