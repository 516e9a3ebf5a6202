"""Run-time param overrides (`--param POLICY.NAME=VALUE` or settings), parsed, type-checked,
and held to the policies' `tighten` directions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.given import source_of, span_of
from pmo_rules.language import ast
from pmo_rules.language.checked import CheckedPolicySet, ResolvedParam
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


@dataclass
class Overrides:
    """The run's param overrides: (policy, name) -> value, and the text each was given as
    (a `Given` that knows whether `--param` or the settings file gave it, and where)."""

    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    given: dict[tuple[str, str], str] = field(default_factory=dict)


def resolve_overrides(
    assignments: Mapping[str, str], checked: CheckedPolicySet,
    running: Iterable[str] | None = None,
) -> Overrides:
    """Map `POLICY.NAME` -> text to (policy, name) -> value for every policy that sees it.

    A param declared with `tighten` may only move in that direction from the value in
    effect: the value of the policy that runs (a department's, when it tightened the
    param), whichever policy of the chain the key names. `running` names the policies
    whose rules run (default: all that do).
    """
    out = Overrides()
    problems: list[Diagnostic] = []
    known = sorted(f"{pol}.{name}" for pol, name in checked.params)
    runs = set(running) if running is not None else {r.policy for r in checked.rules}
    for key, text in assignments.items():
        policy, _, name = key.rpartition(".")
        targets = [k for k, p in checked.params.items()
                   if k[1] == name and (k[0] == policy or p.declared_in == policy)]
        if not policy or not targets:
            guess = did_you_mean(key, known)
            problems.append(Diagnostic(
                "PMO601", f"no param `{key}` in the loaded policies", span_of(key),
                help=(f"did you mean `{guess}`?" if guess
                      else "write --param POLICY.NAME=VALUE with a param a loaded policy declares"),
            ))
            continue
        value, kind = parse_value(text)
        expected = checked.params[targets[0]].ty
        if kind not in _ACCEPTS.get(expected.kind, {expected.kind}):
            problems.append(Diagnostic(
                "PMO602", f"param `{key}` is a {expected}, but `{text}` is a {kind.value}",
                span_of(text) or span_of(key), help=_example(expected.kind),
            ))
            continue
        if expected.kind is Kind.STRING and not isinstance(value, str):
            value = text.strip().strip('"')
        in_effect = [t for t in targets if t[0] in runs] or targets
        loosened = [checked.params[t] for t in in_effect
                    if _loosens(checked.params[t], value)]
        if loosened:
            problems.append(_loosening(key, text, loosened[0], checked))
            continue
        for target in targets:
            out.values[target] = value
            out.given[target] = text
    if problems:
        raise DiagnosticError(problems)
    return out


def _ordinal(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.timedelta):
        return float(value.days)
    if isinstance(value, dt.date):
        return float(value.toordinal())
    return None


def _loosens(param: ResolvedParam, value: Any) -> bool:
    """Whether `value` moves `param` against its `tighten` direction."""
    from pmo_rules.engine.compiler import literal_value

    if param.tighten is None:
        return False
    new, old = _ordinal(value), _ordinal(literal_value(param.value))
    if new is None or old is None:
        return False
    return new > old if param.tighten == "down" else new < old


def _loosening(key: str, text: str, param: ResolvedParam,
               checked: CheckedPolicySet) -> Diagnostic:
    """PMO608: an override against the direction the policies allow."""
    setter = setting_policy(param, checked)
    word = "raises" if param.tighten == "down" else "lowers"
    bound = "at or below" if param.tighten == "down" else "at or above"
    shown = literal_text(param.value)
    given_by = source_of(text, "")
    by = "the settings file" if given_by == "settings" else \
        f"`{given_by}`" if given_by.startswith("-") else "the run's override"
    return Diagnostic(
        "PMO608", f"{by} {word} `{key}` to `{text}`, but policy `{setter}` "
        f"({param.span.file}:{param.span.line}) sets `{param.name}` to {shown}, and it may "
        f"only tighten {param.tighten}", span_of(text) or span_of(key),
        help=f"give a value {bound} {shown}; loosening a param is a change to the policy "
        f"`{setter}` itself, made by its owner")


def setting_policy(param: ResolvedParam, checked: CheckedPolicySet) -> str:
    """The policy whose declaration set the param's value in effect (its file:line is
    `param.span`): the declaring policy, or a department policy that tightened it."""
    for name, policy in checked.policies.items():
        if any(p.name == param.name and p.span == param.span for p in policy.params):
            return name
    return param.declared_in


def literal_text(lit: ast.Expr) -> str:
    """A param's value as its author wrote it (`20%`, `2w`, `2026-12-31`, `"text"`)."""
    from pmo_rules.engine.compiler import literal_value
    from pmo_rules.engine.runtime import display

    if isinstance(lit, ast.Number | ast.Duration) and lit.text:
        return lit.text
    if isinstance(lit, ast.String):
        return '"' + lit.value.replace('"', '\\"') + '"'
    if isinstance(lit, ast.ListLit):
        return "[" + ", ".join(literal_text(item) for item in lit.items) + "]"
    return display(literal_value(lit))


def _example(kind: Kind) -> str:
    examples = {
        Kind.NUMBER: "give a number such as `15%`, `0.9`, `300k` or `2.5M`",
        Kind.MONEY: "give an amount such as `250k` or `1.5M`",
        Kind.DURATION: "give a duration such as `30d` or `2w`",
        Kind.DATE: "give a date such as `2026-12-31`",
        Kind.BOOL: "give `true` or `false`",
    }
    return examples.get(kind, "give a value of the param's type")
