"""The evaluation semantics of LANGUAGE.md, one behaviour per test."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.conftest import Runner, outcomes, rule


def proj(pid: str, **fields: Any) -> dict[str, Any]:
    return {"id": pid, "name": f"Project {pid}", "status": "active", "phase": "executing",
            **fields}


# ---------------------------------------------------------------- missing values


def test_missing_value_in_require_fails_and_names_the_field(run: Runner) -> None:
    report = run(rule('    for p in projects\n    require p.budget.approved > 100'),
                 [proj("A", budget={"approved": 500}), proj("B")])
    assert outcomes(report) == {"B": "fail"}
    (finding,) = report.findings
    (ev,) = finding.evidence
    assert ev.clause == "p.budget.approved > 100"
    assert ev.missing == ("p.budget.approved",)
    assert ev.values == {"p.budget.approved": None}


def test_missing_value_in_where_makes_the_rule_not_apply(run: Runner) -> None:
    report = run(rule('    for p in projects where p.budget.approved > 100\n    require false'),
                 [proj("A", budget={"approved": 500}), proj("B")])
    assert outcomes(report) == {"A": "fail"}
    assert report.counts["T-1"].not_applicable == 1


def test_exists_is_missing_and_coalesce(run: Runner) -> None:
    report = run(rule(
        '    for p in projects\n'
        '    require p.tier exists\n'
        '    require not (p.closed_on is missing) or coalesce(p.tier, 3) <= 2'),
        [proj("A", tier=1), proj("B")])
    assert outcomes(report) == {"B": "fail"}
    assert [e.clause for e in report.findings[0].evidence] == [
        "p.tier exists", "not (p.closed_on is missing) or coalesce(p.tier, 3) <= 2"]


def test_or_with_a_missing_side_holds_when_the_other_side_holds(run: Runner) -> None:
    report = run(rule('    for p in projects\n    require p.tier == 1 or p.status == "active"'),
                 [proj("A")])
    assert outcomes(report) == {}


# ---------------------------------------------------------------- quantifiers, aggregates


@pytest.mark.parametrize(("quantifier", "holds"), [("all", True), ("none", True), ("any", False)])
def test_quantifiers_over_an_empty_collection(run: Runner, quantifier: str, holds: bool) -> None:
    report = run(rule(f'    for p in projects\n    require {quantifier} r in p.risks: r.score > 5'),
                 [proj("A")])
    assert outcomes(report) == ({} if holds else {"A": "fail"})


def test_quantifier_failure_names_its_witnesses(run: Runner) -> None:
    risks = [{"id": "R1", "probability": 5, "impact": 4},
             {"id": "R2", "probability": 5, "impact": 5, "owner": "MGR"},
             {"id": "R3", "probability": 1, "impact": 1}]
    report = run(rule('    for p in projects\n'
                      '    require all r in p.risks where r.score >= 15: r.owner exists'),
                 [proj("A", risks=risks)])
    (ev,) = report.findings[0].evidence
    assert ev.witnesses == ("R1",)
    assert ev.values == {"r.owner": None}


def test_aggregates_skip_missing_values(run: Runner) -> None:
    projects = [proj("A", budget={"approved": 100}), proj("B", budget={"approved": 300}),
                proj("C")]
    report = run(rule(
        '    require sum(p in projects: p.budget.approved) == 400\n'
        '    require avg(p in projects: p.budget.approved) == 200\n'
        '    require min(p in projects: p.budget.approved) == 100\n'
        '    require max(p in projects: p.budget.approved) == 300\n'
        '    require count(p in projects where p.budget.approved exists) == 2\n'
        '    require count(p in projects) == 3'), projects)
    assert report.findings == []
    assert report.counts["T-1"].passed == 1


def test_min_of_nothing_is_missing_and_fails(run: Runner) -> None:
    report = run(rule('    require min(p in projects: p.budget.approved) > 0'), [proj("A")])
    assert outcomes(report) == {"PF": "fail"}
    assert report.findings[0].subject.kind == "portfolio"


# ---------------------------------------------------------------- entities, phases, dates


def test_entity_equality_is_identity(run: Runner) -> None:
    report = run(rule('    for g in programs\n'
                      '    require count(p in projects where p.program == g) >= 1'),
                 [proj("A", program="G1"), proj("B", program="G1")])
    assert outcomes(report) == {"G2": "fail"}


@pytest.mark.parametrize(("phase", "expected"), [
    ("initiating", {}), ("planning", {"A": "fail"}), ("executing", {"A": "fail"}),
    ("closing", {"A": "fail"}),
])
def test_stage_ordering(run: Runner, phase: str, expected: dict[str, str]) -> None:
    report = run(rule('    for p in projects where p.stage >= "planning"\n'
                      '    require p.artifacts.charter.status == "approved"'),
                 [proj("A", phase=phase)])
    assert outcomes(report) == expected


def test_phase_ordering_follows_the_lifecycle_not_the_alphabet(run: Runner) -> None:
    # alphabetically "closing" < "executing"; in the lifecycle it comes after.
    report = run(rule('    for p in projects\n    require p.phase < "executing"'),
                 [proj("A", phase="closing"), proj("B", phase="planning")])
    assert outcomes(report) == {"A": "fail"}


def test_date_and_duration_arithmetic(run: Runner) -> None:
    sched = {"baseline_finish": "2026-06-30", "forecast_finish": "2026-08-15"}
    report = run(rule(
        '    for p in projects\n'
        '    let slip = p.schedule.forecast_finish - p.schedule.baseline_finish\n'
        '    require slip <= 30d\n'
        '    require days(slip) == 46\n'
        '    require p.schedule.baseline_finish + 2w == 2026-07-14\n'
        '    require today() - 7d == 2026-11-19',
        ), [proj("A", schedule=sched)])
    (finding,) = report.findings
    assert [e.clause for e in finding.evidence] == ["slip <= 30d"]
    assert finding.evidence[0].values == {"slip": "46d"}


def test_message_placeholders_are_filled(run: Runner) -> None:
    report = run(rule('    for p in projects\n    require p.tier == 1\n'
                      '    message "{p.name} is tier {p.tier}, budget {p.budget.approved}"'),
                 [proj("A", tier=2)])
    assert report.findings[0].message == "Project A is tier 2, budget missing"


# ---------------------------------------------------------------- params


PARAM_POLICY = ('policy "t" {\n  param max_tier = 2\n'
                '  rule T-1 "Tier" {\n    for p in projects\n'
                '    require p.tier <= max_tier\n  }\n}\n')


def test_params_default_and_override(run: Runner) -> None:
    projects = [proj("A", tier=2), proj("B", tier=3)]
    assert outcomes(run(PARAM_POLICY, projects)) == {"B": "fail"}
    assert outcomes(run(PARAM_POLICY, projects, params={"t.max_tier": "1"})) == {
        "A": "fail", "B": "fail"}


def test_param_override_is_type_checked(run: Runner) -> None:
    from pmo_rules.diagnostics import DiagnosticError

    with pytest.raises(DiagnosticError) as info:
        run(PARAM_POLICY, [proj("A")], params={"t.max_tier": "30d"})
    assert "param `t.max_tier` is a number, but `30d` is a duration" in str(info.value)
    with pytest.raises(DiagnosticError) as info:
        run(PARAM_POLICY, [proj("A")], params={"t.max_teir": "1"})
    assert "did you mean `t.max_tier`?" in str(info.value)


# ---------------------------------------------------------------- graph


def test_transitive_rule_reports_the_chain(run: Runner) -> None:
    projects = [proj("A", health="red"), proj("B", depends_on=["A"]),
                proj("C", depends_on=["B"]), proj("D")]
    report = run(rule('    for p in projects\n'
                      '    require none a in ancestors(p): a.health.overall == "red"'), projects)
    assert outcomes(report) == {"B": "fail", "C": "fail"}
    chain = {f.subject.id: f.evidence[0].path for f in report.findings}
    assert chain == {"B": ("B", "A"), "C": ("C", "B", "A")}


def test_ancestors_never_contain_the_project_itself_on_a_cycle(run: Runner) -> None:
    projects = [proj("A", health="red", depends_on=["B"]), proj("B", depends_on=["A"])]
    report = run(rule('    for p in projects\n'
                      '    require none a in ancestors(p): a.health.overall == "red"\n'
                      '    require not in_cycle(p)'), projects)
    by_subject = {f.subject.id: [e.clause for e in f.evidence] for f in report.findings}
    assert by_subject == {
        "A": ["not in_cycle(p)"],
        "B": ['none a in ancestors(p): a.health.overall == "red"', "not in_cycle(p)"],
    }


def test_dependency_subjects_are_named_pred_to_succ(run: Runner) -> None:
    projects = [proj("A", schedule={"forecast_finish": "2026-05-01"}),
                proj("B", schedule={"forecast_start": "2026-04-01"}, depends_on=["A"])]
    report = run(rule('    for d in dependencies\n'
                      '    require d.predecessor.finish + d.lag <= d.successor.start'), projects)
    assert outcomes(report) == {"A->B": "fail"}
    assert report.findings[0].subject.kind == "dependency"


# ---------------------------------------------------------------- errors


def test_a_rule_that_fails_at_run_time_is_an_error_for_that_rule_only(run: Runner) -> None:
    policy = ('policy "t" {\n'
              '  rule T-1 "Too costly" {\n    for p in projects\n'
              '    require all a in projects: all b in projects:\n'
              '        all c in projects: c.tier > p.tier - 9\n'
              '  }\n'
              '  rule T-2 "Tier" {\n    for p in projects\n    require p.tier == 1\n  }\n}\n')
    projects = [proj(f"P{i:02}", tier=2) for i in range(12)]
    report = run(policy, projects, max_steps=1_000)
    assert {(f.rule.id, f.status) for f in report.findings} == {
        ("T-1", "error"), *(("T-2", "fail") for _ in projects)}
    assert report.exit_code == 3
    assert report.counts["T-1"].error == 1 and report.counts["T-2"].failed == 12


def test_a_value_of_the_wrong_kind_fails_its_clause(run: Runner) -> None:
    policy = ('policy "t" {\n'
              '  rule T-1 "Custom compare" {\n    for p in projects\n'
              '    require p.custom.score > 3\n  }\n}\n')
    report = run(policy, [proj("A", tier=2, score="high"), proj("B", score=4)])
    (finding,) = report.findings
    assert (finding.subject.id, finding.status) == ("A", "fail")
    assert finding.evidence[0].problems == {"p.custom.score": "holds a string, compared with a "
                                            "number"}
    assert report.exit_code == 1


def test_quantifiers_over_a_map_see_its_values(run: Runner) -> None:
    gates = [{"gate": "G1", "decision": "go"}, {"gate": "G2", "decision": "kill"}]
    report = run(rule('    for p in projects\n'
                      '    require none g in p.gates: g.decision == "kill"\n'
                      '    require count(a in p.artifacts) == 0'), [proj("A", gates=gates)])
    (finding,) = report.findings
    assert [e.clause for e in finding.evidence] == ['none g in p.gates: g.decision == "kill"']
    assert finding.evidence[0].witnesses == ("G2",)


def test_a_dependency_end_compares_with_a_project(run: Runner) -> None:
    projects = [proj("A"), proj("B", depends_on=["A"]), proj("C")]
    report = run(rule('    for p in projects\n'
                      '    require count(d in dependencies where d.successor == p) == 0'),
                 projects)
    assert outcomes(report) == {"B": "fail"}
