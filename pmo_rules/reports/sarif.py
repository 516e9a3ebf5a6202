"""SARIF 2.1.0 for code-scanning dashboards: one run, rules from rule metadata, stable ids."""

from __future__ import annotations

import json
import re
from typing import Any

from pmo_rules import __version__
from pmo_rules.engine.report import Report
from pmo_rules.engine.results import AbsentEntry, Finding, RuleInfo, Subject
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
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False, default=str) + "\n"


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as a dict."""
    index = {r.id: i for i, r in enumerate(report.rules)}
    pid = report.portfolio_id
    results = [_result(f, index, pid) for f in report.findings
               if f.status in ("fail", "waived", "pass")]
    if report.baseline is not None:
        results += [_absent(a, index, pid) for a in report.baseline.absent]
    notes = [_notification(f, index, pid) for f in report.errors]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "pmo-rules", "version": __version__, "informationUri": INFORMATION_URI,
            "rules": [_rule(r) for r in report.rules],
        }},
        "automationDetails": {"id": f"pmo-rules/{report.portfolio_id}/"},
        "invocations": [{
            "executionSuccessful": not report.errors,
            "toolExecutionNotifications": notes,
        }],
        "originalUriBaseIds": {"%SRCROOT%": {"description": {
            "text": "The directory pmo-rules ran in; policy paths are relative to it."}}},
        "results": results,
        "properties": {"asOf": report.as_of.isoformat(), "portfolio": report.portfolio_id,
                       "summary": report.summary(), "settings": report.settings},
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
    loc = f.rule.location
    s = f.subject
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": relative_uri(loc.file), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)},
        },
        "logicalLocations": [{
            "kind": s.kind, "name": s.id,
            "fullyQualifiedName": f"{portfolio_id}/{s.kind}/{s.id}",
        }],
    }


def _result(f: Finding, index: dict[str, int], portfolio_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule.id,
        "ruleIndex": index[f.rule.id],
        "kind": "pass" if f.status == "pass" else "fail",
        "level": "none" if f.status == "pass" else sarif_level(f.rule.severity),
        "message": {"text": f.message or f"{f.rule.title}: {subject_label(f.subject)}"},
        "locations": [_location(f, portfolio_id)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f.rule.id, f.subject)},
        "properties": {
            "subject": f.subject.to_dict(), "status": f.status, "blocking": f.blocking,
            "severity": f.rule.severity, "enforcement": f.rule.enforcement,
            "policy": f.rule.policy,
            "evidence": [{**e.to_dict(), "shown": dict(value_lines(e))} for e in f.evidence],
            **({"fix": f.rule.fix} if f.rule.fix else {}),
        },
    }
    if f.baseline is not None:
        out["baselineState"] = f.baseline
    if f.status == "waived" and f.waiver is not None:
        w = f.waiver
        out["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": str(w.get("reason", "")),
            "properties": {k: w[k] for k in ("approved_by", "expires", "expiring") if w.get(k)},
        }]
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
