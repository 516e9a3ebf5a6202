"""Run-time param overrides (`--param POLICY.NAME=VALUE`), parsed and type-checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.language.checked import CheckedPolicySet
from pmo_rules.language.types import Kind
from pmo_rules.model.literals import DURATION, days_literal, number_literal


def parse_value(text: str) -> tuple[Any, Kind]:
    """A literal as written on the command line: 15%, 2.5M, 30d, 2w, 2026-12-31, true, text."""
    raw = text.strip()
    if DURATION.match(raw):
        days = days_literal(raw)
        if days is not None:
            return dt.timedelta(days=days), Kind.DURATION
        return raw, Kind.STRING  # too long for a duration: reported as the wrong type
    if (number := number_literal(raw)) is not None:
        return number[0], Kind.NUMBER
    if raw in ("true", "false"):
        return raw == "true", Kind.BOOL
    try:
        return dt.date.fromisoformat(raw), Kind.DATE
    except ValueError:
        pass
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    return raw, Kind.STRING


_ACCEPTS = {
    Kind.NUMBER: {Kind.NUMBER},
    Kind.MONEY: {Kind.NUMBER},
    Kind.DURATION: {Kind.DURATION},
    Kind.DATE: {Kind.DATE},
    Kind.BOOL: {Kind.BOOL},
    Kind.STRING: {Kind.STRING, Kind.NUMBER, Kind.DATE, Kind.BOOL, Kind.DURATION},
    Kind.ANY: set(Kind),
}


def resolve_overrides(
    assignments: Mapping[str, str], checked: CheckedPolicySet
) -> dict[tuple[str, str], Any]:
    """Map `POLICY.NAME` -> text to (policy, name) -> value for every policy that sees it."""
    out: dict[tuple[str, str], Any] = {}
    problems: list[Diagnostic] = []
    known = sorted(f"{pol}.{name}" for pol, name in checked.params)
    for key, text in assignments.items():
        policy, _, name = key.rpartition(".")
        targets = [k for k, p in checked.params.items()
                   if k[1] == name and (k[0] == policy or p.declared_in == policy)]
        if not policy or not targets:
            guess = did_you_mean(key, known)
            problems.append(Diagnostic(
                "PMO601", f"no param `{key}` in the loaded policies",
                help=(f"did you mean `{guess}`?" if guess
                      else "write --param POLICY.NAME=VALUE with a param a loaded policy declares"),
            ))
            continue
        value, kind = parse_value(text)
        expected = checked.params[targets[0]].ty
        if kind not in _ACCEPTS.get(expected.kind, {expected.kind}):
            problems.append(Diagnostic(
                "PMO602", f"param `{key}` is a {expected}, but `{text}` is a {kind.value}",
                help=_example(expected.kind),
            ))
            continue
        if expected.kind is Kind.STRING and not isinstance(value, str):
            value = text.strip().strip('"')
        for target in targets:
            out[target] = value
    if problems:
        raise DiagnosticError(problems)
    return out


def _example(kind: Kind) -> str:
    examples = {
        Kind.NUMBER: "give a number such as `15%`, `0.9`, `300k` or `2.5M`",
        Kind.MONEY: "give an amount such as `250k` or `1.5M`",
        Kind.DURATION: "give a duration such as `30d` or `2w`",
        Kind.DATE: "give a date such as `2026-12-31`",
        Kind.BOOL: "give `true` or `false`",
    }
    return examples.get(kind, "give a value of the param's type")
