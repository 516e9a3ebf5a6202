"""Readiness as text (terminals and CI logs), Markdown (a board paper, a wiki) and JSON."""

from __future__ import annotations

import json

from pmo_rules.engine.results import Finding
from pmo_rules.readiness.results import (
    STATE_LABEL,
    MissingArtifact,
    NextGate,
    ProjectReadiness,
    Readiness,
)
from pmo_rules.reports import exact_json
from pmo_rules.reports.facts import evidence_notes, value_lines
from pmo_rules.reports.markdown import code, md


def render_json(readiness: Readiness) -> str:
    """The JSON document (`pmo-rules/readiness/v1`): the standard library's indented
    bytes, written by orjson (exact_json.py; the standard library's own encoder is pure
    Python, seconds for a large portfolio). A value JSON has no form for would be
    written as its text, as in the other reports; the document holds none today."""
    doc = readiness.to_dict()
    try:
        return exact_json.dumps_bytes(exact_json.plain(doc)).decode("utf-8")
    except TypeError:  # what orjson refuses (exact_json.py): the standard library writes it
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# Why a project was left out by --within, and what to do about it.
UNDATED = "next gate has no milestone date; give the milestone `gate: ID`"


def title(readiness: Readiness) -> str:
    """`Gate readiness: NAME (ID)`."""
    name = readiness.portfolio_name
    who = f"{name} ({readiness.portfolio_id})" if name else readiness.portfolio_id
    return f"Gate readiness: {who}"


def scope(readiness: Readiness) -> str:
    """What was asked for, in words."""
    parts = [f"as of {readiness.as_of.isoformat()}"]
    if readiness.within is not None:
        parts.append(f"gates due within {readiness.within} days (overdue ones included)")
    if readiness.gate is not None:
        parts.append(f"next gate {readiness.gate}")
    return ", ".join(parts)


def empty(readiness: Readiness) -> str:
    """What to say when no project is listed."""
    if readiness.within is not None:
        return f"No live project has its next gate due within {readiness.within} days."
    return "No live project matches."


def gate_line(p: ProjectReadiness) -> str:
    """`G2 Authorise execution (admits executing), due 2026-06-15 (in 14 days), decided by
    an executive`."""
    g = p.gate
    if g is None:
        return ("no gate ahead in its lifecycle" if p.state == "no_gate_ahead"
                else "no phase recorded, so no next gate (LC-01)")
    return f"{g.id}{f' {g.title}' if g.title else ''} ({_admits(g)}), {_due(p)}, " \
           f"decided by {_grade(g.decider_grade)}"


def _admits(g: NextGate) -> str:
    return "closes the project" if g.admits is None else f"admits {g.admits}"


def _due(p: ProjectReadiness) -> str:
    g, days = p.gate, p.days_to_gate
    if g is None or g.due is None or days is None:
        return "no gate milestone"
    when = ("today" if days == 0 else f"in {days} day{'s' * (days != 1)}" if days > 0
            else f"{-days} day{'s' * (days != -1)} overdue")
    return f"due {g.due.isoformat()} ({when})"


def _grade(grade: str | None) -> str:
    if grade is None:
        return "anyone (the lifecycle names no grade)"
    return f"{'an' if grade[0] in 'aeiou' else 'a'} {grade}"


def missing_text(m: MissingArtifact) -> str:
    """`business_case: submitted, needs approved`."""
    have = m.status if m.status is not None else "missing"
    return f"{m.type}: {have}, needs {' or '.join(m.needed)}"


def where_after(p: ProjectReadiness) -> str:
    """Where the project would be once through its next gate."""
    if p.gate is None:
        return ""
    if p.gate.admits is None:
        return "once closed"
    if p.gate.admits == p.phase:  # a gate it skipped: passing it moves nothing
        return f"once {p.gate.id} is passed"
    return f"in {p.gate.admits}"


def render_text(readiness: Readiness) -> str:
    """Plain text: each project with its next gate and what stands between it and a pass."""
    out = [title(readiness), scope(readiness), ""]
    if not readiness.projects:
        out += [empty(readiness), ""]
    for p in readiness.projects:
        head = f"{p.id}  {p.name or ''}".rstrip()
        where = ", ".join(x for x in (p.lifecycle, p.phase) if x)
        tier = f"tier {p.tier}" if p.tier is not None else "no tier"
        out += [f"{head}  ·  {where}  ·  {tier}", f"  next gate: {gate_line(p)}"]
        mark = {"ready": "✓", "not_ready": "✗"}.get(p.state, "·")
        out.append(f"  {mark} {STATE_LABEL[p.state]}")
        if p.missing:
            out.append("    artifacts the gate needs:")
            out += [f"      {missing_text(m)}" for m in p.missing]
        if p.conditions:
            out.append("    open conditions of earlier gates:")
            for c in p.conditions:
                due = f"due {c.due.isoformat()}" if c.due else "no due date"
                late = ", overdue" if c.overdue else ""
                out.append(f"      {c.gate}: {c.text or '(no text)'} ({due}{late})")
        if p.would_fail:
            out.append(f"    rules that would fail {where_after(p)}:")
            for w in p.would_fail:
                out += _finding_lines(w.finding, w.already)
        out.append("")
    out.append(_summary_line(readiness))
    if readiness.undated:
        out.append(f"left out: {', '.join(readiness.undated)} ({UNDATED})")
    return "\n".join(out) + "\n"


def _finding_lines(f: Finding, already: bool) -> list[str]:
    flags = [f.rule.severity, f.rule.enforcement]
    if not f.blocking:
        flags.append("not blocking")
    if already:
        flags.append("fails already")
    subject = "" if f.subject.kind == "project" else f"  on {f.subject.id}"
    lines = [f"      {f.rule.id}  {f.rule.title}{subject}  ({', '.join(flags)})",
             f"        {f.message}"]
    for ev in f.evidence:
        lines.append(f"        {ev.clause}")
        lines += [f"          {text} = {shown}" for text, shown in value_lines(ev)]
        lines += [f"          {note}" for note in evidence_notes(ev)]
    return lines


def _summary_line(readiness: Readiness) -> str:
    s = readiness.summary()
    n = s["projects"]
    parts = [f"{s[state]} {STATE_LABEL[state]}" for state in STATE_LABEL if s[state]]
    return f"{n} project{'s' * (n != 1)}: " + (", ".join(parts) or "none")


def render_markdown(readiness: Readiness) -> str:
    """Markdown: a summary table, then one section per project (user text escaped)."""
    out = [f"# {md(title(readiness))}", "", md(scope(readiness)), ""]
    if readiness.projects:
        out += ["| project | lifecycle | next gate | due | decided by | state |",
                "|---|---|---|---|---|---|"]
    else:
        out += [md(empty(readiness))]
    for p in readiness.projects:
        g = p.gate
        gate = code(g.id) if g is not None else "none"
        due = g.due.isoformat() if g is not None and g.due is not None else ""
        grade = (g.decider_grade or "") if g is not None else ""
        out.append(f"| {code(p.id)} {md(p.name or '')} | {md(p.lifecycle)} | {gate} | {due} "
                   f"| {grade} | {STATE_LABEL[p.state]} |")
    out += ["", md(_summary_line(readiness)), ""]
    for p in readiness.projects:
        if p.state not in ("ready", "not_ready"):
            continue
        out += [f"## {md(p.id)} {md(p.name or '')}", "",
                f"Next gate: {md(gate_line(p))}. **{STATE_LABEL[p.state]}**.", ""]
        if p.missing:
            out += ["Artifacts the gate needs:", ""]
            out += [f"- {code(m.type)}: {md(m.status or 'missing')}, needs "
                    f"{md(' or '.join(m.needed))}" for m in p.missing]
            out.append("")
        if p.conditions:
            out += ["Open conditions of earlier gates:", ""]
            out += [f"- {code(c.gate)}: {md(c.text or '(no text)')}"
                    f" (due {c.due.isoformat() if c.due else 'not set'}"
                    f"{', overdue' if c.overdue else ''})" for c in p.conditions]
            out.append("")
        if p.would_fail:
            out += [f"Rules that would fail {md(where_after(p))}:", ""]
            for w in p.would_fail:
                f = w.finding
                flags = f"{f.rule.severity}, {f.rule.enforcement}" + (
                    ", fails already" if w.already else "")
                out.append(f"- **{md(f.rule.id)}** {md(f.rule.title)} ({flags}): "
                           f"{md(f.message)}")
                for ev in f.evidence:
                    out.append(f"  - {code(ev.clause)}")
                    out += [f"    - {code(text)} = {code(shown)}"
                            for text, shown in value_lines(ev)]
                    out += [f"    - {md(note)}" for note in evidence_notes(ev)]
            out.append("")
    if readiness.undated:
        out += [f"Left out: {md(', '.join(readiness.undated))} ({UNDATED}).", ""]  # ours: Markdown
    return "\n".join(out)
