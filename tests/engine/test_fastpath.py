"""The generated fast path and the reference closures agree on every subject."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_rules import api
from pmo_rules.engine.report import Report
from pmo_rules.stdlib.standard import POLICIES as STANDARD_POLICIES

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def _outcome(report: Report) -> list[tuple[str, str, str, str]]:
    return [(f.rule.id, f.subject.id, f.status, json.dumps([e.to_dict() for e in f.evidence]))
            for f in report.findings]


def _both(portfolio: object, policies: object) -> tuple[Report, Report]:
    fast = api.check(portfolio, policies, show_passes=True)  # type: ignore[arg-type]
    slow = api.check(portfolio, policies, show_passes=True, fast=False)  # type: ignore[arg-type]
    return fast, slow


def _generated(n: int, cycles: int, tmp_path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("gen", ROOT / "benchmarks" / "gen_portfolio.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    path = tmp_path / "generated.json"
    path.write_text(json.dumps(gen.generate(n, seed=7, cycles=cycles)), encoding="utf-8")
    return path


@pytest.mark.parametrize(("portfolio", "policies"), [
    (FIXTURES / "portfolio.yaml", FIXTURES / "policy.pmo"),
    (ROOT / "examples" / "portfolio.yaml", STANDARD_POLICIES),
])
def test_fast_and_reference_paths_agree(portfolio: Path, policies: Path) -> None:
    fast, slow = _both(api.load_portfolio(portfolio), api.load_policies([policies]))
    assert _outcome(fast) == _outcome(slow)
    assert fast.summary() == slow.summary()


def test_agree_on_a_generated_portfolio_with_cycles(tmp_path: Path) -> None:
    loaded = api.load_portfolio(_generated(400, 4, tmp_path))
    fast, slow = _both(loaded, api.load_policies([STANDARD_POLICIES]))
    assert _outcome(fast) == _outcome(slow)
    assert fast.summary()["fail"] > 0


def test_policy_strings_stay_data(tmp_path: Path) -> None:
    hostile = r'\"); __import__(\"os\").system(\"false\"); (\"'
    policy = tmp_path / "p.pmo"
    policy.write_text(
        'policy "t" {\n  rule T-1 "hostile" {\n    for p in projects\n'
        f'    require p.name != "{hostile}" and not (p.name matches "{{{{2}}")\n'
        '  }\n}\n', encoding="utf-8")
    data = tmp_path / "d.yaml"
    data.write_text('as_of: 2026-11-26\nprojects:\n  - {id: A, name: "x"}\n', encoding="utf-8")
    fast, slow = _both(api.load_portfolio(data), api.load_policies([policy]))
    assert _outcome(fast) == _outcome(slow)
    assert fast.counts["T-1"].passed == 1


_POLICIES: list[object] = []


def _bundled() -> object:
    if not _POLICIES:
        _POLICIES.append(api.load_policies([STANDARD_POLICIES]))
    return _POLICIES[0]


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 60), cycles=st.integers(0, 3),
       holes=st.integers(0, 4))
def test_agree_on_random_portfolios(tmp_path: Path, seed: int, n: int, cycles: int,
                                    holes: int) -> None:
    spec = importlib.util.spec_from_file_location("gen", ROOT / "benchmarks" / "gen_portfolio.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    doc = gen.generate(n, seed=seed, cycles=cycles)
    # Punch holes: missing budgets, health and schedules, where rules must cope.
    for project in doc["projects"][: holes * 3]:
        for key in ("budget", "health", "schedule", "evm")[:holes]:
            project.pop(key, None)
    path = tmp_path / f"random-{seed}-{n}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    fast, slow = _both(api.load_portfolio(path), _bundled())
    assert _outcome(fast) == _outcome(slow)


_FORMS_DATA = """\
as_of: 2026-11-26
portfolio: {id: PF, name: Forms, default_lifecycle: pmbok}
people:
  - {id: X, name: Xena, grade: executive}
projects:
  - {id: A, name: a, status: active, tier: 1, phase: executing, sponsor: X,
     budget: {approved: 1000}, custom: {code: 5, label: x, flag: true},
     artifacts: {charter: {status: approved}, business_case: {status: draft}}}
  - {id: B, name: b, status: on_hold, tier: 2, phase: planning,
     budget: {approved: 1000.0}, custom: {code: "5", label: 5},
     artifacts: {charter: {status: rejected}}}
  - {id: C, name: c, status: closed, tier: 3, phase: closing, custom: {code: [1]}}
  - {id: D, name: d, status: proposed, phase: initiating}
  - {id: E, name: e, status: cancelled, tier: 1, budget: {approved: 0}}
  - {id: F, name: f, status: active, tier: 2, custom: {code: 6, label: y, flag: true}}
"""

_FORMS_POLICY = """\
policy "forms" {
    param kinds = ["active", "on_hold"]
    param tiers = [1, 2.0]
    define live(p) = p.status in kinds
    define one_of(v, vs) = v in vs
    rule F-1 "constant lists" {
        for p in projects where p.status not in ["closed"]
        require p.status in ["active", "proposed"] or p.tier in [1, 3]
        require ["on_hold", "active"] contains p.status
        require not (p.tier in tiers) or live(p)
        require one_of(p.status, kinds) or one_of(p.tier, [1.0, 3])
        require p.budget.approved in [1000, 0.0] or p.budget.approved not in [1, 2]
        require p.custom.flag in [true] or p.tier > 1
    }
    rule F-2 "coalesce" {
        for p in projects
        require coalesce(p.budget.approved, 0) > 0
        require coalesce(p.tier, p.budget.approved) < 3
        require coalesce(p.sponsor.grade, "none") == "executive"
        require coalesce(p.custom.code, 5) == 5
    }
    rule F-3 "loose values in lists" {
        for p in projects
        require p.custom.code in [5, 6]
        require p.custom.label not in ["x"]
        require p.custom.flag in [true] or p.custom.code in ["5"]
    }
    rule F-4 "on the portfolio, passing" {
        require count(p in projects where p.status == "active") >= 1
        require not (any p in projects: p.tier == 9)
        require coalesce(sum(p in projects: p.budget.approved), 0) > 0
    }
    rule F-5 "on the portfolio, failing" {
        require count(p in projects where p.tier == 1) > 5
        require max(p in projects: p.custom.code) > 0
    }
    rule F-7 "loops" {
        for p in projects
        require none q in projects where q.tier == p.tier and q.id != p.id: q.status == "closed"
        require all a in p.artifacts: a.status in ["approved", "draft"]
        require any q in projects where one_of(q.status, kinds): q.tier <= coalesce(p.tier, 1)
        require count(q in projects where q.tier exists and q.tier < coalesce(p.tier, 0)) < 2
        require coalesce(min(q in projects where q.tier exists: q.tier), 0) <= coalesce(p.tier, 1)
        require coalesce(avg(q in projects where q.id != p.id: q.budget.approved), 0) >= 500
    }
    rule F-6 "a run invariant read by every subject" {
        for p in projects
        let total = sum(q in projects where q.budget.approved exists: q.budget.approved)
        require coalesce(p.budget.approved, 0) * 3 <= total
        require count(q in projects where q.tier > 9) == 0
    }
}
"""


def test_agree_on_generated_forms(tmp_path: Path) -> None:
    """Membership in constant lists (a set lookup), inlined coalesce, define arguments
    that are constants, rules on the portfolio and values computed once per run: the
    generated forms give the closures' answers, null and loosely typed values included."""
    data, policy = tmp_path / "d.yaml", tmp_path / "p.pmo"
    data.write_text(_FORMS_DATA, encoding="utf-8")
    policy.write_text(_FORMS_POLICY, encoding="utf-8")
    fast, slow = _both(api.load_portfolio(data), api.load_policies([policy]))
    assert _outcome(fast) == _outcome(slow)
    counts = {rule: (c.passed, c.failed, c.error, c.not_applicable)
              for rule, c in fast.counts.items()}
    assert counts == {rule: (c.passed, c.failed, c.error, c.not_applicable)
                      for rule, c in slow.counts.items()}
    assert all(c.passed and c.failed for rule, c in fast.counts.items()
               if rule not in ("F-4", "F-5"))
    assert (fast.counts["F-4"].passed, fast.counts["F-5"].failed) == (1, 1)
