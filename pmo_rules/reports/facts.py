"""What several report formats derive from a Report: families, programs, evidence lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Evidence, Finding, RuleInfo, Subject
from pmo_rules.engine.scores import owning_project

SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
STATUS_LABEL = {"fail": "fail", "waived": "waived", "error": "error", "pass": "pass",
                "not_applicable": "not applicable"}
FINGERPRINT_KEY = "pmoRuleSubject/v1"


def family(rule_id: str) -> str:
    """A rule's family: its id up to the first '-' (`LC-001` is in `LC`)."""
    head, sep, _ = rule_id.partition("-")
    return head if sep and head else rule_id


def program_of(finding: Finding) -> str | None:
    """The id of the program that owns a finding's subject, when it has one."""
    project = owning_project(finding.entity)
    program = getattr(project, "program", None) if project is not None else None
    if program is None and finding.entity is not None and \
            type(finding.entity).__name__ == "Program":
        program = finding.entity
    ident = getattr(program, "id", program)
    return ident if isinstance(ident, str) else None


def fingerprint(rule_id: str, subject: Subject) -> str:
    """A finding's identity across runs: rule id, subject kind and id (not message or line)."""
    key = "\x1f".join((rule_id, subject.kind, subject.id))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def severity_rank(severity: str) -> int:
    """0 for critical up to 4 for info; unknown severities sort last."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def show_value(value: Any) -> str:
    """A JSON value as people read it in a report: `missing` for null, JSON otherwise."""
    if value is None:
        return "missing"
    return json.dumps(value, ensure_ascii=False, default=str)


def value_lines(ev: Evidence) -> Iterator[tuple[str, str]]:
    """Each operand of an evidence clause with its value rendered for people."""
    if ev.shown:
        yield from ev.shown.items()
        return
    for text, value in ev.values.items():
        yield text, show_value(value)


def evidence_notes(ev: Evidence) -> list[str]:
    """The chain or witnesses behind an evidence clause, as short lines."""
    if len(ev.path) > 1:
        return [f"chain: {' -> '.join(ev.path)}"]
    if ev.witnesses:
        return [f"witnesses: {', '.join(ev.witnesses)}"]
    return []


def evidence_text(finding: Finding) -> str:
    """A finding's evidence as indented plain text (for JUnit bodies and tooltips)."""
    lines: list[str] = []
    for ev in finding.evidence:
        lines.append(ev.clause)
        lines += [f"  {text} = {shown}" for text, shown in value_lines(ev)]
        lines += [f"  {note}" for note in evidence_notes(ev)]
    return "\n".join(lines)


def subject_label(subject: Subject) -> str:
    """`P-042 Core banking`: the subject's id and, when it has one, its name."""
    return f"{subject.id} {subject.name}" if subject.name else subject.id


def relative_uri(file: str) -> str:
    """A policy file as a relative POSIX path when it lies under the working directory
    (a pack's file keeps its `pack:NAME/FILE` name)."""
    if file.startswith("pack:"):
        return file
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_uri()
    return PurePosixPath(*path.parts).as_posix() if path.parts else file


def rules_by_id(report: Report) -> dict[str, RuleInfo]:
    """The report's rules keyed by id, in report order."""
    return {r.id: r for r in report.rules}


def policy_title(report: Report, name: str) -> str:
    """The policy's name with its version, as the report's policy list gives them."""
    for p in report.policies:
        if p.get("name") == name and p.get("version"):
            return f"{name} {p['version']}"
    return name
