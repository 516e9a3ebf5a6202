"""Type holes: what the checker can know is a diagnostic; what only the data knows is a
failing clause whose evidence names the field and the kind it held (issue #10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pmo_rules import api

from .contract import policy_file, portfolio_file, run


@pytest.mark.parametrize(("body", "message"), [
    ("len(p.tier) > 1", "argument `value` of function `len` must be a list, a map or a string, "
                        "not a number"),
    ("len(p.start) > 1", "must be a list, a map or a string, not a date"),
    ("len(true) > 1", "must be a list, a map or a string, not a bool"),
    ("lower(p.tier) == \"a\"", "argument `text` of function `lower` must be a string"),
    ("days(p.tier) > 1", "argument `duration` of function `days` must be a duration"),
    ('coalesce(p.tier, "none") == 1', "the arguments of function `coalesce` must be of one "
                                      "type, not a number and a string"),
    ("ancestors(p.name) == []", "argument `node` of function `ancestors` must be a node"),
    ("p.tier + \"a\" > 1", "cannot apply `+` to number and string"),
    ("not p.tier", "`not` needs a true/false value, not a number"),
])
def test_what_the_checker_can_know_is_pmo206_or_pmo207(tmp_path: Path, body: str,
                                                        message: str) -> None:
    pol = policy_file(tmp_path, body)
    out = run(["validate", "--format", "json", str(pol)])
    assert out.exit_code == 2
    assert any(message in d["message"] for d in out.json()["diagnostics"]), out.stdout


def _check(tmp_path: Path, body: str, custom: dict[str, Any], **pmo: Any) -> dict[str, Any]:
    pol = policy_file(tmp_path, body)
    extra = {"pmo": {"policy": pmo}} if pmo else {}
    data = portfolio_file(tmp_path, [{"id": "A", "name": "A", "tier": 2, "custom": custom}],
                          **extra)
    out = run(["check", str(data), "--policy", str(pol), "--format", "json"])
    assert out.exit_code == 1, out.stdout
    report = out.json()
    assert report["errors"] == []
    [finding] = report["findings"]
    assert finding["status"] == "fail"
    checked, loaded = api.load_policies([pol]), api.load_portfolio(data)
    fast, slow = api.check(loaded, checked), api.check(loaded, checked, fast=False)
    assert [f.status for f in fast.findings] == [f.status for f in slow.findings] == ["fail"]
    return dict(finding["evidence"][0])


@pytest.mark.parametrize(("body", "custom", "operand", "problem"), [
    # the reproducer: a loosely typed value compared with a number
    ("p.custom.x > 5", {"x": "abc"}, "p.custom.x", "holds a string, compared with a number"),
    ("p.custom.x <= 5", {"x": True}, "p.custom.x", "holds a bool, compared with a number"),
    ("p.custom.x == 5", {"x": "5"}, "p.custom.x", "holds a string, compared with a number"),
    ("p.custom.x != 5", {"x": "5"}, "p.custom.x", "holds a string, compared with a number"),
    ("p.custom.x >= 2026-01-01", {"x": "2026-01-01"}, "p.custom.x",
     "holds a string, compared with a date"),
    ("p.custom.x > p.custom.y", {"x": [1], "y": [0]}, "p.custom.x", "holds a list, which has no "
                                                                      "order"),
    ("p.custom.x in [1, 2]", {"x": "1"}, "p.custom.x",
     "holds a string, which `p.custom.x in [1, 2]` cannot look for"),
    ("len(p.custom.x) > 0", {"x": 12}, "len(p.custom.x)",
     "len() needs a list, a map or a string, not a number"),
    ("lower(p.custom.x) == \"a\"", {"x": 1.5}, "lower(p.custom.x)",
     "lower() needs a string, not a number"),
    ("days(p.custom.x) > 0", {"x": "3d"}, "days(p.custom.x)",
     "days() needs a duration, not a string"),
    ("p.custom.x + 1 > 0", {"x": "1"}, "p.custom.x + 1",
     "`+` cannot combine a string and a number"),
    ("p.custom.x * 2 > 0", {"x": True}, "p.custom.x * 2", "`*` cannot combine a bool and a number"),
    ("-p.custom.x < 0", {"x": "1"}, "-p.custom.x", "`-` needs a number or a duration, not a "
                                                   "string"),
    ("p.custom.x", {"x": "yes"}, "p.custom.x", "holds a string, not true or false"),
    ("p.custom.x and true", {"x": 1}, "p.custom.x", "holds a number, not true or false"),
    ("not p.custom.x", {"x": "no"}, "p.custom.x", "holds a string, not true or false"),
    ("all y in p.custom.x: y > 0", {"x": "abc"}, "p.custom.x", "holds a string, not a list"),
    ("count(y in p.custom.x) > 0", {"x": 7}, "count(y in p.custom.x)",
     "`p.custom.x` holds a number, not a list"),
    ("sum(y in p.custom.x: y) > 0", {"x": [1, "2"]}, "sum(y in p.custom.x: y)",
     "`sum` over values of several kinds: number, string"),
    ("ancestors(p.custom.x) == []", {"x": "P-1"}, "ancestors(p.custom.x)",
     "ancestors() needs a project or a milestone, not a string"),
])
def test_a_value_of_the_wrong_kind_fails_with_evidence(
        tmp_path: Path, body: str, custom: dict[str, Any], operand: str, problem: str) -> None:
    evidence = _check(tmp_path, body, custom)
    assert evidence["problems"].get(operand) == problem, evidence


def test_pmo_policy_values_of_the_wrong_kind(tmp_path: Path) -> None:
    # `pmo.policy.*` is typed only at run time, like `custom`.
    evidence = _check(tmp_path, "p.tier < pmo.policy.limit", {}, limit="ten")
    assert evidence["problems"] == {"pmo.policy.limit": "holds a string, compared with a number"}
    assert evidence["values"] == {"p.tier": 2, "pmo.policy.limit": "ten"}


def test_a_where_with_a_value_of_the_wrong_kind_selects_nothing(tmp_path: Path) -> None:
    pol = policy_file(tmp_path, "p.tier > 5", coll='projects where p.custom.x > 1')
    data = portfolio_file(tmp_path, [{"id": "A", "name": "A", "tier": 2, "custom": {"x": "a"}},
                                     {"id": "B", "name": "B", "tier": 2, "custom": {"x": 9}}])
    report = run(["check", str(data), "--policy", str(pol), "--format", "json"]).json()
    assert [f["subject"]["id"] for f in report["findings"]] == ["B"]
    assert report["summary"]["not_applicable"] == 1
