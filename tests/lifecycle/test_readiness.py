"""Readiness on a portfolio mixing six lifecycles: each project's next gate, and exactly the
missing artifacts, open conditions and would-be failures the example was built with."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmo_rules import api
from pmo_rules.engine.scores import owning_project
from pmo_rules.language.checked import CheckedPolicySet
from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.readiness.assess import assess
from pmo_rules.readiness.results import Readiness

from .conftest import MIXED

# project: (state, next gate, days to its milestone)
GATES = {
    "HC-01": ("not_ready", "gate_4", 18),             # ipa-gateway, implementation
    "HC-02": ("ready", "gate_3", 44),                 # ipa-gateway, procurement
    "HC-03": ("not_ready", "authorize_closure", 25),  # prince2-style, delivery
    "HC-04": ("ready", "gate_4", 9),                  # stage-gate, development
    "HC-05": ("not_ready", "gate_3", 23),             # stage-gate, build_business_case
    "HC-06": ("no_gate_ahead", None, None),           # safe-portfolio, implementing
    "HC-07": ("not_ready", "MW3", 74),                # council-minor-works (YAML), build
    "HC-08": ("not_ready", "G2", 14),                 # pmbok, planning
    "HC-09": ("not_ready", "authorize_initiation", None),  # prince2-style, skipped, no date
}
# project: artifacts its next gate needs, with the status the project has (None: none)
MISSING = {
    "HC-01": [("service_readiness_plan", "draft"), ("benefits_realisation_plan", None)],
    "HC-03": [("end_project_report", None), ("lessons_report", "draft")],
    "HC-05": [("business_case", "submitted"), ("project_management_plan", None)],
    "HC-07": [("test_certificate", None)],
    "HC-08": [("project_management_plan", "submitted")],
    "HC-09": [("business_case", "draft")],
}
CONDITIONS = {"HC-01": [("gate_3", "Sign the heat-network connection agreement", False)]}
# project: (rule, subject, fails already today) once through its next gate
WOULD_FAIL = {
    "HC-01": [("LC-03", "HC-01", False)],
    "HC-03": [("CLO-01", "HC-03", False), ("CLO-03", "HC-03", False)],
    "HC-05": [("ART-01", "HC-05", False), ("ART-03", "HC-05", False),
              ("ART-04", "HC-05", False), ("LC-03", "HC-05", False)],
    "HC-07": [("LC-03", "HC-07", False), ("LC-04", "HC-07", True)],
    "HC-08": [("ART-03", "HC-08", False), ("LC-03", "HC-08", False),
              ("LC-04", "HC-08", True)],
    "HC-09": [("ART-01", "HC-09", True), ("LC-03", "HC-09", False)],
}
DECIDERS = {"HC-01": "executive", "HC-02": "director", "HC-03": "executive",
            "HC-04": "director", "HC-05": "executive", "HC-07": "manager",
            "HC-08": "executive", "HC-09": "executive"}


@pytest.fixture(scope="module")
def everything(mixed: LoadedPortfolio, standard: CheckedPolicySet) -> Readiness:
    return assess(mixed, standard)


def test_every_live_projects_next_gate(everything: Readiness) -> None:
    got = {p.id: (p.state, p.gate.id if p.gate else None, p.days_to_gate)
           for p in everything.projects}
    assert got == GATES  # closed HC-10 and cancelled HC-11 are not live
    assert {p.id: p.gate.decider_grade for p in everything.projects if p.gate} == DECIDERS
    assert everything.exit_code == 1


def test_exactly_the_missing_artifacts_conditions_and_would_be_failures(
        everything: Readiness) -> None:
    missing = {p.id: [(m.type, m.status) for m in p.missing]
               for p in everything.projects if p.missing}
    conditions = {p.id: [(c.gate, c.text, c.overdue) for c in p.conditions]
                  for p in everything.projects if p.conditions}
    would = {p.id: [(w.finding.rule.id, w.finding.subject.id, w.already)
                    for w in p.would_fail] for p in everything.projects if p.would_fail}
    assert missing == MISSING
    assert conditions == CONDITIONS
    assert would == WOULD_FAIL


def test_would_be_failures_carry_the_evidence_of_the_moved_project(
        everything: Readiness) -> None:
    hc05 = next(p for p in everything.projects if p.id == "HC-05")
    art04 = next(w.finding for w in hc05.would_fail if w.finding.rule.id == "ART-04")
    assert art04.message == ("HC-05 Smart Parking Pilot is in development without a full baseline "
                             "(start 2026-02-02, finish missing, budget GBP 250,000)")
    assert art04.evidence[0].missing == ("p.schedule.baseline_finish",)
    hc03 = next(p for p in everything.projects if p.id == "HC-03")
    clo03 = next(w.finding for w in hc03.would_fail if w.finding.rule.id == "CLO-03")
    assert clo03.evidence[1 if len(clo03.evidence) > 1 else 0].witnesses == ("R-03-1",)


def test_the_simulation_leaves_the_portfolio_as_it_was(
        mixed: LoadedPortfolio, standard: CheckedPolicySet, everything: Readiness) -> None:
    before = api.check(mixed, standard).to_json()
    assess(mixed, standard)
    assert api.check(mixed, standard).to_json() == before
    hc08 = mixed.projects_by_id["HC-08"]
    assert (hc08.phase, hc08.stage, sorted(hc08.gates)) == ("planning", "planning", ["G1"])


@pytest.mark.parametrize(("options", "ids", "undated"), [
    ({"within": 30}, ["HC-04", "HC-08", "HC-01", "HC-05", "HC-03"], ["HC-09"]),
    ({"within": 10}, ["HC-04"], ["HC-09"]),
    ({"gate": "gate_4"}, ["HC-04", "HC-01"], []),
    ({"gate": "gate_3", "within": 30}, ["HC-05"], []),
    ({"projects": ["HC-07", "HC-10"]}, ["HC-07"], []),
], ids=["within-30", "within-10", "gate", "gate-and-within", "projects"])
def test_filters(mixed: LoadedPortfolio, standard: CheckedPolicySet, options: dict[str, Any],
                 ids: list[str], undated: list[str]) -> None:
    found = assess(mixed, standard, **options)
    assert [p.id for p in found.projects] == ids
    assert found.undated == undated


def test_an_overdue_gate_is_on_the_agenda(mixed: LoadedPortfolio,
                                          standard: CheckedPolicySet) -> None:
    later = assess(mixed, standard, as_of=mixed.as_of.replace(day=20), within=0)
    assert [(p.id, p.days_to_gate) for p in later.projects] == [
        ("HC-04", -10), ("HC-08", -5), ("HC-01", -1)]


ROOT = MIXED.parent.parent


def _brute_force(path: Path, project_id: str, gate: str, decider: str | None,
                 mixed_lifecycles: list[LifecycleModel], standard: CheckedPolicySet,
                 tmp_path: Path) -> set[tuple[str, str]]:
    """The project's failures in a copy of the portfolio edited by hand as if it had passed
    its gate, checked in full with every rule: what readiness must find."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    as_of = doc["as_of"]
    doc["people"].append({"id": "BOARD", "name": "Board", "grade": decider or "executive"})
    project = next(p for p in doc["projects"] if p["id"] == project_id)
    lifecycle = project.get("lifecycle") or doc["portfolio"].get("default_lifecycle", "pmbok")
    model = api.load_portfolio(path, lifecycles=mixed_lifecycles).lifecycles.get(lifecycle)
    assert model is not None
    spec = model.gate(gate)
    assert spec is not None
    gates = project.get("gates") or {}
    project["gates"] = {**copy.deepcopy(gates), gate: {
        "decision": "go", "decided_on": as_of, "decided_by": "BOARD"}}
    here = model.phase_index(project.get("phase") or "")
    if spec.admits is None:
        project.update(status="closed", closed_on=as_of, phase_entered_on=as_of)
    else:
        if here is None or model.gate_rank(spec) > here:  # a skipped gate: it stays put
            project.update(phase=spec.admits, phase_entered_on=as_of)
        if project.get("status") == "proposed":
            project["status"] = "active"
    moved_path = tmp_path / f"{project_id}.yaml"
    moved_path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    report = api.check(api.load_portfolio(moved_path, lifecycles=mixed_lifecycles), standard)
    return {(f.rule.id, f.subject.id) for f in report.findings
            if f.status in ("fail", "error") and owning_project(f.entity) is not None
            and owning_project(f.entity).id == project_id}


@pytest.mark.parametrize("project_id", ["HC-01", "HC-03", "HC-05", "HC-07", "HC-08", "HC-09",
                                        "HC-02", "HC-04"])
def test_would_be_failures_equal_a_full_check_of_the_moved_portfolio(
        project_id: str, everything: Readiness, mixed_lifecycles: list[LifecycleModel],
        standard: CheckedPolicySet, tmp_path: Path) -> None:
    p = next(p for p in everything.projects if p.id == project_id)
    assert p.gate is not None
    expected = _brute_force(MIXED / "portfolio.yaml", project_id, p.gate.id,
                            p.gate.decider_grade, mixed_lifecycles, standard, tmp_path)
    assert {(w.finding.rule.id, w.finding.subject.id) for w in p.would_fail} == expected


@pytest.fixture(scope="module")
def northbridge(standard: CheckedPolicySet) -> Readiness:
    return assess(api.load_portfolio(ROOT / "examples" / "portfolio.yaml"), standard)


# Proposed (authorised by the move), on hold, executing with a slipping G3, a skipped G2.
@pytest.mark.parametrize("project_id", ["P-105", "P-306", "P-107", "P-102", "P-901", "P-109"])
def test_the_same_on_the_pmbok_example(
        project_id: str, northbridge: Readiness, mixed_lifecycles: list[LifecycleModel],
        standard: CheckedPolicySet, tmp_path: Path) -> None:
    p = next(p for p in northbridge.projects if p.id == project_id)
    assert p.gate is not None
    expected = _brute_force(ROOT / "examples" / "portfolio.yaml", project_id, p.gate.id,
                            p.gate.decider_grade, mixed_lifecycles, standard, tmp_path)
    assert {(w.finding.rule.id, w.finding.subject.id) for w in p.would_fail} == expected
    assert expected  # each of these projects has something to fix before its gate


INVARIANT = """policy "inv" {
    rule INV-01 "No more projects executing than today" {
        severity medium
        for p in projects where p.phase == "executing"
        require count(q in projects where q.phase == "executing") <= 15
    }
}
"""


@pytest.mark.parametrize("project_id", ["P-105", "P-306", "P-107", "P-102", "P-901", "P-109"])
def test_a_portfolio_aggregate_sees_each_move(
        project_id: str, mixed_lifecycles: list[LifecycleModel], tmp_path: Path) -> None:
    # Plans are reused from move to move; a value computed once per run (the count over
    # the portfolio) must not be: each move changes it.
    (tmp_path / "inv.pmo").write_text(INVARIANT, encoding="utf-8")
    policies = api.load_policies([tmp_path / "inv.pmo"])
    path = ROOT / "examples" / "portfolio.yaml"
    found = assess(api.load_portfolio(path), policies)
    p = next(p for p in found.projects if p.id == project_id)
    assert p.gate is not None
    expected = _brute_force(path, project_id, p.gate.id, p.gate.decider_grade,
                            mixed_lifecycles, policies, tmp_path)
    assert {(w.finding.rule.id, w.finding.subject.id) for w in p.would_fail} == expected


@pytest.mark.parametrize("fail_on", [None, "high", "critical"])
def test_the_checks_report_stands_in_for_a_second_evaluation(
        standard: CheckedPolicySet, northbridge: Readiness, fail_on: str | None) -> None:
    """The HTML report hands assess its run's report: waived findings, --fail-on and baseline
    marks are undone, so the readiness is the same as from a check of its own."""
    from pmo_rules.engine.waivers import Waiver

    portfolio = api.load_portfolio(ROOT / "examples" / "portfolio.yaml")
    first = api.check(portfolio, standard)
    approver = portfolio.people[0].id
    waivers = [Waiver(f.rule.id, f.subject.id, "accepted for the test", approver, None, n, "w")
               for n, f in enumerate(first.findings, 1) if f.status == "fail"]
    report = api.check(portfolio, standard, waivers=waivers, fail_on=fail_on)
    assert sum(f.status == "waived" for f in report.findings) > 10
    for f in report.findings[::2]:  # as a baseline leaves them
        f.baseline, f.blocking = "unchanged", False
    again = assess(portfolio, standard, today=report)
    assert again.to_dict() == northbridge.to_dict()
    assert sum(len(p.would_fail) for p in again.projects) > 10


TWO = """as_of: 2026-11-30
people:
  - {id: U-1, name: Ann, grade: executive}
projects:
  - id: A
    name: Upstream
    status: active
    phase: planning
    gates:
      G1: {decision: go, decided_on: 2026-01-10, decided_by: U-1}
      G2: {decision: go, decided_on: 2026-03-10, decided_by: U-1}
  - id: B
    name: Downstream
    status: active
    phase: planning
    depends_on: [A]
    gates:
      G1: {decision: go, decided_on: 2026-01-10, decided_by: U-1}
      G2: {decision: go, decided_on: 2026-03-10, decided_by: U-1}
"""

# Each rule reads project A while B is moved, after A's own move: a plan reused from A's
# move must not remember A as moved (a planned graph reach; a lifecycle position).
OTHERS = {
    "reach": """rule INV-02 "Nothing upstream closing" {
        for p in projects
        require none a in ancestors(p): a.phase == "closing"
    }""",
    "position": """rule INV-03 "No other project past its second gate" {
        for p in projects
        require count(q in projects where q.id != p.id and len(gates_passed(q)) >= 3) == 0
    }
    rule INV-04 "Reads every project's gates" {
        for p in projects
        require len(gates_passed(p)) <= 9
    }""",
}


@pytest.mark.parametrize("kind", sorted(OTHERS))
def test_a_move_never_sees_an_earlier_move(tmp_path: Path, kind: str) -> None:
    (tmp_path / "p.yaml").write_text(TWO, encoding="utf-8")
    (tmp_path / "r.pmo").write_text(f'policy "x" {{\n    {OTHERS[kind]}\n}}\n', encoding="utf-8")
    found = assess(api.load_portfolio(tmp_path / "p.yaml"),
                   api.load_policies([tmp_path / "r.pmo"]))
    assert [(p.id, p.gate.id if p.gate else None) for p in found.projects] == [
        ("A", "G3"), ("B", "G3")]
    assert {p.id: [w.finding.rule.id for w in p.would_fail] for p in found.projects} == {
        "A": [], "B": []}


def test_the_json_document_is_the_standard_librarys_bytes(everything: Readiness) -> None:
    import json

    from pmo_rules.readiness.render import render_json

    doc = everything.to_dict()
    assert render_json(everything) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_a_gates_accepted_statuses_are_shared_and_refuse_changes(
        mixed: LoadedPortfolio) -> None:
    from pmo_rules.model.progress import model_of, progress

    default = mixed.portfolio.default_lifecycle
    by_need: dict[tuple[str, str, int | None], list[Any]] = {}
    for p in mixed.projects:
        model = model_of(p, mixed.lifecycles, default)
        for g in progress(p, model).gates if model is not None else []:
            for a in g.artifacts:
                by_need.setdefault((g.spec.id, a.type, p.tier), []).append(a)
    shared = next(found for found in by_need.values() if len(found) > 1)
    assert shared[0].statuses is shared[1].statuses  # one list for every such project
    with pytest.raises(TypeError, match="shared"):
        shared[0].statuses.append("draft")
    assert "draft" not in shared[1].statuses
