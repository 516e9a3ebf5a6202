"""Markdown for a pull-request comment or a wiki page: counts, blocking first, a table per rule."""

from __future__ import annotations

import re

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Finding
from pmo_rules.reports.facts import (
    STATUS_LABEL,
    Memo,
    evidence_notes,
    named,
    score_text,
    settings_lines,
    severity_rank,
    subject_label,
    value_lines,
)

STATUS_ICON = {"fail": "❌", "waived": "⏸️", "error": "⚠️", "pass": "✅", "not_applicable": "➖"}
FATE_ICON = {"applied": "✅", "expired": "⌛", "stale": "💤", "rejected": "⛔"}
# Characters that Markdown (or the HTML GitHub allows inside it) would read as markup.
_MARKUP = "\\`*_{}[]<>()#+!|~"
_SPECIAL = re.compile("[" + re.escape(_MARKUP) + "]")
_ESCAPED = str.maketrans({c: "\\" + c for c in _MARKUP})


def md(text: str) -> str:
    """User text made inert in Markdown: markup characters escaped, newlines flattened."""
    flat = " ".join(text.split())
    return flat if _SPECIAL.search(flat) is None else flat.translate(_ESCAPED)


def code(text: str) -> str:
    """User text as inline code, safe whatever backticks it holds."""
    flat = " ".join(text.split())
    if "`" not in flat and flat:  # the common case: one backtick each side
        return f"`{flat}`"
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


class _Text:
    """`md` and `code` for one report, each text done once: a large run's report repeats
    the same rule ids, clauses, operands, subjects and messages thousands of times."""

    def __init__(self) -> None:
        self.md = Memo(md)
        self.code = Memo(code)


def render_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown."""
    t = _Text()
    s = report.summary()
    out = [f"# Compliance report: {t.md[report.portfolio_id]} as of {report.as_of.isoformat()}",
           "", _verdict(report), "",
           "| rules | subjects | pass | fail | waived | error | not applicable | blocking "
           "| score |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
           f"| {s['rules']} | {s['subjects']} | {s['pass']} | {s['fail']} | {s['waived']} "
           f"| {s['error']} | {s['not_applicable']} | {s['blocking']} "
           f"| {score_text(s['score'])} |", ""]
    blocking = sorted(report.blocking + report.errors,
                      key=lambda f: (f.status != "error", severity_rank(f.rule.severity),
                                     f.sort_key()))
    if blocking:
        out += ["## Blocking findings", "", "| rule | severity | subject | message |",
                "|---|---|---|---|"]
        out += [f"| {STATUS_ICON[f.status]}{_mark(f)} {t.md[f.rule.id]} | {f.rule.severity} "
                f"| {t.md[subject_label(f.subject)]} | {t.md[f.message]} |" for f in blocking]
        out.append("")
    by_rule: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule.id, []).append(f)
    if by_rule:
        out += ["## Findings by rule", ""]
    for rule in report.rules:
        items = by_rule.get(rule.id)
        if items:
            out += _rule_section(report, items, t)
    if report.waivers:
        out += ["## Waivers", "", "| rule | subject | fate | approved by | expires | note |",
                "|---|---|---|---|---|---|"]
        out += [f"| {t.md[w.rule]} | {t.md[w.subject]} | {FATE_ICON[w.status]} {w.status}"
                f"{' ⏳ expiring' if w.expiring else ''} "
                f"| {t.md[named(report, w.approved_by)]} | {t.md[w.expires or '']} "
                f"| {t.md[w.note]} |"
                for w in report.waivers]
        out.append("")
    if report.baseline is not None:
        out += _baseline(report, t)
    out += _settings(report, t)
    return "\n".join(out)


def _settings(report: Report, t: _Text) -> list[str]:
    lines = settings_lines(report)
    if not lines:
        return []
    out = ["## Settings of this run", "", "| setting | value and source |", "|---|---|"]
    out += [f"| {label} | {t.md[text]} |" for label, text in lines]
    return [*out, ""]


def _mark(f: Finding) -> str:
    return {"new": " 🆕 new", "unchanged": " unchanged"}.get(f.baseline or "", "")


def _baseline(report: Report, t: _Text) -> list[str]:
    marks = report.baseline
    assert marks is not None
    out = ["## Baseline", "", f"Compared with {t.code[marks.source]}: **{marks.new} new**, "
           f"{marks.unchanged} unchanged (not blocking), {len(marks.absent)} absent.", ""]
    if marks.absent:
        out += ["Absent from this run (remove them from the baseline):", "",
                "| rule | subject | why |", "|---|---|---|"]
        out += [f"| {t.md[a.rule]} | {t.md[a.kind]} {t.md[a.subject]} | {a.reason} |"
                for a in marks.absent]
        out.append("")
    return out


def _verdict(report: Report) -> str:
    if report.errors:
        n = len(report.errors)
        return f"**⚠️ {n} rule evaluation error{'s' * (n != 1)}: the run is incomplete.**"
    if report.blocking:
        n = len(report.blocking)
        return f"**❌ {n} blocking finding{'s' * (n != 1)}.**"
    return "**✅ Nothing blocking.**"


def _rule_section(report: Report, items: list[Finding], t: _Text) -> list[str]:
    rule = items[0].rule
    tally: dict[str, int] = {}
    for f in items:
        tally[f.status] = tally.get(f.status, 0) + 1
    counts = ", ".join(f"{n} {STATUS_LABEL[k]}" for k, n in sorted(tally.items()))
    loc = rule.location
    out = [f"### {t.md[rule.id]} {t.md[rule.title]}", "",
           f"{rule.severity} · {rule.enforcement} · policy {t.code[rule.policy]} · "
           f"{t.code[f'{loc.file}:{loc.line}']} · {counts}", "",
           "| | subject | message | blocking |", "|---|---|---|---|"]
    out += [f"| {STATUS_ICON[f.status]}{_mark(f)} | {t.md[subject_label(f.subject)]} "
            f"| {t.md[f.message]} | "
            f"{'yes' if f.blocking else 'unknown' if f.blocking_unknown else ''} |"
            for f in items]
    out.append("")
    detailed = [f for f in items if f.evidence or f.waiver]
    if detailed:
        out += ["<details><summary>Evidence</summary>", ""]
        for f in detailed:
            out += _evidence(report, f, t)
        out += ["", "</details>", ""]
    if rule.fix and any(f.status == "fail" for f in items):
        out += [f"**Fix:** {t.md[rule.fix]}", ""]
    return out


def _evidence(report: Report, f: Finding, t: _Text) -> list[str]:
    out = [f"- **{t.md[f.subject.id]}**" + (f" {t.md[f.subject.name]}" if f.subject.name
                                              else "")]
    for ev in f.evidence:
        out.append(f"  - {t.code[ev.clause]}")
        out += [f"    - {t.code[text]} = {t.code[shown]}" for text, shown in value_lines(ev)]
        out += [f"    - {t.md[note]}" for note in evidence_notes(ev)]
    if f.waiver is not None:
        w = f.waiver
        until = f" until {t.md[str(w['expires'])]}" if w.get("expires") else ""
        until += " ⏳ expiring" if w.get("expiring") else ""
        out.append(f"  - waived by {t.md[named(report, str(w.get('approved_by', '')))]}{until}: "
                   f"{t.md[str(w.get('reason', ''))]}")
    return out
