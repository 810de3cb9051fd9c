"""Every chart usable without colour, without a mouse and by ear: the spec pass, checked on every lesson."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from citybook.book.extension import page_description
from citybook.charts import palette, setup_charts
from citybook.charts.accessible import accessible_spec, colour_only_series
from citybook.charts.contrast import MARK_CONTRAST, TEXT_CONTRAST, contrast_ratio, darken_to
from citybook.charts.html import chart_html, compile_to_vega, short_description, table_columns
from citybook.charts.keyboard import NO_CHOICE_LABEL, bind_selections
from tests.helpers.lesson_notebooks import chart_specs, lesson_paths, read

LESSON_SPECS = [
    pytest.param(spec, id=f"{path.stem[:2]}-chart{index}")
    for path in lesson_paths()
    for index, spec in enumerate(chart_specs(read(path)))
]


@pytest.fixture(autouse=True)
def book_charts():
    setup_charts()


def _lines(colour_field: str = "dept") -> alt.Chart:
    data = pd.DataFrame({"month": [1, 2, 1, 2], "n": [3, 4, 5, 6], "dept": ["A", "A", "B", "B"]})
    return (
        alt.Chart(data)
        .mark_line()
        .encode(x="month:Q", y="n:Q", color=alt.Color(f"{colour_field}:N", title="Department"))
        .properties(title="t", description="Two lines. More words.")
    )


def test_palette_marks_reach_3_to_1_and_text_4_5_to_1_on_white() -> None:
    assert all(contrast_ratio(c) >= MARK_CONTRAST for c in palette.CATEGORY), palette.CATEGORY
    assert all(contrast_ratio(c) >= MARK_CONTRAST for c in palette.DARKENED.values())
    assert contrast_ratio(palette.MUTED) >= MARK_CONTRAST
    assert contrast_ratio(palette.TEXT) >= TEXT_CONTRAST
    assert contrast_ratio("#E69F00") < MARK_CONTRAST  # why the palette darkens Okabe-Ito's orange


def test_darkening_reaches_the_ratio_asked_for() -> None:
    for colour in ("#E69F00", "#56B4E9", "#F0E442", "#D55E00", "#8C8C8C"):
        assert contrast_ratio(darken_to(colour, TEXT_CONTRAST)) >= TEXT_CONTRAST
    assert darken_to("#000000", TEXT_CONTRAST) == "#000000"


def test_line_series_get_dashes_and_point_series_get_shapes() -> None:
    lines = accessible_spec(_lines().to_dict())
    assert lines["encoding"]["strokeDash"]["field"] == "dept"
    assert lines["encoding"]["strokeDash"]["title"] == "Department"  # one merged legend, not two
    points = accessible_spec(_lines().mark_point().to_dict())
    assert points["encoding"]["shape"]["field"] == "dept"
    assert colour_only_series(_lines().to_dict()) == ["line coloured by dept"]
    assert colour_only_series(lines) == [] and colour_only_series(points) == []


def test_the_pass_is_idempotent_recolours_and_turns_off_mark_aria() -> None:
    chart = _lines().mark_line(color="#E69F00").encode(color=alt.value("#56B4E9"))
    once = accessible_spec(chart.to_dict())
    assert accessible_spec(once) == once
    text = json.dumps(once)
    assert "#E69F00" not in text and "#56B4E9" not in text and "#BD8200" in text
    assert once["config"]["aria"] is False


def test_text_marks_are_darkened_to_4_5_to_1() -> None:
    data = pd.DataFrame({"x": [1], "label": ["note"]})
    note = alt.Chart(data).mark_text(color="#D55E00").encode(x="x:Q", text="label:N")
    spec = accessible_spec(note.properties(title="t", description="d").to_dict())
    assert contrast_ratio(spec["mark"]["color"]) >= TEXT_CONTRAST


def test_heat_map_labels_take_the_colour_that_contrasts_with_their_cell() -> None:
    data = pd.DataFrame({"x": ["a", "b"], "y": ["c", "c"], "v": [0.0, 1.0]})
    base = alt.Chart(data).encode(x="x:N", y="y:N")
    chart = alt.layer(
        base.mark_rect().encode(color=alt.Color("v:Q", scale=alt.Scale(scheme="viridis"))),
        base.mark_text().encode(text="v:Q", color=alt.value("white")),
    ).properties(title="t", description="d")
    spec = accessible_spec(chart.to_dict())
    vega = compile_to_vega(spec)
    svg = vl_convert.vega_to_svg(vega)
    marks = svg.split('class="mark-text role-mark')[1]
    fills = [f.upper() for f in re.findall(r'<text[^>]*fill="([^"]+)"', marks)]
    # viridis: dark purple at 0 takes white; yellow at 1 takes dark text.
    assert fills[:2] == [palette.LIGHT_TEXT, palette.DARK_TEXT]


@pytest.mark.parametrize("spec", LESSON_SPECS)
def test_no_lesson_chart_tells_series_apart_by_colour_alone(spec: dict) -> None:
    assert colour_only_series(accessible_spec(spec)) == []


@pytest.mark.parametrize("spec", LESSON_SPECS)
def test_every_legend_or_click_selection_gets_a_keyboard_control(spec: dict) -> None:
    processed = accessible_spec(spec)
    vega = bind_selections(compile_to_vega(processed), processed)
    text = json.dumps(vega)
    selections = set(re.findall(r'"name": "([^"]+)_tuple"', text))
    interactive = {s for s in selections if f'"{s}_' in text and ("click" in text or "pointerover" in text)}
    bound = [s for s in vega.get("signals", []) if "bind" in s]
    for selection in interactive:
        assert any(s["name"].startswith(selection + "_") for s in bound), f"{selection} has no keyboard control"
    for signal in bound:
        if signal["name"].endswith(("_legend", "_keyboard")):
            assert signal["bind"]["input"] == "select" and signal["bind"]["labels"][0] == NO_CHOICE_LABEL
            assert len(signal["bind"]["options"]) >= 3


def test_legend_selection_of_lesson_04_lists_all_seven_departments() -> None:
    path = next(p for p in lesson_paths() if p.stem.startswith("04"))
    spec = next(s for s in chart_specs(read(path)) if "legend" in json.dumps(s.get("params", [])))
    processed = accessible_spec(spec)
    vega = bind_selections(compile_to_vega(processed), processed)
    (signal,) = [s for s in vega["signals"] if "bind" in s]
    assert signal["name"] == "param_1_department_legend"  # the departments as the reader reads them
    assert signal["bind"]["options"][0] is None and len(signal["bind"]["options"]) == 8


def test_book_figure_has_one_name_a_short_description_a_live_region_and_a_data_table() -> None:
    chart = _lines().add_params(alt.param(name="k", value=1, bind=alt.binding_range(min=0, max=5, name="k ")))
    page = chart_html(chart.to_dict(), "chart-1-0-abc")
    assert page.count("aria-labelledby=") == 1 and 'aria-describedby="chart-1-0-abc-short"' in page
    assert '<span id="chart-1-0-abc-short" hidden>Two lines.</span>' in page
    assert 'role="status" aria-live="polite"' in page and "starting settings" in page
    assert "--chart-height: " in page and "--chart-controls: 1" in page  # space reserved before drawing
    tables = table_columns(accessible_spec(chart.to_dict()))
    assert list(tables.values()) == [
        [["month", "month", "quantitative"], ["n", "n", "quantitative"], ["dept", "Department", "nominal"]]
    ]
    static = chart_html(_lines().to_dict(), "chart-2-0-abc")
    assert 'role="status"' not in static and "starting settings" not in static


def test_short_description_and_page_description() -> None:
    assert short_description("One. Two.") == "One."
    assert short_description("No full stop") == "No full stop"
    assert page_description(None, "Fallback: Book") == "Fallback: Book"


def test_sidebar_expand_arrows_get_a_name_and_code_blocks_reserve_their_height() -> None:
    from citybook.book.extension import defer_code_rendering, name_sidebar_toggles

    toc = '<a class="reference internal" href="x.html">Graded assignments</a><details><summary><span role="presentation"><i></i></span></summary>'
    assert '<summary aria-label="Sections of Graded assignments">' in name_sidebar_toggles(toc)
    code = defer_code_rendering('<div class="highlight"><pre><span>a</span>\n<span>b</span>\n</pre></div>')
    assert "content-visibility: auto; contain-intrinsic-size: auto 4.19em" in code
