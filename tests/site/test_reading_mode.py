"""The reading mode of lesson pages: Leader (no code) by default, Analyst on request, remembered."""

from __future__ import annotations

import pytest

from citybook.paths import BUILD_HTML
from tests.helpers.page_visit import serious_accessibility_violations, visit_page

LESSONS = sorted(p.relative_to(BUILD_HTML).as_posix() for p in (BUILD_HTML / "lessons").glob("*.html"))
FIRST, SECOND = (LESSONS + ["(no lessons built)"] * 2)[:2]
SWITCH = ".reading-mode"


def _visible(page, selector: str) -> int:
    """How many elements matching selector are rendered (display:none hides them from everyone)."""
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length > 0).length", selector
    )


def _pressed(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.reading-mode__button')]
            .map(b => [b.dataset.mode, b.getAttribute('aria-pressed')]))"""
    )


@pytest.mark.parametrize("name", LESSONS or ["(no lessons built)"])
def test_every_lesson_opens_in_leader_mode_without_code(browser, site_url: str, name: str) -> None:
    with visit_page(browser, f"{site_url}/{name}", "desktop") as (page, visit):
        assert page.locator(SWITCH).count() == 1, f"{name}: no reading-mode switch"
        assert _pressed(page) == {"leader": "true", "analyst": "false"}
        assert page.locator(".cell .cell_input").count() > 0, f"{name}: the page has no code cells to hide"
        assert _visible(page, ".cell .cell_input") == 0, f"{name}: code is visible in Leader mode"
        assert _visible(page, ".cell .cell_output:not(:has(.citybook-chart))") == 0, f"{name}: code output shows"
        # What a leader reads stays: the In brief, the questions, every chart and the glued numbers.
        assert _visible(page, ".in-brief") == 1
        assert page.get_by_role("heading", name="Questions to ask your team").is_visible()
        charts = page.locator("figure.citybook-chart").count()
        assert charts > 0 and _visible(page, "figure.citybook-chart") == charts, f"{name}: a chart is hidden"
        assert _visible(page, "span.pasted-text") == page.locator("main span.pasted-text").count()
        assert visit.console_errors == [] and visit.external_requests == []


def test_switch_shows_code_and_the_choice_follows_the_reader(browser, site_url: str) -> None:
    with visit_page(browser, f"{site_url}/{FIRST}", "desktop") as (page, visit):
        page.get_by_role("button", name="Analyst").click()
        assert _pressed(page) == {"leader": "false", "analyst": "true"}
        assert _visible(page, ".cell .cell_input") > 0, "Analyst mode shows no code"
        # The choice persists to the next page (same browser profile, so the same localStorage).
        page.goto(f"{site_url}/{SECOND}", wait_until="load")
        assert _pressed(page) == {"leader": "false", "analyst": "true"}
        assert _visible(page, ".cell .cell_input") > 0, "the next page forgot the Analyst choice"
        page.get_by_role("button", name="Leader").click()
        assert _visible(page, ".cell .cell_input") == 0
        page.goto(f"{site_url}/{FIRST}", wait_until="load")
        assert _pressed(page)["leader"] == "true" and _visible(page, ".cell .cell_input") == 0
        assert visit.console_errors == [] and visit.external_requests == []


def test_switch_works_from_the_keyboard_with_a_visible_focus(browser, site_url: str) -> None:
    with visit_page(browser, f"{site_url}/{FIRST}", "desktop") as (page, _):
        leader = page.locator(".reading-mode__button[data-mode=leader]")
        leader.focus()
        assert page.evaluate("() => document.activeElement.dataset.mode") == "leader"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.dataset.mode") == "analyst"
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none"), "the focused button shows no focus ring"
        page.keyboard.press("Enter")
        assert _pressed(page)["analyst"] == "true" and _visible(page, ".cell .cell_input") > 0
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Space")
        assert _pressed(page)["leader"] == "true" and _visible(page, ".cell .cell_input") == 0


@pytest.mark.parametrize("mode", ["leader", "analyst"])
def test_both_modes_pass_axe(browser, site_url: str, mode: str) -> None:
    with visit_page(browser, f"{site_url}/{FIRST}", "desktop") as (page, _):
        page.locator(f".reading-mode__button[data-mode={mode}]").click()
        assert serious_accessibility_violations(page) == []
