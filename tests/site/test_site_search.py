"""The book's search works offline, from the search page's own index."""

from __future__ import annotations

from tests.helpers.page_visit import visit_page


def test_search_finds_the_lesson_on_a_topic(browser, site_url: str) -> None:
    with visit_page(browser, f"{site_url}/search.html?q=pothole", "desktop") as (page, visit):
        results = page.locator("#search-results ul.search li a")
        results.first.wait_for(timeout=15_000)
        hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert any("lessons/" in h for h in hrefs), hrefs
        assert visit.console_errors == [] and visit.external_requests == []
