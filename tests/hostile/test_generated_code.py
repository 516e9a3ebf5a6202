"""No policy literal ever appears in generated fast-path source (issue #10)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.engine.plan import build_plan, param_values
from pmo_rules.engine.runtime import RunContext
from pmo_rules.graph.portfolio_graph import PortfolioGraph

from .contract import policy_file, portfolio_file, run
from .generated_code import generated_sources, policy_text_in

ROOT = Path(__file__).resolve().parents[2]
PACKS = ["standard", "lifecycle", "process", "evm"]


def _plans(policies: object, portfolio: object) -> int:
    ctx = RunContext(portfolio, PortfolioGraph(portfolio), portfolio.as_of,  # type: ignore
                     param_values(policies, {}))  # type: ignore[arg-type]
    built = 0
    for resolved in policies.rules:  # type: ignore[attr-defined]
        plan = build_plan(resolved, policies, ctx)  # type: ignore[arg-type]
        built += plan.fast is not None
    return built


def test_no_bundled_rule_puts_policy_text_into_generated_code() -> None:
    policies = api.load_policies([], packs=PACKS)
    portfolio = api.load_portfolio(ROOT / "examples" / "portfolio.yaml")
    with generated_sources() as sources:
        built = _plans(policies, portfolio)
    assert built > 50 and len(sources) >= built
    for source in sources:
        assert policy_text_in(source) == [], source


@pytest.mark.parametrize("body", [
    "1000 is missing", "1000 exists", '"abc" is missing', "2026-01-01 is missing",
    "true is missing", "-1 < p.tier", "[1, 2] is missing", "14d is missing",
])
def test_literals_are_constant_slots_and_nothing_warns(tmp_path: Path, body: str) -> None:
    pol = policy_file(tmp_path, body)
    data = portfolio_file(tmp_path, [{"id": "A", "name": "A"}])
    policies, portfolio = api.load_policies([pol]), api.load_portfolio(data)
    with warnings.catch_warnings(), generated_sources() as sources:
        warnings.simplefilter("error")  # `"is" with a literal` was a SyntaxWarning
        assert _plans(policies, portfolio) == 1
    (source,) = sources
    assert policy_text_in(source) == [], source
    out = run(["check", str(data), "--policy", str(pol)])
    assert "Warning" not in out.stderr


def test_the_checker_catches_a_literal_leaking(tmp_path: Path) -> None:
    leaked = 'def _rule(_subjects):\n    return v0.tier > 1000 and "x" in p\n'
    assert policy_text_in(leaked) == ["1000", '"x"', "p"]
