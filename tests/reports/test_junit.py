"""JUnit XML: valid against the xUnit XSD, one suite per policy, cases a CI view can read."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.engine.report import Report
from pmo_rules.reports.junit import render_junit
from tests.reports.helpers import run_fixture
from tests.shared import schemas_dir


@pytest.fixture(scope="module")
def xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(schemas_dir() / "junit-10.xsd"))


def cases(xml: str) -> dict[str, ET.Element]:
    return {c.get("name", ""): c for c in ET.fromstring(xml).iter("testcase")}


def test_valid_against_the_xsd(report: Report, xsd: xmlschema.XMLSchema) -> None:
    xml = render_junit(report)
    xsd.validate(xml)
    broken = xml.replace('<testsuite name="golden"', '<testsuite nam="golden"', 1)
    assert not xsd.is_valid(broken)  # the check above can fail


def test_a_suite_per_policy_with_totals(report: Report) -> None:
    root = ET.fromstring(render_junit(report))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["golden"]
    suite = suites[0]
    assert suite.get("failures") == str(len(report.failures))
    assert suite.get("tests") == str(len(suite.findall("testcase")))
    assert root.get("failures") == suite.get("failures")


def test_failures_carry_message_evidence_and_fix(report: Report) -> None:
    case = cases(render_junit(report))["LC-001 P-2 Payments"]
    assert case.get("classname") == "golden.LC-001"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "Payments is in planning without an approved charter"
    assert failure.get("type") == "high"
    body = failure.text or ""
    assert 'p.artifacts.charter.status = "draft"' in body
    assert "fix: Have the sponsor approve the charter" in body


@pytest.mark.parametrize(("name", "kind", "message"), [
    ("FIN-004 P-3 Reporting", "waived", "waived by EXEC until 2026-12-20: Overspend"),
    ("LC-001 Approved charter before planning: not applicable", "not-applicable",
     "not applicable to 2 subjects"),
])
def test_waived_and_not_applicable_are_skipped(
    report: Report, name: str, kind: str, message: str,
) -> None:
    skipped = cases(render_junit(report))[name].find("skipped")
    assert skipped is not None and skipped.get("type") == kind
    assert (skipped.get("message") or "").startswith(message)


def test_passes_are_one_case_per_rule_unless_listed(in_fixtures: Path) -> None:
    summary = cases(render_junit(run_fixture()))
    assert "DOC-001 Health is reported: passes on 4 subjects" in summary
    listed = cases(render_junit(run_fixture(show_passes=True)))
    assert "DOC-001 P-1 Ledger" in listed
    assert not any(name.startswith("DOC-001 Health is reported: passes") for name in listed)
    assert listed["DOC-001 P-1 Ledger"].find("failure") is None


def test_control_characters_never_break_the_xml(report: Report) -> None:
    report.findings[0].message = "bell\x07 and nul\x00 inside"
    xml = render_junit(report)
    ET.fromstring(xml)  # parses
    assert "bell\ufffd and nul\ufffd inside" in xml


@settings(max_examples=300)
@given(st.text(), st.text(), st.integers(0, 3))
def test_elements_are_written_as_elementtree_writes_them(value: str, text: str,
                                                         level: int) -> None:
    """The writer is strings for speed; its bytes are ElementTree's after `indent`, once
    what XML 1.0 cannot carry (most control characters) is replaced by U+FFFD."""
    from pmo_rules.reports.junit import _clean, _element

    leaf = ET.Element("failure", message=_clean(value), type="high")
    leaf.text = _clean(text)
    parent = ET.Element("testcase", name=_clean(value))
    parent.append(leaf)
    parent.append(ET.Element("skipped"))
    ET.indent(parent, level=level)
    expected = ET.tostring(parent, "unicode")
    got = _element("testcase", [("name", value)], children=[
        _element("failure", [("message", value), ("type", "high")], text, level=level + 1),
        _element("skipped", [], level=level + 1)], level=level)
    assert got == expected
    ET.fromstring(got)  # well-formed whatever the text held
