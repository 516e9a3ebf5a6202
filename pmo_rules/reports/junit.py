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
from collections.abc import Iterable, Iterator

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import AbsentEntry, Finding, RuleCounts, RuleInfo
from pmo_rules.reports.facts import evidence_text, settings_lines, subject_label

# XML 1.0 cannot carry most control characters, even escaped: each becomes U+FFFD.
_INVALID = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_INVALID_XML = re.compile(f"[{_INVALID}]")
# Written as by ElementTree after `indent` (two spaces a level, `<tag />` when empty), the
# writer this replaced: strings, not a tree, since a large run has 66k test cases. Every
# text and attribute value is cleaned of what XML cannot carry, then escaped.
_TEXT_SPECIAL = re.compile(f"[&<>{_INVALID}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\r\n\t{_INVALID}]')
Attrs = Iterable[tuple[str, str]]


def _text(text: str) -> str:
    if _TEXT_SPECIAL.search(text) is None:
        return text
    return _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    if _ATTR_SPECIAL.search(value) is None:
        return value
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _attrs(attrs: Attrs) -> str:
    return "".join(f' {k}="{_attr(v)}"' for k, v in attrs)


def _element(tag: str, attrs: Attrs, text: str = "", children: list[str] | None = None,
             level: int = 0) -> str:
    """An element at `level`: its children (already written at level + 1) one a line."""
    head = f"<{tag}{_attrs(attrs)}"
    if children:
        inner = "\n" + "  " * (level + 1)
        return f"{head}>{inner}{inner.join(children)}\n{'  ' * level}</{tag}>"
    if text:
        return f"{head}>{_text(text)}</{tag}>"
    return head + " />"


def render_junit(report: Report) -> str:
    """The report as JUnit XML (validates against the Jenkins xUnit junit-10.xsd)."""
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    by_policy: dict[str, list[RuleInfo]] = {}
    for rule in report.rules:
        by_policy.setdefault(rule.policy, []).append(rule)
    findings: dict[str, list[Finding]] = {}
    for f in report.findings:
        findings.setdefault(f.rule.id, []).append(f)
    suites = []
    timestamp = report.as_of.isoformat() + "T00:00:00"
    for policy in sorted(by_policy):
        tally = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        children = _properties(report, policy)
        for rule in by_policy[policy]:
            counts = report.counts.get(rule.id) or RuleCounts()
            for case, outcome in _cases(rule, findings.get(rule.id, []), counts):
                children.append(case)
                tally["tests"] += 1
                if outcome:
                    tally[outcome] += 1
        suites.append(_element("testsuite", [
            ("name", policy), ("timestamp", timestamp), ("time", "0"),
            *((key, str(value)) for key, value in tally.items())], children=children, level=1))
        for key, value in tally.items():
            totals[key] += value
    if report.baseline is not None and report.baseline.absent:
        suites.append(_absent_suite(report.baseline.absent, report.as_of.isoformat()))
        totals["tests"] += len(report.baseline.absent)
    # The XSD allows `skipped` on a testsuite only.
    root = _element("testsuites", [("name", "pmo-rules"), ("time", "0"),
                                   *((k, str(v)) for k, v in totals.items() if k != "skipped")],
                    children=suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + root + "\n"


def _properties(report: Report, policy: str) -> list[str]:
    """The run's settings as the suite's properties: the policy's params in effect (value,
    source and place) and the run's options, waiver register and packs."""
    lines = settings_lines(report)
    if not lines:
        return []
    props = []
    for label, text in lines:
        if label == "param":
            name, _, value = text.partition(" = ")
            if name.rpartition(".")[0] != policy:
                continue
            props.append(_element("property", [("name", f"pmo-rules.param.{name}"),
                                               ("value", value)]))
        else:
            props.append(_element("property", [("name", f"pmo-rules.{label.replace(' ', '_')}"),
                                               ("value", text)]))
    return [_element("properties", [], children=props, level=2)]


def _cases(rule: RuleInfo, findings: list[Finding],
           counts: RuleCounts) -> Iterator[tuple[str, str]]:
    """Each test case, written, with what it counts as (failures, errors, skipped or "")."""
    classname = f"{rule.policy}.{rule.id}"
    listed_passes = 0
    for f in findings:
        case = [("name", f"{rule.id} {subject_label(f.subject)}"),
                ("classname", classname), ("time", "0")]
        if f.status == "fail" and f.baseline == "unchanged":
            # In the baseline: it does not block, so a CI view must not count it failed.
            child = _element("skipped", [("type", "baseline"), ("message",
                f"unchanged since the baseline (not blocking): {f.message}")],
                _failure_body(f), level=3)
            outcome = "skipped"
        elif f.status == "fail":
            child = _element("failure", [("type", rule.severity),
                                         ("message", f.message)],
                             _failure_body(f), level=3)
            outcome = "failures"
        elif f.status == "error":
            child = _element("error", [("type", "evaluation-error"),
                                       ("message", f.message)], f.message,
                             level=3)
            outcome = "errors"
        elif f.status == "waived":
            w = f.waiver or {}
            until = f" until {w['expires']}" if w.get("expires") else ""
            child = _element("skipped", [("type", "waived"), ("message",
                f"waived by {w.get('approved_by', '?')}{until}: {w.get('reason', '')}")],
                level=3)
            outcome = "skipped"
        elif f.status == "not_applicable":
            continue  # counted below, never one element each
        else:
            listed_passes += 1
            yield _element("testcase", case, level=2), ""
            continue
        yield _element("testcase", case, children=[child], level=2), outcome
    unlisted = counts.passed - listed_passes
    if unlisted > 0 or (not findings and counts.not_applicable == 0):
        yield _element("testcase", [("classname", classname), ("time", "0"), ("name",
            f"{rule.id} {rule.title}: passes on {max(unlisted, 0)} "
            f"subject{'s' * (unlisted != 1)}")], level=2), ""
    if counts.not_applicable:
        n = counts.not_applicable
        skipped = _element("skipped", [("type", "not-applicable"),
                                       ("message", f"not applicable to {n} subject"
                                                   f"{'s' * (n != 1)}")], level=3)
        yield _element("testcase", [("classname", classname), ("time", "0"),
                                    ("name", f"{rule.id} {rule.title}: not applicable")],
                       children=[skipped], level=2), "skipped"


def _absent_suite(absent: list[AbsentEntry], as_of: str) -> str:
    """Baseline entries that no longer occur: one passing testcase each."""
    cases = [_element("testcase", [
        ("classname", "baseline.absent"), ("time", "0"), ("name",
            f"{a.rule} {a.subject}: in the baseline, absent from this run ({a.reason})")],
        level=2) for a in absent]
    return _element("testsuite", [("name", "baseline"), ("tests", str(len(absent))),
                                  ("failures", "0"), ("errors", "0"), ("skipped", "0"),
                                  ("timestamp", as_of + "T00:00:00"), ("time", "0")],
                    children=cases, level=1)


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
