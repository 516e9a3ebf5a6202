"""Readiness as HTML: a section of the HTML report, or a page of its own (same styles).

Every piece of user data passes through `escape`, as in the rest of the HTML report.
"""

from __future__ import annotations

from html import escape

from pmo_rules import __version__
from pmo_rules.readiness.render import (
    empty,
    gate_line,
    missing_text,
    scope,
    title,
    where_after,
)
from pmo_rules.readiness.results import STATE_LABEL, ProjectReadiness, Readiness
from pmo_rules.reports.facts import evidence_notes, value_lines
from pmo_rules.reports.page import CSP, asset

_STATE_CLASS = {"ready": "st-pass", "not_ready": "st-fail", "no_gate_ahead": "note",
                "no_phase": "note"}


def readiness_section(readiness: Readiness, *, note: str = "") -> str:
    """`<section id="readiness">`: a table of the projects, then what each one lacks."""
    head = ['<section id="readiness"><h2>Gate readiness</h2>',
            f'<p class="note">{escape(scope(readiness))}{escape(note)}</p>']
    undated = ""
    if readiness.undated:  # said whether or not any project is listed
        undated = ('<p class="note">Left out, their next gate has no milestone date (give the '
                   f"milestone <code>gate: ID</code>): {escape(', '.join(readiness.undated))}.</p>")
    if not readiness.projects:
        return "".join([*head, f'<p class="note">{escape(empty(readiness))}</p>', undated,
                        "</section>"])
    rows = []
    for p in readiness.projects:
        g = p.gate
        due = g.due.isoformat() if g is not None and g.due is not None else ""
        rows.append(
            f'<tr id="ready-{escape(p.id)}"><td><span class="id">{escape(p.id)}</span> '
            f'{escape(p.name or "")}</td><td class="id">{escape(p.lifecycle)}</td>'
            f'<td class="id">{escape(p.phase or "")}</td>'
            f'<td class="id">{escape(g.id) if g else ""}</td><td class="id">{escape(due)}</td>'
            f"<td>{escape(g.decider_grade or '') if g else ''}</td>"
            f'<td class="num">{len(p.missing)}</td><td class="num">{len(p.conditions)}</td>'
            f'<td class="num">{len(p.would_fail)}</td>'
            f'<td class="id {_STATE_CLASS[p.state]}">{escape(STATE_LABEL[p.state])}</td></tr>')
    table = ("<table><thead><tr><th>project</th><th>lifecycle</th><th>phase</th>"
             "<th>next gate</th><th>due</th><th>decided by</th>"
             '<th class="num">artifacts missing</th><th class="num">open conditions</th>'
             '<th class="num">would fail</th><th>state</th></tr></thead><tbody>'
             + "".join(rows) + "</tbody></table>")
    details = [_details(p) for p in readiness.projects if p.state == "not_ready"]
    return "".join([*head, table, *details, undated, "</section>"])


def _details(p: ProjectReadiness) -> str:
    out = [f"<details><summary>{escape(p.id)} {escape(p.name or '')}: "
           f"{escape(gate_line(p))}</summary>"]
    if p.missing:
        out.append("<p>Artifacts the gate needs:</p><ul>")
        out += [f"<li><code>{escape(missing_text(m))}</code></li>" for m in p.missing]
        out.append("</ul>")
    if p.conditions:
        out.append("<p>Open conditions of earlier gates:</p><ul>")
        for c in p.conditions:
            due = f"due {c.due.isoformat()}" if c.due else "no due date"
            late = ", overdue" if c.overdue else ""
            out.append(f"<li>{escape(c.gate)}: {escape(c.text or '(no text)')} "
                       f"({escape(due + late)})</li>")
        out.append("</ul>")
    if p.would_fail:
        out.append(f"<p>Rules that would fail {escape(where_after(p))}:</p><ul>")
        for w in p.would_fail:
            f = w.finding
            already = " (fails already)" if w.already else ""
            evidence = "".join(
                f'<div class="evidence"><code>{escape(ev.clause)}</code><ul>'
                + "".join(f"<li><code>{escape(t)}</code> = <code>{escape(v)}</code></li>"
                          for t, v in value_lines(ev))
                + "".join(f"<li>{escape(n)}</li>" for n in evidence_notes(ev))
                + "</ul></div>" for ev in f.evidence)
            out.append(f'<li><span class="sev sev-{escape(f.rule.severity)}">'
                       f"{escape(f.rule.severity)}</span> <b>{escape(f.rule.id)}</b> "
                       f"{escape(f.rule.title)}{escape(already)}: {escape(f.message)}"
                       f"{evidence}</li>")
        out.append("</ul>")
    out.append("</details>")
    return "".join(out)


def render_page(readiness: Readiness) -> str:
    """Readiness alone, as one self-contained page in the HTML report's styles."""
    heading = title(readiness)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(heading)}</title>",
        f"<style>{asset('report.css')}</style></head><body>",
        f"<header><h1>{escape(heading)}</h1>",
        f'<p class="sub">pmo-rules {escape(__version__)}</p></header>',
        readiness_section(readiness),
        "</body></html>", "",
    ])
