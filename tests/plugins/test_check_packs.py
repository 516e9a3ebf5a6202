"""`pmo-rules check --pack NAME` runs a plugin's policy pack."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pmo_rules.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_check_runs_a_plugin_pack_alone() -> None:
    result = CliRunner().invoke(main, [
        "check", str(ROOT / "examples" / "portfolio.yaml"), "--pack", "evm", "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    policies = {r["policy"] for r in report["rules"]}
    assert policies and all("evm" in p for p in policies)  # ./policies is not added
    assert any(p["name"] == "evm" for p in report["plugins"])


def test_unknown_pack_is_an_input_error() -> None:
    result = CliRunner().invoke(main, [
        "check", str(ROOT / "examples" / "portfolio.yaml"), "--pack", "no-such-pack"])
    assert result.exit_code == 2
    assert "PMO604" in result.stderr


def test_odd_plugin_evidence_is_shown_not_fatal() -> None:
    from pmo_rules.engine.checks import _evidence

    ev = _evidence("check x()", {1: "x", "a": 2}, "P-1")
    assert ev.values == {"1": "x", "a": 2}
    assert _evidence("check x()", None, "P-1").values == {}
