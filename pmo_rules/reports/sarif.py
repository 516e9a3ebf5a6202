"""SARIF 2.1.0 for code-scanning dashboards: one run, rules from rule metadata, stable ids."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pmo_rules import __version__
from pmo_rules.engine.report import Report
from pmo_rules.engine.results import AbsentEntry, Finding, RuleInfo, Subject
from pmo_rules.reports import exact_json
from pmo_rules.reports.facts import (
    FINGERPRINT_KEY,
    fingerprint,
    relative_uri,
    subject_label,
    value_lines,
)

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note",
          "info": "note"}
INFORMATION_URI = "https://pypi.org/project/pmo-rules/"


def sarif_level(severity: str) -> str:
    """SARIF level for a rule severity: critical/high error, medium warning, low/info note."""
    return LEVELS.get(severity, "warning")


def render_sarif(report: Report) -> str:
    """The report as a SARIF 2.1.0 log (indented JSON, deterministic)."""
    log = sarif_output(report)
    return log.decode("utf-8") if isinstance(log, bytes) else log


def sarif_output(report: Report) -> str | bytes:
    """The SARIF log as written: orjson's UTF-8 bytes (no text copy of a large log), or
    the standard library's text when orjson refuses the document."""
    try:  # orjson, fed values it writes as the standard library does (exact_json.py)
        return exact_json.dumps_bytes(sarif_log(report, exact=True))
    except TypeError:
        return json.dumps(sarif_log(report), indent=2, ensure_ascii=False, default=str) + "\n"


def _same(value: Any) -> Any:
    return value


def sarif_log(report: Report, *, exact: bool = False) -> dict[str, Any]:
    """The SARIF log as a dict; with `exact`, outside values are made exact_json.plain."""
    plain: Callable[[Any], Any] = exact_json.plain if exact else _same
    values: Callable[[Any], Any] = exact_json.plain_values if exact else _same
    index = {r.id: i for i, r in enumerate(report.rules)}
    pid = report.portfolio_id
    results = _results(report, index, pid, plain, values)
    if report.baseline is not None:
        results += [_absent(a, index, pid) for a in report.baseline.absent]
    notes = [_notification(f, index, pid) for f in report.errors]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "pmo-rules", "version": __version__, "informationUri": INFORMATION_URI,
            "rules": [plain(_rule(r)) for r in report.rules],
        }},
        "automationDetails": {"id": f"pmo-rules/{report.portfolio_id}/"},
        "invocations": [{
            "executionSuccessful": not report.errors,
            "toolExecutionNotifications": notes,
        }],
        "originalUriBaseIds": {"%SRCROOT%": {"description": {
            "text": "The directory pmo-rules ran in; policy paths are relative to it."}}},
        "results": results,
        "properties": plain({"asOf": report.as_of.isoformat(), "portfolio": report.portfolio_id,
                             "summary": report.summary(), "settings": report.settings}),
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(r: RuleInfo) -> dict[str, Any]:
    full = r.doc or r.title
    help_text = f"Fix: {r.fix}" if r.fix else full
    out: dict[str, Any] = {
        "id": r.id,
        "name": _identifier(r.title) or r.id,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": _help_markdown(r)},
        "defaultConfiguration": {"level": sarif_level(r.severity)},
        "properties": {
            "tags": sorted({*r.tags, r.policy}),
            "policy": r.policy, "severity": r.severity, "enforcement": r.enforcement,
            **({"maturity": r.maturity} if r.maturity is not None else {}),
        },
    }
    return out


def _help_markdown(r: RuleInfo) -> str:
    parts = [f"**{r.title}** ({r.severity}, {r.enforcement}, policy `{r.policy}`)"]
    if r.doc:
        parts.append(r.doc)
    if r.fix:
        parts.append(f"**Fix:** {r.fix}")
    return "\n\n".join(parts)


def _identifier(title: str) -> str:
    # SARIF's rule `name` is meant to be an identifier-like, human-readable word.
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title))


def _location(f: Finding, portfolio_id: str) -> dict[str, Any]:
    return {
        "physicalLocation": _physical(f.rule),
        "logicalLocations": [_logical(f.subject, portfolio_id)],
    }


def _physical(rule: RuleInfo) -> dict[str, Any]:
    loc = rule.location
    return {
        "artifactLocation": {"uri": relative_uri(loc.file), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)},
    }


def _logical(s: Subject, portfolio_id: str) -> dict[str, Any]:
    return {"kind": s.kind, "name": s.id,
            "fullyQualifiedName": f"{portfolio_id}/{s.kind}/{s.id}"}


def _results(report: Report, index: dict[str, int], portfolio_id: str,
             plain: Callable[[Any], Any], values: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """A result per fail, waived and pass finding. What depends on the rule alone is built
    once per rule (66k findings share 63 rules in a large run)."""
    out = []
    rule: RuleInfo | None = None
    physical: dict[str, Any] = {}
    fix: dict[str, Any] = {}
    level = ""
    for f in report.findings:
        status = f.status
        if status != "fail" and status != "waived" and status != "pass":
            continue
        if f.rule is not rule:
            rule = f.rule
            physical = _physical(rule)
            level = sarif_level(rule.severity)
            fix = {"fix": rule.fix} if rule.fix else {}
        s = f.subject
        evidence = []
        for e in f.evidence:
            shown = e.to_dict()
            shown["values"] = values(shown["values"])
            if "problems" in shown:
                shown["problems"] = plain(shown["problems"])
            shown["shown"] = dict(e.shown) if e.shown else dict(value_lines(e))
            evidence.append(shown)
        subject = {"kind": s.kind, "id": s.id}
        if s.name is not None:
            subject["name"] = s.name
        result: dict[str, Any] = {
            "ruleId": rule.id,
            "ruleIndex": index[rule.id],
            "kind": "pass" if status == "pass" else "fail",
            "level": "none" if status == "pass" else level,
            "message": {"text": f.message or f"{rule.title}: {subject_label(s)}"},
            "locations": [{"physicalLocation": physical, "logicalLocations": [{
                "kind": s.kind, "name": s.id,
                "fullyQualifiedName": f"{portfolio_id}/{s.kind}/{s.id}"}]}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(rule.id, s)},
            "properties": {
                "subject": subject, "status": status, "blocking": f.blocking,
                "severity": rule.severity, "enforcement": rule.enforcement,
                "policy": rule.policy, "evidence": evidence, **fix,
            },
        }
        if f.baseline is not None:
            result["baselineState"] = f.baseline
        if status == "waived" and f.waiver is not None:
            w = f.waiver
            result["suppressions"] = [plain({
                "kind": "external", "status": "accepted",
                "justification": str(w.get("reason", "")),
                "properties": {k: w[k] for k in ("approved_by", "expires", "expiring")
                               if w.get(k)},
            })]
        out.append(result)
    return out


def _absent(a: AbsentEntry, index: dict[str, int], portfolio_id: str) -> dict[str, Any]:
    """A baseline entry that no longer occurs: a result whose baselineState is `absent`."""
    subject = Subject(a.kind, a.subject)
    out: dict[str, Any] = {
        "ruleId": a.rule,
        "kind": "pass",
        "level": "none",
        "baselineState": "absent",
        "message": {"text": f"no longer occurs ({a.reason}): {a.message or a.rule}"},
        "locations": [{"logicalLocations": [{
            "kind": a.kind, "name": a.subject,
            "fullyQualifiedName": f"{portfolio_id}/{a.kind}/{a.subject}"}]}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(a.rule, subject)},
        "properties": {"subject": subject.to_dict(), "status": "absent"},
    }
    if a.rule in index:
        out["ruleIndex"] = index[a.rule]
    return out


def _notification(f: Finding, index: dict[str, int], portfolio_id: str) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{f.rule.id} could not be evaluated for "
                            f"{subject_label(f.subject)}: {f.message}"},
        "associatedRule": {"id": f.rule.id, "index": index[f.rule.id]},
        "locations": [_location(f, portfolio_id)],
        "properties": {"subject": f.subject.to_dict(), "blockingUnknown": f.blocking_unknown},
    }
