"""A department policy that tightens an enterprise one, a small portfolio, and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main

ENTERPRISE = '''policy "ent" {
    title "Enterprise finance"
    version "2.1.0"
    authority enterprise
    param max_overrun = 10% tighten down
    param min_cpi = 0.9 tighten up
    param label = "x"
    rule FIN-1 "Cost within tolerance" {
        severity high
        enforcement soft
        for p in projects
        require p.budget.actual_to_date <= p.budget.approved * (1 + max_overrun)
        message "{p.name} is over budget by more than {max_overrun}"
        fix "Re-baseline or cut scope; the tolerance is {max_overrun}."
    }
}
'''

DEPARTMENT = '''policy "dept" extends "ent" {
    title "Department finance"
    version "1.0.0"
    authority department
    param max_overrun = 5%
}
'''

PORTFOLIO = '''as_of: 2026-11-26
currency: EUR
portfolio: {id: PF, name: Test portfolio}
people:
  - {id: EXEC, name: Eve Exec, grade: executive}
  - {id: DIR, name: Dan Director, grade: director}
  - {id: MGR, name: Max Manager, grade: manager}
programs:
  - {id: G1, name: Program one, sponsor: EXEC, manager: DIR}
projects:
  - {id: P-1, name: Ledger, program: G1, project_manager: MGR,
     budget: {approved: 100000, actual_to_date: 107000}}
  - {id: P-2, name: Payments, program: G1, budget: {approved: 100000, actual_to_date: 100000}}
  - {id: P-3, name: Reporting, budget: {approved: 100000, actual_to_date: 130000}}
'''


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with ent.pmo, dept/dept.pmo and portfolio.yaml; cwd is it."""
    (tmp_path / "ent").mkdir()
    (tmp_path / "ent" / "ent.pmo").write_text(ENTERPRISE, encoding="utf-8")
    (tmp_path / "dept").mkdir()
    (tmp_path / "dept" / "dept.pmo").write_text(DEPARTMENT, encoding="utf-8")
    (tmp_path / "portfolio.yaml").write_text(PORTFOLIO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


Invoke = Callable[..., tuple[int, str, str]]


@pytest.fixture
def invoke() -> Invoke:
    """invoke(*args) -> (exit code, stdout, stderr); never lets an exception through."""

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.exception
        return result.exit_code, result.stdout, result.stderr

    return run


def report_json(out: str) -> dict[str, Any]:
    """The JSON report printed on stdout."""
    data: dict[str, Any] = json.loads(out)
    return data
