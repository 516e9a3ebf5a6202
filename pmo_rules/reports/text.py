"""The text report for people: the summary first, then the run's settings, then the
findings (most severe first, then by rule and subject), the waivers, and the verdict.

Built as plain strings (ANSI styles added only for a terminal): a large run's report is
mostly findings, and per-finding rich rendering would cost far more than the text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from itertools import groupby

from rich.console import Console

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Evidence, Finding
from pmo_rules.reports.facts import (
    NO_OWNER,
    SEVERITY_ORDER,
    evidence_notes,
    named,
    owner_of,
    score_text,
    settings_lines,
    severity_rank,
    top_programs,
)

_ANSI = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33",
         "magenta": "35", "cyan": "36", "bold red": "1;31", "bold green": "1;32",
         "bold white on red": "1;37;41"}
SEVERITY_STYLE = {
    "critical": "bold white on red", "high": "bold red", "medium": "yellow",
    "low": "cyan", "info": "dim",
}
STATUS_MARK = {"fail": ("✗", "red"), "waived": ("~", "magenta"), "error": ("!", "bold red"),
               "pass": ("✓", "green"), "not_applicable": ("-", "dim")}
FATE_STYLE = {"applied": "green", "expired": "yellow", "stale": "dim", "rejected": "red"}
BASELINE_LABEL = {"new": "new (not in the baseline)", "unchanged": "unchanged (in the baseline)"}
ENFORCEMENTS = ("mandatory", "soft", "advisory")

Style = Callable[[str, str], str]


def render_text(
    report: Report, *, group_by: str = "rule", color: bool = False, width: int = 100,
    summary_only: bool = False,
) -> str:
    """The report as text; with `color`, ANSI-styled as a terminal shows it."""
    return _Writer(color, width).report(report, group_by, summary_only)


def write_text(report: Report, console: Console, *, group_by: str = "rule",
               summary_only: bool = False) -> None:
    """Print the report to a console (styled when it is a terminal without NO_COLOR)."""
    color = console.is_terminal and not console.no_color
    console.file.write(render_text(report, group_by=group_by, color=color,
                                   width=console.width, summary_only=summary_only))
    console.file.flush()


class _Writer:
    def __init__(self, color: bool, width: int) -> None:
        self.color = color
        self.width = max(width, 40)
        self.lines: list[str] = []
        # Wrapped paragraphs by (text, indent): a rule's fix and many evidence lines recur
        # on every finding of the rule, and wrapping is most of a large report's cost.
        self.wrapped: dict[tuple[str, int], list[str]] = {}

    # ------------------------------------------------------------ primitives

    def style(self, text: str, style: str) -> str:
        if not self.color or not style:
            return text
        return f"\x1b[{_ANSI.get(style, '0')}m{text}\x1b[0m"

    def add(self, text: str = "", style: str = "", indent: int = 0) -> None:
        """One paragraph, wrapped at the width (never inside an id or a date)."""
        if not text:
            self.lines.append("")
            return
        pad = " " * indent
        if len(text) + indent <= self.width:
            self.lines.append(self.style(pad + text, style) if self.color else pad + text)
            return
        lines = self.wrapped.get((text, indent))
        if lines is None:
            lines = self.wrapped[(text, indent)] = textwrap.wrap(
                text, self.width, initial_indent=pad, subsequent_indent=pad,
                break_long_words=False, break_on_hyphens=False)
        self.lines += [self.style(line, style) for line in lines] if self.color else lines

    def table(self, header: list[str], rows: Iterable[list[str]], indent: int = 0,
              right: Iterable[int] = (), styles: Callable[[int, int, str], str] | None = None,
              rule: bool = False) -> None:
        """Columns padded to their widest cell; the last column wraps."""
        rows = list(rows)
        cols = len(header)
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(cols)]
        right = set(right)
        lead = sum(widths[:-1]) + 2 * (cols - 1) + indent
        last = max(self.width - lead, 20)
        widths[-1] = min(widths[-1], last)

        def cell(i: int, text: str, row: int) -> str:
            padded = text.rjust(widths[i]) if i in right else (
                text.ljust(widths[i]) if i < cols - 1 else text)
            return styles(row, i, padded) if styles is not None and row >= 0 else padded

        self.lines.append(" " * indent + "  ".join(
            cell(i, h, -1) for i, h in enumerate(header)).rstrip())
        if rule:
            self.lines.append(" " * indent + "  ".join("-" * w for w in widths))
        for n, row in enumerate(rows):
            tail = textwrap.wrap(row[-1], last, break_long_words=False,
                                 break_on_hyphens=False) or [""]
            first = [cell(i, c, n) for i, c in enumerate(row[:-1])]
            self.lines.append((" " * indent + "  ".join([*first, cell(cols - 1, tail[0], n)]))
                              .rstrip())
            for more in tail[1:]:
                self.lines.append(" " * lead + more)

    # ------------------------------------------------------------ sections

    def report(self, report: Report, group_by: str, summary_only: bool) -> str:
        self.summary(report)
        self.settings(report)
        if not summary_only:
            self.findings(report, group_by)
            if report.waivers:
                self.waivers(report)
            if report.baseline is not None:
                self.baseline(report)
            self.verdict(report)
        return "\n".join(self.lines) + "\n"

    def summary(self, report: Report) -> None:
        s = report.summary()
        title = named(report, report.portfolio_id) if report.portfolio_name is None else \
            f"{report.portfolio_name} ({report.portfolio_id})"
        self.add(f"Compliance report: {title} as of {report.as_of.isoformat()}", "bold")
        self.verdict(report, exit_code=False)
        self.add()
        self.add("Summary", "bold")
        unknown = f", {s['blocking_unknown']} unknown" if s["blocking_unknown"] else ""
        self.add(f"score {score_text(s['score'])} (severity-weighted) · {s['blocking']} "
                 f"blocking{unknown} · {s['rules']} rules on {s['subjects']} subjects: "
                 f"{s['pass']} pass, {s['fail']} fail, {s['waived']} waived, {s['error']} "
                 f"error, {s['not_applicable']} not applicable", indent=2)
        by = report.failures_by()
        rows = [[sev, *(str(by[sev][e]) for e in ENFORCEMENTS), str(by[sev]["blocking"])]
                for sev in SEVERITY_ORDER if any(by[sev].values())]
        if rows:
            self.add()
            totals = [sum(int(r[i]) for r in rows) for i in range(1, 5)]
            self.table(["failures", *ENFORCEMENTS, "blocking"],
                       [*rows, ["total", *(str(t) for t in totals)]], indent=2,
                       right=range(1, 5),
                       styles=lambda r, c, t: self.style(t, SEVERITY_STYLE.get(t.strip(), ""))
                       if c == 0 else t)
        top = top_programs(report)
        if top:
            self.add()
            scores = report.score_table()["program"]
            self.table(["top programs by blocking findings", "blocking", "failures", "score"],
                       [[named(report, ident) if ident else NO_OWNER["program"], str(b), str(n),
                         score_text(scores.get(ident)) if ident in scores else ""]
                        for ident, b, n in top], indent=2, right=(1, 2, 3))
        if report.waivers:
            fates: dict[str, int] = {}
            for w in report.waivers:
                fates[w.status] = fates.get(w.status, 0) + 1
            expiring = sum(w.expiring for w in report.waivers)
            parts = [f"{fates[k]} {k}" + (f" ({expiring} expiring)" if k == "applied" and
                                          expiring else "")
                     for k in ("applied", "expired", "stale", "rejected") if fates.get(k)]
            self.add()
            self.add("waivers: " + ", ".join(parts), indent=2)
        self.add()

    def settings(self, report: Report) -> None:
        lines = settings_lines(report)
        if not lines:
            return
        self.add("Settings", "bold")
        label_width = max(len(label) for label, _ in lines)
        for label, text in lines:
            pad = " " * (2 + label_width + 2)
            head = f"  {label.ljust(label_width)}  "
            wrapped = textwrap.wrap(text, max(self.width - len(pad), 20),
                                    break_long_words=False, break_on_hyphens=False) or [""]
            self.lines.append(head + wrapped[0])
            self.lines += [pad + more for more in wrapped[1:]]
        self.add()

    def findings(self, report: Report, group_by: str) -> None:
        if not report.findings:
            return
        ordered = sorted(report.findings, key=_severity_key)
        if group_by == "rule":
            self.add("Findings, most severe first", "bold")
            self.add()
            for _, group in groupby(ordered, key=lambda f: f.rule.id):
                items = list(group)
                self.rule_header(items)
                for f in items:
                    self.finding(report, f, f.subject.id + (f"  {f.subject.name}"
                                                            if f.subject.name else ""))
                self.add()
            return
        if group_by == "subject":
            self.add("Findings by subject", "bold")
            self.add()
            by_subject = sorted(ordered, key=lambda f: (f.subject.kind, f.subject.id))
            for (kind, ident), group in groupby(by_subject,
                                                key=lambda f: (f.subject.kind, f.subject.id)):
                items = list(group)
                name = items[0].subject.name
                self.add(f"{kind} {ident}" + (f"  {name}" if name else ""), "bold")
                for f in items:
                    self.finding(report, f, f"{f.rule.id} {f.rule.title}  {f.rule.severity}")
                self.add()
            return
        self.add(f"Findings by {group_by}", "bold")
        self.add()
        owners = {id(f): owner_of(f, group_by) for f in ordered}
        keyed = sorted(ordered, key=lambda f: (owners[id(f)] is None, owners[id(f)] or ""))
        for owner, group in groupby(keyed, key=lambda f: owners[id(f)]):
            items = list(group)
            blocking = sum(f.blocking for f in items)
            failing = sum(f.status == "fail" for f in items)
            label = named(report, owner) if owner else NO_OWNER[group_by]
            self.add(f"{label}  {blocking} blocking, {failing} failing", "bold")
            for f in items:
                subject = f.subject.id + (f" {f.subject.name}" if f.subject.name else "")
                self.finding(report, f, f"{f.rule.id} {f.rule.severity}  {subject}")
            self.add()

    def rule_header(self, items: list[Finding]) -> None:
        rule = items[0].rule
        counts: dict[str, int] = {}
        for f in items:
            counts[f.status] = counts.get(f.status, 0) + 1
        tally = ", ".join(f"{n} {status.replace('_', '-')}" for status, n in
                          sorted(counts.items()))
        head = (self.style(rule.id, "bold") + f"  {rule.title}  " +
                self.style(rule.severity, SEVERITY_STYLE.get(rule.severity, "")) +
                f" · {rule.enforcement} · {tally}")
        self.lines.append(head)
        self.add(f"{rule.location.file}:{rule.location.line}", "dim", indent=2)

    def finding(self, report: Report, f: Finding, label: str) -> None:
        mark, style = STATUS_MARK[f.status]
        line = "  " + self.style(mark, style) + " " + self.style(label, "bold" if f.blocking
                                                                 else "")
        if f.blocking:
            line += "  " + self.style("blocking", "red")
        elif f.blocking_unknown:
            line += "  " + self.style("blocking unknown (could not be evaluated)", "red")
        if f.baseline is not None:
            line += "  " + self.style(BASELINE_LABEL[f.baseline],
                                      "bold" if f.baseline == "new" else "dim")
        self.lines.append(line)
        # A rule without a `message` reports its failing clause, which the evidence shows.
        default = bool(f.evidence) and f.message.startswith(f.evidence[0].clause)
        if f.message and not default:
            self.add(f.message, indent=6)
        for ev in f.evidence:
            self.evidence(ev)
        if f.waiver is not None:
            w = f.waiver
            until = f" until {w['expires']}" if w.get("expires") else ""
            who = named(report, str(w.get("approved_by")))
            soon = " (expiring)" if w.get("expiring") else ""
            self.add(f"waived by {who}{until}{soon}: {w['reason']}", "magenta", indent=6)
        elif f.status == "fail" and f.rule.fix:
            self.add(f"fix: {f.rule.fix}", "green", indent=6)

    def evidence(self, ev: Evidence) -> None:
        self.add(ev.clause, "dim", indent=6)
        for text, shown in ev.shown.items():
            self.add(f"{text} = {shown}", "dim", indent=8)
        for note in evidence_notes(ev):
            self.add(note, "dim", indent=8)

    def waivers(self, report: Report) -> None:
        self.add("Waivers", "bold")
        rows = [[w.rule, w.subject, w.status + (" (expiring)" if w.expiring else ""),
                 named(report, w.approved_by), w.expires or "", w.note]
                for w in report.waivers]
        self.table(["rule", "subject", "fate", "approved by", "expires", "note"], rows,
                   rule=True, styles=lambda r, c, t: self.style(
                       t, FATE_STYLE.get(report.waivers[r].status, "")) if c == 2 else t)
        self.add()

    def baseline(self, report: Report) -> None:
        marks = report.baseline
        assert marks is not None
        self.add(f"Baseline {marks.source}: {marks.new} new, {marks.unchanged} unchanged "
                 f"(not blocking), {len(marks.absent)} absent", "bold")
        if marks.absent:
            self.add("Absent from this run (remove them from the baseline):")
            self.table(["rule", "subject", "why"],
                       [[a.rule, f"{a.kind} {a.subject}", a.reason] for a in marks.absent],
                       rule=True)
        self.add()

    def verdict(self, report: Report, exit_code: bool = True) -> None:
        if report.errors:
            n = len(report.errors)
            code = " (exit 3)" if exit_code else ""
            self.add(f"! {n} rule evaluation error{'s' * (n != 1)}: the run is incomplete{code}",
                     "bold red")
        elif report.blocking:
            n = len(report.blocking)
            code = " (exit 1)" if exit_code else ""
            self.add(f"✗ {n} blocking finding{'s' * (n != 1)}{code}", "bold red")
        else:
            self.add("✓ nothing blocking" + (" (exit 0)" if exit_code else ""), "bold green")


def _severity_key(f: Finding) -> tuple[int, str, str, str]:
    """Most severe first, then rule id, then subject."""
    return (severity_rank(f.rule.severity), f.rule.id, f.subject.kind, f.subject.id)
