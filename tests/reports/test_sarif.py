"""SARIF: valid against the OASIS schema, levels from severity, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Subject
from pmo_rules.reports.facts import FINGERPRINT_KEY, fingerprint
from pmo_rules.reports.sarif import render_sarif, sarif_level, sarif_log
from tests.reports.helpers import run_fixture
from tests.shared import schemas_dir


def validate(log: dict[str, object]) -> None:
    schema = json.loads((schemas_dir() / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)


def test_valid_against_the_sarif_schema(report: Report) -> None:
    log = json.loads(render_sarif(report))
    validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_schema_rejects_a_broken_log(report: Report) -> None:
    # The validation above can fail: a result without a message is not SARIF.
    log = sarif_log(report)
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        validate(log)


@pytest.mark.parametrize(("severity", "level"), [
    ("critical", "error"), ("high", "error"), ("medium", "warning"), ("low", "note"),
    ("info", "note"),
])
def test_severity_to_level(severity: str, level: str) -> None:
    assert sarif_level(severity) == level


def test_rules_and_results_carry_metadata(report: Report) -> None:
    run = sarif_log(report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in report.rules]
    by_id = {r["id"]: r for r in rules}
    lc = by_id["LC-001"]
    assert lc["shortDescription"]["text"] == "Approved charter before planning"
    assert lc["name"] == "ApprovedCharterBeforePlanning"
    assert lc["defaultConfiguration"]["level"] == "error"
    assert "stage-gate" in lc["properties"]["tags"]
    assert "Have the sponsor approve the charter" in lc["help"]["text"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"FIN-004": "error", "LC-001": "error", "DEP-004": "warning",
                      "SCH-002": "warning", "PF-001": "warning", "DOC-001": "note"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    lc_result = next(r for r in run["results"] if r["ruleId"] == "LC-001")
    loc = lc_result["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "policy.pmo"
    assert loc["physicalLocation"]["region"] == {"startLine": 13, "startColumn": 5}
    assert loc["logicalLocations"][0] == {
        "kind": "project", "name": "P-2", "fullyQualifiedName": "PF-R/project/P-2"}
    evidence = lc_result["properties"]["evidence"][0]
    assert evidence["values"] == {"p.artifacts.charter.status": "draft"}


def test_waived_findings_are_suppressions(report: Report) -> None:
    results = sarif_log(report)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    (sup,) = suppressed[0]["suppressions"]
    assert sup["kind"] == "external" and sup["status"] == "accepted"
    assert sup["justification"].startswith("Overspend approved by the <b>steering</b>")
    assert suppressed[0]["locations"][0]["logicalLocations"][0]["name"] == "P-3"


def test_fingerprints_survive_the_policy_moving(in_fixtures: Path, tmp_path: Path) -> None:
    before = sarif_log(run_fixture())["runs"][0]["results"]
    moved = tmp_path / "policy.pmo"
    text = (in_fixtures / "policy.pmo").read_text("utf-8")
    moved.write_text("# a new header\n# pushes every rule down\n\n" + text, "utf-8")
    after = sarif_log(run_fixture(moved))["runs"][0]["results"]

    def prints(results: list[dict[str, object]]) -> dict[str, object]:
        return {r["partialFingerprints"][FINGERPRINT_KEY]: r["ruleId"]  # type: ignore[index]
                for r in results}

    lines_before = {r["physicalLocation"]["region"]["startLine"]  # type: ignore[index]
                    for r in (x["locations"][0] for x in before)}
    lines_after = {r["physicalLocation"]["region"]["startLine"]  # type: ignore[index]
                   for r in (x["locations"][0] for x in after)}
    assert lines_before.isdisjoint(lines_after)  # the rules did move
    assert prints(before) == prints(after)
    assert len(prints(before)) == len(before)  # one fingerprint per finding


subject_parts = st.text(min_size=1, max_size=12)


@given(st.tuples(subject_parts, subject_parts, subject_parts),
       st.tuples(subject_parts, subject_parts, subject_parts))
def test_fingerprint_is_a_function_of_rule_and_subject(
    a: tuple[str, str, str], b: tuple[str, str, str],
) -> None:
    fa = fingerprint(a[0], Subject(a[1], a[2], name="one"))
    assert fa == fingerprint(a[0], Subject(a[1], a[2], name="another name"))
    assert (fa == fingerprint(b[0], Subject(b[1], b[2]))) == (a == b)


def test_sarif_is_deterministic(report: Report, in_fixtures: Path) -> None:
    assert render_sarif(report) == render_sarif(run_fixture())
