"""Issue 19 in real Chromium, on every lesson page: charts usable by keyboard, by ear, in colour-blind
and low vision. One keyboard-only walk per page (Tab through everything, operating every chart control
and disclosure on the way) feeds the keyboard, live-region and focus tests; the rest read the drawn SVG.
"""

from __future__ import annotations

import pytest

from citybook.paths import BUILD_HTML
from tests.helpers.page_visit import show_tooltip, visit_page

LESSON_PAGES = sorted(p.relative_to(BUILD_HTML).as_posix() for p in (BUILD_HTML / "lessons").glob("*.html"))
PAGES = LESSON_PAGES or ["(no lessons built)"]
MAX_TABS = 900
_walks: dict[str, dict] = {}

# Runs in the page: describe the focused element, whether focus is visible on it, and operate it
# if it is a chart control (the key a keyboard user would press).
DESCRIBE_FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const figure = e.closest('figure.citybook-chart');
  const rect = e.getBoundingClientRect();
  return {
    key: e.tagName + '#' + (e.id || '') + '.' + (e.className && e.className.baseVal === undefined ? e.className : '')
         + '[' + (e.getAttribute('name') || e.getAttribute('aria-label') || (e.textContent || '').trim().slice(0, 40)) + ']'
         + '@' + Math.round(rect.top + window.scrollY) + ',' + Math.round(rect.left),
    tag: e.tagName, type: e.type || '', visible: outline || shadow,
    chart: figure ? figure.querySelector('.citybook-chart__view').id : null,
    control: !!e.closest('.vega-bind'),
    summary: e.tagName === 'SUMMARY' && !!figure && !e.closest('.vega-embed'),
    data: e.tagName === 'SUMMARY' && !!e.closest('details.citybook-chart__data'),
    value: e.value === undefined ? null : String(e.value),
    atMax: e.type === 'range' ? Number(e.value) >= Number(e.max) : e.tagName === 'SELECT' ? e.selectedIndex === e.options.length - 1 : false,
    bindName: e.closest('.vega-bind') ? (e.closest('.vega-bind').querySelector('.vega-bind-name') || {}).textContent || '' : '',
  };
}"""


def _svg(page, chart_id: str) -> str:
    return page.locator(f"#{chart_id} svg").first.inner_html()


def _status(page, chart_id: str) -> str:
    return page.evaluate(
        "id => { const s = document.getElementById(id).closest('figure').querySelector('.citybook-chart__status');"
        " return s ? s.textContent : null; }",
        chart_id,
    )


def keyboard_walk(browser, site_url: str, name: str) -> dict:
    """Tab through a page from the top with the keyboard alone, operating every chart control on the way."""
    if name in _walks:
        return _walks[name]
    with visit_page(browser, f"{site_url}/{name}", "desktop") as (page, visit):
        walk = {"focused": [], "operated": [], "tables": [], "all_controls": [], "errors": visit.console_errors}
        walk["all_controls"] = page.evaluate(
            """() => [...document.querySelectorAll('.citybook-chart .vega-bind input, .citybook-chart .vega-bind select')]
                .filter(e => e.type !== 'radio' || e.checked || !e.closest('.vega-bind').querySelector(':checked'))
                .map(e => e.closest('figure').querySelector('.citybook-chart__view').id + '|'
                     + e.closest('.vega-bind').querySelector('.vega-bind-name').textContent)"""
        )
        seen: set[str] = set()
        page.keyboard.press("Tab")
        for _ in range(MAX_TABS):
            info = page.evaluate(DESCRIBE_FOCUS)
            if info is None or info["key"] in seen:
                break
            seen.add(info["key"])
            walk["focused"].append(info)
            if info["control"]:
                before_svg, before_status = _svg(page, info["chart"]), _status(page, info["chart"])
                key = ("ArrowLeft" if info["atMax"] else "ArrowRight") if info["type"] == "range" else None
                key = key or (
                    ("ArrowUp" if info["atMax"] else "ArrowDown") if info["tag"] == "SELECT" else "ArrowRight"
                )
                page.keyboard.press(key)
                status = before_status
                for _wait in range(30):  # the live region speaks once a control settles (400 ms)
                    page.wait_for_timeout(100)
                    status = _status(page, info["chart"])
                    if status != before_status:
                        break
                walk["operated"].append(
                    {
                        **info,
                        "redrawn": _svg(page, info["chart"]) != before_svg,
                        "status": status,
                        "state": page.evaluate(
                            "id => (document.getElementById(id).closest('figure').querySelector('.citybook-chart__state') || {}).textContent || ''",
                            info["chart"],
                        ),
                        "new_value": page.evaluate("() => String(document.activeElement.value)"),
                    }
                )
            elif info["data"]:
                page.keyboard.press("Enter")
                page.wait_for_timeout(50)
                walk["tables"].append(
                    page.evaluate(
                        """() => { const d = document.activeElement.closest('details');
                            return {chart: d.closest('figure').querySelector('.citybook-chart__view').id, open: d.open,
                                    rows: d.querySelectorAll('tbody tr').length,
                                    headers: [...d.querySelectorAll('th')].map(t => t.textContent)}; }"""
                    )
                )
                page.keyboard.press("Enter")  # close it again: the walk goes on past, not through, the table
            page.keyboard.press("Tab")
    _walks[name] = walk
    return walk


@pytest.mark.parametrize("name", PAGES)
def test_keyboard_alone_operates_every_chart_control_and_selection(browser, site_url: str, name: str) -> None:
    walk = keyboard_walk(browser, site_url, name)
    reached = {f"{o['chart']}|{o['bindName']}" for o in walk["operated"]}
    missed = [c for c in walk["all_controls"] if c not in reached]
    assert missed == [], f"{name}: controls the keyboard never reached: {missed}"
    stuck = [f"{o['chart']}|{o['bindName']}" for o in walk["operated"] if not o["redrawn"]]
    assert stuck == [], f"{name}: a key press on these controls changed nothing: {stuck}"
    assert walk["errors"] == []


@pytest.mark.parametrize("name", PAGES)
def test_legend_and_click_selections_have_a_keyboard_control(browser, site_url: str, name: str) -> None:
    with visit_page(browser, f"{site_url}/{name}", "desktop") as (page, _):
        charts = page.evaluate(
            """() => [...document.querySelectorAll('script.citybook-chart-spec')].map(s => {
                const text = s.textContent, spec = JSON.parse(text);
                const selections = [...text.matchAll(/"name":"([^"]+)_tuple"/g)].map(m => m[1]);
                const mouse = selections.filter(n => text.includes('"' + n + '_') &&
                    (/"type":"(click|pointerover)"/.test(text)));
                const bound = (spec.signals || []).filter(g => g.bind).map(g => g.name);
                return {id: s.dataset.target, mouse, bound,
                        selects: document.getElementById(s.dataset.target).querySelectorAll('.vega-bind select').length};
            })"""
        )
        for chart in charts:
            for selection in chart["mouse"]:
                assert any(b.startswith(selection + "_") for b in chart["bound"]), f"{name} {chart['id']}: {selection}"
                assert chart["selects"] >= 1


@pytest.mark.parametrize("name", PAGES)
def test_live_region_states_the_new_result_and_words_follow_the_chart(browser, site_url: str, name: str) -> None:
    walk = keyboard_walk(browser, site_url, name)
    for operated in walk["operated"]:
        label = operated["bindName"].strip().rstrip(":").strip()
        status = operated["status"] or ""
        assert label in status and "set to" in status, f"{name} {operated['chart']}: live region says {status!r}"
        assert status.endswith("."), status  # one finished sentence
        assert "Current settings:" in operated["state"], (
            f"{name}: 'Chart in words' did not follow: {operated['state']!r}"
        )


@pytest.mark.parametrize("name", PAGES)
def test_focus_is_visible_on_every_focusable_element(browser, site_url: str, name: str) -> None:
    walk = keyboard_walk(browser, site_url, name)
    assert len(walk["focused"]) > 10, f"{name}: the Tab walk reached almost nothing"
    invisible = [f["key"] for f in walk["focused"] if not f["visible"]]
    assert invisible == [], f"{name}: focus not visible on {invisible[:10]}"


@pytest.mark.parametrize("name", PAGES)
def test_every_chart_has_a_data_table_with_its_exact_values(browser, site_url: str, name: str) -> None:
    walk = keyboard_walk(browser, site_url, name)
    charts = {f["chart"] for f in walk["focused"] if f["chart"]}
    tables = {t["chart"]: t for t in walk["tables"]}
    assert charts and charts <= set(tables), f"{name}: charts without a data table: {charts - set(tables)}"
    for chart, table in tables.items():
        assert table["open"] and table["rows"] > 0 and table["headers"], f"{name} {chart}: {table}"


CONTRAST_JS = """() => {
  const rgb = c => { const m = (c || '').match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const blend = (c, alpha, bg) => ({r: c.r * alpha + bg.r * (1 - alpha), g: c.g * alpha + bg.g * (1 - alpha), b: c.b * alpha + bg.b * (1 - alpha)});
  const opacity = (e, svg) => { let o = 1; for (let n = e; n && n !== svg; n = n.parentElement) o *= Number(getComputedStyle(n).opacity); return o; };
  const white = {r: 255, g: 255, b: 255};
  const problems = [];
  let texts = 0, marks = 0;
  for (const view of document.querySelectorAll('.citybook-chart__view')) {
    const svg = view.querySelector('svg.marks');
    if (!svg) { problems.push(view.id + ': not drawn'); continue; }
    const cells = [...svg.querySelectorAll('g.mark-rect.role-mark path, g.mark-rect.role-mark rect')]
      .map(e => ({e, box: e.getBoundingClientRect(), fill: rgb(getComputedStyle(e).fill), o: opacity(e, svg) * Number(getComputedStyle(e).fillOpacity)}))
      .filter(c => c.fill && c.fill.a > 0);
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const s = getComputedStyle(t), fill = rgb(s.fill);
      if (!fill || fill.a === 0) continue;
      const o = opacity(t, svg) * Number(s.fillOpacity);
      if (o < 0.05) continue;  // not shown
      const b = t.getBoundingClientRect(), cx = b.left + b.width / 2, cy = b.top + b.height / 2;
      let bg = white;
      for (const c of cells) if (cx >= c.box.left && cx <= c.box.right && cy >= c.box.top && cy <= c.box.bottom) bg = blend(c.fill, c.o, white);
      const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700 || s.fontWeight === 'bold';
      const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const r = ratio(blend(fill, o, bg), bg);
      texts++;
      if (r < needed - 0.005) problems.push(`${view.id} text "${t.textContent.trim().slice(0, 30)}" ${s.fill} on rgb(${Math.round(bg.r)},${Math.round(bg.g)},${Math.round(bg.b)}): ${r.toFixed(2)}:1 < ${needed}`);
    }
    const labels = [...svg.querySelectorAll('g.mark-text.role-mark text')].filter(t => t.textContent.trim())
      .map(t => { const b = t.getBoundingClientRect(); return {x: b.left + b.width / 2, y: b.top + b.height / 2}; });
    const cellFills = new Set([...svg.querySelectorAll('g.mark-rect.role-mark > path, g.mark-shape.role-mark > path')]
      .map(e => getComputedStyle(e).fill));
    for (const group of svg.querySelectorAll('g.role-mark')) {
      const type = [...group.classList].find(c => c.startsWith('mark-')).slice(5);
      if (type === 'text' || type === 'group' || type === 'image') continue;
      // Map regions, and heat-map cells coloured by a continuous scale: their values are in the
      // labels, the words and the data table; the regions are told apart by place, not colour.
      if (type === 'shape' || (type === 'rect' && cellFills.size > 12)) continue;
      for (const e of group.children) {
        const s = getComputedStyle(e);
        // Grid lines and backdrop bands in the theme's grid colour are decoration, not data.
        if ([s.fill, s.stroke].includes('rgb(227, 227, 227)') && type !== 'symbol') continue;
        // A cell that carries its own text label: the label, checked above, gives the value.
        if (type === 'rect') {
          const b = e.getBoundingClientRect();
          if (labels.some(p => p.x >= b.left && p.x <= b.right && p.y >= b.top && p.y <= b.bottom)) continue;
        }
        const stroked = ['line', 'rule', 'trail'].includes(type) || (s.fill === 'none' || rgb(s.fill) === null || rgb(s.fill).a === 0);
        const colour = rgb(stroked ? s.stroke : s.fill);
        if (!colour || colour.a === 0) continue;
        const o = opacity(e, svg) * Number(stroked ? s.strokeOpacity : s.fillOpacity);
        // Translucent bands and areas behind the data are context, not data marks.
        if ((type === 'rect' || type === 'area') && o < 0.5) continue;
        marks++;
        const r = ratio(blend(colour, o, white), white);
        if (r < 2.995) problems.push(`${view.id} ${type} ${stroked ? s.stroke : s.fill} x${o.toFixed(2)}: ${r.toFixed(2)}:1 < 3`);
      }
    }
  }
  return {problems: [...new Set(problems)], texts, marks};
}"""


@pytest.mark.parametrize("name", PAGES)
def test_contrast_of_every_mark_and_label_in_the_drawn_svg(browser, site_url: str, name: str) -> None:
    with visit_page(browser, f"{site_url}/{name}", "desktop") as (page, _):
        result = page.evaluate(CONTRAST_JS)
        assert result["texts"] > 0 and result["marks"] > 0
        assert result["problems"] == [], (
            f"{name}: {len(result['problems'])} contrast problems: {result['problems'][:15]}"
        )


@pytest.mark.parametrize("name", PAGES)
def test_one_name_and_short_description_per_chart_and_no_per_mark_aria(browser, site_url: str, name: str) -> None:
    with visit_page(browser, f"{site_url}/{name}", "desktop") as (page, _):
        charts = page.evaluate(
            """() => [...document.querySelectorAll('figure.citybook-chart')].map(f => {
                const name = document.getElementById(f.getAttribute('aria-labelledby'));
                const short = document.getElementById(f.getAttribute('aria-describedby'));
                const words = f.querySelector('figcaption details p');
                const svg = f.querySelector('svg.marks');
                return {name: name ? name.textContent : '', short: short ? short.textContent : '',
                        words: words ? words.textContent : '', hidden: svg.getAttribute('aria-hidden'),
                        wrapper: ['aria-label', 'role'].filter(a => svg.closest('.chart-wrapper, .vega-embed').hasAttribute(a)).length,
                        labelled: svg.querySelectorAll('.role-mark > [aria-label], .role-mark[aria-label]').length};
            })"""
        )
        assert charts
        for chart in charts:
            assert chart["name"].startswith("Chart: ") and len(chart["name"]) > 10, chart
            assert chart["short"] and len(chart["short"]) <= 170, chart  # short: not the caption again
            assert chart["short"] != chart["words"] or len(chart["words"]) <= 170, chart
            # The drawing is one hidden image: no long label on it or its wrapper, no label per mark.
            assert chart["hidden"] == "true" and chart["labelled"] == 0 and chart["wrapper"] == 0, chart


@pytest.mark.parametrize("name", PAGES)
def test_escape_closes_a_tooltip(browser, site_url: str, name: str) -> None:
    with visit_page(browser, f"{site_url}/{name}", "desktop") as (page, _):
        tooltip = show_tooltip(page)
        page.keyboard.press("Escape")
        tooltip.wait_for(state="hidden", timeout=1000)  # raises if the tooltip stays
        assert tooltip.count() == 0, f"{name}: Escape left the tooltip open"


@pytest.mark.parametrize("name", PAGES)
def test_at_320_px_charts_keep_readable_text_and_scroll_in_a_named_region(browser, site_url: str, name: str) -> None:
    with visit_page(browser, f"{site_url}/{name}", "phone") as (page, _):
        page.set_viewport_size({"width": 320, "height": 720})
        page.wait_for_timeout(300)
        charts = page.evaluate(
            """() => [...document.querySelectorAll('.citybook-chart__scroll')].map(box => {
                const svg = box.querySelector('svg.marks');
                const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width'));
                const smallest = Math.min(...[...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
                    .map(t => parseFloat(getComputedStyle(t).fontSize)));
                const scrolls = box.scrollWidth > box.clientWidth + 1;
                return {id: box.closest('.citybook-chart__view').id, scale, text: smallest * scale, scrolls,
                        focusable: box.tabIndex === 0, name: box.getAttribute('aria-label') || '',
                        overflow: box.closest('figure').getBoundingClientRect().right > window.innerWidth + 1
                                  || box.closest('figure').scrollWidth > box.closest('figure').clientWidth + 1};
            })"""
        )
        assert charts
        for chart in charts:
            assert chart["scale"] >= 0.84 and chart["text"] >= 8.4, chart  # no more shrinking to 43%
            if chart["scrolls"]:
                assert chart["focusable"] and chart["name"], chart
            assert not chart["overflow"], f"{name}: a chart makes the page scroll sideways at 320 px"


def test_charts_draw_as_they_near_the_viewport_without_shifting_the_page(browser, site_url: str) -> None:
    name = next(p for p in PAGES if "04-" in p)
    with visit_page(browser, f"{site_url}/{name}", "phone", draw_all=False) as (page, _):
        page.evaluate(
            """() => { window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
                if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: 'layout-shift', buffered: true}); }"""
        )
        states = page.evaluate(
            "() => [...document.querySelectorAll('.citybook-chart__view')].map(e => e.dataset.drawn || '')"
        )
        assert states[-1] == "", "the last chart, far down the page, was drawn on load"
        last = page.locator(".citybook-chart__view").last
        last.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => document.querySelectorAll('.citybook-chart__view')[document.querySelectorAll('.citybook-chart__view').length - 1].dataset.drawn === 'true'",
            timeout=15_000,
        )
        assert page.evaluate("() => window.__shift") < 0.05
