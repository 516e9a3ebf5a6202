"""Run a plugin check for a rule with `check`: its results become ordinary findings.

A check that raises, or returns anything but a list of CheckResult, becomes one
`error` result on that rule naming the plugin and the error; no other rule is touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pmo_rules.engine.evaluate import Evaluator
from pmo_rules.engine.plan import RulePlan
from pmo_rules.engine.results import Evidence, Finding, RuleCounts, Subject
from pmo_rules.engine.runtime import RunContext, entity_id, show, to_plain
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
        results = check.implementation(ctx)
    except Exception as exc:  # plugin code: anything may happen, and it must stay local
        raise CheckFailed(
            f"plugin `{plugin}`: check `{name}` raised {type(exc).__name__}: {exc}") from exc
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
    for result in results:
        try:
            entity, subject = _subject(evaluator, ctx, check.decl.subject, result.subject)
        except Exception as exc:  # a result naming its subject in a way we cannot read
            evaluator.rule_error(plan, f"check `{check.decl.name}` returned a result whose "
                                 f"subject cannot be read: {type(exc).__name__}: {exc}")
            continue
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


def _subject(
    evaluator: Evaluator, ctx: RunContext, kind: str, subject: Any
) -> tuple[Any, Subject]:
    if subject is None:
        return None, evaluator.portfolio_subject
    if isinstance(subject, str):
        table = getattr(ctx.portfolio, _BY_ID.get(kind, ""), None)
        found = table.get(subject) if isinstance(table, Mapping) else None
        if found is None:
            return None, Subject(kind, subject)
        subject = found
    name = getattr(subject, "name", None) or getattr(subject, "title", None)
    return subject, Subject(kind, entity_id(subject), name if isinstance(name, str) else None)


def _clause(name: str, args: Mapping[str, Any]) -> str:
    shown = ", ".join(f"{k}: {show(v)}" for k, v in args.items())
    return f"check {name}({shown})"


def _evidence(clause: str, values: Any, subject_id: str) -> Evidence:
    # A plugin's evidence is whatever it returned: keep what can be shown, never crash.
    items = sorted(values.items(), key=lambda kv: str(kv[0])) if isinstance(values, Mapping) \
        else []
    plain = {str(k): to_plain(v) for k, v in items}
    return Evidence(clause, plain, (subject_id,), shown={str(k): show(v) for k, v in items})
