"""Evaluate rule plans over the portfolio: every (rule, subject) ends as exactly one status."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pmo_rules import limits
from pmo_rules.engine.evidence import Explainer, SourceText
from pmo_rules.engine.plan import RulePlan
from pmo_rules.engine.results import Evidence, Finding, RuleCounts, RuleInfo, Status, Subject
from pmo_rules.engine.runtime import (
    MISSING,
    SEVERITY_ORDER,
    Env,
    OverBudget,
    RuleError,
    display,
    entity_id,
)
from pmo_rules.language import ast
from pmo_rules.timing import staged


@dataclass(slots=True)
class Outcome:
    """Everything evaluation produced, before waivers are applied."""

    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, RuleCounts] = field(default_factory=dict)
    passes: list[tuple[str, list[Any]]] = field(default_factory=list)  # (severity, subjects)


class Evaluator:
    """Runs compiled plans; a rule that raises becomes an `error` for that subject only."""

    def __init__(
        self, source: SourceText, portfolio_id: str, portfolio_name: str | None,
        show_passes: bool = False, fail_on: str | None = None,
    ) -> None:
        self.source = source
        self.portfolio_subject = Subject("portfolio", portfolio_id, portfolio_name)
        self.show_passes = show_passes
        self.fail_rank = SEVERITY_ORDER.get(fail_on or "info", 0)
        self.outcome = Outcome()

    def blocks(self, info: RuleInfo) -> bool:
        """Whether a failure of this rule blocks: not advisory, and at or above --fail-on."""
        return (info.enforcement != "advisory"
                and SEVERITY_ORDER.get(info.severity, 2) >= self.fail_rank)

    def run(self, plans: Iterable[RulePlan], tick: Callable[[], None] | None = None) -> Outcome:
        """Evaluate every plan in order."""
        for plan in plans:
            self.run_plan(plan)
            if tick is not None:
                tick()
        return self.outcome

    def rule_error(self, plan: RulePlan, message: str) -> None:
        """Record a rule that could not run at all (a bad param, a missing plugin)."""
        counts = self.outcome.counts.setdefault(plan.info.id, RuleCounts())
        counts.error += 1
        self.outcome.findings.append(
            Finding(plan.info, self.portfolio_subject, "error", message)
        )

    @staged("evaluate")
    def run_plan(self, plan: RulePlan) -> None:
        """Evaluate one rule over all its subjects, within its budget of steps: a rule that
        runs out ends as one `error` naming the limit, and none of its partial results."""
        budget = plan.compiler.ctx.budget
        budget.reset()
        outcome = self.outcome
        marks = (len(outcome.findings), len(outcome.passes))
        with contextlib.suppress(OverBudget):
            self._run_plan(plan)
        if budget.spent:  # (a fallback may have swallowed the raise: the count still tells)
            del outcome.findings[marks[0]:]
            del outcome.passes[marks[1]:]
            outcome.counts[plan.info.id] = RuleCounts()
            self.rule_error(plan, over_budget(plan.info.id, budget.limit))

    def _run_plan(self, plan: RulePlan) -> None:
        counts = self.outcome.counts.setdefault(plan.info.id, RuleCounts())
        passed: list[Any] = []
        self.outcome.passes.append((plan.info.severity, passed))
        explainer = Explainer(plan.compiler, self.source)
        if plan.subjects is None:
            subjects: list[Any] = [None]
        else:
            try:
                found = plan.subjects({})
            except RuleError as exc:
                self.rule_error(plan, str(exc))
                return
            if isinstance(found, dict):
                found = found.values()
            elif found is not MISSING and found is not None and not isinstance(found,
                                                                           list | tuple):
                from pmo_rules.engine.runtime import kind_of

                self.rule_error(plan, f"rule {plan.info.id} cannot run: its `for` ranges over "
                                f"a {kind_of(found)} in the data, not a list")
                return
            subjects = [] if found is MISSING or found is None else list(found)
        plan.compiler.ctx.budget.charge(len(subjects))
        if plan.fast is not None:
            # The generated loop settles the passes; the closures re-run only the rest,
            # to explain each failure (or record its error).
            fast_passed, subjects, fast_na = plan.fast(subjects)
            passed.extend(fast_passed)
            counts.not_applicable += fast_na
        var = plan.var
        where = plan.where
        simple = plan.simple
        steps = plan.steps
        keep_passes = self.show_passes
        add_pass = passed.append
        failures: list[tuple[Any, Env, list[ast.Require]]] = []
        not_applicable = 0
        for entity in subjects:
            env: Env = {} if var is None else {var: entity}
            try:
                if where is not None and where(env) is not True:
                    not_applicable += 1
                    continue
                if simple is not None:  # the common one-clause rule, kept tight
                    if simple(env) is True:
                        add_pass(entity)
                    else:
                        failures.append((entity, env, [steps[0].require]))  # type: ignore[list-item]
                    continue
                failed = []
                for step in steps:
                    value = step.fn(env)
                    if step.let_name is not None:
                        env[step.let_name] = value
                    elif value is not True:
                        failed.append(step.require)
            except RuleError as exc:
                self._record(plan, entity, "error", str(exc), (), counts)
                continue
            except OverBudget:
                raise
            except Exception as exc:  # data the checker could not foresee
                message = f"evaluation failed: {type(exc).__name__}: {exc}"
                self._record(plan, entity, "error", message, (), counts)
                continue
            if failed:
                failures.append((entity, env, failed))  # type: ignore[arg-type]
            else:
                add_pass(entity)
        counts.not_applicable += not_applicable
        blocking = self.blocks(plan.info)  # the same for every failure of the rule
        add_finding = self.outcome.findings.append
        for entity, env, failed_clauses in failures:
            subject = self._subject(plan, entity)
            try:
                evidence = tuple([explainer.explain(req, env, subject.id)
                                  for req in failed_clauses])
            except OverBudget:
                raise
            except Exception:  # the verdict stands; say which clauses failed, without values
                evidence = tuple(Evidence(req.text, {}, (subject.id,)) for req in failed_clauses)
            message = self._message(plan, env, evidence)
            counts.failed += 1
            add_finding(Finding(plan.info, subject, "fail", message, evidence, blocking,
                                entity=entity))
        if keep_passes:
            self.outcome.findings.extend(
                Finding(plan.info, self._subject(plan, e), "pass", "", entity=e) for e in passed)
        counts.passed += len(passed)

    def _record(
        self, plan: RulePlan, entity: Any, status: Status, message: str,
        evidence: tuple[Any, ...], counts: RuleCounts,
        subject: Subject | None = None,
    ) -> None:
        subject = subject or self._subject(plan, entity)
        if status == "error":
            counts.error += 1
            blocking = False
        else:
            counts.failed += 1
            blocking = self.blocks(plan.info)
        self.outcome.findings.append(
            Finding(plan.info, subject, status, message, evidence, blocking, entity=entity)
        )

    def _subject(self, plan: RulePlan, entity: Any) -> Subject:
        if entity is None:
            return self.portfolio_subject
        name = getattr(entity, "name", None) or getattr(entity, "title", None)
        label = name if isinstance(name, str) else None
        return Subject(plan.subject_kind, entity_id(entity), label)

    def _message(self, plan: RulePlan, env: Env, evidence: tuple[Any, ...]) -> str:
        if plan.message is None:
            parts = []
            for ev in evidence:
                got = ", ".join([f"{k} = {v}" for k, v in ev.shown.items()])
                parts.append(f"{ev.clause}: got {got}" if got else ev.clause)
            return "; ".join(parts) or plan.info.title
        out = []
        for part in plan.message:
            if isinstance(part, str):
                out.append(part)
            else:
                try:
                    out.append(display(part(env)))
                except Exception:
                    out.append("?")
        return "".join(out)


def over_budget(rule_id: str, limit: int) -> str:
    """The message of a rule that ran out of evaluation steps."""
    return (f"rule {rule_id} stopped after {limit:,} evaluation steps, the limit "
            f"({limits.STEPS.env}): its quantifiers, aggregates and graph functions visit too "
            "many elements; narrow them with `where` or an equality with the subject "
            "(docs/checking.md, \"Limits\"), or raise the limit")
