"""Layering at run time: only the most derived policy runs, with its overrides and params."""

from __future__ import annotations

from pathlib import Path

import yaml

from pmo_rules import api

PARENT = '''policy "enterprise" {
    authority enterprise
    param max_tier = 2 tighten down
    rule E-1 "Tier within limit" {
        severity medium
        enforcement soft
        for p in projects
        require p.tier <= max_tier
    }
}
'''
CHILD = '''policy "it-pmo" extends "enterprise" {
    authority department
    param max_tier = 1
    override E-1 { severity critical enforcement mandatory }
    rule D-1 "Named manager" {
        for p in projects
        require p.project_manager exists
    }
}
'''


def test_parent_rules_run_once_as_the_child_sees_them(tmp_path: Path) -> None:
    (tmp_path / "enterprise.pmo").write_text(PARENT, encoding="utf-8")
    (tmp_path / "it.pmo").write_text(CHILD, encoding="utf-8")
    data = {"as_of": "2026-11-26", "projects": [
        {"id": "A", "name": "A", "tier": 1},
        {"id": "B", "name": "B", "tier": 2},
    ]}
    pf = tmp_path / "p.yaml"
    pf.write_text(yaml.safe_dump(data), encoding="utf-8")
    report = api.check(api.load_portfolio(pf), api.load_policies([tmp_path]))
    by_rule: dict[str, list[str]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule.id, []).append(f.subject.id)
    # The child's tightened param (1) applies, so B fails E-1; the parent's 2 would pass it.
    assert by_rule == {"E-1": ["B"], "D-1": ["A", "B"]}
    e1 = next(f for f in report.findings if f.rule.id == "E-1")
    assert (e1.rule.policy, e1.rule.severity, e1.rule.enforcement) == (
        "it-pmo", "critical", "mandatory")
    assert [r.id for r in report.rules] == ["D-1", "E-1"]
