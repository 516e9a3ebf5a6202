"""The waiver register: load it, check it against the run, match waivers to findings, and
decide each waiver's fate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmo_rules import lined_yaml
from pmo_rules.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Span,
    did_you_mean,
    did_you_mean_id,
    missing_path_help,
    not_a_file,
    with_source,
)
from pmo_rules.engine.results import Finding, WaiverOutcome
from pmo_rules.given import span_of

REQUIRED = ("rule", "subject", "reason", "approved_by")
KNOWN = (*REQUIRED, "expires", "granted")
SEVERITIES = ("info", "low", "medium", "high", "critical")  # lowest first
GRADES = ("staff", "manager", "director", "executive")  # lowest first
EXPIRING_DAYS = 30


@dataclass(frozen=True)
class WaiverRules:
    """What a PMO demands of its waivers (settings `waiver_expiring_days`,
    `max_waiver_days`, `waiver_approver_grade`)."""

    expiring_days: int = EXPIRING_DAYS
    max_days: int | None = None
    # severity -> the lowest grade that may approve a waiver of a finding that severe
    approver_grade: Mapping[str, str] = field(default_factory=dict)

    def min_grade(self, severity: str) -> str | None:
        """The grade an approver needs for this severity: the highest any severity at or
        below it demands (a critical finding needs at least what a high one does)."""
        if severity not in SEVERITIES:
            return None
        rank = SEVERITIES.index(severity)
        needed = [self.approver_grade[s] for s in SEVERITIES[:rank + 1]
                  if self.approver_grade.get(s) in GRADES]
        return max(needed, key=GRADES.index) if needed else None

    def to_dict(self) -> dict[str, Any]:
        """The rules as the report's settings record them."""
        return {"expiring_days": self.expiring_days, "max_days": self.max_days,
                "approver_grade": {s: self.approver_grade[s] for s in reversed(SEVERITIES)
                                   if s in self.approver_grade}}


@dataclass(frozen=True, slots=True)
class Waiver:
    """One entry of the register."""

    rule: str
    subject: str
    reason: str
    approved_by: str
    expires: dt.date | None
    line: int
    file: str
    granted: dt.date | None = None
    # (field, line) for each field written, so a diagnostic points at the field itself
    key_lines: tuple[tuple[str, int], ...] = ()
    key_columns: tuple[tuple[str, int], ...] = ()

    def span_of(self, key: str) -> Span:
        """Where a field of this waiver is written (else the waiver's first line)."""
        line = dict(self.key_lines).get(key, self.line)
        column = dict(self.key_columns).get(key, 1)
        return Span(self.file, line, column, line, column + len(key))


def load_waivers(path: str | Path) -> list[Waiver]:
    """Read and validate a waiver register; every problem is reported at once (exit 2)."""
    file = str(path)
    special = not_a_file("PMO501", file, "the waiver register ",
                         span_of(path) or Span(file, 1, 1, 1, 1))
    if special is not None:
        raise DiagnosticError([special])
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DiagnosticError([Diagnostic(
            "PMO501", f"the waiver register is not UTF-8 text (byte {exc.start})",
            Span(file, 1, 1, 1, 1), help="save the register as UTF-8",
        )]) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte, which no path holds
        given = span_of(path)
        why = exc.strerror if isinstance(exc, OSError) else "a path cannot hold a NUL byte"
        shown = file.replace("\0", "\\0")
        raise DiagnosticError([Diagnostic(
            "PMO501", f"cannot read the waiver register `{shown}`: {why}",
            given or Span(shown, 1, 1, 1, 1),
            help="check the `waivers` setting" if given else missing_path_help(
                shown, "check the path given to --waivers"),
        )]) from None
    try:
        data = lined_yaml.load(text, key_lines=True, key_columns=True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        col = mark.column + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        what = "is refused" if isinstance(exc, lined_yaml.Refused) else "is not valid YAML"
        raise DiagnosticError([with_source(Diagnostic(
            "PMO502", f"the waiver register {what}: {problem}",
            Span(file, line, col, line, col + 1),
            help="a register is a YAML list of {rule, subject, reason, approved_by, expires}",
        ), text)]) from None
    if data is None:
        return []
    if isinstance(data, dict) and "waivers" in data:
        data = data["waivers"]
    if not isinstance(data, list):
        raise DiagnosticError([Diagnostic(
            "PMO503", "the waiver register must be a list of waivers",
            Span(file, 1, 1, 1, 2),
            help="write each waiver as a list item: `- rule: LC-001` ...",
        )])
    waivers: list[Waiver] = []
    problems: list[Diagnostic] = []
    for index, entry in enumerate(data):
        parsed = _parse_entry(entry, index, file, problems)
        if parsed is not None:
            waivers.append(parsed)
    if problems:
        raise DiagnosticError(with_source(d, text) for d in problems)
    return waivers


def _parse_entry(
    entry: Any, index: int, file: str, problems: list[Diagnostic]
) -> Waiver | None:
    if not isinstance(entry, dict):
        problems.append(Diagnostic(
            "PMO503", f"waiver {index + 1} is not a mapping",
            Span(file, 1, 1, 1, 2), path=f"[{index}]",
            help="each waiver is a mapping with rule, subject, reason, approved_by, expires",
        ))
        return None
    line = int(entry.pop(lined_yaml.LINE, 1))
    key_lines: dict[str, int] = entry.pop(lined_yaml.KEY_LINES, {})
    key_columns: dict[str, int] = entry.pop(lined_yaml.KEY_COLUMNS, {})

    def at(key: str) -> Span:
        kline, col = key_lines.get(key, line), key_columns.get(key, 1)
        return Span(file, kline, col, kline, col + len(key))

    ok = True
    for key in entry:
        if key not in KNOWN:
            guess = did_you_mean(str(key), KNOWN)
            problems.append(Diagnostic(
                "PMO504", f"unknown waiver field `{key}`", at(str(key)),
                path=f"[{index}].{key}",
                help=(f"did you mean `{guess}`?" if guess
                      else f"waiver fields are {', '.join(KNOWN)}"),
            ))
            ok = False
    for key in KNOWN:
        value = entry.get(key)
        if isinstance(value, dict | list):
            problems.append(Diagnostic(
                "PMO507", f"waiver {index + 1} has a list or a mapping as `{key}`",
                at(key), path=f"[{index}].{key}",
                help=f"write `{key}` as a single value",
            ))
            entry.pop(key)
            ok = False
    for key in REQUIRED:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Diagnostic(
                "PMO505", f"waiver {index + 1} has no `{key}`", Span(file, line, 1, line, 2),
                path=f"[{index}].{key}",
                help=f"add `{key}:`; a waiver needs rule, subject, reason and approved_by",
            ))
            ok = False
    dates: dict[str, dt.date | None] = {}
    for key in ("expires", "granted"):
        value = entry.get(key)
        if isinstance(value, dt.datetime):
            value = value.date()
        if value is not None and not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value))
            except ValueError as exc:
                why = "" if "format" in str(exc) else f" ({exc})"
                problems.append(Diagnostic(
                    "PMO506", f"waiver {index + 1} {key} on `{value}`, which is not a date{why}",
                    at(key), path=f"[{index}].{key}",
                    help=f"write the date as YYYY-MM-DD, e.g. `{key}: 2026-12-31`",
                ))
                ok = False
                value = None
        dates[key] = value
    if not ok:
        return None
    return Waiver(
        rule=str(entry["rule"]), subject=str(entry["subject"]), reason=str(entry["reason"]),
        approved_by=str(entry["approved_by"]), expires=dates["expires"], line=line, file=file,
        granted=dates["granted"], key_lines=tuple(sorted(key_lines.items())),
        key_columns=tuple(sorted(key_columns.items())),
    )


def check_against_run(
    waivers: Sequence[Waiver], *, rules: Collection[str], subjects: Collection[str],
    people: Mapping[str, str | None], as_of: dt.date,
) -> None:
    """Every waiver still in force names a loaded rule, a subject of the portfolio and a
    person of it as approver; raise DiagnosticError with each one that does not.

    `people` maps person ids to names (for a did-you-mean when a name was written).
    Expired waivers are history: they are reported as expired, not checked.
    """
    problems: list[Diagnostic] = []
    by_name = {name.casefold(): ident for ident, name in people.items() if name}
    for w in waivers:
        if w.expires is not None and w.expires < as_of:
            continue
        if w.rule not in rules:
            guess = did_you_mean(w.rule, rules)
            problems.append(Diagnostic(
                "PMO510", f"waiver for `{w.rule}` names no loaded rule", w.span_of("rule"),
                help=f"did you mean `{guess}`?" if guess else
                "name a rule of the policies this run loads (`pmo-rules validate` lists them)"))
        if w.subject not in subjects:
            guess = did_you_mean_id(w.subject, subjects)
            problems.append(Diagnostic(
                "PMO508", f"waiver subject `{w.subject}` is not in the portfolio",
                w.span_of("subject"),
                help=f"did you mean `{guess}`?" if guess else
                "give the id of a project, program, person, milestone, risk, issue, "
                "objective or dependency of the portfolio"))
        if w.approved_by not in people:
            ident = by_name.get(w.approved_by.casefold())
            guess = ident or did_you_mean_id(w.approved_by, people)
            named = f" ({people[guess]})" if guess and people.get(guess) else ""
            problems.append(Diagnostic(
                "PMO509", f"waiver approver `{w.approved_by}` is not a person in the portfolio",
                w.span_of("approved_by"),
                help=f"did you mean `{guess}`{named}? write the person's id" if guess else
                "write the id of a person listed under `people:` in the portfolio"))
    if problems:
        raise DiagnosticError(problems)


def apply_waivers(
    findings: Sequence[Finding], waivers: Iterable[Waiver], as_of: dt.date,
    known_rules: Iterable[str], rules: WaiverRules | None = None,
    grades: Mapping[str, str | None] | None = None,
) -> list[WaiverOutcome]:
    """Mark waived findings in place and return every waiver's fate, in register order.

    `rules` holds the PMO's demands (expiry window, longest term, approver grades);
    `grades` maps each approver's id to their grade.
    """
    rules = rules or WaiverRules()
    grades = grades or {}
    failing = {(f.rule.id, f.subject.id): f for f in findings if f.status == "fail"}
    ran = set(known_rules)
    outcomes: list[WaiverOutcome] = []
    applied: dict[tuple[str, str], int] = {}  # (rule, subject) -> line of the waiver used
    for w in waivers:
        expires = w.expires.isoformat() if w.expires else None
        finding = failing.get((w.rule, w.subject))
        days_left = (w.expires - as_of).days if w.expires is not None else None

        def fate(status: str, note: str, w: Waiver = w, expires: str | None = expires,
                 days_left: int | None = days_left) -> None:
            expiring = status == "applied" and days_left is not None and \
                days_left <= rules.expiring_days
            if expiring:
                note += f"; expires in {days_left} day{'s' * (days_left != 1)}"
            outcomes.append(WaiverOutcome(
                w.rule, w.subject, status, w.reason, w.approved_by, expires, note, w.line,  # type: ignore[arg-type]
                expiring=expiring, days_left=days_left,
            ))

        if w.expires is not None and w.expires < as_of:
            fate("expired", f"expired on {expires}; the finding is reported again")
        elif (w.rule, w.subject) in applied:
            fate("stale", f"duplicates the waiver on line {applied[(w.rule, w.subject)]}")
        elif finding is None:
            note = ("no rule with this id ran" if w.rule not in ran
                    else "matches no failing finding; remove it from the register")
            fate("stale", note)
        elif finding.rule.enforcement == "mandatory":
            fate("rejected", "the rule is mandatory and cannot be waived")
        elif (too_long := _too_long(w, rules, as_of)) is not None:
            fate("rejected", too_long)
        elif (low := _low_grade(w, finding.rule.severity, rules, grades)) is not None:
            fate("rejected", low)
        else:
            finding.status = "waived"
            finding.blocking = False
            finding.waiver = {
                "reason": w.reason, "approved_by": w.approved_by, "expires": expires,
                "expiring": days_left is not None and days_left <= rules.expiring_days,
            }
            applied[(w.rule, w.subject)] = w.line
            fate("applied", "the finding is waived")
    return outcomes


def _too_long(w: Waiver, rules: WaiverRules, as_of: dt.date) -> str | None:
    """Why a waiver outlasts `max_waiver_days`, or None when it does not."""
    if rules.max_days is None:
        return None
    if w.expires is None:
        return (f"has no `expires`, and waivers may last at most {rules.max_days} days "
                "(max_waiver_days); the finding is reported again")
    start = w.granted or as_of
    term = (w.expires - start).days
    if term <= rules.max_days:
        return None
    since = f"granted {start.isoformat()}" if w.granted else f"from {as_of.isoformat()}"
    return (f"runs {term} days ({since} to {w.expires.isoformat()}), longer than the "
            f"{rules.max_days} days allowed (max_waiver_days); the finding is reported again")


def _low_grade(w: Waiver, severity: str, rules: WaiverRules,
               grades: Mapping[str, str | None]) -> str | None:
    """Why the approver's grade is too low for the finding's severity, or None."""
    needed = rules.min_grade(severity)
    if needed is None:
        return None
    grade = grades.get(w.approved_by)
    if grade in GRADES and GRADES.index(grade) >= GRADES.index(needed):
        return None
    has = f"is a {grade}" if grade else "has no grade in the portfolio"
    return (f"a {severity} finding needs an approver of grade {needed} or above "
            f"(waiver_approver_grade); {w.approved_by} {has}")
