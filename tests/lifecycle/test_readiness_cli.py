"""`pmo-rules readiness` in the example's directory: its settings load the YAML lifecycle,
so no Python is written; every format, the filters, and bad options as diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pmo_rules.cli import main

from .conftest import MIXED


def _run(monkeypatch: pytest.MonkeyPatch, *args: str, where: Path = MIXED) -> Result:
    monkeypatch.chdir(where)
    return CliRunner().invoke(main, ["readiness", *args])


def test_text_lists_each_project_with_what_it_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(monkeypatch, "portfolio.yaml", "--within", "30")
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith("Gate readiness: Harbour City Council change portfolio 2026 "
                          "(HCC-2026)\nas of 2026-06-01, gates due within 30 days")
    assert ("HC-04  Resident App  ·  stage-gate, development  ·  tier 2\n"
            "  next gate: gate_4 Go to testing (admits testing), due 2026-06-10 (in 9 days), "
            "decided by a director\n  ✓ ready\n") in out
    assert ("  next gate: authorize_closure Authorise closure (closes the project), due "
            "2026-06-26 (in 25 days), decided by an executive\n  ✗ not ready\n"
            "    artifacts the gate needs:\n"
            "      end_project_report: missing, needs approved\n"
            "      lessons_report: draft, needs approved\n"
            "    rules that would fail once closed:\n"
            "      CLO-01  Closure report approved for closed projects  (high, soft)\n") in out
    assert ("    open conditions of earlier gates:\n      gate_3: Sign the heat-network "
            "connection agreement (due 2026-07-31)\n") in out
    assert "      LC-04  Gates decided at the grade their tier requires  (medium, soft, " \
           "fails already)\n" in out
    assert out.endswith("5 projects: 1 ready, 4 not ready\nleft out: HC-09 (next gate has no "
                        "milestone date; give the milestone `gate: ID`)\n")


def test_json(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(monkeypatch, "portfolio.yaml", "--format", "json", "--project", "HC-07")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["schema"] == "pmo-rules/readiness/v1"
    assert doc["summary"] == {"projects": 1, "ready": 0, "not_ready": 1, "no_gate_ahead": 0,
                              "no_phase": 0}
    (project,) = doc["projects"]
    assert project["next_gate"] == {
        "id": "MW3", "title": "Ready for handover", "lifecycle": "council-minor-works",
        "position": 3, "admits": "handover", "closes": False, "decider_grade": "manager",
        "milestone": "M-07-3", "due": "2026-08-14"}
    assert project["missing_artifacts"] == [
        {"type": "test_certificate", "needed": ["approved", "issued"], "status": None}]
    assert [(w["rule"], w["already_failing"]) for w in project["would_fail"]] == [
        ("LC-03", False), ("LC-04", True)]
    assert project["would_fail"][1]["evidence"][0]["witnesses"] == ["MW2"]


def test_markdown_and_html(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    md = _run(monkeypatch, "portfolio.yaml", "--format", "markdown", "--gate", "gate_4")
    assert md.exit_code == 1
    assert "| `HC-04` Resident App | stage-gate | `gate_4` | 2026-06-10 | director | ready |" \
        in md.stdout
    assert "- `benefits_realisation_plan`: missing, needs approved" in md.stdout
    page = tmp_path / "r.html"
    html = _run(monkeypatch, "portfolio.yaml", "--format", "html", "--output", str(page))
    assert html.exit_code == 1 and html.stdout == ""
    text = page.read_text(encoding="utf-8")
    assert '<section id="readiness">' in text and 'id="ready-HC-09"' in text
    assert "Content-Security-Policy" in text


def test_everything_ready_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(monkeypatch, "portfolio.yaml", "--project", "HC-02,HC-04,HC-06")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("3 projects: 2 ready, 1 no gate ahead\n")


@pytest.mark.parametrize(("args", "code", "text"), [
    (["--project", "HC-4"], "PMO631", "did you mean `HC-04`?"),
    (["--gate", "gate4"], "PMO632", "did you mean `gate_4`?"),
    (["--within", "-3"], "PMO633", "is negative"),
])
def test_bad_options_are_diagnostics(monkeypatch: pytest.MonkeyPatch, args: list[str],
                                     code: str, text: str) -> None:
    result = _run(monkeypatch, "portfolio.yaml", *args)
    assert result.exit_code == 2
    assert code in result.stderr and text in result.stderr
    assert "Traceback" not in result.output


def test_the_html_report_of_check_has_the_next_boards_agenda(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(MIXED)
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["check", "portfolio.yaml", "--format", "html",
                                       "--output", str(page)])
    assert result.exit_code == 1, result.output
    section = page.read_text(encoding="utf-8").split('<section id="readiness">', 1)[1]
    section = section.split("</section>", 1)[0]
    listed = [row.split('"', 1)[0] for row in section.split('<tr id="ready-')[1:]]
    assert listed == ["HC-04", "HC-08", "HC-01", "HC-05", "HC-03"]
    assert "gates due within 30 days" in section and "HC-09" in section  # left out: no date


def test_hostile_names_stay_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "p.yaml").write_text(
        "as_of: 2026-06-01\npeople: [{id: D, grade: director}]\nprojects:\n"
        "  - {id: P-1, name: '<script>alert(1)</script> *x* | y', phase: initiating,\n"
        "     status: active, tier: 3, sponsor: D,\n"
        "     milestones: [{id: M-1, gate: G1, baseline: 2026-06-10}]}\n", "utf-8")
    html = _run(monkeypatch, "p.yaml", "--format", "html", where=tmp_path)
    assert "<script>alert" not in html.stdout and "&lt;script&gt;alert(1)" in html.stdout
    md = _run(monkeypatch, "p.yaml", "--format", "markdown", where=tmp_path)
    assert r"\<script\>alert\(1\)\</script\> \*x\* \| y" in md.stdout


def test_the_worked_example_in_the_docs_is_what_the_command_prints(
        monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (MIXED.parent.parent / "docs" / "readiness.md").read_text(encoding="utf-8")
    example = doc.split("## A worked example", 1)[1]
    assert "cd examples/mixed-lifecycles\npmo-rules readiness portfolio.yaml --within 30\n" \
        in example
    shown = example.split("```\n")[3]
    result = _run(monkeypatch, "portfolio.yaml", "--within", "30")
    assert shown == result.stdout
