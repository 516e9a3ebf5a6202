"""A dependency lag past a century is a data problem at its place, on both load paths,
never an overflow in a rule's date arithmetic (exit 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main

DOC = {"as_of": "2026-11-30", "projects": [
    {"id": "P-1", "name": "One", "status": "active"},
    {"id": "P-2", "name": "Two", "status": "active",
     "depends_on": [{"id": "P-1", "type": "FS", "lag_days": 99999999999}]}]}


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_a_lag_past_a_century_is_pmo413(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"p.{suffix}"
    path.write_text(json.dumps(DOC), encoding="utf-8")  # JSON is YAML too
    result = CliRunner().invoke(main, ["check", str(path), "--pack", "standard"])
    assert result.exit_code == 2, result.output
    assert "error[PMO413]: `99999999999` is out of range for `lag_days`" in result.stderr
    assert "projects[1].depends_on[0].lag_days" in result.stderr


def test_a_century_either_way_is_a_lag() -> None:
    from pmo_rules.model.entities import MAX_LAG_DAYS, Dependency

    for days in (-MAX_LAG_DAYS, MAX_LAG_DAYS):
        dep = Dependency(predecessor="P-1", successor="P-2", lag_days=days)
        assert abs(dep.lag.days) == MAX_LAG_DAYS
