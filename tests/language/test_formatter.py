"""fmt: parse(fmt(x)) == parse(x), and fmt(fmt(x)) == fmt(x), on every test policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules.language.formatter import format_file
from pmo_rules.language.parser import parse_text

from .helpers import CASES
from .test_parse_check import DIAGNOSTICS

POLICIES = sorted(CASES.glob("*.pmo"))


@pytest.mark.parametrize("path", POLICIES, ids=[p.name for p in POLICIES])
def test_round_trip_and_idempotent(path: Path) -> None:
    parsed = parse_text(path.read_text("utf-8"), str(path))
    once = format_file(parsed)
    again = parse_text(once, str(path))
    assert again.policies == parsed.policies
    assert format_file(again) == once


@pytest.mark.parametrize("path", POLICIES, ids=[p.name for p in POLICIES])
def test_comments_are_kept(path: Path) -> None:
    source = path.read_text("utf-8")
    comments = [ln[ln.index("#"):].rstrip() for ln in source.splitlines()
                if "#" in ln and '"' not in ln.split("#")[0]]
    once = format_file(parse_text(source, str(path)))
    for comment in comments:
        assert comment in once


def test_comment_placement() -> None:
    source = ('# head\npolicy "a" {\n  # before the rule\n  rule R "t" {\n'
              '    severity high   # why high\n    require true\n    # at the end\n  }\n}\n')
    assert format_file(parse_text(source, "t.pmo")) == (
        '# head\npolicy "a" {\n    # before the rule\n    rule R "t" {\n'
        '        severity high  # why high\n        require true\n        # at the end\n'
        '    }\n}\n')


CHECK_ONLY = [t for t, code, _, _ in DIAGNOSTICS if code >= "PMO200"]


@pytest.mark.parametrize("text", CHECK_ONLY)
def test_round_trip_of_diagnostic_cases(text: str) -> None:
    parsed = parse_text(text, "t.pmo")
    once = format_file(parsed)
    assert parse_text(once, "t.pmo").policies == parsed.policies
    assert format_file(parse_text(once, "t.pmo")) == once


@pytest.mark.parametrize("expr", [
    "(a + b) * c", "a - (b - c)", "not (a and b)", "(any x in xs: x) or y", "-(a + b)",
    "a or b and c", "(a or b) and c", "count(x in xs where x > 1)", "xs[0].y",
])
def test_parentheses_kept_where_needed(expr: str) -> None:
    text = f'policy "a" {{ rule R "t" {{ require {expr} }} }}'
    parsed = parse_text(text, "t.pmo")
    assert parse_text(format_file(parsed), "t.pmo").policies == parsed.policies
