"""One self-contained HTML page for PMO leads and sponsors: no network at view time.

CSS and the filter script are hand-written (reports/assets/) and inlined; the graph
is inline SVG drawn in Python. Every piece of user data passes through `escape`,
and a Content-Security-Policy forbids any fetch, so a hostile portfolio name can
neither inject markup nor make the page call out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

from pmo_rules import __version__
from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Finding, RuleCounts, RuleInfo
from pmo_rules.reports.facts import (
    SEVERITY_ORDER,
    STATUS_LABEL,
    Memo,
    evidence_notes,
    family,
    family_name,
    named,
    program_of,
    score_text,
    settings_lines,
    severity_rank,
    value_lines,
)
from pmo_rules.reports.graph_svg import render_svg
from pmo_rules.reports.page import CSP, asset

NO_PROGRAM = "(none)"


def render_html(
    report: Report, *, graph: Mapping[str, Any] | None = None, trend: Any = None,
    readiness: Any = None,
) -> str:
    """The report as one HTML page; `graph` is graph_data()'s shape, drawn when given;
    `trend` (a history Trend, when the run has a store) adds the trend section;
    `readiness` (a readiness.results.Readiness) the gate readiness section."""
    programs = {id(f): program_of(f) or NO_PROGRAM for f in report.findings}
    title = f"Compliance report: {report.portfolio_id}"
    heading = title if report.portfolio_name is None else \
        f"Compliance report: {report.portfolio_name} ({report.portfolio_id})"
    body = [
        f"<header><h1>{escape(heading)}</h1>",
        f'<p class="sub">as of <span class="id">{report.as_of.isoformat()}</span> · pmo-rules '
        f"{escape(__version__)}</p>",
        _verdict(report), "</header>",
        _cards(report),
        '<section id="by-program"><h2>Compliance by program</h2>',
        _by_program(report, programs), "</section>",
        '<section id="by-family"><h2>Compliance by family</h2>',
        '<p class="note">A family is the rule id up to its first “-” (LC-001 is in LC).</p>',
        _by_family(report), "</section>",
        *(_trend(trend) if trend is not None else []),
        *(_readiness(readiness) if readiness is not None else []),
        '<section id="findings-section"><h2>Findings</h2>',
        _findings(report, programs), "</section>",
        '<section id="waivers"><h2>Waiver register</h2>', _waivers(report), "</section>",
        '<section id="settings"><h2>Settings of this run</h2>', _settings(report), "</section>",
        *(_baseline(report) if report.baseline is not None else []),
        '<section id="graph"><h2>Dependency graph</h2>', _graph(report, graph), "</section>",
        _footer(report),
    ]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{asset('report.css')}</style></head><body>",
        *body,
        f"<script>{asset('report.js')}</script>",
        "</body></html>", "",
    ])


def _trend(trend: Any) -> list[str]:
    from pmo_rules.reports.trend_svg import trend_section

    return ['<section id="trend"><h2>Trend</h2>', trend_section(trend), "</section>"]


def _readiness(readiness: Any) -> list[str]:
    from pmo_rules.readiness.html import readiness_section

    return [readiness_section(readiness, note="; every live project: pmo-rules readiness")]


def _baseline(report: Report) -> list[str]:
    marks = report.baseline
    assert marks is not None
    head = (f'<p>Compared with <code>{escape(marks.source)}</code>: <b>{marks.new} new</b>, '
            f"{marks.unchanged} unchanged (not blocking), {len(marks.absent)} absent.</p>")
    rows = "".join(f"<tr><td>{escape(a.rule)}</td><td>{escape(a.kind)} {escape(a.subject)}</td>"
                   f"<td>{escape(a.reason)}</td></tr>" for a in marks.absent)
    table = ("<p>Absent from this run (remove them from the baseline):</p><table><thead><tr>"
             "<th>rule</th><th>subject</th><th>why</th></tr></thead><tbody>" + rows
             + "</tbody></table>") if rows else ""
    return ['<section id="baseline"><h2>Baseline</h2>', head, table, "</section>"]


def _verdict(report: Report) -> str:
    # Written for the people who read the page, not for CI: no exit codes here.
    if report.errors:
        n = len(report.errors)
        return (f'<p class="verdict bad">{n} rule evaluation error{"s" * (n != 1)}: '
                "the check is incomplete, and its results cannot be relied on</p>")
    if report.blocking:
        n = len(report.blocking)
        return f'<p class="verdict bad">{n} blocking finding{"s" * (n != 1)}</p>'
    return '<p class="verdict good">Nothing blocking</p>'


def _cards(report: Report) -> str:
    s = report.summary()
    score = s["score"]
    cards = [("score", score_text(score),
              "" if score is None else "ok" if score >= 0.9 else "fail"),
             ("findings", str(len(report.findings)), "", ),
             ("blocking", str(s["blocking"]), "fail" if s["blocking"] else "ok"),
             ("rules", str(s["rules"]), ""), ("subjects", str(s["subjects"]), ""),
             ("pass", str(s["pass"]), "ok"), ("fail", str(s["fail"]), "fail" if s["fail"] else ""),
             ("waived", str(s["waived"]), ""), ("errors", str(s["error"]),
                                                "fail" if s["error"] else "")]
    out = ['<div class="cards">']
    for key, value, cls in cards:
        out.append(f'<div class="card {cls}" id="card-{key}"><span class="n" '
                   f'id="{key}-count">{value}</span><span class="k">{key}</span></div>')
    out.append("</div>")
    return "".join(out)


def _bar(score: float | None) -> str:
    if score is None:
        return "n/a"
    level = "low" if score < 0.7 else "mid" if score < 0.9 else "high"
    return (f'<span class="bar {level}"><span style="width:{score:.0%}"></span></span> '
            f"{score:.0%}")


def _by_program(report: Report, programs: Mapping[int, str]) -> str:
    scores = report.score_table()["program"]
    fails: dict[str, int] = {}
    blocking: dict[str, int] = {}
    for f in report.findings:
        if f.status == "fail":
            prog = programs[id(f)]
            fails[prog] = fails.get(prog, 0) + 1
            blocking[prog] = blocking.get(prog, 0) + f.blocking
    names = sorted(set(scores) | set(fails))
    if not names:
        return '<p class="note">No program in this portfolio.</p>'
    rows = []
    for name in names:
        score = scores.get(name)
        rows.append(f"<tr><td>{_named(report, name)}</td>"
                    f"<td>{_bar(score) if score is not None else ''}</td>"
                    f'<td class="num">{fails.get(name, 0)}</td>'
                    f'<td class="num">{blocking.get(name, 0)}</td></tr>')
    return ("<table><thead><tr><th>program</th><th>compliance (severity-weighted)</th>"
            '<th class="num">failures</th><th class="num">blocking</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def _by_family(report: Report) -> str:
    fams: dict[str, tuple[int, RuleCounts]] = {}
    for rule in report.rules:
        c = report.counts.get(rule.id) or RuleCounts()
        n, total = fams.get(family(rule.id), (0, RuleCounts()))
        total = RuleCounts(total.passed + c.passed, total.failed + c.failed,
                           total.waived + c.waived, total.error + c.error,
                           total.not_applicable + c.not_applicable)
        fams[family(rule.id)] = (n + 1, total)
    rows = []
    for name in sorted(fams):
        n, c = fams[name]
        score = (c.passed + c.waived) / c.subjects if c.subjects else 1.0
        rows.append(f'<tr><td><b class="id">{escape(name)}</b> '
                    f"{escape(family_name(report, name))}</td><td class=\"num\">{n}</td>"
                    f"<td>{_bar(score)}</td>"
                    + "".join(f'<td class="num">{v}</td>'
                              for v in (c.passed, c.failed, c.waived, c.error))
                    + "</tr>")
    return ('<table><thead><tr><th>family</th><th class="num">rules</th>'
            "<th>compliance (subjects passing or waived)</th>"
            + "".join(f'<th class="num">{k}</th>' for k in ("pass", "fail", "waived", "error"))
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _named(report: Report, ident: str) -> str:
    """`Name <span class=id>(ID)</span>`: a person or program as people read it, the id
    kept on one line."""
    name = report.names.get(ident)
    if not name or name == ident or ident == NO_PROGRAM:
        return f'<span class="id">{escape(ident)}</span>'
    return f'{escape(name)} <span class="id">({escape(ident)})</span>'


def _options(name: str, label: str, values: Iterable[str],
             shown: Callable[[str], str] = str) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(shown(v))}</option>' for v in values)
    return (f'<label>{label}<select data-filter="{name}" id="filter-{name}">'
            f'<option value="">all</option>{opts}</select></label>')


def _findings(report: Report, programs: Mapping[int, str]) -> str:
    if not report.findings:
        return '<p class="note">No findings: every rule passed.</p>'
    findings = sorted(report.findings, key=lambda f: (not f.blocking, f.status != "error",
                                                      severity_rank(f.rule.severity),
                                                      f.sort_key()))
    severities = [s for s in SEVERITY_ORDER if any(f.rule.severity == s for f in findings)]
    filters = "".join([
        _options("severity", "severity", severities),
        _options("rule", "rule", sorted({f.rule.id for f in findings})),
        _options("program", "program", sorted(set(programs.values())),
                 lambda v: named(report, v) if v != NO_PROGRAM else v),
        _options("status", "status", sorted({f.status for f in findings})),
        '<button type="button" id="reset-filters">show all</button>',
        f'<span>showing <b id="shown-count">{len(findings)}</b> of {len(findings)}</span>',
    ])
    row = _FindingRows(report)
    rows = [row(f, programs[id(f)]) for f in findings]
    return (f'<div class="filters">{filters}</div>'
            '<table id="findings"><thead><tr><th>rule</th><th>severity</th><th>status</th>'
            "<th>subject</th><th>program</th><th>finding</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


_MARKUP = re.compile("[&<>\"']")


def _escape(text: str) -> str:
    """`escape(text)`, at the cost of one search when there is nothing to escape."""
    return text if _MARKUP.search(text) is None else escape(text)


class _FindingRows:
    """A row of the findings table per finding. What depends only on the rule, the
    program or the status is escaped once, not on every one of a large run's findings."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.rules: dict[int, tuple[str, str, str, str]] = {}
        self.programs: dict[str, tuple[str, str]] = {}
        self.clauses: dict[str, str] = Memo(escape)
        self.statuses: dict[tuple[str, bool, bool], tuple[str, str]] = {}
        self.kinds: dict[str, str] = Memo(escape)

    def rule(self, r: RuleInfo) -> tuple[str, str, str, str]:
        """(row attributes up to the program, rule and severity cells, fix, place)."""
        done = self.rules.get(id(r))
        if done is None:
            sev, loc = escape(r.severity), r.location
            done = self.rules[id(r)] = (
                f'class="finding" data-severity="{sev}" data-rule="{escape(r.id)}"',
                f'<td><b class="id">{escape(r.id)}</b><br>{escape(r.title)}</td>'
                f'<td><span class="sev sev-{sev}">{sev}</span></td>',
                f'<p class="fix">fix: {escape(r.fix)}</p>' if r.fix else "",
                f'<p class="note">{escape(r.policy)} · {escape(loc.file)}:{loc.line} · '
                f"{escape(r.enforcement)}</p>")
        return done

    def program(self, program: str) -> tuple[str, str]:
        done = self.programs.get(program)
        if done is None:
            done = self.programs[program] = (escape(program), _named(self.report, program))
        return done

    def __call__(self, f: Finding, program: str) -> str:
        attrs, cells, fix, place = self.rule(f.rule)
        data_program, program_cell = self.program(program)
        key = (f.status, f.blocking, f.blocking_unknown)
        status, label = self.statuses.get(key) or self.status(*key)
        mark = (f' <span class="bl bl-{escape(f.baseline)}">{escape(f.baseline)}</span>'
                if f.baseline is not None else "")
        s = f.subject
        subject = f'<span class="id">{_escape(s.id)}</span>' + (
            f" {_escape(s.name)}" if s.name else "")
        return (f'<tr {attrs} data-program="{data_program}" data-status="{status}">{cells}'
                f'<td class="st-{status}">{label}{mark}</td>'
                f"<td>{subject}<br><small>{self.kinds[s.kind]}</small>"
                f"</td><td>{program_cell}</td><td>{_escape(f.message)}"
                f"{self.detail(f, fix, place)}</td></tr>")

    def status(self, status: str, blocking: bool, unknown: bool) -> tuple[str, str]:
        """The status escaped for the row's class, and its label with the blocking flag."""
        label = STATUS_LABEL.get(status, status) + (
            " · blocking" if blocking else " · blocking unknown" if unknown else "")
        done = self.statuses[(status, blocking, unknown)] = (escape(status), escape(label))
        return done

    def detail(self, f: Finding, fix: str, place: str) -> str:
        clauses = self.clauses
        parts: list[str] = []
        for ev in f.evidence:
            items = [f"<li><code>{clauses[t]}</code> = <code>{_escape(v)}</code></li>"
                     for t, v in value_lines(ev)]
            items += [f"<li>{_escape(note)}</li>" for note in evidence_notes(ev)]
            parts.append(f"<li><code>{clauses[ev.clause]}</code><ul>{''.join(items)}"
                         "</ul></li>")
        body = f'<ul class="evidence">{"".join(parts)}</ul>' if parts else ""
        if f.waiver is not None:
            w = f.waiver
            until = f" until {w['expires']}" if w.get("expires") else ""
            until += " (expiring)" if w.get("expiring") else ""
            body += (f'<p class="st-waived">waived by '
                     f'{_named(self.report, str(w.get("approved_by", "")))}'
                     f"{escape(until)}: {escape(str(w.get('reason', '')))}</p>")
        elif fix and f.status == "fail":
            body += fix
        return f"<details><summary>evidence and fix</summary>{body}{place}</details>"


def _waivers(report: Report) -> str:
    if not report.waivers:
        return '<p class="note">No waivers in this run.</p>'
    # Fates are words in coloured badges: no glyph that needs an emoji font.
    rows = "".join(
        f'<tr><td class="id">{escape(w.rule)}</td><td class="id">{escape(w.subject)}</td>'
        f'<td><span class="fate fate-{escape(w.status)}">{escape(w.status)}</span>'
        + (' <span class="fate fate-expiring">expiring</span>' if w.expiring else "")
        + f"</td><td>{escape(w.reason)}</td><td>{_named(report, w.approved_by)}</td>"
        f'<td class="id">{escape(w.expires or "")}</td><td>{escape(w.note)}</td></tr>'
        for w in report.waivers)
    return ("<table><thead><tr><th>rule</th><th>subject</th><th>fate</th><th>reason</th>"
            "<th>approved by</th><th>expires</th><th>note</th></tr></thead><tbody>"
            + rows + "</tbody></table>")


def _settings(report: Report) -> str:
    lines = settings_lines(report)
    if not lines:
        return '<p class="note">No settings recorded.</p>'
    rows = "".join(f"<tr><th>{escape(label)}</th><td>{escape(text)}</td></tr>"
                   for label, text in lines)
    return ('<p class="note">How this check was set up: every param in effect and where its '
            "value came from, the rule selection, the evaluation date, the waiver register and "
            'the policy packs.</p><table class="settings"><tbody>' + rows + "</tbody></table>")


def _failing_projects(report: Report) -> set[str]:
    from pmo_rules.engine.scores import owning_project

    out = set()
    for f in report.failures:
        project = owning_project(f.entity)
        if project is not None:
            out.add(project.id)
        elif f.subject.kind == "project":
            out.add(f.subject.id)
    return out


def _graph(report: Report, graph: Mapping[str, Any] | None) -> str:
    legend = ('<p class="legend"><span><i class="l-failing"></i>failing project</span>'
              '<span><i class="l-cycle"></i>on a dependency cycle</span>'
              '<span><i class="l-critical"></i>on the critical path</span>'
              "<span>dashed line: soft dependency</span></p>")
    return legend + f'<div class="graph-wrap">{render_svg(graph, _failing_projects(report))}</div>'


def _footer(report: Report) -> str:
    files = []
    for group, entries in report.inputs.items():
        for e in entries if isinstance(entries, list) else [entries] if entries else []:
            files.append(f"<li>{escape(group)}: <code>{escape(str(e.get('path', '')))}</code> "
                         f"<small>sha256 {escape(str(e.get('sha256', ''))[:12])}…</small></li>")
    policies = "".join(f"<li>{escape(str(p.get('name')))} {escape(str(p.get('version') or ''))}"
                       "</li>" for p in report.policies)
    return (f'<footer><h2>Inputs</h2><ul>{"".join(files)}</ul>'
            f"<h2>Policies</h2><ul>{policies}</ul></footer>")
