"""Reports for managers: the summary first, findings most severe first, grouping by who is
accountable, values as people read them, honest scores and blocking, a readable HTML page,
and the run's settings on the record in every format."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from pmo_rules.engine.present import money, percent
from pmo_rules.engine.report import Report
from pmo_rules.reports.html import render_html
from pmo_rules.reports.markdown import render_markdown
from pmo_rules.reports.sarif import sarif_log
from pmo_rules.reports.text import render_text
from pmo_rules.testing import PluginHarness, portfolio_data
from tests.governance.conftest import Invoke, report_json
from tests.plugins import sample

RUN = ("check", "portfolio.yaml", "--policy", "ent", "--policy", "dept")

STRUCTURE = '''policy "mix" {
    param min_share = 20%
    rule B-LOW "Low one" {
        severity low
        for p in projects
        require p.tier <= 1
    }
    rule A-CRIT "Critical one" {
        severity critical
        for p in projects
        require p.budget.actual_to_date <= p.budget.approved
        message "{p.name} spent {p.budget.actual_to_date} of {p.budget.approved}"
    }
    rule O-1 "Objectives weigh enough" {
        severity medium
        for o in objectives
        require o.weight >= min_share
        message "{o.id} weighs {o.weight}, under {min_share}; owner {o.owner}"
    }
}
'''


def _text(invoke: Invoke, *args: str) -> str:
    code, out, err = invoke(*args)
    assert code in (0, 1), err
    return out


def test_the_text_report_opens_with_the_summary(workdir: Path, invoke: Invoke) -> None:
    out = _text(invoke, *RUN)
    lines = out.splitlines()
    assert lines[0] == "Compliance report: Test portfolio (PF) as of 2026-11-26"
    assert lines[1] == "✗ 2 blocking findings"
    assert lines[3] == "Summary"
    summary = out[:out.index("Findings, most severe first")]
    assert "score " in summary and "2 blocking" in summary
    assert re.search(r"high\s+0\s+2\s+0\s+2", summary)  # failures: severity x enforcement
    assert re.search(r"Program one \(G1\)\s+1\s+1", summary)  # top programs by blocking
    assert re.search(r"\(no program\)\s+1\s+1", summary)
    assert "Settings" in summary and "dept.max_overrun = 5%  (tightened by dept, " in summary
    assert lines[-1] == "✗ 2 blocking findings (exit 1)"


def test_findings_are_sorted_by_severity_then_rule_then_subject(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invoke: Invoke) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mix.pmo").write_text(STRUCTURE, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(json.dumps(portfolio_data(
        {"id": "P-2", "tier": 2, "budget": {"approved": 1, "actual_to_date": 5}},
        {"id": "P-1", "tier": 3, "budget": {"approved": 1, "actual_to_date": 5}},
        currency="EUR")), encoding="utf-8")
    out = _text(invoke, "check", "p.yaml", "--policy", "mix.pmo")
    body = out[out.index("Findings, most severe first"):]
    order = re.findall(r"^  ✗ (P-\d)", body, re.M)
    heads = re.findall(r"^([A-Z]-[A-Z]+)  ", body, re.M)
    assert heads == ["A-CRIT", "B-LOW"]  # critical before low, whatever the ids
    assert order == ["P-1", "P-2", "P-1", "P-2"]


def test_summary_alone(workdir: Path, invoke: Invoke) -> None:
    out = _text(invoke, *RUN, "--summary")
    assert "Summary" in out and "Settings" in out
    assert "Findings" not in out and "P-1  Ledger" not in out


@pytest.mark.parametrize(("group", "heads"), [
    ("program", ["Program one (G1)  1 blocking, 1 failing", "(no program)  1 blocking, 1 failing"]),
    ("sponsor", ["Eve Exec (EXEC)  1 blocking, 1 failing", "(no sponsor)  1 blocking, 1 failing"]),
    ("manager", ["Max Manager (MGR)  1 blocking, 1 failing",
                 "(no manager)  1 blocking, 1 failing"]),
])
def test_group_by_who_is_accountable(workdir: Path, invoke: Invoke, group: str,
                                     heads: list[str]) -> None:
    out = _text(invoke, *RUN, "--group-by", group)
    body = out[out.index(f"Findings by {group}"):]
    assert [line for line in body.splitlines() if line.endswith("failing")] == heads


def test_output_dir_names_each_file_written(workdir: Path, invoke: Invoke) -> None:
    formats = ("text", "json", "sarif", "junit", "markdown", "html")
    code, out, err = invoke(*RUN, *(a for f in formats for a in ("--format", f)),
                            "--output-dir", "reports")
    assert code == 1
    for ext, name in (("txt", "text"), ("json", "json"), ("sarif", "sarif"), ("xml", "junit"),
                      ("md", "markdown"), ("html", "html")):
        assert f"pmo-rules: wrote {Path('reports') / f'report.{ext}'} ({name})" in err
        assert (workdir / "reports" / f"report.{ext}").is_file()
    assert out == ""


def test_values_read_as_people_read_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         invoke: Invoke) -> None:
    assert money(1250000, "EUR") == "EUR 1,250,000"
    assert money(1250.5, "USD") == "USD 1,250.50"
    assert money(-300, None) == "-300"
    assert percent(0.2) == "20%" and percent(0.125) == "12.5%" and percent(1.1) == "110%"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mix.pmo").write_text(STRUCTURE, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(json.dumps(portfolio_data(
        {"id": "P-1", "tier": 1, "budget": {"approved": 1200000, "actual_to_date": 1350000}},
        currency="GBP", people=[{"id": "PER-1", "name": "Ada Owner"}],
        objectives=[{"id": "OBJ-1", "title": "Grow", "weight": 0.15, "owner": "PER-1"}])),
        encoding="utf-8")
    _, out, _ = invoke("check", "p.yaml", "--policy", "mix.pmo", "--format", "json")
    findings = {f["rule"]: f for f in report_json(out)["findings"]}
    crit = findings["A-CRIT"]
    assert crit["message"] == "Project 1 spent GBP 1,350,000 of GBP 1,200,000"
    assert crit["evidence"][0]["values"] == {"p.budget.actual_to_date": 1350000,
                                             "p.budget.approved": 1200000}  # data stays data
    assert findings["O-1"]["message"] == "OBJ-1 weighs 15%, under 20%; owner Ada Owner (PER-1)"
    text = _text(invoke, "check", "p.yaml", "--policy", "mix.pmo")
    assert "p.budget.actual_to_date = GBP 1,350,000" in text
    assert "o.weight = 15%" in text


BROKEN = '''policy "b" {
    rule M-1 "Mandatory, from a plugin" {
        severity high
        enforcement mandatory
        check bad.boom()
    }
    rule A-1 "Advisory, from a plugin" {
        severity high
        enforcement advisory
        check bad.boom()
    }
}
'''


def _broken() -> Report:
    h = PluginHarness({"bad": sample.RaisingCheck()})
    return h.check(BROKEN, portfolio_data({"tier": 1}))


def test_a_run_that_evaluated_nothing_has_no_score_and_unknown_blocking() -> None:
    report = _broken()
    data = json.loads(report.to_json())
    assert data["summary"]["score"] is None and data["scores"]["portfolio"] is None
    assert data["summary"]["blocking_unknown"] == 1
    blocking = {f["rule"]: f["blocking"] for f in data["findings"]}
    assert blocking == {"M-1": None, "A-1": False}  # an advisory rule never blocks
    text = render_text(report)
    assert "score n/a" in text
    assert "blocking unknown (could not be evaluated)" in text
    assert "| n/a |" in render_markdown(report)
    page = render_html(report)
    assert 'id="score-count">n/a<' in page and "blocking unknown" in page
    notes = sarif_log(report)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert {n["associatedRule"]["id"]: n["properties"]["blockingUnknown"] for n in notes} == {
        "M-1": True, "A-1": False}


def _emoji(text: str) -> list[str]:
    """Characters a browser draws from an emoji font (pictographs and presentation forms)."""
    return sorted({c for c in text if ord(c) >= 0x1F000 or unicodedata.name(c, "").startswith(
        "VARIATION SELECTOR") or 0x2600 <= ord(c) <= 0x27BF or ord(c) in (0x231B, 0x23F3)})


def test_the_html_page_reads_well(workdir: Path, invoke: Invoke) -> None:
    (workdir / "w.yaml").write_text(
        "- {rule: FIN-1, subject: P-3, reason: r, approved_by: EXEC, expires: 2026-12-01}\n"
        "- {rule: FIN-1, subject: P-2, reason: r, approved_by: EXEC, expires: 2026-01-01}\n",
        encoding="utf-8")
    code, out, _ = invoke(*RUN, "--waivers", "w.yaml", "--format", "html")
    assert code == 1
    assert _emoji(out) == []
    assert "exit 1" not in out and "exit code" not in out
    assert '<b class="id">FIN-1</b>' in out and '<span class="id">P-1</span> Ledger' in out
    assert '<td class="id">2026-12-01</td>' in out
    assert ".id, td.id, .sub .id { white-space: nowrap; }" in out
    assert "<b class=\"id\">FIN</b> financial control" in out  # family codes explained
    assert 'Program one <span class="id">(G1)</span>' in out
    assert '<span class="fate fate-applied">applied</span> <span class="fate ' \
           'fate-expiring">expiring</span>' in out
    assert 'id="settings"' in out and "dept.max_overrun = 5%" in out


def test_graph_labels_keep_the_id_whole_on_its_own_line() -> None:
    from pmo_rules.reports.graph_svg import render_svg

    graph = {"nodes": [{"id": "P-1042", "kind": "project",
                        "name": "Customer data platform consolidation phase two"}],
             "edges": []}
    svg = render_svg(graph)
    assert '<tspan class="gid">P-1042</tspan>' in svg
    assert "Customer data platform co…" in svg


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown", "html"])
def test_settings_are_on_the_record_in_every_format(workdir: Path, invoke: Invoke,
                                                     fmt: str) -> None:
    code, out, _ = invoke(*RUN, "--param", "dept.min_cpi=0.95", "--fail-on", "medium",
                          "--format", fmt)
    assert code == 1
    if fmt == "json":
        assert report_json(out)["settings"]["fail_on"]["source"] == "--fail-on"
    elif fmt == "sarif":
        settings = json.loads(out)["runs"][0]["properties"]["settings"]
        assert {p["name"]: p["source"] for p in settings["params"]}["dept.min_cpi"] == "--param"
    elif fmt == "junit":
        assert '<property name="pmo-rules.param.dept.min_cpi" value="0.95  (--param)' in out
        assert '<property name="pmo-rules.fail_on" value="medium  (--fail-on)" />' in out
    else:
        assert ("dept.min\\_cpi = 0.95" if fmt == "markdown" else "dept.min_cpi = 0.95") in out
        assert "--param" in out
        assert "medium" in out and "--fail-on" in out
