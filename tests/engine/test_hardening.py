"""Odd data and odd policies: the two evaluation paths agree, and nothing escapes as a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmo_rules import api
from pmo_rules.config import load_config
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.engine.report import Report
from pmo_rules.engine.waivers import load_waivers
from pmo_rules.stdlib.standard import POLICIES as STANDARD_POLICIES


def both(tmp_path: Path, policy: str, projects: list[dict[str, Any]],
         **data: Any) -> tuple[Report, Report]:
    pol = tmp_path / "p.pmo"
    pol.write_text(policy, encoding="utf-8")
    pf = tmp_path / "d.yaml"
    pf.write_text(yaml.safe_dump({"as_of": "2026-11-26", "projects": projects, **data}),
                  encoding="utf-8")
    checked, loaded = api.load_policies([pol]), api.load_portfolio(pf)
    return api.check(loaded, checked), api.check(loaded, checked, fast=False)


def statuses(report: Report) -> dict[tuple[str, str], str]:
    return {(f.rule.id, f.subject.id): f.status for f in report.findings}


def rules(*bodies: str) -> str:
    inner = "".join(f'  rule T-{i} "t{i}" {{\n    for p in projects\n    require {b}\n  }}\n'
                    for i, b in enumerate(bodies, 1))
    return f'policy "t" {{\n{inner}}}\n'


def test_null_list_elements_are_missing_on_both_paths(tmp_path: Path) -> None:
    fast, slow = both(tmp_path, rules(
        "p.custom.xs[1] is missing",
        "count(x in p.custom.xs where x exists) == 1",
        "sum(x in p.custom.nums: x) == 4",
        "none x in p.custom.xs: x is missing",
    ), [{"id": "A", "name": "A", "xs": [1, None], "nums": [1, None, 3]}])
    assert statuses(fast) == statuses(slow) == {("T-4", "A"): "fail"}


def test_allocation_from_is_read(tmp_path: Path) -> None:
    fast, slow = both(tmp_path, rules("all a in p.allocations: a.from exists"), [
        {"id": "A", "name": "A", "allocations": [{"person": "U", "from": "2027-03-01"}]}],
        people=[{"id": "U", "name": "U"}])
    assert statuses(fast) == statuses(slow) == {}


def test_membership_of_stages_and_severities(tmp_path: Path) -> None:
    fast, slow = both(tmp_path, rules(
        'p.stage in ["planning", "executing"]',
        'all i in p.issues: i.severity not in ["critical"]',
    ), [{"id": "A", "name": "A", "phase": "closing",
         "issues": [{"id": "I-1", "severity": "critical"}]}])
    assert statuses(fast) == statuses(slow) == {("T-1", "A"): "fail", ("T-2", "A"): "fail"}


def test_evidence_survives_values_that_cannot_be_compared(tmp_path: Path) -> None:
    fast, slow = both(tmp_path, rules("all x in p.custom.xs: x > 1"),
                      [{"id": "A", "name": "A", "xs": [0, "a"]}])
    assert statuses(fast) == statuses(slow) == {("T-1", "A"): "fail"}
    assert fast.findings[0].evidence[0].witnesses == ("0", "a")


def test_planned_quantifier_treats_an_erroring_element_as_missing(tmp_path: Path) -> None:
    projects = [{"id": "P1", "name": "1", "b": 10}, {"id": "P2", "name": "2", "b": "abc",
                 "depends_on": ["P1"]}, {"id": "P3", "name": "3", "b": 3, "depends_on": ["P2"]}]
    fast, slow = both(tmp_path, rules("all a in ancestors(p): a.custom.b > 5"), projects)
    assert statuses(fast) == statuses(slow) == {("T-1", "P3"): "fail"}


def test_a_phase_copied_into_a_let_still_compares_by_name(tmp_path: Path) -> None:
    policy = ('policy "t" {\n  rule T-1 "t" {\n    for p in projects\n    let ph = p.phase\n'
              '    require ph == "planning"\n  }\n}\n')
    fast, slow = both(tmp_path, policy, [{"id": "A", "name": "A", "phase": "executing"}])
    assert statuses(fast) == statuses(slow) == {("T-1", "A"): "fail"}


@pytest.mark.parametrize("literal", ["1000000000d", "1" * 40])
def test_out_of_range_literals_are_diagnostics(tmp_path: Path, literal: str) -> None:
    pol = tmp_path / "p.pmo"
    pol.write_text(rules(f"p.tier < {literal}"), encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        api.load_policies([pol])
    assert info.value.diagnostics[0].code == "PMO103"


def test_a_duplicate_waiver_is_stale_and_counts_stay_sane(tmp_path: Path) -> None:
    waiver = {"rule": "T-1", "subject": "A", "reason": "r", "approved_by": "X"}
    wf = tmp_path / "w.yaml"
    wf.write_text(yaml.safe_dump([waiver, waiver]), encoding="utf-8")
    pol = tmp_path / "p.pmo"
    pol.write_text(rules("p.tier == 1"), encoding="utf-8")
    pf = tmp_path / "d.yaml"
    pf.write_text(yaml.safe_dump({"as_of": "2026-11-26", "people": [{"id": "X"}], "projects": [
        {"id": "A", "name": "A", "tier": 2}]}), encoding="utf-8")
    report = api.check(api.load_portfolio(pf), api.load_policies([pol]), waivers=wf)
    assert [w.status for w in report.waivers] == ["applied", "stale"]
    assert "duplicates the waiver on line 1" in report.waivers[1].note
    assert (report.summary()["fail"], report.summary()["waived"]) == (0, 1)


def test_bad_waiver_files_are_diagnostics(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("- rule: X\n  reason: caf\xe9\n".encode("latin-1"))
    with pytest.raises(DiagnosticError) as info:
        load_waivers(latin)
    assert info.value.diagnostics[0].code == "PMO501"
    nested = tmp_path / "nested.yaml"
    nested.write_text("- rule: X\n  subject: {a: 1}\n  reason: r\n  approved_by: Y\n",
                      encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        load_waivers(nested)
    assert "PMO507" in {d.code for d in info.value.diagnostics}


def test_settings_of_the_wrong_type_are_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "pmo-rules.toml").write_text('fail_on = "urgent"\npolicy = 5\n',
                                             encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        load_config(tmp_path)
    messages = sorted(d.message for d in info.value.diagnostics)
    assert messages == ["setting `fail_on` must be one of info, low, medium, high, critical, "
                        "not the text 'urgent'",
                        "setting `policy` must be a path or a list of paths, not the number 5"]
    assert [d.span.line for d in info.value.diagnostics if d.span] == [1, 2]
    assert json.dumps(messages)


@pytest.mark.parametrize("pattern", [r"^(\\w+\\s?)+$", "^((a+))+$", "^(a*)*$", "(a|a)*b"])
def test_patterns_that_would_backtrack_exponentially_run_in_linear_time(
        tmp_path: Path, pattern: str) -> None:
    # RE2 never backtracks: shapes that hang a backtracking engine are plain patterns.
    fast, slow = both(tmp_path, rules(f'p.name matches "{pattern}"'),
                      [{"id": "A", "name": "a" * 50_000 + "!"}])
    assert statuses(fast) == statuses(slow) == {("T-1", "A"): "fail"}


@pytest.mark.parametrize("coll", ['["a", "b"]', "cycles()"])
def test_rule_subjects_must_be_entities(tmp_path: Path, coll: str) -> None:
    pol = tmp_path / "p.pmo"
    pol.write_text(f'policy "t" {{\n  rule T-1 "t" {{\n    for s in {coll}\n'
                   '    require true\n  }\n}\n', encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        api.load_policies([pol])
    assert info.value.diagnostics[0].code == "PMO218"


def test_equality_joins_use_an_index_and_keep_their_meaning(tmp_path: Path) -> None:
    policy = rules(
        'count(q in projects where q.program == p.program and q.id != p.id) >= 1',
        'any s in projects where s.id == coalesce(p.custom.twin, "none"): s.tier == p.tier',
    )
    projects = [
        {"id": "A", "name": "A", "program": "G1", "tier": 1, "twin": "B"},
        {"id": "B", "name": "B", "program": "G1", "tier": 2},
        {"id": "C", "name": "C", "program": "G2", "tier": 2, "twin": "B"},
        {"id": "D", "name": "D", "tier": 1, "twin": "nobody"},
    ]
    fast, slow = both(tmp_path, policy, projects,
                      programs=[{"id": "G1", "name": "1"}, {"id": "G2", "name": "2"}])
    expected = {("T-1", "C"): "fail", ("T-1", "D"): "fail", ("T-2", "A"): "fail",
                ("T-2", "B"): "fail", ("T-2", "D"): "fail"}
    assert statuses(fast) == statuses(slow) == expected


def test_joins_are_planned(tmp_path: Path) -> None:
    from pmo_rules.engine.joins import plan_join
    from pmo_rules.language import ast

    pol = tmp_path / "p.pmo"
    pol.write_text(rules("count(q in projects where q.tier > 1 and q.program == p.program) >= 0"),
                   encoding="utf-8")
    (require,) = api.load_policies([pol]).rules[0].rule.requires
    assert isinstance(require.expr, ast.Compare)
    assert isinstance(require.expr.left, ast.Aggregate)
    join = plan_join(require.expr.left)
    assert join is not None
    assert (join.collection, join.path) == ("projects", ("program",))
    assert join.residual is not None


def test_an_equality_in_the_body_of_any_or_none_drives_a_join(tmp_path: Path) -> None:
    policy = rules(
        'any r in risks where r.status == "open": r.linked_dependency == p.custom.dep',
        'none r in risks: r.linked_dependency == p.custom.dep and r.score >= 20',
    )
    projects = [
        {"id": "A", "name": "A", "dep": "X->A", "risks": [
            {"id": "R1", "status": "open", "linked_dependency": "X->A", "probability": 5,
             "impact": 4}]},
        {"id": "B", "name": "B", "dep": "Y->B", "risks": [
            {"id": "R2", "status": "closed", "linked_dependency": "Y->B"}]},
        {"id": "C", "name": "C"},
    ]
    fast, slow = both(tmp_path, policy, projects)
    assert statuses(fast) == statuses(slow) == {
        ("T-1", "B"): "fail", ("T-1", "C"): "fail", ("T-2", "A"): "fail"}
    t2 = next(f for f in fast.findings if f.rule.id == "T-2")
    assert t2.evidence[0].witnesses == ("R1",)


def test_joins_keep_the_plain_loops_errors_and_order(tmp_path: Path) -> None:
    fast, slow = both(tmp_path, rules(
        # B's where is missing: its body (with a bad comparison) is never evaluated.
        "any q in projects where q.custom.flag: q.id == p.custom.ref and q.custom.n > 5",
        # The key raises, but with no risks the plain loop never evaluates it.
        "count(r in risks where r.id == lower(p.custom.code)) == 0",
    ), [{"id": "A", "name": "A", "ref": "B", "code": 5},
        {"id": "B", "name": "B", "n": "abc", "code": 5}])
    assert statuses(fast) == statuses(slow) == {("T-1", "A"): "fail", ("T-1", "B"): "fail"}


def test_a_nan_key_matches_nothing(tmp_path: Path) -> None:
    pf = tmp_path / "d.json"
    pf.write_text('{"as_of": "2026-11-26", "projects": [{"id": "A", "name": "A",'
                  ' "budget": {"approved": NaN}}]}', encoding="utf-8")
    pol = tmp_path / "p.pmo"
    pol.write_text(rules("count(q in projects where q.budget.approved == p.budget.approved)"
                         " == 1"), encoding="utf-8")
    checked, loaded = api.load_policies([pol]), api.load_portfolio(pf)
    for fast in (True, False):
        report = api.check(loaded, checked, fast=fast)
        assert statuses(report) == {("T-1", "A"): "fail"}


def test_every_bundled_rule_gets_a_generated_loop() -> None:
    from pmo_rules.engine.plan import build_plan, param_values
    from pmo_rules.engine.runtime import RunContext
    from pmo_rules.graph.portfolio_graph import PortfolioGraph

    root = Path(__file__).resolve().parents[2]
    checked = api.load_policies([STANDARD_POLICIES])
    loaded = api.load_portfolio(root / "examples" / "portfolio.yaml")
    ctx = RunContext(loaded, PortfolioGraph(loaded), loaded.as_of, param_values(checked, {}))
    slow = [r.rule.id for r in checked.rules
            if r.rule.for_ is not None and build_plan(r, checked, ctx).fast is None]
    assert slow == []
