"""Plain-text views of history for a terminal or a CI log: runs, diff, trend, preview."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from pmo_rules.history.diff import Change, Persisting, RunDiff
from pmo_rules.history.preview import Preview, RuleImpact
from pmo_rules.history.snapshot import Item
from pmo_rules.history.store import RunInfo
from pmo_rules.history.trend import Trend

SPARKS = "▁▂▃▄▅▆▇█"
SPARK_RUNS = 40  # the sparkline shows the latest runs only
MARK = {"new": "+", "resolved": "-", "persisting": "="}


def pct(score: float | None) -> str:
    """A score as a percentage with one decimal (`—` when there is none)."""
    return "—" if score is None else f"{score * 100:.1f}%"


def pts(before: float | None, after: float | None) -> str:
    """The change between two scores in percentage points."""
    if before is None or after is None:
        return "—"  # a program new or gone, or a run whose rules all errored
    change = round((after - before) * 100, 1)
    return "±0" if change == 0 else f"{change:+.1f} pts"


def signed(before: int, after: int) -> str:
    """`before → after (+n)` for a count."""
    change = after - before
    return f"{before} → {after}" + (f" ({change:+d})" if change else "")


def _render(write: Callable[[Console], None], width: int) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False,
                      force_terminal=False)
    write(console)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _table(*columns: str, right: Iterable[str] = ()) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    keep_right = set(right)
    for col in columns:
        table.add_column(col, justify="right" if col in keep_right else "left")
    return table


def _heading(console: Console, text: str) -> None:
    console.print()
    console.print(Text(text, style="bold"))


# -- history -------------------------------------------------------------------------------

def runs_text(listed: Sequence[RunInfo], *, width: int = 100) -> str:
    """The recorded runs as a table."""
    def write(console: Console) -> None:
        if not listed:
            console.print("no recorded runs match")
            return
        table = _table("run", "recorded at (UTC)", "as of", "portfolio", "policies", "fail",
                       "waived", "blocking", "score",
                       right=("run", "fail", "waived", "blocking", "score"))
        for r in listed:
            table.add_row(str(r.id), r.recorded_at.strftime("%Y-%m-%d %H:%M"),
                          r.as_of.isoformat(), escape(r.portfolio),
                          escape(_policies(r)), str(r.failed), str(r.waived),
                          str(r.blocking), pct(r.score))
        console.print(table)
    return _render(write, width)


def _policies(run: RunInfo) -> str:
    """One policy by name; several by count and hash, so a table row stays one line and a
    policy change shows as a new hash (`history --format json` lists them all)."""
    names = run.policy_names()
    if len(names) == 1:
        return names[0]
    return f"{len(names)} policies, {run.policy_hash[:8]}"


# -- diff ----------------------------------------------------------------------------------

def _side(label: str, source: str, as_of: str) -> str:
    return f"{label}: {source} (as of {as_of})"


def diff_text(diff: RunDiff, *, width: int = 100) -> str:
    """What changed between two runs, for people."""
    a, b = diff.a, diff.b

    def write(console: Console) -> None:
        console.print(Text(f"Portfolio {b.portfolio}: what changed", style="bold"))
        console.print(_side("from", a.source, a.as_of.isoformat()))
        console.print(_side("to  ", b.source, b.as_of.isoformat()))
        console.print(f"score {pct(a.score)} → {pct(b.score)} ({pts(a.score, b.score)}) · "
                      f"blocking {signed(a.blocking, b.blocking)} · {len(diff.new)} new, "
                      f"{len(diff.resolved)} resolved, {len(diff.persisting)} persisting")
        _items(console, f"New findings ({len(diff.new)})", diff.new, "new")
        _items(console, f"Resolved findings ({len(diff.resolved)})", diff.resolved, "resolved")
        _persisting(console, diff.persisting)
        _changes(console, "Rules changed", diff.rules, ("rule", "what", "before", "after"))
        _changes(console, "Waivers whose fate changed", diff.waivers,
                 ("waiver", "before", "after"))
        _scores(console, diff)
    return _render(write, width)


def _changes(
    console: Console, title: str, changes: Sequence[Change], columns: tuple[str, ...],
) -> None:
    """A titled table of changes: subject, [what changed,] before, after (none: nothing)."""
    if not changes:
        return
    _heading(console, title)
    table = _table(*columns)
    for c in changes:
        what = (c.field,) if len(columns) == 4 else ()
        table.add_row(escape(c.subject), *what, escape(str(c.before)), escape(str(c.after)))
    console.print(table)


def _items(console: Console, title: str, items: list[Item], kind: str) -> None:
    _heading(console, title)
    if not items:
        console.print("  none")
        return
    table = _table("", "rule", "subject", "severity", "status", "message")
    for i in items:
        status = i.status + (" · blocking" if i.blocking else "")
        table.add_row(MARK[kind], escape(i.rule), escape(_subject(i)), i.severity, status,
                      escape(i.message))
    console.print(table)


def _subject(i: Item) -> str:
    return f"{i.subject} {i.name}" if i.name else i.subject


def _persisting(console: Console, items: list[Persisting]) -> None:
    _heading(console, f"Persisting findings ({len(items)})")
    if not items:
        console.print("  none")
        return
    table = _table("rule", "subject", "first seen", "days open", "status", "changed",
                   right=("days open",))
    for p in items:
        status = p.after.status + (" · blocking" if p.after.blocking else "")
        changed = "; ".join(f"{f} {x} → {y}" for f, x, y in p.changes() if f != "message")
        if any(f == "message" for f, _, _ in p.changes()):
            changed = "; ".join(filter(None, [changed, "message"]))
        table.add_row(escape(p.after.rule), escape(_subject(p.after)),
                      p.first_seen.isoformat(), str(p.days_open), status, escape(changed))
    console.print(table)


def _scores(console: Console, diff: RunDiff) -> None:
    _heading(console, "Scores")
    table = _table("scope", "before", "after", "change", right=("before", "after", "change"))
    table.add_row("portfolio", pct(diff.a.score), pct(diff.b.score),
                  pts(diff.a.score, diff.b.score))
    for label, pairs in (("program", diff.programs), ("family", diff.families)):
        for ident, (x, y) in pairs.items():
            table.add_row(f"{label} {escape(ident)}", pct(x), pct(y), pts(x, y))
    console.print(table)


# -- trend ---------------------------------------------------------------------------------

def sparkline(values: Sequence[float | None]) -> str:
    """Values as a row of block characters scaled from 0 to 1 (a space where missing)."""
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            out.append(SPARKS[min(len(SPARKS) - 1, max(0, round(v * (len(SPARKS) - 1))))])
    return "".join(out)


def trend_text(trend: Trend, *, width: int = 100) -> str:
    """The trend as a table per run, then each program's and family's scores over time."""
    def write(console: Console) -> None:
        console.print(Text(f"Portfolio {trend.portfolio}: {len(trend.points)} recorded "
                           f"run{'s' * (len(trend.points) != 1)}", style="bold"))
        if not trend.points:
            return
        console.print()
        table = _table("run", "as of", "score", "blocking", "open", "median age (days)",
                       "active waivers",
                       right=("run", "score", "blocking", "open", "median age (days)",
                              "active waivers"))
        for p in trend.points:
            age = "—" if p.median_age is None else f"{p.median_age:g}"
            table.add_row(str(p.run_id), p.as_of.isoformat(), pct(p.score), str(p.blocking),
                          str(p.failing), age, str(p.active_waivers))
        console.print(table)
        for label, names in (("program", trend.programs), ("family", trend.families)):
            if not names:
                continue
            _heading(console, f"Score by {label} (first → last run)")
            rows = _table(label, "first", "last", "change", "over time",
                          right=("first", "last", "change"))
            for name in names:
                series = [(pt.programs if label == "program" else pt.families).get(name)
                          for pt in trend.points]
                present = [v for v in series if v is not None]
                first, last = (present[0], present[-1]) if present else (None, None)
                rows.add_row(escape(name), pct(first), pct(last), pts(first, last),
                             sparkline(series[-SPARK_RUNS:]))
            console.print(rows)
    return _render(write, width)


# -- preview -------------------------------------------------------------------------------

def preview_text(result: Preview, *, width: int = 100) -> str:
    """The impact of a proposed policy change, rule by rule."""
    d = result.diff

    def write(console: Console) -> None:
        console.print(Text(f"Portfolio {d.b.portfolio} (as of {d.b.as_of.isoformat()}): "
                           "impact of the proposed policies", style="bold"))
        console.print(f"blocking {signed(d.a.blocking, d.b.blocking)} · score "
                      f"{pct(d.a.score)} → {pct(d.b.score)} ({pts(d.a.score, d.b.score)}) · "
                      f"{len(d.new)} finding{'s' * (len(d.new) != 1)} added, "
                      f"{len(d.resolved)} removed, "
                      f"{sum(len(r.changed) for r in result.rules)} changed")
        if not result.rules:
            console.print()
            console.print("The proposed policies change no finding.")
            return
        _heading(console, "By rule")
        table = _table("rule", "", "severity", "enforcement", "added", "removed", "changed",
                       "blocking", right=("added", "removed", "changed", "blocking"))
        for r in result.rules:
            table.add_row(escape(r.rule), r.state if r.state != "kept" else "",
                          _field(r, "severity"), _field(r, "enforcement"), str(len(r.added)),
                          str(len(r.removed)), str(len(r.changed)), f"{r.blocking_change:+d}")
        console.print(table)
        _changes(console, "Waivers whose fate would change", d.waivers,
                 ("waiver", "current", "proposed"))
        for r in result.rules:
            if not (r.added or r.removed or r.changed):
                continue
            _heading(console, f"{r.rule} {r.title}")
            rows = _table("", "subject", "status", "detail")
            for i in r.added:
                rows.add_row("+", escape(_subject(i)), _status(i), escape(i.message))
            for i in r.removed:
                rows.add_row("-", escape(_subject(i)), _status(i), escape(i.message))
            for p in r.changed:
                detail = "; ".join(f"{f}: {x} → {y}" for f, x, y in p.changes())
                rows.add_row("~", escape(_subject(p.after)), _status(p.after), escape(detail))
            console.print(rows)
    return _render(write, width)


def _status(i: Item) -> str:
    return i.status + (" · blocking" if i.blocking else "")


def _field(r: RuleImpact, name: str) -> str:
    current = getattr(r.current, name) if r.current is not None else None
    proposed = getattr(r.proposed, name) if r.proposed is not None else None
    if current is None or proposed is None or current == proposed:
        return str(proposed or current or "")
    return f"{current} → {proposed}"
