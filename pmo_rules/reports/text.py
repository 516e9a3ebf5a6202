"""The terminal report for people: findings grouped by rule (or subject), evidence, summary."""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Evidence, Finding

SEVERITY_STYLE = {
    "critical": "bold white on red", "high": "bold red", "medium": "yellow",
    "low": "cyan", "info": "dim",
}
STATUS_MARK = {"fail": ("✗", "red"), "waived": ("~", "magenta"), "error": ("!", "bold red"),
               "pass": ("✓", "green"), "not_applicable": ("-", "dim")}
FATE_STYLE = {"applied": "green", "expired": "yellow", "stale": "dim", "rejected": "red"}
BASELINE_LABEL = {"new": "new (not in the baseline)", "unchanged": "unchanged (in the baseline)"}


def render_text(
    report: Report, *, group_by: str = "rule", color: bool = False, width: int = 100,
) -> str:
    """The report as text; with `color`, ANSI-styled as a terminal shows it."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color,
                      highlight=False, emoji=False)
    write_text(report, console, group_by=group_by)
    # rich pads wrapped lines to the width; files and diffs read better without it.
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def write_text(report: Report, console: Console, *, group_by: str = "rule") -> None:
    """Print the report to a rich console."""
    shown = report.findings
    if group_by == "subject":
        ordered = sorted(shown, key=lambda f: (f.subject.kind, f.subject.id, f.rule.id))
        for (kind, ident), group in groupby(ordered, key=lambda f: (f.subject.kind, f.subject.id)):
            items = list(group)
            name = items[0].subject.name
            head = Text(f"{kind} {ident}", style="bold")
            if name:
                head.append(f"  {name}", style="default")
            console.print(head)
            for f in items:
                _finding(console, f, label=f"{f.rule.id} {f.rule.title}")
            console.print()
    else:
        for _, group in groupby(shown, key=lambda f: f.rule.id):
            items = list(group)
            _rule_header(console, items)
            for f in items:
                label = f.subject.id + (f"  {f.subject.name}" if f.subject.name else "")
                _finding(console, f, label=label)
            console.print()
    if report.waivers:
        _waivers(console, report)
    if report.baseline is not None:
        _baseline(console, report)
    _summary(console, report)


def _rule_header(console: Console, items: list[Finding]) -> None:
    rule = items[0].rule
    counts: dict[str, int] = {}
    for f in items:
        counts[f.status] = counts.get(f.status, 0) + 1
    head = Text()
    head.append(rule.id, style="bold")
    head.append(f"  {rule.title}  ")
    head.append(rule.severity, style=SEVERITY_STYLE.get(rule.severity, ""))
    head.append(f" · {rule.enforcement} · ")
    tally = (f"{n} {status.replace('_', '-')}" for status, n in sorted(counts.items()))
    head.append(", ".join(tally))
    console.print(head)
    console.print(Text(f"  {rule.location.file}:{rule.location.line}", style="dim"))


def _finding(console: Console, f: Finding, *, label: str) -> None:
    mark, style = STATUS_MARK[f.status]
    line = Text("  ")
    line.append(mark, style=style)
    line.append(f" {label}", style="bold" if f.blocking else "")
    if f.blocking:
        line.append("  blocking", style="red")
    if f.baseline is not None:
        line.append(f"  {BASELINE_LABEL[f.baseline]}",
                    style="bold" if f.baseline == "new" else "dim")
    console.print(line)
    # A rule without a `message` reports its failing clause, which the evidence shows anyway.
    default = bool(f.evidence) and f.message.startswith(f.evidence[0].clause)
    if f.message and not default:
        _indented(console, Text(f.message), 6)
    for ev in f.evidence:
        _evidence(console, ev)
    if f.waiver is not None:
        w = f.waiver
        until = f" until {w['expires']}" if w.get("expires") else ""
        _indented(console, Text(f"waived by {w['approved_by']}{until}: {w['reason']}",
                                style="magenta"), 6)
    elif f.status == "fail" and f.rule.fix:
        _indented(console, Text(f"fix: {f.rule.fix}", style="green"), 6)


def _indented(console: Console, text: Text, left: int) -> None:
    console.print(Padding(text, (0, 0, 0, left), expand=False))


def _evidence(console: Console, ev: Evidence) -> None:
    _indented(console, Text(ev.clause, style="dim"), 6)
    for text, shown in ev.shown.items():
        _indented(console, Text(f"{text} = {shown}", style="dim"), 8)
    if len(ev.path) > 1:
        _indented(console, Text(f"chain: {' -> '.join(ev.path)}", style="dim"), 8)
    elif ev.witnesses:
        _indented(console, Text(f"witnesses: {', '.join(ev.witnesses)}", style="dim"), 8)


def _waivers(console: Console, report: Report) -> None:
    table = Table(title="Waivers", title_justify="left", show_edge=False, pad_edge=False)
    for col in ("rule", "subject", "fate", "approved by", "expires", "note"):
        table.add_column(col)
    for w in report.waivers:
        table.add_row(w.rule, w.subject, Text(w.status, style=FATE_STYLE[w.status]),
                      escape(w.approved_by), w.expires or "", escape(w.note))
    console.print(table)
    console.print()


def _baseline(console: Console, report: Report) -> None:
    marks = report.baseline
    assert marks is not None
    console.print(Text(f"Baseline {marks.source}: {marks.new} new, {marks.unchanged} unchanged "
                       f"(not blocking), {len(marks.absent)} absent", style="bold"))
    if marks.absent:
        console.print("Absent from this run (remove them from the baseline):")
        table = Table(show_edge=False, pad_edge=False)
        for col in ("rule", "subject", "why"):
            table.add_column(col)
        for a in marks.absent:
            table.add_row(escape(a.rule), escape(f"{a.kind} {a.subject}"), a.reason)
        console.print(table)
    console.print()


def _summary(console: Console, report: Report) -> None:
    s = report.summary()
    table = Table(show_edge=False, pad_edge=False, box=None)
    for col in ("rules", "subjects", "pass", "fail", "waived", "error", "blocking", "score"):
        table.add_column(col, justify="right")
    table.add_row(*(str(s[k]) for k in ("rules", "subjects", "pass", "fail", "waived", "error",
                                         "blocking")), f"{s['score']:.0%}")
    console.print(table)
    console.print(_verdict(report))


def _verdict(report: Report) -> Text:
    if report.errors:
        return Text(f"! {len(report.errors)} rule evaluation error(s): the run is incomplete "
                    "(exit 3)", style="bold red")
    if report.blocking:
        n = len(report.blocking)
        return Text(f"✗ {n} blocking finding{'s' * (n != 1)} (exit 1)", style="bold red")
    return Text("✓ nothing blocking (exit 0)", style="bold green")

