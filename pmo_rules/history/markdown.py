"""Markdown views of history: a diff as a board-pack section, a preview for a change note."""

from __future__ import annotations

from pmo_rules.history.diff import Change, RunDiff
from pmo_rules.history.preview import Preview
from pmo_rules.history.snapshot import Item
from pmo_rules.history.text import pct, pts, signed
from pmo_rules.reports.markdown import md


def _subject(i: Item) -> str:
    return md(f"{i.subject} {i.name}" if i.name else i.subject)


def _status(i: Item) -> str:
    return i.status + (" · **blocking**" if i.blocking else "")


def _items(items: list[Item]) -> list[str]:
    if not items:
        return ["None.", ""]
    out = ["| rule | subject | severity | status | message |", "|---|---|---|---|---|"]
    out += [f"| {md(i.rule)} | {_subject(i)} | {i.severity} | {_status(i)} | {md(i.message)} |"
            for i in items]
    return [*out, ""]


def _changes(title: str, changes: list[Change], columns: tuple[str, ...]) -> list[str]:
    """A titled table of changes: subject, [what changed,] before, after (none: nothing)."""
    if not changes:
        return []
    out = [f"### {title}", "", "| " + " | ".join(columns) + " |",
           "|" + "---|" * len(columns)]
    for c in changes:
        what = [c.field] if len(columns) == 4 else []
        out.append("| " + " | ".join([md(c.subject), *what, md(str(c.before)),
                                      md(str(c.after))]) + " |")
    return [*out, ""]


def diff_markdown(diff: RunDiff) -> str:
    """What changed between two runs, as a section of a board pack."""
    a, b = diff.a, diff.b
    out = [f"## What changed: {md(b.portfolio)}, {a.as_of.isoformat()} to {b.as_of.isoformat()}",
           "", f"From {md(a.source)} (as of {a.as_of.isoformat()}) to {md(b.source)} "
           f"(as of {b.as_of.isoformat()}).", "",
           "| | before | after | change |", "|---|---:|---:|---:|",
           f"| score | {pct(a.score)} | {pct(b.score)} | {pts(a.score, b.score)} |",
           f"| blocking findings | {a.blocking} | {b.blocking} | {b.blocking - a.blocking:+d} |",
           "", f"**{len(diff.new)} new, {len(diff.resolved)} resolved, "
           f"{len(diff.persisting)} persisting.**", "",
           f"### New findings ({len(diff.new)})", "", *_items(diff.new),
           f"### Resolved findings ({len(diff.resolved)})", "", *_items(diff.resolved),
           f"### Persisting findings ({len(diff.persisting)})", ""]
    if diff.persisting:
        out += ["| rule | subject | status | first seen | days open | changed |",
                "|---|---|---|---|---:|---|"]
        for p in diff.persisting:
            changed = "; ".join(f"{f}: {md(str(x))} → {md(str(y))}" for f, x, y in p.changes()
                                if f != "message")
            out.append(f"| {md(p.after.rule)} | {_subject(p.after)} | {_status(p.after)} "
                       f"| {p.first_seen.isoformat()} | {p.days_open} | {changed} |")
        out.append("")
    else:
        out += ["None.", ""]
    out += _changes("Rules changed", diff.rules, ("rule", "what", "before", "after"))
    out += _changes("Waivers whose fate changed", diff.waivers, ("waiver", "before", "after"))
    out += ["### Scores", "", "| scope | before | after | change |", "|---|---:|---:|---:|",
            f"| portfolio | {pct(a.score)} | {pct(b.score)} | {pts(a.score, b.score)} |"]
    for label, pairs in (("program", diff.programs), ("family", diff.families)):
        out += [f"| {label} {md(ident)} | {pct(x)} | {pct(y)} | {pts(x, y)} |"
                for ident, (x, y) in pairs.items()]
    return "\n".join([*out, ""])


def preview_markdown(result: Preview) -> str:
    """The impact of a proposed policy change, for a change note or a department."""
    d = result.diff
    out = [f"## Impact of the proposed policies on {md(d.b.portfolio)} "
           f"(as of {d.b.as_of.isoformat()})", "",
           "| | current | proposed | change |", "|---|---:|---:|---:|",
           f"| blocking findings | {d.a.blocking} | {d.b.blocking} "
           f"| {d.b.blocking - d.a.blocking:+d} |",
           f"| score | {pct(d.a.score)} | {pct(d.b.score)} | {pts(d.a.score, d.b.score)} |",
           "", f"**{len(d.new)} findings added, {len(d.resolved)} removed, "
           f"{sum(len(r.changed) for r in result.rules)} changed** "
           f"({signed(d.a.blocking, d.b.blocking)} blocking).", ""]
    if not result.rules:
        return "\n".join([*out, "The proposed policies change no finding.", ""])
    out += ["| rule | title | change | added | removed | changed | blocking |",
            "|---|---|---|---:|---:|---:|---:|"]
    for r in result.rules:
        what = {"added": "new rule", "removed": "rule dropped"}.get(r.state, "")
        if r.current is not None and r.proposed is not None:
            what = "; ".join(
                f"{name} {getattr(r.current, name)} → {getattr(r.proposed, name)}"
                for name in ("severity", "enforcement")
                if getattr(r.current, name) != getattr(r.proposed, name))
        out.append(f"| {md(r.rule)} | {md(r.title)} | {what} | {len(r.added)} "
                   f"| {len(r.removed)} | {len(r.changed)} | {r.blocking_change:+d} |")
    out.append("")
    out += _changes("Waivers whose fate would change", d.waivers,
                    ("waiver", "current", "proposed"))
    for r in result.rules:
        if not (r.added or r.removed or r.changed):
            continue
        out += [f"### {md(r.rule)} {md(r.title)}", "", "| | subject | status | detail |",
                "|---|---|---|---|"]
        out += [f"| ➕ | {_subject(i)} | {_status(i)} | {md(i.message)} |" for i in r.added]
        out += [f"| ➖ | {_subject(i)} | {_status(i)} | {md(i.message)} |" for i in r.removed]
        out += [f"| ✏️ | {_subject(p.after)} | {_status(p.after)} | "
                + "; ".join(f"{f}: {md(str(x))} → {md(str(y))}" for f, x, y in p.changes())
                + " |" for p in r.changed]
        out.append("")
    return "\n".join(out)
