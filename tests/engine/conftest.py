"""Helpers for engine tests: run policy text over a small portfolio written to a temp dir."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmo_rules import api
from pmo_rules.engine.report import Report

BASE: dict[str, Any] = {
    "as_of": "2026-11-26",
    "portfolio": {"id": "PF", "name": "Test portfolio", "default_lifecycle": "pmbok"},
    "people": [
        {"id": "EXEC", "name": "Eve Exec", "grade": "executive"},
        {"id": "MGR", "name": "Max Manager", "grade": "manager"},
    ],
    "programs": [{"id": "G1", "name": "Program one"}, {"id": "G2", "name": "Program two"}],
}

Runner = Callable[..., Report]


@pytest.fixture
def run(tmp_path: Path) -> Runner:
    """run(policy_text, projects=[...], **portfolio_extra, waivers=[...], **check_kwargs)."""

    def runner(
        policy: str, projects: list[dict[str, Any]] | None = None, *,
        waivers: list[dict[str, Any]] | None = None, data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Report:
        doc = {**BASE, "projects": projects or [], **(data or {})}
        pf = tmp_path / "portfolio.yaml"
        pf.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        pol = tmp_path / "policy.pmo"
        pol.write_text(policy, encoding="utf-8")
        if waivers is not None:
            wf = tmp_path / "waivers.yaml"
            wf.write_text(yaml.safe_dump(waivers, sort_keys=False), encoding="utf-8")
            kwargs["waivers"] = wf
        checked = api.load_policies([pol])
        loaded = api.load_portfolio(pf)
        return api.check(loaded, checked, **kwargs)

    return runner


def rule(body: str, *, rid: str = "T-1", head: str = "") -> str:
    """A one-rule policy around a rule body."""
    return f'policy "t" {{\n{head}\n  rule {rid} "Test rule" {{\n{body}\n  }}\n}}\n'


def outcomes(report: Report) -> dict[str, str]:
    """subject id -> status for every finding."""
    return {f.subject.id: f.status for f in report.findings}
