"""Lighthouse on every page of the built book, mobile and desktop, served gzipped as a real host does.

    python -m benchmarks.bench_lighthouse [--pages lessons/04 ...] [--form-factor mobile|desktop] [--name NAME]
        [--site DIR] [--baseline DIR] [--keep-reports DIR]

Writes benchmarks/results/NAME.md (default: lighthouse): the four category scores and the core metrics
(LCP, TBT, CLS, bytes transferred) of each page, with the machine's load average when it ran (Lighthouse
on a loaded machine reports a slower page). Needs `make book` first and `make setup` (Lighthouse from npm).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.timing import write_report
from citybook.book.linkcheck import html_pages
from citybook.paths import BUILD_HTML, NODE_MODULES, ROOT

sys.path.insert(0, str(ROOT))
from tests.helpers.site_server import chromium_path, serve_directory  # noqa: E402

LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = ("mobile", "desktop")
GOALS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}


@dataclass
class Score:
    """One page's Lighthouse result in one form factor."""

    page: str
    form_factor: str
    categories: dict[str, int]
    lcp_ms: float
    tbt_ms: float
    cls: float
    transfer_kib: float
    load: float = 0.0


def run_lighthouse(url: str, form_factor: str, out_dir: Path) -> Score:
    """Run Lighthouse once on url (default mobile, or the desktop preset) and read its JSON report."""
    report = out_dir / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse failed on {url} ({form_factor}):\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text())
    audits = data["audits"]
    return Score(
        page=url,
        form_factor=form_factor,
        categories={c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES},
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        transfer_kib=audits["total-byte-weight"]["numericValue"] / 1024,
        load=os.getloadavg()[0],
    )


def table(scores: list[Score]) -> list[str]:
    """Return the Markdown table of scores, one row per page and form factor."""
    lines = [
        "| page | form | perf | a11y | best pr. | SEO | LCP s | TBT ms | CLS | KiB sent | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        c = s.categories
        lines.append(
            f"| {s.page} | {s.form_factor} | {c['performance']} | {c['accessibility']} | {c['best-practices']} "
            f"| {c['seo']} | {s.lcp_ms / 1000:.1f} | {s.tbt_ms:.0f} | {s.cls:.3f} | {s.transfer_kib:,.0f} | {s.load:.1f} |"
        )
    return lines


def misses(scores: list[Score]) -> list[str]:
    """Return the goals each page misses (mobile scores; TBT under 200 ms on lessons)."""
    found = []
    for s in scores:
        if s.form_factor != "mobile":
            continue
        found += [f"{s.page}: {c} {s.categories[c]} < {goal}" for c, goal in GOALS.items() if s.categories[c] < goal]
        if s.page.startswith("lessons/") and s.tbt_ms >= 200:
            found.append(f"{s.page}: TBT {s.tbt_ms:.0f} ms >= 200")
    return found


def measure(base: str, page: str, form_factor: str, tmp: Path) -> Score:
    """Run Lighthouse on one page, once more if a busy machine timed it out; zeros if it failed twice."""
    for attempt in (1, 2):
        try:
            return run_lighthouse(f"{base}/{page}", form_factor, tmp)
        except RuntimeError as error:
            if attempt == 2:
                print(f"{page} ({form_factor}): {error}", file=sys.stderr)
    return Score(page, form_factor, dict.fromkeys(CATEGORIES, 0), 0, 0, 0, 0)


def main(argv: list[str] | None = None) -> None:
    """Measure the chosen pages (default: all) in the chosen form factors and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", default=[], help="page path prefixes (default: every page)")
    parser.add_argument("--form-factor", choices=FORM_FACTORS, action="append", help="default: both")
    parser.add_argument("--name", default="lighthouse", help="report name under benchmarks/results/")
    parser.add_argument("--site", type=Path, default=BUILD_HTML, help="the built book to serve (default: _build/html)")
    parser.add_argument("--keep-reports", type=Path, help="keep each Lighthouse JSON report in this folder")
    parser.add_argument("--baseline", type=Path, help="another build (say, of main) measured page by page beside it")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make setup` (npm ci).")
    pages = [p.relative_to(args.site).as_posix() for p in html_pages(args.site)]
    pages = [p for p in pages if p != "search.html" and (not args.pages or p.startswith(tuple(args.pages)))]
    sites = [("before", args.baseline), ("after", args.site)] if args.baseline else [("", args.site)]
    scores = []
    with contextlib.ExitStack() as stack:
        bases = [(label, stack.enter_context(serve_directory(site))) for label, site in sites]
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lighthouse-")))
        for form_factor in args.form_factor or FORM_FACTORS:
            for page in pages:
                for label, base in bases:  # side by side, so both builds see the same machine load
                    score = measure(base, page, form_factor, tmp)
                    score.page = f"{page} ({label})" if label else page
                    if args.keep_reports and (tmp / "report.json").exists():
                        args.keep_reports.mkdir(parents=True, exist_ok=True)
                        kept = f"{page.replace('/', '_')}-{form_factor}{'-' + label if label else ''}.json"
                        shutil.move(tmp / "report.json", args.keep_reports / kept)
                    scores.append(score)
                    print(table([score])[-1], flush=True)
    found = misses(scores)
    lines = [
        "# Lighthouse 12 (system Chromium, gzip, local server)",
        "",
        *table(scores),
        "",
        "Goals (mobile): performance 90+, accessibility, best practices and SEO 100, lessons' TBT under 200 ms.",
        "",
        *([f"- missed: {m}" for m in found] or ["- every goal met"]),
    ]
    write_report(args.name, lines)


if __name__ == "__main__":
    main(sys.argv[1:])
