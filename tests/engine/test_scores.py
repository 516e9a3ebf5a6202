"""The score tally: counting passes of the portfolio's projects without reading each one
gives what reading every subject's kind gives, mixed and foreign subjects included."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.engine.results import Finding, Location, RuleInfo, Subject
from pmo_rules.engine.scores import ScoreBoard
from pmo_rules.model import records


def _rule(severity: str) -> RuleInfo:
    return RuleInfo("R", "r", "p", severity, "soft", (), None, Location("f", 1, 1), None,
                    None)


def _boards(passes: list[tuple[str, list[Any]]], findings: list[Finding],
            projects: list[Any]) -> tuple[ScoreBoard, ScoreBoard]:
    known, unknown = ScoreBoard("PF", projects), ScoreBoard("PF")
    for board in (known, unknown):
        for severity, entities in passes:
            board.passed(severity, entities)
        board.judged(findings)
    return known, unknown


def _scores(board: ScoreBoard) -> tuple[Any, ...]:
    return (board.table("project"), board.table("program"),
            board.score(("portfolio", "PF")), board.weighed(("portfolio", "PF")))


def test_project_passes_counted_without_reading_them_agree() -> None:
    g = records.Program.construct(id="G")
    a = records.Project.construct(id="A", program=g)
    b = records.Project.construct(id="B")
    outsider = records.Project.construct(id="X", program=g)  # not one of the portfolio's
    risk = records.Risk.construct(id="R1", project=b)
    passes = [
        ("high", [a, b]), ("high", [b]), ("medium", [a, b, a]),
        ("low", [a, outsider]),  # headed by a project, with one the portfolio lacks
        ("critical", [b, g]),  # a project and a program in one list
        ("medium", [risk]), ("high", [g]),
    ]
    findings = [Finding(_rule("high"), Subject("project", "A"), "fail", "", entity=a),
                Finding(_rule("low"), Subject("risk", "R1"), "waived", "", entity=risk)]
    known, unknown = _boards(passes, findings, [a, b])
    assert _scores(known) == _scores(unknown)
    # A: high, medium twice, low passed (9), a high failure (13 possible); B: 20 passed,
    # and its risk's low finding waived (21 of 21).
    assert known.table("project") == {"A": round(9 / 13, 4), "B": 1.0, "X": 1.0}
    # G: its projects A and X, and its own critical and high passes.
    assert known.table("program") == {"G": round((9 + 1 + 12) / (13 + 1 + 12), 4)}


def _spelled_out(passes: list[tuple[str, list[Any]]], findings: list[Finding],
                 portfolio_id: str) -> tuple[Any, ...]:
    """The tally as docs/checking.md states it, one subject at a time."""
    from pmo_rules.engine.results import SEVERITY_WEIGHT
    from pmo_rules.engine.scores import owning_project

    earned: dict[str, int] = {}
    possible: dict[str, int] = {}
    programs: dict[str, list[int]] = {}
    totals = [0, 0]

    def add(entity: Any, weight: int, won: bool) -> None:
        totals[0] += weight if won else 0
        totals[1] += weight
        if type(entity).__name__ == "Program":
            got = programs.setdefault(entity.id, [0, 0])
            got[0] += weight if won else 0
            got[1] += weight
            return
        owner = owning_project(entity)
        if owner is None:
            return
        earned[owner.id] = earned.get(owner.id, 0) + (weight if won else 0)
        possible[owner.id] = possible.get(owner.id, 0) + weight
        if owner.program is not None:
            got = programs.setdefault(owner.program.id, [0, 0])
            got[0] += weight if won else 0
            got[1] += weight

    for severity, entities in passes:
        for entity in entities:
            if SEVERITY_WEIGHT.get(severity, 1):
                add(entity, SEVERITY_WEIGHT.get(severity, 1), True)
    for f in findings:
        weight = SEVERITY_WEIGHT.get(f.rule.severity, 1)
        if weight and f.status in ("fail", "waived"):
            add(f.entity, weight, f.status == "waived")
    projects = {k: 1.0 if v == 0 else round(earned[k] / v, 4) for k, v in sorted(possible.items())}
    progs = {k: 1.0 if v[1] == 0 else round(v[0] / v[1], 4) for k, v in sorted(programs.items())}
    score = 1.0 if totals[1] == 0 else round(totals[0] / totals[1], 4)
    return projects, progs, score, totals[1]


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_the_tally_is_the_sum_over_subjects(data: st.DataObject) -> None:
    """Random mixes of kinds (owned, dependencies onto projects or milestones, programs,
    people, projects outside the portfolio) and severities, passed or judged."""
    g = records.Program.construct(id="G")
    projects = [records.Project.construct(id=f"P{i}", program=g if i % 2 else None)
                for i in range(5)]
    outsider = records.Project.construct(id="X", program=g)
    milestone = records.Milestone.construct(id="M", project=projects[1])
    pool: list[Any] = [
        *projects, outsider, g, records.Person.construct(id="U"), milestone,
        records.Milestone.construct(id="M0", project=None),
        records.Risk.construct(id="R", project=projects[2]),
        records.Risk.construct(id="RX", project=outsider),  # owned outside the portfolio
        records.Dependency.construct(id="D1", predecessor=projects[0], successor=projects[3]),
        records.Dependency.construct(id="D2", predecessor=projects[0], successor=milestone),
        records.Dependency.construct(id="D3", predecessor=projects[0], successor=outsider),
    ]
    severities = st.sampled_from(["critical", "high", "medium", "low", "info", "odd"])
    rules = {sev: _rule(sev) for sev in ("critical", "high", "medium", "low", "info", "odd")}
    passes = data.draw(st.lists(st.tuples(severities, st.lists(st.sampled_from(pool),
                                                                 max_size=6)), max_size=6))
    judged = data.draw(st.lists(st.tuples(severities, st.sampled_from(pool),
                                          st.sampled_from(["fail", "waived"])), max_size=8))
    # Findings of one rule come together, as a run sorts them (several per rule here).
    findings = sorted((Finding(rules[sev], Subject("x", getattr(e, "id", "?")), status, "",
                               entity=e) for sev, e, status in judged),
                      key=lambda f: (f.rule.severity, f.status))
    board = ScoreBoard("PF", projects)
    for severity, entities in passes:
        board.passed(severity, entities)
    board.judged(findings)
    assert _scores(board) == _spelled_out(passes, findings, "PF")
