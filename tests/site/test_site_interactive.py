"""Charts in the built book stay interactive with no kernel: controls redraw them, marks show tooltips."""

from __future__ import annotations

import pytest

from citybook.paths import BUILD_HTML
from tests.helpers.page_visit import show_tooltip, visit_page

LESSON_PAGES = sorted(p.relative_to(BUILD_HTML).as_posix() for p in (BUILD_HTML / "lessons").glob("*.html"))


def _svg(page, chart_id: str) -> str:
    return page.locator(f"#{chart_id} svg").first.inner_html()


@pytest.mark.parametrize("name", LESSON_PAGES or ["(no lessons built)"])
def test_bound_controls_redraw_their_chart(browser, site_url: str, name: str) -> None:
    with visit_page(browser, f"{site_url}/{name}", "desktop") as (page, visit):
        charts = page.locator(".citybook-chart__view")
        moved = 0
        for index in range(charts.count()):
            chart = charts.nth(index)
            chart_id = chart.get_attribute("id")
            for control in chart.locator(".vega-bind input[type=range], .vega-bind select").all():
                before = _svg(page, chart_id)
                if control.evaluate("e => e.tagName") == "SELECT":
                    values = control.evaluate("e => [...e.options].map(o => o.value)")
                    current = control.input_value()
                    control.select_option(value=next(v for v in values if v != current))
                else:
                    low, high = (float(control.get_attribute(a) or 0) for a in ("min", "max"))
                    value = float(control.input_value())
                    control.fill(f"{low if value != low else high:g}")
                page.wait_for_timeout(50)
                assert _svg(page, chart_id) != before, f"{name}: moving a control of {chart_id} changed nothing"
                moved += 1
        assert moved > 0, f"{name}: no chart with a bound control"
        assert visit.console_errors == []


@pytest.mark.parametrize("name", LESSON_PAGES or ["(no lessons built)"])
def test_marks_show_tooltips(browser, site_url: str, name: str) -> None:
    with visit_page(browser, f"{site_url}/{name}", "desktop") as (page, _):
        tooltip = show_tooltip(page)
        assert tooltip.inner_text().strip(), f"{name}: the tooltip is empty"


def test_self_assessment_adds_up_as_the_reader_moves_a_slider(browser, site_url: str) -> None:
    """Lesson 1's explorer: raising one area to its maximum raises the overall count by the difference."""
    with visit_page(browser, f"{site_url}/lessons/01-what-data-driven-cities-do.html", "desktop") as (page, _):
        slider = page.locator(".vega-bind", has_text="Evaluations").locator("input[type=range]")
        value, high = int(slider.input_value()), int(slider.get_attribute("max"))
        overall = page.locator("svg text", has_text="Overall:")
        before = int(overall.text_content().split()[1])
        slider.fill(str(high))
        page.wait_for_timeout(50)
        after = int(overall.text_content().split()[1])
        assert after - before == high - value
