"""Golden files for the JSON and text reports, and the CLI's exit codes.

Regenerate the golden files after an intended change with
`PMO_RULES_UPDATE_GOLDEN=1 pytest tests/engine/test_reports_golden.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
UPDATE = bool(os.environ.get("PMO_RULES_UPDATE_GOLDEN"))


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in reports are as given; run from the fixtures so they are short and stable.
    monkeypatch.chdir(FIXTURES)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


ARGS = ("check", "portfolio.yaml", "--policy", "policy.pmo", "--waivers", "waivers.yaml")


def test_json_report_golden_and_deterministic() -> None:
    code, out, _ = invoke(*ARGS, "--format", "json")
    assert code == 1
    check_golden("report.json", out)
    assert invoke(*ARGS, "--format", "json")[1] == out  # same inputs, same bytes
    report = json.loads(out)
    assert report["schema"] == "pmo-rules/report/v1"
    fates = {(w["rule"], w["subject"]): w["status"] for w in report["waivers"]}
    assert fates == {("FIN-004", "P-3"): "applied", ("FIN-004", "P-1"): "expired",
                     ("SCH-002", "P-4"): "stale", ("LC-001", "P-2"): "rejected"}


def test_text_report_golden() -> None:
    code, out, _ = invoke(*ARGS)
    assert code == 1
    check_golden("report.txt", out)


def test_exit_code_0_when_nothing_blocks() -> None:
    code, out, _ = invoke("check", "portfolio.yaml", "--policy", "policy.pmo",
                          "--select", "DEP-004", "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["blocking"] == 0


def test_fail_on_makes_lower_severities_non_blocking() -> None:
    code, out, _ = invoke("check", "portfolio.yaml", "--policy", "policy.pmo",
                          "--select", "SCH-002", "--fail-on", "high", "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["fail"] == 1


def test_exit_code_2_for_bad_policy(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pmo"
    bad.write_text('policy "x" {\n  rule A-1 "t" {\n    requre true\n  }\n}\n', encoding="utf-8")
    code, _, err = invoke("check", "portfolio.yaml", "--policy", str(bad))
    assert code == 2
    assert f"{bad}:3:5" in err
    assert "Traceback" not in err


def test_exit_code_2_for_bad_data(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("as_of: 2026-11-26\nprojects:\n  - id: P-1\n    name: X\n"
                   "    status: actve\n", encoding="utf-8")
    code, _, err = invoke("check", str(bad), "--policy", "policy.pmo")
    assert code == 2
    assert f"{bad}:5" in err


def test_exit_code_2_for_malformed_waivers(tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("- rule: LC-001\n  subjct: P-1\n  reason: x\n  approved_by: Y\n",
                   encoding="utf-8")
    code, _, err = invoke(*ARGS[:4], "--waivers", str(bad))
    assert code == 2
    assert "unknown waiver field `subjct`" in err
    assert "did you mean `subject`?" in err


def test_a_value_of_the_wrong_kind_fails_the_clause_with_evidence(tmp_path: Path) -> None:
    policy = tmp_path / "p.pmo"
    policy.write_text('policy "x" {\n  rule X-1 "t" {\n    for p in projects\n'
                      '    require p.custom.note > 3\n  }\n}\n', encoding="utf-8")
    data = tmp_path / "d.yaml"
    data.write_text("as_of: 2026-11-26\nprojects:\n  - {id: P-1, name: X, note: text}\n",
                    encoding="utf-8")
    code, out, _ = invoke("check", str(data), "--policy", str(policy), "--format", "json")
    assert code == 1
    (finding,) = json.loads(out)["findings"]
    assert finding["status"] == "fail"
    assert finding["evidence"][0]["problems"] == {
        "p.custom.note": "holds a string, compared with a number"}


def test_exit_code_3_when_a_rule_cannot_be_evaluated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = tmp_path / "p.pmo"
    policy.write_text('policy "x" {\n  rule X-1 "t" {\n    for p in projects\n'
                      '    require count(a in projects where count(b in projects where\n'
                      '        count(c in projects where count(d in projects\n'
                      '        where d.id != p.id) > 0) > 0) > 0) > 0\n'
                      '  }\n}\n', encoding="utf-8")
    monkeypatch.setenv("PMO_RULES_MAX_STEPS", "1000")
    code, out, _ = invoke("check", "portfolio.yaml", "--policy", str(policy), "--format", "json")
    assert code == 3
    (error,) = json.loads(out)["errors"]
    assert error["rule"] == "X-1" and error["status"] == "error"
    assert "stopped after 1,000 evaluation steps" in error["message"]


def test_bad_waivers_and_bad_policies_are_reported_together(tmp_path: Path) -> None:
    bad_policy = tmp_path / "bad.pmo"
    bad_policy.write_text('policy "x" {\n  rule A-1 "t" {\n    requre true\n  }\n}\n',
                          encoding="utf-8")
    bad_waivers = tmp_path / "w.yaml"
    bad_waivers.write_text("- rule: LC-001\n  subject: P-1\n", encoding="utf-8")
    code, _, err = invoke("check", "portfolio.yaml", "--policy", str(bad_policy),
                          "--waivers", str(bad_waivers))
    assert code == 2
    assert "PMO101" in err and "PMO505" in err


def test_unknown_fail_on_is_an_input_error() -> None:
    from pmo_rules import api
    from pmo_rules.diagnostics import DiagnosticError

    with pytest.raises(DiagnosticError) as info:
        api.check(api.load_portfolio("portfolio.yaml"), api.load_policies(["policy.pmo"]),
                  fail_on="hgh")
    assert "did you mean `high`?" in str(info.value)
