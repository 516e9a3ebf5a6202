"""fmt: parse(fmt(x)) == parse(x), and fmt(fmt(x)) == fmt(x), on every test policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.language import ast
from pmo_rules.language.ast import Expr
from pmo_rules.language.formatter import expr, format_file
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


NAMES = st.sampled_from(["a", "b", "xs", "p", "limit"])
FIELDS = st.sampled_from(["id", "count", "status", "where", "all"])


def _exprs() -> st.SearchStrategy[Expr]:
    leaves = st.one_of(
        NAMES.map(ast.Name),
        st.integers(0, 10_000).map(ast.Number),
        st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)),
                 max_size=8).map(ast.String),
        st.booleans().map(ast.Bool),
        st.integers(0, 400).map(ast.Duration),
    )

    def extend(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.one_of(
            st.builds(ast.Binary, st.sampled_from(["and", "or", "+", "-", "*", "/"]), inner,
                      inner),
            st.builds(ast.Compare, st.sampled_from(["==", "<", ">=", "in", "not in",
                                                    "contains"]), inner, inner),
            st.builds(ast.Unary, st.sampled_from(["not", "-"]), inner),
            st.builds(ast.Field, inner, FIELDS),
            st.builds(ast.Index, inner, inner),
            st.builds(ast.Exists, inner, st.booleans()),
            st.builds(ast.Matches, inner, st.sampled_from(["^a", "\\d+", '"q"'])),
            st.builds(ast.Call, st.sampled_from(["f", "lib.g"]), st.lists(inner, max_size=2)
                      .map(tuple)),
            st.builds(ast.Quantifier, st.sampled_from(["all", "any", "none"]), NAMES, inner,
                      st.none() | inner, inner),
            st.builds(ast.Aggregate, st.just("count"), NAMES, inner, st.none() | inner,
                      st.none()),
            st.builds(ast.Aggregate, st.sampled_from(["sum", "min"]), NAMES, inner,
                      st.none() | inner, inner),
            st.lists(inner, max_size=3).map(lambda xs: ast.ListLit(tuple(xs))),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_exprs())
def test_any_expression_round_trips(e: Expr) -> None:
    text = f'policy "a" {{ rule R "t" {{ require {expr(e)} }} }}'
    parsed = parse_text(text, "t.pmo")
    assert parsed.policies[0].rules[0].requires[0].expr == e
