"""Evaluate rule plans over the portfolio: every (rule, subject) ends as exactly one status."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pmo_rules.engine.evidence import Explainer, SourceText
from pmo_rules.engine.plan import RulePlan
from pmo_rules.engine.results import (
    SEVERITY_WEIGHT,
    Finding,
    RuleCounts,
    ScoreBoard,
    Status,
    Subject,
)
from pmo_rules.engine.runtime import MISSING, Env, RuleError, display, entity_id

_SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


@dataclass(slots=True)
class Outcome:
    """Everything evaluation produced, before waivers are applied."""

    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, RuleCounts] = field(default_factory=dict)
    scores: ScoreBoard = field(default_factory=ScoreBoard)
    # (rule id, subject id) of every failure, with the scope keys it weighs on, so
    # waivers can move its weight from failed to compliant.
    scope_keys: dict[tuple[str, str], tuple[tuple[tuple[str, str], ...], int]] = field(
        default_factory=dict)


class Evaluator:
    """Runs compiled plans; a rule that raises becomes an `error` for that subject only."""

    def __init__(
        self, source: SourceText, portfolio_id: str, portfolio_name: str | None,
        show_passes: bool = False, fail_on: str | None = None,
    ) -> None:
        self.source = source
        self.portfolio_subject = Subject("portfolio", portfolio_id, portfolio_name)
        self.show_passes = show_passes
        self.fail_rank = _SEVERITY_RANK.get(fail_on or "info", 0)
        self.outcome = Outcome()

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

    def run_plan(self, plan: RulePlan) -> None:
        """Evaluate one rule over all its subjects."""
        counts = self.outcome.counts.setdefault(plan.info.id, RuleCounts())
        weight = SEVERITY_WEIGHT.get(plan.info.severity, 1)
        explainer = Explainer(plan.compiler, self.source)
        if plan.subjects is None:
            subjects: list[Any] = [None]
        else:
            try:
                found = plan.subjects({})
            except RuleError as exc:
                self.rule_error(plan, str(exc))
                return
            subjects = [] if found is MISSING else list(found)
        var = plan.var
        where = plan.where
        simple = plan.simple
        steps = plan.steps
        for entity in subjects:
            env: Env = {} if var is None else {var: entity}
            try:
                if where is not None and where(env) is not True:
                    counts.not_applicable += 1
                    continue
                if simple is not None:
                    if simple(env) is True:
                        failed: list[Any] = []
                    else:
                        failed = [steps[0].require]
                else:
                    failed = []
                    for step in steps:
                        value = step.fn(env)
                        if step.let_name is not None:
                            env[step.let_name] = value
                        elif value is not True:
                            failed.append(step.require)
            except RuleError as exc:
                self._record(plan, entity, "error", str(exc), (), counts, weight)
                continue
            except Exception as exc:  # data the checker could not foresee
                message = f"evaluation failed: {type(exc).__name__}: {exc}"
                self._record(plan, entity, "error", message, (), counts, weight)
                continue
            if not failed:
                counts.passed += 1
                self._score(plan, entity, weight, True)
                if self.show_passes:
                    self.outcome.findings.append(
                        Finding(plan.info, self._subject(plan, entity), "pass", "")
                    )
                continue
            subject = self._subject(plan, entity)
            evidence = tuple(explainer.explain(req, env, subject.id) for req in failed)
            message = self._message(plan, env, evidence)
            self._record(plan, entity, "fail", message, evidence, counts, weight, subject)

    def _record(
        self, plan: RulePlan, entity: Any, status: Status, message: str,
        evidence: tuple[Any, ...], counts: RuleCounts, weight: int,
        subject: Subject | None = None,
    ) -> None:
        subject = subject or self._subject(plan, entity)
        if status == "error":
            counts.error += 1
            blocking = False
        else:
            counts.failed += 1
            blocking = (
                plan.info.enforcement != "advisory"
                and _SEVERITY_RANK.get(plan.info.severity, 2) >= self.fail_rank
            )
            keys = self._score(plan, entity, weight, False)
            self.outcome.scope_keys[(plan.info.id, subject.id)] = (keys, weight)
        self.outcome.findings.append(
            Finding(plan.info, subject, status, message, evidence, blocking)
        )

    def _subject(self, plan: RulePlan, entity: Any) -> Subject:
        if entity is None:
            return self.portfolio_subject
        name = getattr(entity, "name", None) or getattr(entity, "title", None)
        label = name if isinstance(name, str) else None
        return Subject(plan.subject_kind, entity_id(entity), label)

    def _score(
        self, plan: RulePlan, entity: Any, weight: int, compliant: bool
    ) -> tuple[tuple[str, str], ...]:
        keys = scope_keys(entity, self.portfolio_subject.id)
        self.outcome.scores.add(keys, weight, compliant)
        return keys

    def _message(self, plan: RulePlan, env: Env, evidence: tuple[Any, ...]) -> str:
        if plan.message is None:
            parts = []
            for ev in evidence:
                got = ", ".join(f"{k} = {v}" for k, v in ev.shown.items())
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


def owning_project(entity: Any) -> Any:
    """The project a subject belongs to: itself, its project, or a dependency's successor."""
    if entity is None:
        return None
    kind = type(entity).__name__
    if kind == "Project":
        return entity
    if kind == "Dependency":
        return owning_project(getattr(entity, "successor", None))
    project = getattr(entity, "project", None)
    if project is not None and type(project).__name__ == "Project":
        return project
    return None


def scope_keys(entity: Any, portfolio_id: str) -> tuple[tuple[str, str], ...]:
    """The scopes a result weighs on: its project, that project's program, the portfolio."""
    keys: list[tuple[str, str]] = [("portfolio", portfolio_id)]
    project = owning_project(entity)
    if project is not None:
        keys.append(("project", project.id))
        program = getattr(project, "program", None)
        if program is not None and hasattr(program, "id"):
            keys.append(("program", program.id))
    elif entity is not None and type(entity).__name__ == "Program":
        keys.append(("program", entity.id))
    return tuple(keys)
