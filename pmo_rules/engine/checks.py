"""Run a plugin check for a rule with `check`: its results become ordinary findings.

A check that raises (SystemExit included), runs past the plugin time limit, or
returns anything but a list of CheckResult, becomes one `error` result on that
rule naming the plugin and the error; no other rule is touched. Results the
engine cannot use (a subject that is not an entity of the check's kind in this
portfolio, a subject given twice, `passed` that is not true or false) are left
out, and one `error` result names the plugin and what was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pmo_rules.engine.evaluate import Evaluator
from pmo_rules.engine.plan import RulePlan
from pmo_rules.engine.results import Evidence, Finding, RuleCounts, Subject
from pmo_rules.engine.runtime import RunContext, entity_id, show, to_plain
from pmo_rules.plugins import guard
from pmo_rules.plugins.types import CheckContext, CheckResult, PluginCheck
from pmo_rules.timing import staged

_BY_ID = {
    "project": "projects_by_id", "program": "programs_by_id", "person": "people_by_id",
    "objective": "objectives_by_id", "milestone": "milestones_by_id", "risk": "risks_by_id",
    "issue": "issues_by_id", "dependency": "dependencies_by_id",
}


class CheckFailed(Exception):
    """A plugin check could not produce results (it raised, or returned the wrong shape)."""


def check_arguments(plan: RulePlan) -> dict[str, Any]:
    """The values of the check call's named arguments (literals and params), as written."""
    call = plan.rule.check
    if call is None:
        return {}
    return {name: plan.compiler.compile(expr)({}) for name, expr in call.kwargs}


def call_check(check: PluginCheck, ctx: CheckContext) -> list[CheckResult]:
    """Call the check's implementation; raise CheckFailed naming the plugin on any problem."""
    plugin = check.decl.plugin or "?"
    name = check.decl.name
    try:
        results = guard.call(plugin, f"check `{name}`", check.implementation, ctx)
    except guard.PluginError as exc:
        raise CheckFailed(str(exc)) from exc
    if not isinstance(results, list | tuple):
        raise CheckFailed(f"plugin `{plugin}`: check `{name}` returned "
                          f"{type(results).__name__}, expected a list of CheckResult")
    bad = sorted({type(r).__name__ for r in results if not isinstance(r, CheckResult)})
    if bad:
        raise CheckFailed(f"plugin `{plugin}`: check `{name}` returned a list holding "
                          f"{', '.join(bad)}, expected only CheckResult")
    return list(results)


@staged("evaluate")
def run_check(
    evaluator: Evaluator, plan: RulePlan, check: PluginCheck, ctx: RunContext
) -> None:
    """Evaluate one `check` rule and record its findings, counts and passes."""
    try:
        args = check_arguments(plan)
        context = CheckContext(ctx.portfolio, ctx.graph, ctx.as_of, args)
        results = call_check(check, context)
    except CheckFailed as exc:
        evaluator.rule_error(plan, str(exc))
        return
    except Exception as exc:  # an argument that could not be evaluated
        evaluator.rule_error(plan, f"check `{check.decl.name}`: {type(exc).__name__}: {exc}")
        return
    outcome = evaluator.outcome
    counts = outcome.counts.setdefault(plan.info.id, RuleCounts())
    passed: list[Any] = []
    outcome.passes.append((plan.info.severity, passed))
    clause = _clause(check.decl.name, args)
    blocking = evaluator.blocks(plan.info)
    rejected: list[str] = []
    seen: set[str] = set()
    for result in results:
        found = _unusable(result) or _subject(evaluator, ctx, check.decl.subject,
                                              result.subject)
        if isinstance(found, str):
            rejected.append(found)
            continue
        entity, subject = found
        if subject.id in seen:
            rejected.append(f"subject `{subject.id}` twice")
            continue
        seen.add(subject.id)
        if result.not_applicable:
            counts.not_applicable += 1
        elif result.passed:
            counts.passed += 1
            passed.append(entity)
            if evaluator.show_passes:
                outcome.findings.append(Finding(plan.info, subject, "pass", "", entity=entity))
        else:
            counts.failed += 1
            evidence = _evidence(clause, result.evidence, subject.id)
            outcome.findings.append(Finding(
                plan.info, subject, "fail", result.message or plan.info.title, (evidence,),
                blocking, entity=entity))
    if rejected:
        plugin = check.decl.plugin or "?"
        shown = "; ".join(rejected[:3]) + (f"; and {len(rejected) - 3} more"
                                            if len(rejected) > 3 else "")
        evaluator.rule_error(plan, f"plugin `{plugin}`: check `{check.decl.name}` returned "
                             f"{len(rejected)} result(s) that were left out: {shown}")


def _unusable(result: CheckResult) -> str | None:
    """Why a result cannot become a finding, in words; None when it can."""
    for name in ("passed", "not_applicable"):
        value = getattr(result, name)
        if not isinstance(value, bool):
            return f"`{name}` is {guard.shown(value)}, not true or false"
    if not isinstance(result.message, str):
        return f"`message` is {guard.shown(result.message)}, not text"
    return None


def _subject(
    evaluator: Evaluator, ctx: RunContext, kind: str, subject: Any
) -> tuple[Any, Subject] | str:
    """The entity and Subject a result is about, or why it names none of this portfolio's."""
    if subject is None:
        return None, evaluator.portfolio_subject
    if kind == "portfolio":
        if subject == evaluator.portfolio_subject.id or subject is ctx.portfolio.portfolio:
            return None, evaluator.portfolio_subject
        return f"subject {guard.shown(subject)} is not the portfolio"
    table = getattr(ctx.portfolio, _BY_ID.get(kind, ""), None)
    if not isinstance(table, Mapping):
        return f"subject {guard.shown(subject)}: no {kind} table to find it in"
    if isinstance(subject, str):
        found = table.get(subject)
        if found is None:
            return f"subject `{guard.shown(subject)}` is not a {kind} of this portfolio"
    else:
        ident = getattr(subject, "id", None)
        found = table.get(ident) if isinstance(ident, str) else None
        if found is not subject:
            return f"subject {guard.shown(subject)} is not a {kind} of this portfolio"
    name = getattr(found, "name", None) or getattr(found, "title", None)
    return found, Subject(kind, entity_id(found), name if isinstance(name, str) else None)


def _clause(name: str, args: Mapping[str, Any]) -> str:
    shown = ", ".join(f"{k}: {show(v)}" for k, v in args.items())
    return f"check {name}({shown})"


def _evidence(clause: str, values: Any, subject_id: str) -> Evidence:
    # A plugin's evidence is whatever it returned: keep what can be shown, never crash.
    items = sorted(values.items(), key=lambda kv: str(kv[0])) if isinstance(values, Mapping) \
        else []
    plain = {str(k): to_plain(v) for k, v in items}
    return Evidence(clause, plain, (subject_id,), shown={str(k): show(v) for k, v in items})
