"""Open one page of the built book in Chromium and record everything a reader's browser does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from citybook.paths import NODE_MODULES

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHART_TIMEOUT_MS = 20_000
# Data marks only (Vega tags them role-mark), not legend swatches.
DATA_MARKS = (
    ".citybook-chart__view svg g.role-mark.mark-rect path, .citybook-chart__view svg g.role-mark.mark-symbol path"
)


@dataclass
class PageVisit:
    """What happened while a page loaded."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


@contextmanager
def visit_page(browser, url: str, viewport: str, draw_all: bool = True) -> Iterator[tuple[Any, PageVisit]]:
    """Open url in a fresh context that blocks and records every request to another host; close it after."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], service_workers="block")
    try:
        visit = PageVisit()

        def guard(route) -> None:
            host = urlsplit(route.request.url).hostname
            if host in LOCAL_HOSTS:
                route.continue_()
            else:
                visit.external_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.console_errors.append(f"uncaught: {e}"))
        page.on(
            "requestfailed",
            lambda r: (
                visit.failed_requests.append(f"{r.url} ({r.failure})")
                if urlsplit(r.url).hostname in LOCAL_HOSTS
                else None
            ),
        )
        page.on(
            "response",
            lambda r: visit.failed_requests.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
        )
        page.goto(url, wait_until="load")
        if draw_all:
            # Charts draw as they near the viewport; tests that check every chart draw them all now.
            # (Asked from inside the wait, which outlives a redirect such as the book's index page.)
            page.wait_for_function(
                """() => { if (window.citybookCharts) window.citybookCharts.drawAll();
                    return [...document.querySelectorAll('.citybook-chart__view')].every(e => e.dataset.drawn); }""",
                timeout=CHART_TIMEOUT_MS,
            )
        page.wait_for_load_state("networkidle")
        yield page, visit
    finally:
        context.close()


def show_tooltip(page, timeout_ms: int = 3000):
    """Hover the first data mark (not a legend swatch) and return Vega's tooltip once it is visible."""
    mark = page.locator(DATA_MARKS).first
    mark.scroll_into_view_if_needed()
    mark.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(state="visible", timeout=timeout_ms)
    return tooltip


def chart_states(page) -> list[dict]:
    """Return, for every chart container, its id, draw state and whether it holds an SVG or canvas."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.citybook-chart__view')].map(e => ({
            id: e.id, drawn: e.dataset.drawn, graphic: !!e.querySelector('svg, canvas')}))"""
    )


def page_weight(page) -> int:
    """Return the bytes of the page and everything it loaded (uncompressed)."""
    return page.evaluate(
        """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
            .reduce((total, entry) => total + (entry.decodedBodySize || 0), 0)"""
    )


def transferred_weight(page) -> int:
    """Return the bytes sent over the network for the page and everything it loaded (gzipped as served)."""
    return page.evaluate(
        """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
            .reduce((total, entry) => total + (entry.encodedBodySize || 0), 0)"""
    )


def serious_accessibility_violations(page) -> list[dict]:
    """Run axe-core on the main content; return serious and critical WCAG 2.1 A/AA violations."""
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    violations = page.evaluate(
        """async (tags) => {
            const main = document.querySelector('main') || document.body;
            const result = await axe.run(main, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]
