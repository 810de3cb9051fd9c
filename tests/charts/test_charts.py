"""The chart theme and the one rendering path: accessible, stable, drawable by JupyterLab and the book."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from citybook.book.vega_mime import VegaLiteRenderer
from citybook.charts import ChartTextMissing, setup_charts
from citybook.charts.html import chart_element_id, chart_html
from citybook.charts.palette import CATEGORY
from citybook.charts.renderer import VEGALITE_MIMETYPE


@pytest.fixture(autouse=True)
def book_charts():
    setup_charts()


def _chart(**properties) -> alt.Chart:
    data = pd.DataFrame({"district": ["A", "B"], "hours": [12.5, 30.0]})
    return alt.Chart(data).mark_bar().encode(x="hours:Q", y="district:N").properties(**properties)


def test_chart_output_is_vegalite_v5_with_text_alternative() -> None:
    bundle = _chart(title="B waits longest", description="Bar chart: A 12.5 hours, B 30 hours.")._repr_mimebundle_()
    assert set(bundle) == {VEGALITE_MIMETYPE, "text/plain"}
    assert bundle[VEGALITE_MIMETYPE]["$schema"].endswith("/v5.20.1.json")
    assert bundle["text/plain"] == "B waits longest\n\nBar chart: A 12.5 hours, B 30 hours."


@pytest.mark.parametrize("missing", ["title", "description"])
def test_chart_without_title_or_description_is_refused(missing: str) -> None:
    properties = {"title": "B waits longest", "description": "Two bars."}
    del properties[missing]
    with pytest.raises(ChartTextMissing, match=missing):
        _chart(**properties)._repr_mimebundle_()


def test_theme_draws_with_colour_blind_safe_palette_and_system_fonts() -> None:
    """Drawn by Vega (not read back from the spec Altair was given): the bars take the palette's colours."""
    spec = _chart(title="t", description="d").encode(color="district:N").to_dict()
    svg = vl_convert.vegalite_to_svg(spec)
    bars = svg.split("mark-rect role-mark")[1].split("</g>")[0]
    assert re.findall(r'fill="([^"]+)"', bars) == CATEGORY[:2]
    fonts = set(re.findall(r'font-family="([^"]+)"', svg))
    assert fonts and all(font.startswith("system-ui,") for font in fonts), fonts
    assert "http" not in json.dumps(spec["config"])  # no web fonts or remote assets


def test_same_chart_gives_same_output_every_time() -> None:
    first = _chart(title="t", description="d")._repr_mimebundle_()
    second = _chart(title="t", description="d")._repr_mimebundle_()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    element_id = chart_element_id(first[VEGALITE_MIMETYPE], 3, 0)
    assert element_id == chart_element_id(second[VEGALITE_MIMETYPE], 3, 0)  # two charts built alike: one id
    assert re.fullmatch(r"chart-3-0-[0-9a-f]{12}", element_id), element_id
    assert chart_element_id(first[VEGALITE_MIMETYPE], 4, 0) != element_id  # another place on the page
    other = _chart(title="t", description="another")._repr_mimebundle_()[VEGALITE_MIMETYPE]
    assert chart_element_id(other, 3, 0) != element_id  # another chart


def test_book_html_escapes_script_end_and_carries_description() -> None:
    spec = _chart(title="Hostile </script><b>", description="Says </script> in words").to_dict()
    html = chart_html(spec, "chart-1-0-abc")
    assert html.count("</script>") == 1  # only the element's own closing tag
    assert "Says &lt;/script&gt; in words" in html
    assert 'aria-labelledby="chart-1-0-abc-name"' in html
    assert '<span id="chart-1-0-abc-name" hidden>Chart: Hostile &lt;/script&gt;&lt;b&gt;</span>' in html


def test_book_html_carries_a_compiled_vega_spec() -> None:
    """Pages draw with Vega alone: the spec in the page is Vega, not Vega-Lite."""
    html = chart_html(_chart(title="t", description="d").to_dict(), "chart-1-0-abc")
    spec = json.loads(html.split('data-target="chart-1-0-abc">')[1].split("</script>")[0])
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega/v5")
    assert spec["data"][0]["values"] == [{"district": "A", "hours": 12.5}, {"district": "B", "hours": 30.0}]


def test_book_renderer_handles_only_vegalite_block_outputs() -> None:
    class Data:
        mime_type = VEGALITE_MIMETYPE
        content = _chart(title="t", description="d").to_dict()
        cell_index, output_index = 2, 0

    nodes = VegaLiteRenderer.handle_mime(None, Data(), inline=False)
    assert nodes and "citybook-chart-spec" in nodes[0].astext()
    assert VegaLiteRenderer.handle_mime(None, Data(), inline=True) is None
    Data.mime_type = "text/html"
    assert VegaLiteRenderer.handle_mime(None, Data(), inline=False) is None


def test_jupyterlab_draws_the_mimetype_the_renderer_emits() -> None:
    """The same notebook shows its charts in JupyterLab: its built-in Vega extension knows our mimetype."""
    import sys
    from pathlib import Path

    static = Path(sys.prefix) / "share" / "jupyter" / "lab" / "static"
    bundles = list(static.glob("*.js"))
    assert bundles, "JupyterLab's static files are not installed in this environment"
    assert any(VEGALITE_MIMETYPE in path.read_text(errors="ignore") for path in bundles)
