"""Markdown: golden file, blocking findings first, user text inert.

Regenerate the golden file after an intended change with
`PMO_RULES_UPDATE_GOLDEN=1 pytest tests/reports/test_markdown.py`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_rules.engine.report import Report
from pmo_rules.reports.markdown import code, md, render_markdown

GOLDEN = Path(__file__).parent / "golden"


def test_golden(report: Report) -> None:
    text = render_markdown(report)
    path = GOLDEN / "report.md"
    if os.environ.get("PMO_RULES_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_blocking_findings_come_first_most_severe_first(report: Report) -> None:
    text = render_markdown(report)
    blocking = text.index("## Blocking findings")
    assert blocking < text.index("## Findings by rule") < text.index("## Waivers")
    section = text[blocking:text.index("## Findings by rule")]
    rows = [line for line in section.splitlines() if line.startswith("| ❌")]
    assert len(rows) == len(report.blocking)
    assert "critical" in rows[0] and "medium" in rows[-1]


def test_hostile_names_stay_text(report: Report) -> None:
    text = render_markdown(report)
    # Outside code spans, every `<` from user data is escaped, so nothing becomes a tag.
    prose = re.sub(r"`[^`]*`", "", text.replace("<details><summary>Evidence</summary>", "")
                   .replace("</details>", ""))
    assert not re.search(r"(?<!\\)<", prose)
    assert r"\<script\>alert\('pwned'\)\</script\>" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| ") and "P-5" in line]
    # A `|` in a name is escaped, so every row keeps its column count.
    assert table_rows and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in table_rows)


@given(st.text())
def test_md_escapes_every_markup_character(text: str) -> None:
    out = md(text)
    assert "\n" not in out
    for ch in "<>|`*_[]":
        assert out.count(ch) == out.count("\\" + ch)


@pytest.mark.parametrize(("text", "expected"), [
    ("a.b == 1", "`a.b == 1`"), ("x `y` z", "``x `y` z``"), ("`", "`` ` ``"),
])
def test_code_spans_survive_backticks(text: str, expected: str) -> None:
    assert code(text) == expected


@given(st.text())
def test_escaping_is_every_markup_character_backslashed(text: str) -> None:
    """md and code take shortcuts for speed; their results are the plain definitions'."""
    flat = " ".join(text.split())
    assert md(text) == re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", flat)
    fence = "`" * (max((len(m) for m in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    assert code(text) == f"{fence}{pad}{flat}{pad}{fence}"
