"""What several report formats derive from a Report: families, programs, evidence lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Evidence, Finding, RuleInfo, Subject
from pmo_rules.engine.scores import owning_project

SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
STATUS_LABEL = {"fail": "fail", "waived": "waived", "error": "error", "pass": "pass",
                "not_applicable": "not applicable"}
FINGERPRINT_KEY = "pmoRuleSubject/v1"


# What the standard pack's family codes stand for; other families are explained by the
# titles of the policies that declare their rules.
FAMILY_NAMES = {
    "LC": "lifecycle and stage gates", "ART": "gate artifacts", "CLO": "closure",
    "FIN": "financial control", "SCH": "schedule", "DEP": "dependencies",
    "RAID": "risks, assumptions, issues and dependencies", "PFB": "portfolio balance",
    "STR": "strategic alignment", "RES": "resources", "REP": "status reporting",
    "EVM": "earned value", "PRC": "standard processes", "LCP": "lifecycle processes",
}


class Memo(dict[str, str]):
    """`fn(text)` by text, each computed on first use: a large run's report repeats the
    same rule ids, clauses, operands and subjects thousands of times."""

    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, text: str) -> str:
        done = self[text] = self.fn(text)
        return done


def family_name(report: Report, code: str) -> str:
    """What a family code stands for: the standard name, else its policies' titles."""
    if code in FAMILY_NAMES:
        return FAMILY_NAMES[code]
    titles = {p.get("name"): p.get("title") or p.get("name") for p in report.policies}
    names = sorted({str(titles.get(r.policy) or r.policy) for r in report.rules
                    if family(r.id) == code})
    return "; ".join(names)


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


def score_text(score: float | None) -> str:
    """A score as people read it: `87%`, or `n/a` when nothing was weighed."""
    return "n/a" if score is None else f"{score:.0%}"


def named(report: Report, ident: str | None) -> str:
    """A person or program as `Name (ID)` when the portfolio names it, else the id."""
    if ident is None:
        return ""
    name = report.names.get(ident)
    return f"{name} ({ident})" if name and name != ident else ident


GROUPS = ("rule", "subject", "program", "sponsor", "manager")
NO_OWNER = {"program": "(no program)", "sponsor": "(no sponsor)", "manager": "(no manager)"}


def owner_of(finding: Finding, by: str) -> str | None:
    """The id of the program, sponsor or manager accountable for a finding's subject.

    The subject's project answers (a risk's, issue's or milestone's project; a
    dependency's successor); a project without a sponsor falls back to its program's
    sponsor. A program's own findings belong to the program, its sponsor and manager.
    """
    project = owning_project(finding.entity)
    entity = finding.entity
    program = getattr(project, "program", None) if project is not None else (
        entity if type(entity).__name__ == "Program" else None)
    if by == "program":
        owner = program
    elif by == "sponsor":
        owner = getattr(project, "sponsor", None) if project is not None else None
        owner = owner or getattr(program, "sponsor", None)
    elif by == "manager":
        owner = getattr(project, "project_manager", None) if project is not None else \
            getattr(program, "manager", None)
    else:
        raise ValueError(f"cannot group findings by {by}")
    ident = getattr(owner, "id", owner)
    return ident if isinstance(ident, str) else None


def top_programs(report: Report, limit: int = 5) -> list[tuple[str | None, int, int]]:
    """Programs by blocking findings, most first: (program id or None, blocking, failures);
    only those with a failure."""
    tally: dict[str | None, list[int]] = {}
    for f in report.findings:
        if f.status == "fail":
            row = tally.setdefault(owner_of(f, "program"), [0, 0])
            row[0] += f.blocking
            row[1] += 1
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0] is None,
                                                   kv[0] or ""))
    return [(ident, b, n) for ident, (b, n) in ranked[:limit]]


def settings_lines(report: Report) -> list[tuple[str, str]]:
    """The run's settings as (label, text) lines, for the text and Markdown reports."""
    s = report.settings
    if not s:
        return []
    out: list[tuple[str, str]] = []
    def origin(source: str | None, at: str | None) -> str:
        return f"({source}, {at})" if at else f"({source})"

    for p in s.get("params", []):
        source = p["source"] + (f" by {p['set_by']}" if p["source"] == "tightened" else "")
        was = f"; the policies' value {p['policy_value']} ({p['policy_at']})" \
            if "policy_value" in p else ""
        out.append(("param", f"{p['name']} = {p['value']}  {origin(source, p.get('at'))}{was}"))

    def option(label: str, key: str, default: str) -> None:
        entry = s.get(key) or {}
        value = entry.get("value")
        shown = ", ".join(value) if isinstance(value, list) else value
        if not shown:
            out.append((label, f"{default} (default)"))
            return
        out.append((label, f"{shown}  {origin(entry.get('source'), entry.get('at'))}"))

    option("select", "select", "every rule")
    option("ignore", "ignore", "none")
    option("fail on", "fail_on", "every severity")
    as_of = s.get("as_of") or {}
    if as_of:
        out.append(("as of", f"{as_of['value']}  {origin(as_of['source'], as_of.get('at'))}"))
    w = s.get("waivers") or {}
    rules = f"expiring within {w.get('expiring_days')} days"
    if w.get("max_days") is not None:
        rules += f"; at most {w['max_days']} days"
    if w.get("approver_grade"):
        rules += "; approvers: " + ", ".join(f"{k} needs {v}"
                                             for k, v in w["approver_grade"].items())
    if w.get("path"):
        out.append(("waivers", f"{w['path']}  {origin(w.get('source'), w.get('at'))}, sha256 "
                               f"{str(w.get('sha256'))[:12]}, {w.get('count')} "
                               f"waiver{'s' * (w.get('count') != 1)}; {rules}"))
    else:
        out.append(("waivers", f"no register; {rules}"))
    packs = ", ".join(f"{p['name']} {p.get('version') or ''}".strip() +
                      (f" (plugin {p['plugin']})" if p.get("plugin") else "")
                      for p in s.get("packs", []))
    out.append(("packs", packs or "none"))
    plugins = ", ".join(f"{p['name']} {p.get('version') or ''}".strip()
                        for p in s.get("plugins", []))
    out.append(("plugins", plugins or "none"))
    return out
