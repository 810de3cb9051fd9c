"""What a user does in the hub's pages, step by step, through Playwright (the hub's own HTML and JupyterLab)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from citybook.paths import ROOT

SHOTS = ROOT / "_build" / "hub-screenshots"
LAB_START = 180_000  # ms: first start of a user's JupyterLab on a busy machine
STEP = 120_000  # ms: a fetch, a validation, a submission


class Shots:
    """Numbered screenshots of each step, in _build/hub-screenshots/."""

    def __init__(self, folder: Path = SHOTS) -> None:
        self.folder = folder
        if folder.exists():
            for old in folder.glob("*.png"):
                old.unlink()
        folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.taken: list[Path] = []

    def take(self, page: Page, name: str) -> Path:
        """Save a screenshot of the page now."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path))
        self.taken.append(path)
        return path


def log_in(page: Page, hub_url: str, user: str, password: str, shots: Shots) -> None:
    """Log in on the hub's login page and wait for JupyterLab."""
    page.goto(f"{hub_url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    shots.take(page, f"{user}-login")
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(user)}/lab"), timeout=LAB_START)
    page.wait_for_selector("#jp-main-dock-panel", timeout=LAB_START)
    page.wait_for_selector(".jp-MainMenu, #jp-MainMenu, .lm-MenuBar", timeout=LAB_START)


def nbgrader_menu(page: Page) -> list[str]:
    """Open the Nbgrader menu; return its items' labels (the menu stays open)."""
    title = page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$"))
    expect(title).to_be_visible(timeout=LAB_START)
    labels = page.locator(".lm-Menu-content .lm-Menu-itemLabel")
    for _ in range(20):  # JupyterLab may still be starting plugins: a click then opens nothing
        page.keyboard.press("Escape")
        title.click()
        try:
            labels.first.wait_for(timeout=3000)
            break
        except PlaywrightTimeoutError:
            continue
    labels.first.wait_for(timeout=1000)
    return [label.strip() for label in labels.all_inner_texts() if label.strip()]


def open_assignments(page: Page) -> None:
    """Open (or go back to) the Assignments tab and refresh its lists."""
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="Assignments")
    if tab.count():
        tab.first.click()
    else:
        nbgrader_menu(page)
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Assignment List$")).click()
    page.wait_for_selector("#released_assignments_list", timeout=STEP)
    page.click("#refresh_assignments_list")
    page.wait_for_selector("#released_assignments_list_loading", state="hidden", timeout=STEP)


def assignment_row(page: Page, listing: str, assignment: str):
    """The row of an assignment in one of the tab's lists (released, fetched, submitted)."""
    return page.locator(f"#{listing} .list_item", has_text=assignment).first


def fetch(page: Page, assignment: str) -> None:
    """Fetch a released assignment."""
    row = assignment_row(page, "released_assignments_list", assignment)
    row.get_by_role("button", name="Fetch").click()
    expect(
        assignment_row(page, "fetched_assignments_list", assignment).get_by_role("button", name="Submit")
    ).to_be_visible(timeout=STEP)


def open_notebook(page: Page, assignment: str, notebook: str) -> None:
    """Open a fetched notebook from the Assignments tab and wait for its kernel."""
    row = assignment_row(page, "fetched_assignments_list", assignment)
    row.locator("a.assignment-notebooks-link").click()
    page.locator("#fetched_assignments_list a", has_text=notebook).last.click()
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.wait_for(timeout=STEP)
    expect(panel.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=STEP)
    # The kernel is ready when the toolbar's status says Idle.
    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first).to_be_attached(timeout=STEP)


def type_into_cell(page: Page, index: int, text: str) -> None:
    """Replace a cell's text as a person would: click into it, select all, type."""
    cell = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    if "jp-mod-rendered" in (cell.get_attribute("class") or ""):
        cell.locator(".jp-MarkdownOutput").dblclick()  # a rendered markdown cell opens its editor
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


def save(page: Page) -> None:
    """Save the open notebook and wait until it is no longer marked as changed."""
    page.keyboard.press("Control+s")
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(
        0, timeout=STEP
    )


def validate(page: Page) -> str:
    """Press the notebook's Validate button; return the text of nbgrader's result dialog (left open)."""
    page.locator(".jp-NotebookPanel:visible .jp-Toolbar").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=STEP)
    expect(dialog.locator(".jp-Dialog-header")).to_have_text(re.compile("Validation"), timeout=STEP)
    return dialog.inner_text()


def close_dialog(page: Page) -> None:
    """Close an open dialog with its accept button."""
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)


def submit(page: Page, assignment: str) -> None:
    """Submit a fetched assignment from the Assignments tab."""
    open_assignments(page)
    assignment_row(page, "fetched_assignments_list", assignment).get_by_role("button", name="Submit").click()
    expect(assignment_row(page, "submitted_assignments_list", assignment)).to_be_visible(timeout=STEP)


def fetch_feedback(page: Page, assignment: str) -> None:
    """Fetch released feedback from the Assignments tab and go to it in the file browser."""
    open_assignments(page)
    row = assignment_row(page, "submitted_assignments_list", assignment)
    row.get_by_role("button", name="Fetch Feedback").click()
    link = page.locator("#submitted_assignments_list a", has_text="view feedback")
    expect(link).to_be_visible(timeout=STEP)


def open_feedback(page: Page, notebook: str) -> str:
    """Follow "(view feedback)" to the file browser, open the feedback page; return the text of its page."""
    page.locator("#submitted_assignments_list a", has_text="view feedback").first.click()
    item = page.locator(".jp-DirListing-item", has_text=f"{notebook}.html")
    expect(item).to_be_visible(timeout=STEP)
    item.dblclick()
    frame = page.frame_locator(".jp-HTMLViewer:visible iframe")
    heading = frame.locator("h4", has_text="Score:").first
    expect(heading).to_be_visible(timeout=STEP)
    return heading.inner_text()
