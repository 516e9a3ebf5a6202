"""Evaluate the loaded rules on a project as if it had just passed its next gate.

The project is moved in place (phase, stage, date entered, the gate's record, status
for a gate that closes it) and moved back afterwards. Only the rules that read what
the move changes are evaluated again, on the project's own subjects (itself, its
milestones, risks, issues and allocations, the dependencies it is the successor of),
with the engine's own plans; every other rule's result for the project is what today's
check found, because nothing it reads has changed.

Each rule is compiled once for the whole assessment and its plan reused for every move:
the run context's per-run indexes and memos are emptied before each move, so nothing one
move computed is seen by the next (the memo's tables are emptied in place, since the
closures hold them, and each planned graph quantifier plans its reach again). A rule
holding a run-invariant value in its closures (an aggregate over the portfolio, which a
move may change) is compiled afresh each time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pmo_rules.engine.checks import run_check
from pmo_rules.engine.evaluate import Evaluator
from pmo_rules.engine.evidence import SourceText
from pmo_rules.engine.plan import RulePlan, build_plan
from pmo_rules.engine.results import Finding, RuleInfo
from pmo_rules.engine.runtime import MISSING, RuleError, RunContext
from pmo_rules.engine.scores import owning_project
from pmo_rules.language import ast
from pmo_rules.language.checked import CheckedPolicySet, ResolvedRule
from pmo_rules.language.lifecycle_types import FUNCTIONS as LIFECYCLE_FUNCTIONS
from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.model.progress import LifecycleGate
from pmo_rules.model.records import Gate, Person, Project
from pmo_rules.plugins.manager import Plugins

# What every move changes; `status` and `closed_on` change too when the gate closes the
# project or authorises a proposed one.
_MOVED = frozenset({"phase", "stage", "phase_entered_on", "gates"})
_STATUS = frozenset({"status", "closed_on"})
# Collections whose elements belong to one project (scores.owning_project).
_OWN = ("milestones", "risks", "issues", "allocations")


def changes_status(project: Project, gate: LifecycleGate) -> bool:
    """Whether passing `gate` changes the project's status (closes or authorises it)."""
    return gate.closes or project.status == "proposed"


@contextmanager
def passed(project: Project, model: LifecycleModel, gate: LifecycleGate,
           on: dt.date) -> Iterator[None]:
    """The project as if `gate` had been passed `on` that day, by a decider of the grade
    it needs; restored on exit."""
    fields = ("phase", "stage", "phase_entered_on", "status", "closed_on", "gates")
    saved = {name: getattr(project, name) for name in fields}
    grade = gate.decider_grade or "any"
    who: dict[str, Any] = {"id": f"({grade} deciding {gate.id})",
                           "name": f"a {grade} grade decider", "grade": gate.decider_grade}
    decider = Person.construct(**who)
    # Resolved, as loading leaves references: decided_by holds the person, not an id.
    record = Gate.construct(gate=gate.id, decision="go", decided_on=on, decided_by=decider)
    moved: dict[str, Any] = {"gates": {**project.gates, gate.id: record},
                             "phase_entered_on": on}
    here = model.phase_index(project.phase) if project.phase is not None else None
    if gate.closes:
        moved.update(status="closed", closed_on=on)
    else:
        if here is None or model.gate_rank(gate.spec) > here:  # a skipped gate: stay put
            moved.update(phase=gate.admits, stage=model.stage_of(gate.admits or ""))
        else:
            moved["phase_entered_on"] = project.phase_entered_on
        if project.status == "proposed":
            moved["status"] = "active"  # a go authorises the work
    for name, value in moved.items():
        setattr(project, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(project, name, value)


def affected_by(rule: ast.Rule) -> tuple[bool, bool]:
    """Whether a rule can judge a moved project differently, for a move that keeps its
    status and for one that changes it: it reads a moved field, a lifecycle function, a
    plugin function, or is a plugin check (which may read anything)."""
    if rule.check is not None:
        return True, True
    fields = {n.name for n in _nodes(rule) if isinstance(n, ast.Field)}
    calls = any(isinstance(n, ast.Call) and (n.func in LIFECYCLE_FUNCTIONS or n.kind == "plugin")
                for n in _nodes(rule))
    always = calls or bool(fields & _MOVED)
    return always, always or bool(fields & _STATUS)


def _nodes(node: Any) -> Iterator[Any]:
    """Every AST node under `node`, define bodies included."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, tuple | list):
            stack.extend(cur)
            continue
        if not dataclasses.is_dataclass(cur) or isinstance(cur, type):
            continue
        yield cur
        for f in dataclasses.fields(cur):
            if f.name not in ("span", "ty"):
                stack.append(getattr(cur, f.name))


@dataclass
class Simulator:
    """Evaluates chosen rules on one project's subjects, in a fresh run context each time."""

    portfolio: LoadedPortfolio
    policies: CheckedPolicySet
    graph: Any
    params: Mapping[tuple[str, str], Any]
    infos: Mapping[str, RuleInfo]
    plugins: Plugins
    functions: Mapping[str, Callable[..., Any]]

    def __post_init__(self) -> None:
        self.sources = SourceText({f.path: f.source for f in self.policies.files})
        self._ctx: RunContext | None = None
        # Plans by rule, reusable across moves (None: the rule does not compile).
        self._plans: dict[int, RulePlan | None] = {}
        successors: dict[int, list[Any]] = {}
        for dep in self.portfolio.dependencies:
            owner = owning_project(dep)
            if owner is not None:
                successors.setdefault(id(owner), []).append(dep)
        self._dependencies = successors

    def findings(self, project: Project, rules: Sequence[ResolvedRule],
                 as_of: dt.date) -> list[Finding]:
        """The failed and error results of `rules` on the project and what it owns."""
        ctx = self._context(as_of)
        evaluator = Evaluator(self.sources, self.portfolio.portfolio.id,
                              self.portfolio.portfolio.name)
        for resolved in rules:
            plan = self._plan(resolved, ctx)
            if plan is None:
                continue  # a rule that cannot compile fails today too: check reports it
            if resolved.rule.check is not None:
                check = self.plugins.collected.checks.get(resolved.rule.check.name)
                if check is not None:
                    run_check(evaluator, plan, check, ctx)
                continue
            subjects = self._subjects(resolved.rule, project, plan.subjects)
            if subjects is None:
                continue  # about the portfolio, people, programs or objectives
            evaluator.run_plan(dataclasses.replace(plan, subjects=_given(subjects)))
        return [f for f in evaluator.outcome.findings
                if f.status in ("fail", "error") and owning_project(f.entity) is project]

    def _context(self, as_of: dt.date) -> RunContext:
        """The run context for one move: shared by every move on that date, emptied of
        what the previous move indexed or remembered."""
        ctx = self._ctx
        if ctx is None or ctx.as_of != as_of:
            ctx = self._ctx = RunContext(
                portfolio=self.portfolio, graph=self.graph, as_of=as_of, params=self.params,
                plugin_functions=self.functions)
            self._plans.clear()  # compiled against another date
        ctx.indexes.clear()
        # Compiled closures hold the memo's tables (lifecycle positions) and the plans'
        # graph reaches: empty them in place, where those closures see it.
        for kept in ctx.memo.values():
            kept.clear()
        for plan in self._plans.values():
            for reach in plan.compiler.reach.values() if plan is not None else ():
                reach.forget()
        return ctx

    def _plan(self, resolved: ResolvedRule, ctx: RunContext) -> RulePlan | None:
        """The rule's plan for this move: compiled once, or afresh when it remembers a
        run-invariant value."""
        key = id(resolved)
        if key in self._plans:
            return self._plans[key]
        try:
            plan: RulePlan | None = build_plan(resolved, self.policies, ctx, fast=False)
        except RuleError:
            plan = None
        if plan is not None:
            plan.info = self.infos.get(resolved.rule.id, plan.info)
            if any(getattr(fn, "invariant", False) for fn in plan.compiler.closures.values()):
                return plan
        self._plans[key] = plan
        return plan

    def _subjects(self, rule: ast.Rule, project: Project,
                  collection: Callable[[Any], Any] | None) -> list[Any] | None:
        """The rule's subjects that belong to the project (None: it has none by kind)."""
        if rule.for_ is None or collection is None:
            return None
        coll = rule.for_.coll
        if isinstance(coll, ast.Name) and coll.binding == "collection":
            if coll.id == "projects":
                return [project]
            if coll.id in _OWN:
                return list(getattr(project, coll.id))
            if coll.id == "dependencies":
                return list(self._dependencies.get(id(project), []))
            return None
        found = collection({})  # any other collection: keep what the project owns
        if found is MISSING:
            return []
        items = found.values() if isinstance(found, dict) else found
        return [s for s in items if owning_project(s) is project]


def _given(subjects: list[Any]) -> Callable[[Any], Any]:
    """A plan's subjects closure that yields exactly these subjects."""
    return lambda env: subjects
