"""The HTML report as a document: self-contained, every user string escaped."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Finding, Location, RuleCounts, RuleInfo, Subject
from pmo_rules.engine.scores import ScoreBoard
from pmo_rules.reports.html import render_html
from tests.reports.helpers import HOSTILE


class Tags(HTMLParser):
    """Collects start tags and text, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    t = Tags()
    t.feed(page)
    return t


def test_self_contained_and_hostile_names_inert(report: Report, graph: dict[str, object]) -> None:
    page = render_html(report, graph=graph)
    tags = parse(page)
    assert tags.tags.count("script") == 1 and "img" not in tags.tags
    assert HOSTILE not in page and "&lt;script&gt;alert(&#x27;pwned&#x27;)" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing to fetch
    assert "<link" not in page


def test_sections_and_graph_marks(report: Report, graph: dict[str, object]) -> None:
    page = render_html(report, graph=graph)
    for section in ("by-program", "by-family", "findings-section", "waivers", "graph"):
        assert f'id="{section}"' in page
    assert page.count('class="finding"') == len(report.findings)
    assert 'id="findings-count">12<' in page
    for fate in ("applied", "expired", "stale", "rejected"):
        assert f'class="fate fate-{fate}"' in page
    # P-1 fails rules and sits on the cycle P-1 -> P-2 -> P-3 -> P-5 -> P-1.
    assert re.search(r'<g class="node failing cycle[^"]*" data-id="P-1">', page)
    assert 'class="edge cycle' in page


def test_without_graph_says_so(report: Report) -> None:
    assert "No dependency graph in this report." in render_html(report)


def _report(name: str, message: str, reason: str) -> Report:
    rule = RuleInfo("X-1", name, name, "high", "soft", (name,), None,
                    Location(name, 1, 1), name, name)
    findings = [
        Finding(rule, Subject("project", name, name), "fail", message, blocking=True),
        Finding(rule, Subject("project", "P", name), "waived", message,
                waiver={"reason": reason, "approved_by": name, "expires": name}),
    ]
    return Report(dt.date(2026, 1, 1), name, findings, [], {"X-1": RuleCounts(failed=1)},
                  [rule], ScoreBoard(name), {"portfolio": [{"path": name, "sha256": name}]},
                  [{"name": name, "version": name}])


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1), st.text(), st.text())
def test_no_text_becomes_markup(name: str, message: str, reason: str) -> None:
    tags = parse(render_html(_report(name, message, reason)))
    baseline = parse(render_html(_report("n", "m", "r")))
    assert tags.tags == baseline.tags


@given(st.text())
def test_the_quick_escape_is_html_escape(text: str) -> None:
    from html import escape

    from pmo_rules.reports.html import _escape

    assert _escape(text) == escape(text)
