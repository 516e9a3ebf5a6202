"""The score tally: counting passes of the portfolio's projects without reading each one
gives what reading every subject's kind gives, mixed and foreign subjects included."""

from __future__ import annotations

from typing import Any

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
