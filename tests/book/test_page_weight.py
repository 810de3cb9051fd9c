"""What keeps the book light on a phone: one cut stylesheet, a subset icon font, chart specs out of the pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import tinycss2

from citybook.book.chart_specs import externalize_specs, page_folder, spec_script
from citybook.book.site_css import (
    build_site_css,
    drop_unused_properties,
    icon_codepoints,
    purge,
    read_rules,
    selector_needs,
    serialize,
)


def _needs(selector: str) -> set[str]:
    return selector_needs(tinycss2.parse_component_value_list(selector))


def test_a_selector_needs_its_elements_classes_ids_and_attributes_but_not_pseudo_arguments() -> None:
    assert _needs("div.card > a:hover::before") == {"div", "card", "a"}
    assert _needs("#main .x:not(.never) [data-mode=dark]") == {"main", "x", "data-mode"}
    assert _needs(".cell:has(.citybook-chart) + p") == {"cell", "p"}


def test_purge_keeps_rules_and_selectors_that_can_match_and_media_around_them() -> None:
    css = ".used{a:1}.unused{b:2}.used,.gone{c:3}@media (min-width:1px){.gone{d:4}.used{e:5}}@font-face{f:6}"
    kept = serialize(purge(tinycss2.parse_stylesheet(css, skip_whitespace=True), {"used"}))
    assert ".used{a:1}" in kept and ".used{c:3}" in kept and ".used{e:5}" in kept and "@font-face" in kept
    assert "unused" not in kept and "gone" not in kept and "d:4" not in kept


def test_vendor_selector_lists_are_kept_whole() -> None:
    css = "a::-moz-selection,.gone::selection{x:1}"
    kept = serialize(purge(tinycss2.parse_stylesheet(css, skip_whitespace=True), {"a"}))
    assert ".gone" in kept  # dropping a selector could turn a list Chromium ignores into one it applies


def test_custom_properties_nothing_reads_are_dropped_through_chains() -> None:
    rules = tinycss2.parse_stylesheet(
        ":root{--a:1;--b:var(--a);--c:var(--d);--d:2;--e:3}p{color:var(--b)}", skip_whitespace=True
    )
    text = serialize(drop_unused_properties(rules, also_read="style.setProperty('--e', 1)"))
    assert "--a:1" in text and "--b:" in text and "--e:3" in text
    assert "--c" not in text and "--d" not in text


def test_imports_are_inlined_and_urls_rebased_to_static(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    (tmp_path / "basic.css").write_text("p{background:url(file.png)}")
    (tmp_path / "styles" / "theme.css").write_text(
        '@import "../basic.css";\n@font-face{src:url(../vendor/f.woff2)}\na{b:url("x.svg")}'
    )
    text = serialize(read_rules(tmp_path, "styles/theme.css"))
    assert "url(file.png)" in text and "url(vendor/f.woff2)" in text and 'url("styles/x.svg")' in text
    assert "@import" not in text


def test_icon_codepoints_come_escaped_or_as_characters() -> None:
    assert icon_codepoints('.a:before{content:"\\f0c9"}.b{--fa:"\uf002"}.c{content:"\\201c"}') == {0xF0C9, 0xF002}


def test_the_built_book_links_one_stylesheet_with_the_theme_cut_and_the_icon_font_subset(site: Path) -> None:
    static = site / "_static"
    css = (static / "citybook-site.css").read_text(encoding="utf-8")
    theme = (static / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert len(css) < len(theme) / 2
    assert css.startswith('@charset "UTF-8";')
    assert "fa-solid-900.woff2" not in css and "data:font/woff;base64," in css
    for page in [site / "book" / "welcome.html", *sorted((site / "lessons").glob("*.html"))]:
        text = page.read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', text)
        assert len(sheets) == 1 and "citybook-site.css?v=" in sheets[0], page.name
        assert 'rel="preload" as="script"' not in text


def test_every_chart_spec_the_book_names_exists_and_hands_over_its_chart(site: Path) -> None:
    pages = sorted((site / "lessons").glob("*.html"))
    named = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target, src in re.findall(r'class="citybook-chart-spec" data-target="([\w-]+)" data-src="([^"]+)"', text):
            script = (page.parent / src).read_text(encoding="utf-8")
            assert script.startswith(f'citybookCharts.receive("{target}",{{'), src
            named += 1
        assert '"$schema"' not in text, f"{page.name} still carries a spec inline"
    assert named >= 20


def test_externalize_writes_one_script_per_chart_and_leaves_an_empty_named_element(tmp_path: Path) -> None:
    spec = {"$schema": "https://vega.github.io/schema/vega/v5.json", "title": "a </b>"}
    inline = json.dumps(spec, separators=(",", ":")).replace("</", "<\\/")
    body = f'<p>x</p><script type="application/json" class="citybook-chart-spec" data-target="chart-1-0-ab">{inline}</script>'
    out = externalize_specs(body, "lessons/04-x", tmp_path, depth=1)
    src = f"../_static/chart-specs/{page_folder('lessons/04-x')}/chart-1-0-ab.js"
    assert out == (
        f'<p>x</p><script type="application/json" class="citybook-chart-spec" data-target="chart-1-0-ab" '
        f'data-src="{src}"></script>'
    )
    written = (tmp_path / "chart-specs" / "lessons--04-x" / "chart-1-0-ab.js").read_text()
    assert written == spec_script("chart-1-0-ab", inline)
    assert json.loads(written[len('citybookCharts.receive("chart-1-0-ab",') : -3]) == spec


def test_build_site_css_keeps_what_a_page_uses(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text(".used{color:red}.other{color:blue}.state{color:green}")
    page = tmp_path / "p.html"
    page.write_text('<div class="used"></div>')
    script = tmp_path / "s.js"
    script.write_text('el.classList.add("state")')
    css = build_site_css(tmp_path, ["a.css"], [page], [script])
    assert ".used{color:red}" in css and ".state{color:green}" in css and ".other" not in css
