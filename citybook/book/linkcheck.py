"""Offline check that every internal link and anchor in the built book resolves."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class BrokenLink:
    """One link that points at a missing file or a missing anchor."""

    page: str
    href: str
    reason: str


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for key in ("id", "name"):
            if attributes.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attributes[key])
        for key in ("href", "src"):
            value = attributes.get(key)
            if value is not None and not (tag == "link" and attributes.get("rel") == "preconnect"):
                self.links.append(value)


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    """Return every HTML page of the built site, leaving out copied sources and static files."""
    # Each edition has its own _static, _sources and _downloads (es/_downloads/...): none is a page.
    return sorted(
        p for p in site.rglob("*.html") if not any(part.startswith("_") for part in p.relative_to(site).parts)
    )


def broken_links(site: Path) -> list[BrokenLink]:
    """Return every internal link or anchor in the site that does not resolve."""
    parsed = {page: _parse(page) for page in html_pages(site)}
    problems: list[BrokenLink] = []
    for page, parser in parsed.items():
        name = page.relative_to(site).as_posix()
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:", "data:")):
                continue  # external; the browser tests check that nothing external is loaded
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(BrokenLink(name, href, "file not found"))
                continue
            if parts.fragment and target.suffix == ".html":
                target_parser = parsed.get(target) or _parse(target)
                if unquote(parts.fragment) not in target_parser.ids:
                    problems.append(BrokenLink(name, href, f"no anchor #{parts.fragment}"))
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command line: print broken internal links of a built site; exit 1 if there are any."""
    site = Path((argv or sys.argv[1:] or ["_build/html"])[0])
    problems = broken_links(site)
    for problem in problems:
        print(f"{problem.page}: {problem.href} ({problem.reason})")
    print(f"{len(html_pages(site))} pages checked, {len(problems)} broken links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
