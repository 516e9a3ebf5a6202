"""JUnit XML for CI test views: a testsuite per policy, a testcase per (rule, subject).

What becomes a testcase (documented in docs/reports.md):
- each fail is a testcase with a <failure> (message, evidence and fix in the body);
- each error is a testcase with an <error>; each waived result is a <skipped> with the waiver;
- passes: one passing testcase per rule counting its passing subjects, or one per subject
  when the run listed passes (--show-passes);
- not-applicable subjects: one <skipped> testcase per rule with the count, never one each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree import ElementTree as ET

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import AbsentEntry, Finding, RuleCounts, RuleInfo
from pmo_rules.reports.facts import evidence_text, settings_lines, subject_label

# XML 1.0 cannot carry most control characters, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_junit(report: Report) -> str:
    """The report as JUnit XML (validates against the Jenkins xUnit junit-10.xsd)."""
    root = ET.Element("testsuites", name="pmo-rules", time="0")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    by_policy: dict[str, list[RuleInfo]] = {}
    for rule in report.rules:
        by_policy.setdefault(rule.policy, []).append(rule)
    findings: dict[str, list[Finding]] = {}
    for f in report.findings:
        findings.setdefault(f.rule.id, []).append(f)
    for policy in sorted(by_policy):
        suite = ET.SubElement(root, "testsuite", name=policy,
                              timestamp=report.as_of.isoformat() + "T00:00:00", time="0")
        _properties(suite, report, policy)
        tally = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for rule in by_policy[policy]:
            counts = report.counts.get(rule.id) or RuleCounts()
            for case in _cases(rule, findings.get(rule.id, []), counts):
                suite.append(case)
                tally["tests"] += 1
                for child, key in (("failure", "failures"), ("error", "errors"),
                                   ("skipped", "skipped")):
                    if case.find(child) is not None:
                        tally[key] += 1
        for key, value in tally.items():
            suite.set(key, str(value))
            totals[key] += value
    if report.baseline is not None and report.baseline.absent:
        suite = _absent_suite(report.baseline.absent, report.as_of.isoformat())
        root.append(suite)
        totals["tests"] += len(report.baseline.absent)
    for key, value in totals.items():
        if key != "skipped":  # the XSD allows `skipped` on a testsuite only
            root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _properties(suite: ET.Element, report: Report, policy: str) -> None:
    """The run's settings as the suite's properties: the policy's params in effect (value,
    source and place) and the run's options, waiver register and packs."""
    lines = settings_lines(report)
    if not lines:
        return
    props = ET.SubElement(suite, "properties")
    for label, text in lines:
        if label == "param":
            name, _, value = text.partition(" = ")
            if name.rpartition(".")[0] != policy:
                continue
            ET.SubElement(props, "property", name=_clean(f"pmo-rules.param.{name}"),
                          value=_clean(value))
        else:
            ET.SubElement(props, "property", name=f"pmo-rules.{label.replace(' ', '_')}",
                          value=_clean(text))


def _cases(rule: RuleInfo, findings: list[Finding], counts: RuleCounts) -> Iterator[ET.Element]:
    classname = f"{rule.policy}.{rule.id}"
    listed_passes = 0
    for f in findings:
        case = ET.Element("testcase", name=_clean(f"{rule.id} {subject_label(f.subject)}"),
                          classname=classname, time="0")
        if f.status == "fail" and f.baseline == "unchanged":
            # In the baseline: it does not block, so a CI view must not count it failed.
            child = ET.SubElement(case, "skipped", type="baseline", message=_clean(
                f"unchanged since the baseline (not blocking): {f.message}"))
            child.text = _clean(_failure_body(f))
        elif f.status == "fail":
            child = ET.SubElement(case, "failure", type=rule.severity,
                                  message=_clean(f.message))
            child.text = _clean(_failure_body(f))
        elif f.status == "error":
            child = ET.SubElement(case, "error", type="evaluation-error",
                                  message=_clean(f.message))
            child.text = _clean(f.message)
        elif f.status == "waived":
            w = f.waiver or {}
            until = f" until {w['expires']}" if w.get("expires") else ""
            ET.SubElement(case, "skipped", type="waived", message=_clean(
                f"waived by {w.get('approved_by', '?')}{until}: {w.get('reason', '')}"))
        elif f.status == "not_applicable":
            continue  # counted below, never one element each
        else:
            listed_passes += 1
        yield case
    unlisted = counts.passed - listed_passes
    if unlisted > 0 or (not findings and counts.not_applicable == 0):
        yield ET.Element("testcase", classname=classname, time="0", name=_clean(
            f"{rule.id} {rule.title}: passes on {max(unlisted, 0)} "
            f"subject{'s' * (unlisted != 1)}"))
    if counts.not_applicable:
        n = counts.not_applicable
        case = ET.Element("testcase", classname=classname, time="0",
                          name=_clean(f"{rule.id} {rule.title}: not applicable"))
        ET.SubElement(case, "skipped", type="not-applicable",
                      message=f"not applicable to {n} subject{'s' * (n != 1)}")
        yield case


def _absent_suite(absent: list[AbsentEntry], as_of: str) -> ET.Element:
    """Baseline entries that no longer occur: one passing testcase each."""
    suite = ET.Element("testsuite", name="baseline", tests=str(len(absent)), failures="0",
                       errors="0", skipped="0", timestamp=as_of + "T00:00:00", time="0")
    for a in absent:
        ET.SubElement(suite, "testcase", classname="baseline.absent", time="0", name=_clean(
            f"{a.rule} {a.subject}: in the baseline, absent from this run ({a.reason})"))
    return suite


def _failure_body(f: Finding) -> str:
    parts = [f.message, evidence_text(f)]
    if f.baseline is not None:
        parts.append(f"baseline: {f.baseline}")
    if f.rule.fix:
        parts.append(f"fix: {f.rule.fix}")
    loc = f.rule.location
    parts.append(f"rule: {loc.file}:{loc.line}:{loc.column}"
                 f" ({f.rule.severity}, {f.rule.enforcement}"
                 f"{', blocking' if f.blocking else ''})")
    return "\n".join(p for p in parts if p)


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)
