"""Shared fixtures: the built site, a loopback server for it, and a system Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from citybook.paths import BUILD_HTML
from tests.helpers.site_server import CHROMIUM_ARGS, chromium_path, serve_directory

# The course tests' fixture notebook is a participant's assignment, not a lesson for nbval.
collect_ignore = ["course/fixtures"]


@pytest.fixture(scope="session")
def site() -> Path:
    """The built book; the tests of the site need `make book` to have run."""
    if not (BUILD_HTML / "index.html").exists():
        pytest.fail("No built book in _build/html: run `make book` (make test does it first).")
    return BUILD_HTML


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """Base URL of the built book served on 127.0.0.1."""
    with serve_directory(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless system Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


# The slow tiers, by folder: `make check` deselects them (-m "not slow"); `make test` runs everything.
TIER_MARKERS = {
    "site": ("slow", "browser"),
    "hub": ("slow", "hub", "browser"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its folder's tiers; nbval's lesson runs are slow too."""
    tests_root = Path(__file__).parent
    for item in items:
        path = Path(str(item.path))
        fixtures = getattr(item, "fixturenames", ())
        if "grading" in fixtures:
            item.add_marker(pytest.mark.slow)  # waits for an assignment's whole grading run
            item.add_marker(pytest.mark.grading)
        if path.suffix == ".ipynb" or "site" in fixtures:
            item.add_marker(pytest.mark.slow)  # a lesson re-run by nbval, or a test that needs the built book
        if path.suffix == ".ipynb":
            continue
        try:
            folder = path.relative_to(tests_root).parts[0]
        except ValueError:
            continue
        for name in TIER_MARKERS.get(folder, ()):
            item.add_marker(getattr(pytest.mark, name))
