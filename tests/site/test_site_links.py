"""Internal links and anchors of the built book resolve, checked offline."""

from __future__ import annotations

from pathlib import Path

from citybook.book.linkcheck import broken_links, html_pages


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    assert len(html_pages(site)) >= 5
    problems = broken_links(site)
    assert problems == [], "\n".join(f"{p.page}: {p.href} ({p.reason})" for p in problems)


def test_link_checker_finds_missing_pages_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<a id="top" href="b.html#here">ok</a><a href="b.html#gone">bad anchor</a>'
        '<a href="missing.html">bad page</a><a href="https://example.org/">external</a><a href="#top">self</a>'
    )
    (tmp_path / "b.html").write_text('<h1 id="here">B</h1>')
    reasons = sorted((p.href, p.reason) for p in broken_links(tmp_path))
    assert reasons == [("b.html#gone", "no anchor #gone"), ("missing.html", "file not found")]
