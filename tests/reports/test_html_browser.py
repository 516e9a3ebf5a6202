"""The HTML report in headless Chromium: renders cleanly, counts findings, filters narrow.

Skips with a message where Chromium is not installed (.ci/run installs Debian's).
A screenshot is left in test-artifacts/ (gitignored) for people to look at.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmo_rules.engine.report import Report
from pmo_rules.reports.html import render_html
from tests.reports.cdp import Browser, chromium_path

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); "
                    "the HTML report was not opened in a browser")
    b = Browser(path)
    yield b
    b.close()


def test_report_renders_counts_and_filters(
    browser: Browser, report: Report, graph: dict[str, object], tmp_path: Path,
) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(report, graph=graph), encoding="utf-8")
    session = browser.open(page.as_uri())

    assert browser.evaluate(session, "document.title") == "Compliance report: PF-R"
    shown = browser.evaluate(session, "document.getElementById('findings-count').textContent")
    assert shown == str(len(report.findings))
    visible = ("Array.from(document.querySelectorAll('#findings tbody tr'))"
               ".filter(r => r.offsetParent !== null).length")
    assert browser.evaluate(session, visible) == len(report.findings)
    assert browser.evaluate(session, "document.querySelectorAll('svg.graph g.node').length") == 5
    # The hostile project name is text on the page, never an element.
    assert browser.evaluate(session, "document.querySelectorAll('img').length") == 0
    assert browser.evaluate(session, "window.pwned === undefined")

    critical = sum(f.rule.severity == "critical" for f in report.findings)
    assert 0 < critical < len(report.findings)
    browser.evaluate(session, """(() => {
        const s = document.getElementById('filter-severity');
        s.value = 'critical'; s.dispatchEvent(new Event('change')); })()""")
    assert browser.evaluate(session, visible) == critical
    assert browser.evaluate(session, "document.getElementById('shown-count').textContent") \
        == str(critical)
    browser.evaluate(session, """(() => {
        const s = document.getElementById('filter-program');
        s.value = 'G2'; s.dispatchEvent(new Event('change')); })()""")
    assert browser.evaluate(session, visible) == 1  # critical and in G2: P-5's overspend

    ARTIFACTS.mkdir(exist_ok=True)
    browser.evaluate(session, "document.getElementById('reset-filters').click()")
    shot = browser.call("Page.captureScreenshot", {"format": "png",
                                                   "captureBeyondViewport": True},
                        session=session)
    (ARTIFACTS / "html-report.png").write_bytes(base64.b64decode(shot["data"]))
    assert browser.console_errors() == []


def test_console_errors_are_caught(browser: Browser, tmp_path: Path) -> None:
    # The check above can fail: a page that logs an error is reported.
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><title>x</title><script>console.error('boom')</script>",
                    encoding="utf-8")
    before = len(browser.console_errors())
    browser.open(page.as_uri())
    assert "boom" in browser.console_errors()[before:]
