"""The lifecycle functions: each project read against its own lifecycle, on both paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.engine.report import Report
from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.model.portfolio import LoadedPortfolio

# Per live project of the example: next gate, the gate that admitted its phase, the gates
# passed, the gates it must have passed, the decider grade of its next gate.
EXPECTED = {
    "HC-01": ("gate_4", "gate_3", "gate_0 gate_1 gate_2 gate_3", "gate_0 gate_1 gate_2 gate_3",
              "executive"),
    "HC-02": ("gate_3", "gate_2", "gate_0 gate_1 gate_2", "gate_0 gate_1 gate_2", "director"),
    "HC-03": ("authorize_closure", "authorize_project", "authorize_initiation authorize_project",
              "authorize_initiation authorize_project", "executive"),
    "HC-04": ("gate_4", "gate_3", "gate_1 gate_2 gate_3", "gate_1 gate_2 gate_3", "director"),
    "HC-05": ("gate_3", "gate_2", "gate_1 gate_2", "gate_1 gate_2", "executive"),
    "HC-06": ("missing", "go", "review analyze go", "review analyze go", "missing"),
    "HC-07": ("MW3", "MW2", "MW1 MW2", "MW1 MW2", "manager"),
    "HC-08": ("G2", "G1", "G1", "G1", "executive"),
    # skipped the gate admitting its phase: that gate comes first
    "HC-09": ("authorize_initiation", "authorize_initiation", "", "authorize_initiation",
              "executive"),
}

PROBE = '''policy "probe" {
    rule P-1 "where each project stands" {
        for p in projects where p.status == "active"
        require false
        message "%s"
    }
}
'''


def _probe(tmp_path: Path, message: str, portfolio: LoadedPortfolio,
           lifecycles: list[LifecycleModel], fast: bool = True) -> dict[str, str]:
    policy = tmp_path / "probe.pmo"
    policy.write_text(PROBE % message, encoding="utf-8")
    report = api.check(portfolio, api.load_policies([policy], lifecycles=lifecycles), fast=fast)
    return {f.subject.id: f.message for f in report.findings}


@pytest.mark.parametrize("fast", [True, False])
def test_every_projects_next_gate_in_its_own_lifecycle(
        tmp_path: Path, mixed: LoadedPortfolio, mixed_lifecycles: list[LifecycleModel],
        fast: bool) -> None:
    message = ('{next_gate(p).id}|{entry_gate(p).id}|{gates_passed(p)}|{gates_required(p)}'
               '|{next_gate(p).decider_grade}')
    seen = _probe(tmp_path, message, mixed, mixed_lifecycles, fast)
    got = {k: tuple(v.split("|")) for k, v in seen.items()}
    want = {k: (a, b, f"[{c.replace(' ', ', ')}]", f"[{d.replace(' ', ', ')}]", e)
            for k, (a, b, c, d, e) in EXPECTED.items()}
    assert got == want


def test_gate_fields_read_the_projects_tier_and_records(
        tmp_path: Path, mixed: LoadedPortfolio, mixed_lifecycles: list[LifecycleModel]) -> None:
    message = ('{next_gate(p).missing_artifacts}|{len(next_gate(p).artifacts)}'
               '|{next_gate(p).due}|{next_gate(p).admits}|{next_gate(p).closes}'
               '|{count(g in lifecycle_gates(p) where len(g.open_conditions) > 0)}'
               '|{gate_admitting(p, \\"executing\\").id}|{phase_limit(p)}')
    seen = _probe(tmp_path, message, mixed, mixed_lifecycles)
    # Tier 1 needs the benefits plan at IPA gate 4; tier 3 minor works need no safety plan.
    assert seen["HC-01"] == ("[service_readiness_plan, benefits_realisation_plan]|2|2026-06-19"
                             "|operations|false|1|missing|missing")
    assert seen["HC-03"] == "[end_project_report, lessons_report]|2|2026-06-26|missing|true|0" \
                            "|missing|missing"
    assert seen["HC-07"] == "[test_certificate]|1|2026-08-14|handover|false|0|missing|120d"
    assert seen["HC-08"] == "[project_management_plan]|1|2026-06-15|executing|false|0|G2|missing"


def test_a_gates_phase_compares_in_its_lifecycles_order(
        tmp_path: Path, mixed: LoadedPortfolio, mixed_lifecycles: list[LifecycleModel]) -> None:
    seen = _probe(tmp_path, '{next_gate(p).admits > \\"procurement\\"}|'
                            '{entry_gate(p).admits == p.phase}', mixed, mixed_lifecycles)
    assert seen["HC-01"] == "true|true"      # operations comes after procurement
    assert seen["HC-02"] == "true|true"      # implementation too
    assert seen["HC-05"] == "missing|true"   # development: not a phase of ipa-gateway


def test_the_checker_types_the_lifecycle_functions(tmp_path: Path) -> None:
    policy = tmp_path / "bad.pmo"
    policy.write_text('''policy "bad" {
    rule B-1 "typos" {
        for p in projects
        require next_gate(p).pased
        require gate_admitting(p, "excuting").id == "G2"
        require next_gate(p).decision == "approved"
        require all g in gates_passed(p): g.artifacts contains 3
    }
}
''', encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        api.load_policies([policy])
    found = {(d.code, d.span.line if d.span else 0) for d in caught.value.diagnostics}
    assert found == {("PMO202", 4), ("PMO209", 5), ("PMO210", 6), ("PMO207", 7)}
    text = str(caught.value)
    assert "did you mean `passed`?" in text and "did you mean `executing`?" in text


def _outcome(report: Report) -> list[tuple[str, str, str, str]]:
    return [(f.rule.id, f.subject.id, f.status, json.dumps([e.to_dict() for e in f.evidence]))
            for f in report.findings]


def test_both_paths_agree_on_the_mixed_example(
        mixed: LoadedPortfolio, mixed_lifecycles: list[LifecycleModel]) -> None:
    policies = api.load_policies([], packs=["standard"], lifecycles=mixed_lifecycles)
    params = {"epmo-extras.enabled": "true"}
    fast = api.check(mixed, policies, show_passes=True, params=params)
    slow = api.check(mixed, policies, show_passes=True, params=params, fast=False)
    assert _outcome(fast) == _outcome(slow)
    assert fast.summary() == slow.summary()
