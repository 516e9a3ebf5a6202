"""Placeholders in `fix` name params: checked at validate time, filled in with the value
in effect (as written, or as given at run time); messages' placeholders are checked too."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.language.placeholders import placeholders, render_fix
from tests.governance.conftest import Invoke, report_json

POLICY = '''policy "p" {
    param high_risk_score = 15
    rule R-1 "Risks scored" {
        severity low
        for r in risks
        require r.score < high_risk_score
        message "{r.id} scores {r.score}"
        fix "FIX"
    }
}
'''


@pytest.mark.parametrize(("fix", "message"), [
    ("Escalate risks above {high_risk}.", "`{high_risk}` in the fix of rule `R-1` names no "
                                          "param in scope"),
    ("Escalate {r.id}.", "`{r.id}` in the fix of rule `R-1` is not a param name"),
    ("Unclosed {high_risk_score", "is not a param name"),
])
def test_a_fix_placeholder_naming_nothing_in_scope_is_pmo220_at_its_column(
        tmp_path: Path, fix: str, message: str) -> None:
    path = tmp_path / "p.pmo"
    path.write_text(POLICY.replace("FIX", fix), encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        api.load_policies([path])
    (diag,) = info.value.diagnostics
    assert diag.code == "PMO220"
    assert message in diag.message
    assert diag.span is not None
    assert (diag.span.line, diag.span.column) == (8, 14 + fix.index("{"))
    if "high_risk}" in fix:
        assert diag.help == "did you mean `{high_risk_score}`?"


def test_a_message_placeholder_naming_nothing_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "p.pmo"
    path.write_text(POLICY.replace("{r.score}", "{high_risk}").replace("FIX", "x"),
                    encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        api.load_policies([path])
    assert [(d.code, d.span.line if d.span else 0) for d in info.value.diagnostics] == [
        ("PMO201", 7)]


def test_an_override_fix_is_checked_against_its_policy_params(tmp_path: Path) -> None:
    (tmp_path / "p.pmo").write_text(POLICY.replace("FIX", "Keep under {high_risk_score}."),
                                    encoding="utf-8")
    (tmp_path / "d.pmo").write_text(
        'policy "d" extends "p" {\n    override R-1 {\n        fix "Call {nobody}."\n    }\n}\n',
        encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        api.load_policies([tmp_path])
    (diag,) = info.value.diagnostics
    assert (diag.code, Path(diag.span.file).name, diag.span.line) == ("PMO220", "d.pmo", 3)


def test_placeholders_and_braces() -> None:
    assert [(o, n) for o, n, _ in placeholders("a {x} {{y}} {p.q} }}")] == [(2, "x"), (12, None)]
    assert render_fix("under {x}, {{literal}} {y}", {"x": "5%"}) == "under 5%, {literal} {y}"


def test_fix_placeholders_show_the_value_in_effect(workdir: Path, invoke: Invoke) -> None:
    run = ("check", "portfolio.yaml", "--policy", "ent", "--policy", "dept", "--format", "json")
    fixes = {f["fix"] for f in report_json(invoke(*run)[1])["findings"]}
    assert fixes == {"Re-baseline or cut scope; the tolerance is 5%."}
    report = report_json(invoke(*run, "--param", "dept.max_overrun=4%")[1])
    assert {f["fix"] for f in report["findings"]} == {
        "Re-baseline or cut scope; the tolerance is 4%."}
    assert report["rules"][0]["id"] == "FIN-1"
    code, _, _ = invoke("validate", "ent", "dept")
    assert code == 0
