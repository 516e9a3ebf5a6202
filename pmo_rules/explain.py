"""Explain a rule: metadata, source with file:line, the params it reads, a sample finding."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.engine.results import Finding
from pmo_rules.language import ast
from pmo_rules.language.checked import CheckedPolicySet, ResolvedRule
from pmo_rules.policytest.runner import Library, run_suite


@dataclass(frozen=True)
class ParamUse:
    """A param a rule reads, with the value this run would use and where it is declared."""

    name: str
    value: str
    declared_in: str


@dataclass(frozen=True)
class Explanation:
    """Everything `pmo-rules explain` shows about one rule."""

    resolved: ResolvedRule
    source: str
    params: tuple[ParamUse, ...]
    sample: Finding | None
    sample_from: str | None


def find_rule(policies: CheckedPolicySet, rule_id: str) -> ResolvedRule:
    """The rule with this id, or a diagnostic with a did-you-mean."""
    for resolved in policies.rules:
        if resolved.rule.id == rule_id:
            return resolved
    ids = [r.rule.id for r in policies.rules]
    guess = did_you_mean(rule_id, ids) or did_you_mean(rule_id.upper(), ids)
    raise DiagnosticError([Diagnostic(
        "PMO811", f"no loaded rule has the id `{rule_id}`",
        help=f"did you mean `{guess}`?" if guess
        else "run `pmo-rules validate` to list the rules")])


def params_read(resolved: ResolvedRule, policies: CheckedPolicySet) -> tuple[ParamUse, ...]:
    """The params the rule's expressions read (defines are inlined by the checker)."""
    names = sorted({n.id for n in _names(resolved.rule) if n.binding == "param"})
    out = []
    for name in names:
        param = policies.params.get((resolved.policy, name))
        if param is not None:
            text = getattr(param.value, "text", "") or _literal_text(param.value)
            out.append(ParamUse(name, text, param.declared_in))
    return tuple(out)


def rule_source(resolved: ResolvedRule, policies: CheckedPolicySet) -> str:
    """The rule's text as written, each line prefixed with its file:line."""
    span = resolved.rule.span
    texts = {f.path: f.source for f in policies.files}
    text = texts.get(span.file)
    if text is None:
        return f"{span.file}:{span.line}"
    lines = text.splitlines()
    last = span.end_line if span.end_line >= span.line else span.line
    return "\n".join(f"{span.file}:{n:<4} {lines[n - 1]}" for n in range(span.line, last + 1)
                     if n <= len(lines))


def sample_finding(
    resolved: ResolvedRule, tests_dirs: Sequence[Path], library: Library | None = None
) -> tuple[Finding, str] | None:
    """A failing finding for the rule, from the first of its test cases that expects a failure;
    `library` holds the policies a tested policy extends (as `pmo-rules test` finds them)."""
    from pmo_rules.policytest.cases import load_test_file

    for directory in tests_dirs:
        path = directory / f"{resolved.rule.id}.yaml"
        if not path.is_file():
            continue
        test_file = load_test_file(path)
        for case in test_file.cases:
            failing = [e.subject for e in case.expect if e.status == "fail"]
            if not failing:
                continue
            [result] = run_suite([dataclasses.replace(test_file, cases=(case,))],
                                 library=library)
            if result.report is None:
                continue
            for finding in result.report.findings:
                if finding.rule.id == resolved.rule.id and finding.subject.id in failing:
                    return finding, f"{path}:{case.line} ({case.name})"
    return None


def explain(
    rule_id: str, policies: CheckedPolicySet, tests_dirs: Sequence[Path],
    library: Library | None = None,
) -> Explanation:
    """Gather the explanation of one rule."""
    resolved = find_rule(policies, rule_id)
    sample = sample_finding(resolved, tests_dirs, library)
    return Explanation(
        resolved, rule_source(resolved, policies), params_read(resolved, policies),
        sample[0] if sample else None, sample[1] if sample else None)


def render_text(ex: Explanation) -> str:
    """The explanation for people."""
    rule = ex.resolved.rule
    lines = [f"{rule.id}  {rule.title}",
             f"  policy       {ex.resolved.policy}" + (
                 f" (written in {ex.resolved.origin})" if ex.resolved.origin != ex.resolved.policy
                 else ""),
             f"  severity     {rule.effective_severity}",
             f"  enforcement  {rule.effective_enforcement}",
             f"  maturity     {rule.maturity if rule.maturity is not None else '-'}",
             f"  tags         {', '.join(rule.tags) or '-'}"]
    if rule.doc:
        lines += ["", rule.doc]
    if rule.fix:
        lines += ["", f"fix: {rule.fix}"]
    lines += ["", "params:"]
    lines += [f"  {p.name} = {p.value}  (declared in {p.declared_in})" for p in ex.params] \
        or ["  (none)"]
    lines += ["", "source:", ex.source, ""]
    if ex.sample is None:
        lines.append("sample finding: none (the rule has no failing test case)")
    else:
        f = ex.sample
        lines += [f"sample finding (from {ex.sample_from}):",
                  f"  {f.subject.kind} {f.subject.id}: {f.message}"]
        for ev in f.evidence:
            shown = ", ".join(f"{k} = {v}" for k, v in (ev.shown or ev.values).items())
            lines.append(f"    {ev.clause}" + (f": got {shown}" if shown else ""))
            if ev.missing:
                lines.append(f"      missing: {', '.join(ev.missing)}")
            if ev.witnesses:
                lines.append(f"      via: {' -> '.join(ev.witnesses)}")
    return "\n".join(lines) + "\n"


def _literal_text(value: object) -> str:
    for attr in ("value", "days"):
        if hasattr(value, attr):
            return str(getattr(value, attr))
    return str(value)


def _names(node: object) -> Iterator[ast.Name]:
    """Every Name node under `node`, walking dataclass fields and tuples."""
    if isinstance(node, ast.Name):
        yield node
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _names(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            if f.name not in ("span", "ty"):
                yield from _names(getattr(node, f.name))
