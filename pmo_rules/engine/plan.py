"""Turn each checked rule into a RulePlan: its subjects, compiled clauses and message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pmo_rules.engine.compiler import Const, ExprCompiler
from pmo_rules.engine.fastpath import FastRule, build_fast_rule, invariant, predicate
from pmo_rules.engine.results import Location, RuleInfo
from pmo_rules.engine.runtime import Compiled, RunContext
from pmo_rules.language import ast
from pmo_rules.language.checked import CheckedPolicySet, ResolvedRule
from pmo_rules.language.types import Kind
from pmo_rules.timing import staged


@dataclass(slots=True)
class Step:
    """One item of a rule body, in order: a `let` binding or a `require` clause."""

    let_name: str | None
    require: ast.Require | None
    fn: Compiled


@dataclass(slots=True)
class RulePlan:
    """Everything needed to evaluate one rule over its subjects, already compiled."""

    info: RuleInfo
    rule: ast.Rule
    var: str | None
    subject_kind: str
    subjects: Compiled | None  # None: the rule runs once, on the portfolio
    where: Compiled | None
    steps: list[Step]
    message: list[str | Compiled] | None
    compiler: ExprCompiler
    simple: Compiled | None  # the single require of a let-free rule, for the tight loop
    fast: FastRule | None = None  # the generated loop (fastpath.py), where it applies


def rule_info(resolved: ResolvedRule) -> RuleInfo:
    """The metadata of a resolved rule, as results carry it."""
    rule = resolved.rule
    return RuleInfo(
        id=rule.id,
        title=rule.title,
        policy=resolved.policy,
        severity=rule.effective_severity,
        enforcement=rule.effective_enforcement,
        tags=rule.tags,
        maturity=rule.maturity,
        location=Location(resolved.file, rule.span.line, rule.span.column),
        fix=rule.fix,
        doc=rule.doc,
    )


def visible_defines(checked: CheckedPolicySet, policy: str) -> dict[str, ast.Define]:
    """The defines a policy sees: its own and those of the policies it extends."""
    out: dict[str, ast.Define] = {}
    seen: set[str] = set()
    name: str | None = policy
    chain: list[ast.Policy] = []
    while name is not None and name not in seen and name in checked.policies:
        seen.add(name)
        pol = checked.policies[name]
        chain.append(pol)
        name = pol.extends
    for pol in reversed(chain):  # a child's define shadows its parent's
        for define in pol.defines:
            out[define.name] = define
    return out


@staged("compile")
def build_plan(
    resolved: ResolvedRule, checked: CheckedPolicySet, ctx: RunContext, *, fast: bool = True
) -> RulePlan:
    """Compile one rule for this run (with `fast`, also its generated loop)."""
    rule = resolved.rule
    defines = visible_defines(checked, resolved.policy)
    defines.update({k: v for k, v in visible_defines(checked, resolved.origin).items()
                    if k not in defines})
    compiler = ExprCompiler(ctx, defines, resolved.policy, predicate if fast else None,
                            invariant if fast else None)
    var: str | None = None
    subjects: Compiled | None = None
    where: Compiled | None = None
    subject_kind = "portfolio"
    if rule.for_ is not None:
        var = rule.for_.var
        subjects = compiler.compile(rule.for_.coll)
        where = compiler.compile(rule.for_.where) if rule.for_.where is not None else None
        subject_kind = _element_kind(rule.for_.coll)
    steps = [
        Step(item.name, None, compiler.compile(item.value)) if isinstance(item, ast.Let)
        else Step(None, item, compiler.compile(item.expr))
        for item in rule.body
    ]
    message = None
    if rule.message is not None:
        currency = getattr(ctx.portfolio, "currency", None)
        percents = {name for (policy, name), p in checked.params.items()
                    if policy == resolved.policy and isinstance(p.value, ast.Number)
                    and p.value.text.endswith("%")}
        message = [part if isinstance(part, str) else _presented(compiler.compile(part), part,
                                                                 currency, percents)
                   for part in rule.message.parts]
    simple = steps[0].fn if len(steps) == 1 and steps[0].require is not None else None
    return RulePlan(
        info=rule_info(resolved), rule=rule, var=var, subject_kind=subject_kind,
        subjects=subjects, where=where, steps=steps, message=message, compiler=compiler,
        simple=simple, fast=build_fast_rule(rule, ctx, compiler) if fast else None,
    )


def _presented(fn: Compiled, part: ast.Expr, currency: str | None,
               percents: set[str]) -> Compiled:
    """A message placeholder's closure, returning money, ratios and people as people read
    them (engine/present.py), and a param its author wrote as a percentage (`20%`) as
    one; other values are left to the message's `display`."""
    from pmo_rules.engine.present import percent, presenter
    from pmo_rules.engine.runtime import MISSING

    present = presenter(part, currency)
    if isinstance(part, ast.Name) and part.binding == "param" and part.id in percents:
        present = percent
    if present is None:
        return fn

    def shown(env: Any) -> Any:
        value = fn(env)
        return value if value is MISSING or value is None else present(value)

    return shown


def _element_kind(coll: ast.Expr) -> str:
    ty = coll.ty
    elem = ty.elem if ty is not None and ty.kind is Kind.LIST else None
    if elem is not None and elem.kind is Kind.ENTITY and elem.name:
        return elem.name
    if isinstance(coll, ast.Name):
        return coll.id.rstrip("s") if coll.id != "people" else "person"
    return "entity"


def param_values(
    checked: CheckedPolicySet, overrides: Mapping[tuple[str, str], Any]
) -> dict[tuple[str, str], Any]:
    """Every (policy, param) value of the run: the policy's literal unless overridden."""
    from pmo_rules.engine.compiler import literal_value

    values = {key: literal_value(p.value) for key, p in checked.params.items()}
    values.update(overrides)
    return values


def constant_require(plan: RulePlan) -> bool | None:
    """The outcome of a rule whose only clause folded to a constant, else None."""
    if plan.simple is not None and isinstance(plan.simple, Const):
        value = plan.simple.value
        return value is True
    return None


def plans_for(
    checked: CheckedPolicySet, ctx: RunContext, rules: Sequence[ResolvedRule]
) -> list[RulePlan]:
    """Compile the given rules, in order."""
    return [build_plan(r, checked, ctx) for r in rules]
