"""The waiver register: load it, match waivers to findings, and decide each waiver's fate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pmo_rules import lined_yaml
from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, did_you_mean, with_source
from pmo_rules.engine.results import Finding, WaiverOutcome

REQUIRED = ("rule", "subject", "reason", "approved_by")
KNOWN = (*REQUIRED, "expires")


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


def load_waivers(path: str | Path) -> list[Waiver]:
    """Read and validate a waiver register; every problem is reported at once (exit 2)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DiagnosticError([Diagnostic(
            "PMO501", f"cannot read the waiver register: {exc.strerror}",
            Span(file, 1, 1, 1, 1), help="check the path given to --waivers",
        )]) from None
    except UnicodeDecodeError as exc:
        raise DiagnosticError([Diagnostic(
            "PMO501", f"the waiver register is not UTF-8 text (byte {exc.start})",
            Span(file, 1, 1, 1, 1), help="save the register as UTF-8",
        )]) from None
    try:
        data = lined_yaml.load(text, key_lines=True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        col = mark.column + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise DiagnosticError([with_source(Diagnostic(
            "PMO502", f"the waiver register is not valid YAML: {problem}",
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
    ok = True
    for key in entry:
        if key not in KNOWN:
            guess = did_you_mean(str(key), KNOWN)
            kline = key_lines.get(str(key), line)
            problems.append(Diagnostic(
                "PMO504", f"unknown waiver field `{key}`",
                Span(file, kline, 1, kline, 1 + len(str(key))),
                path=f"[{index}].{key}",
                help=(f"did you mean `{guess}`?" if guess
                      else f"waiver fields are {', '.join(KNOWN)}"),
            ))
            ok = False
    for key in KNOWN:
        value = entry.get(key)
        if isinstance(value, dict | list):
            kline = key_lines.get(key, line)
            problems.append(Diagnostic(
                "PMO507", f"waiver {index + 1} has a list or a mapping as `{key}`",
                Span(file, kline, 1, kline, 1 + len(key)), path=f"[{index}].{key}",
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
    expires = entry.get("expires")
    if expires is not None and not isinstance(expires, dt.date):
        try:
            expires = dt.date.fromisoformat(str(expires))
        except ValueError:
            eline = key_lines.get("expires", line)
            problems.append(Diagnostic(
                "PMO506", f"waiver {index + 1} expires on `{expires}`, which is not a date",
                Span(file, eline, 1, eline, 8), path=f"[{index}].expires",
                help="write the date as YYYY-MM-DD, e.g. `expires: 2026-12-31`",
            ))
            ok = False
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if not ok:
        return None
    return Waiver(
        rule=str(entry["rule"]), subject=str(entry["subject"]), reason=str(entry["reason"]),
        approved_by=str(entry["approved_by"]), expires=expires, line=line, file=file,
    )


def apply_waivers(
    findings: Sequence[Finding], waivers: Iterable[Waiver], as_of: dt.date,
    known_rules: Iterable[str],
) -> list[WaiverOutcome]:
    """Mark waived findings in place and return every waiver's fate, in register order."""
    failing = {(f.rule.id, f.subject.id): f for f in findings if f.status == "fail"}
    rules = set(known_rules)
    outcomes: list[WaiverOutcome] = []
    applied: dict[tuple[str, str], int] = {}  # (rule, subject) -> line of the waiver used
    for w in waivers:
        expires = w.expires.isoformat() if w.expires else None
        finding = failing.get((w.rule, w.subject))

        def fate(status: str, note: str, w: Waiver = w, expires: str | None = expires) -> None:
            outcomes.append(WaiverOutcome(
                w.rule, w.subject, status, w.reason, w.approved_by, expires, note, w.line,  # type: ignore[arg-type]
            ))

        if w.expires is not None and w.expires < as_of:
            fate("expired", f"expired on {expires}; the finding is reported again")
        elif (w.rule, w.subject) in applied:
            fate("stale", f"duplicates the waiver on line {applied[(w.rule, w.subject)]}")
        elif finding is None:
            note = ("no rule with this id ran" if w.rule not in rules
                    else "matches no failing finding; remove it from the register")
            fate("stale", note)
        elif finding.rule.enforcement == "mandatory":
            fate("rejected", "the rule is mandatory and cannot be waived")
        else:
            finding.status = "waived"
            finding.blocking = False
            finding.waiver = {
                "reason": w.reason, "approved_by": w.approved_by, "expires": expires,
            }
            applied[(w.rule, w.subject)] = w.line
            fate("applied", "the finding is waived")
    return outcomes
