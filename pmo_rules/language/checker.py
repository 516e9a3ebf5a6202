"""The static checker: every name resolved, every expression typed, layering enforced."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, did_you_mean, with_source
from pmo_rules.language import ast
from pmo_rules.language.ast import ENFORCEMENTS, SEVERITIES, Define, Policy, PolicyFile, Rule
from pmo_rules.language.checked import CheckedPolicySet, ResolvedParam, ResolvedRule
from pmo_rules.language.declarations import Registry
from pmo_rules.language.expressions import Context, ExprChecker, Var, literal_type
from pmo_rules.language.types import ANY, Kind, Type


@dataclass
class _Loaded:
    policy: Policy
    file: str
    parent: _Loaded | None = None
    params: dict[str, ResolvedParam] = field(default_factory=dict)
    defines: dict[str, Define] = field(default_factory=dict)
    # Defines whose declaration failed (one that recurses): never expanded at a call.
    broken: set[str] = field(default_factory=set)
    # Rule id -> (rule as this policy sees it, origin policy, origin file).
    rules: dict[str, tuple[Rule, str, str]] = field(default_factory=dict)

    def chain(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        node: _Loaded | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        return out


def check_policies(files: Sequence[PolicyFile], registry: Registry) -> CheckedPolicySet:
    """Check a set of parsed files; raise DiagnosticError with every problem found."""
    diags: list[Diagnostic] = []
    loaded = _collect(files, diags)
    order = _link(loaded, diags)
    try:
        for node in order:
            _declare(node, registry, diags)
        children = {n.parent.policy.name for n in order if n.parent is not None}
        leaves = [n for n in order if n.policy.name not in children]
        rules = _running_rules(leaves, loaded, registry, diags)
    except RecursionError:
        first = files[0].path if files else "<input>"
        raise DiagnosticError([Diagnostic(
            "PMO101", "an expression nests too deeply to check", Span(first, 1, 1),
            help="split it with `let` or `define`")]) from None
    params = {(n.policy.name, name): p for n in order for name, p in n.params.items()}
    sources = {f.path: f.source for f in files}
    for node in order:
        diags.extend(_fix_placeholders(node, sources.get(node.file)))
    errors = [d for d in diags if d.level == "error"]
    if errors:
        raise DiagnosticError(_sourced(d, sources) for d in diags)
    warnings = tuple(_sourced(d, sources) for d in diags if d.level == "warning")
    return CheckedPolicySet(
        tuple(files), {name: n.policy for name, n in loaded.items()},
        tuple(sorted(rules, key=lambda r: r.rule.id)), params, warnings,
    )


def _fix_placeholders(node: _Loaded, source: str | None) -> list[Diagnostic]:
    """PMO220: `{name}` in a rule's or an override's fix that names no param of the policy."""
    from pmo_rules.language.placeholders import check_fix

    out: list[Diagnostic] = []
    for rule in node.policy.rules:
        if rule.fix:
            out += check_fix(rule.fix, node.params, rule.span, source, f"rule `{rule.id}`")
    for override in node.policy.overrides:
        if override.fix:
            out += check_fix(override.fix, node.params, override.span, source,
                             f"the override of `{override.rule_id}`")
    return out


def _sourced(diag: Diagnostic, sources: Mapping[str, str]) -> Diagnostic:
    if diag.span is None or diag.span.file not in sources:
        return diag
    return with_source(diag, sources[diag.span.file])


def _collect(files: Sequence[PolicyFile], diags: list[Diagnostic]) -> dict[str, _Loaded]:
    loaded: dict[str, _Loaded] = {}
    for f in files:
        for policy in f.policies:
            first = loaded.get(policy.name)
            if first is not None:
                diags.append(Diagnostic(
                    "PMO301", f"policy `{policy.name}` is declared twice (first at "
                    f"{first.policy.span})", policy.span,
                    help="give each policy its own name, or load only one copy"))
                continue
            loaded[policy.name] = _Loaded(policy, f.path)
    return loaded


def _link(loaded: dict[str, _Loaded], diags: list[Diagnostic]) -> list[_Loaded]:
    """Connect each policy to its parent; parents come before children in the result."""
    for node in loaded.values():
        parent = node.policy.extends
        if parent is None:
            continue
        if parent not in loaded:
            # A policy never extends itself: suggesting its own name helps nobody.
            guess = did_you_mean(parent, [n for n in loaded if n != node.policy.name])
            diags.append(Diagnostic(
                "PMO303", f"policy `{node.policy.name}` extends `{parent}`, which is not loaded",
                node.policy.span, help=f"did you mean `{guess}`?" if guess else
                f"load the file that declares `{parent}` too"))
            continue
        node.parent = loaded[parent]
    order: list[_Loaded] = []
    state: dict[str, int] = {}
    for node in loaded.values():
        path: list[_Loaded] = []
        cur: _Loaded | None = node
        while cur is not None and state.get(cur.policy.name) is None:
            state[cur.policy.name] = 1
            path.append(cur)
            cur = cur.parent
        if cur is not None and state.get(cur.policy.name) == 1 and cur in path:
            names = " -> ".join(n.policy.name for n in path)
            diags.append(Diagnostic(
                "PMO304", f"policies extend each other in a cycle: {names}", cur.policy.span,
                help="a policy may extend only an enterprise policy above it"))
            for n in path:
                n.parent = None
        for n in path:
            state[n.policy.name] = 2
        order.extend(reversed(path))
    depth = {n.policy.name: len(n.chain()) for n in order}
    return sorted(order, key=lambda n: depth[n.policy.name])


def _declare(node: _Loaded, registry: Registry, diags: list[Diagnostic]) -> None:
    """Resolve one policy's params, defines, own rules and overrides (its parent is done)."""
    parent = node.parent
    name = node.policy.name
    if parent is not None:
        node.params = {k: replace(v, policy=name) for k, v in parent.params.items()}
        node.defines = dict(parent.defines)
        node.broken = set(parent.broken)
        node.rules = dict(parent.rules)
    for param in node.policy.params:
        _declare_param(node, param, diags)
    params = {k: v.ty for k, v in node.params.items()}
    own = [d.name for d in node.policy.defines]
    for i, define in enumerate(node.policy.defines):
        if define.name in node.defines or define.name in registry.functions:
            diags.append(Diagnostic("PMO215", f"define `{define.name}` is already declared",
                                    define.span, help="give the define another name"))
            continue
        ctx = Context(registry, params, name, dict(node.defines), diags,
                      declaring=define.name, later=frozenset(own[i + 1:]),
                      broken=frozenset(node.broken))
        checker = ExprChecker(ctx)
        for arg in define.params:
            checker.scope[arg] = Var(ANY, "define_arg")
        before = len(diags)
        checker.check(define.body)
        node.defines[define.name] = define
        if any(d.level == "error" for d in diags[before:]):
            node.broken.add(define.name)  # reported once, here: calls do not expand it
    for rule in node.policy.rules:
        if rule.id in node.rules:
            _, origin, origin_file = node.rules[rule.id]
            diags.append(Diagnostic(
                "PMO302", f"rule id `{rule.id}` is already declared by policy `{origin}` "
                f"in {origin_file}", rule.span,
                help="rule ids are unique across the run; use `override` to change an "
                "inherited rule"))
            continue
        node.rules[rule.id] = (rule, name, node.file)
    for override in node.policy.overrides:
        _apply_override(node, override, diags)


def _declare_param(node: _Loaded, param: ast.Param, diags: list[Diagnostic]) -> None:
    name = node.policy.name
    ty = literal_type(param.value)
    inherited = node.params.get(param.name)
    if param.tighten is not None and ty.kind not in (Kind.NUMBER, Kind.DURATION, Kind.DATE):
        diags.append(Diagnostic("PMO308", f"param `{param.name}` is a {ty}, which cannot be "
                                "tightened", param.span,
                                help="only numbers, durations and dates have a direction"))
    if inherited is None:
        node.params[param.name] = ResolvedParam(name, param.name, param.value, ty,
                                                param.tighten, name, param.span)
        return
    if inherited.declared_in == name:
        diags.append(Diagnostic("PMO215", f"param `{param.name}` is declared twice",
                                param.span, help="keep one declaration"))
        return
    where = f"`{inherited.declared_in}` ({inherited.span.file}:{inherited.span.line})"
    if inherited.tighten is None:
        diags.append(Diagnostic(
            "PMO307", f"param `{param.name}` is declared by {where} without `tighten`, so "
            f"`{name}` may not change it", param.span,
            help="remove this param, or ask the parent's owner to declare a `tighten` "
            "direction"))
        return
    if ty != inherited.ty:
        diags.append(Diagnostic(
            "PMO309", f"param `{param.name}` is a {inherited.ty} in {where}, not a {ty}",
            param.span, help="keep the parent's type and unit"))
        return
    if param.tighten is not None and param.tighten != inherited.tighten:
        diags.append(Diagnostic(
            "PMO307", f"param `{param.name}` tightens {inherited.tighten} in {where}; "
            f"`{name}` cannot change its direction", param.span,
            help="drop `tighten` here: the direction is the parent's"))
    new, old = _ordinal(param.value), _ordinal(inherited.value)
    loosens = new > old if inherited.tighten == "down" else new < old
    if loosens:
        word = "raises" if inherited.tighten == "down" else "lowers"
        diags.append(Diagnostic(
            "PMO307", f"param `{param.name}` {word} the value set in {where}, which may only "
            f"tighten {inherited.tighten}", param.span,
            help=f"a department policy may only move `{param.name}` {inherited.tighten}"))
        return
    node.params[param.name] = replace(inherited, policy=name, value=param.value,
                                      span=param.span)


def _ordinal(lit: ast.Literal_) -> float:
    if isinstance(lit, ast.Number):
        return float(lit.value)
    if isinstance(lit, ast.Duration):
        return float(lit.days)
    if isinstance(lit, ast.Date):
        return float(lit.value.toordinal())
    return 0.0


def _apply_override(node: _Loaded, override: ast.Override, diags: list[Diagnostic]) -> None:
    found = node.rules.get(override.rule_id)
    own = {r.id for r in node.policy.rules}
    if found is None or override.rule_id in own:
        inherited = [k for k in node.rules if k not in own]
        guess = did_you_mean(override.rule_id, inherited)
        what = "is declared in this policy" if override.rule_id in own else "is not inherited"
        diags.append(Diagnostic(
            "PMO305", f"override of `{override.rule_id}`, which {what}", override.span,
            help=f"did you mean `{guess}`?" if guess else
            "override only rules of the policy this one extends"))
        return
    rule, origin, origin_file = found
    where = f"`{origin}` ({origin_file}:{rule.span.line})"
    if override.severity is not None and SEVERITIES.index(override.severity) < SEVERITIES.index(
            rule.effective_severity):
        diags.append(Diagnostic(
            "PMO306", f"override lowers the severity of `{rule.id}` from "
            f"{rule.effective_severity} in {where} to {override.severity}", override.span,
            help="a department policy may only raise severity"))
        return
    if override.enforcement is not None and ENFORCEMENTS.index(
            override.enforcement) < ENFORCEMENTS.index(rule.effective_enforcement):
        diags.append(Diagnostic(
            "PMO306", f"override weakens the enforcement of `{rule.id}` from "
            f"{rule.effective_enforcement} in {where} to {override.enforcement}",
            override.span, help="a department policy may only raise enforcement"))
        return
    tags = rule.tags + tuple(t for t in override.tags if t not in rule.tags)
    updated = replace(
        rule, severity=override.severity or rule.severity,
        enforcement=override.enforcement or rule.enforcement, tags=tags,
        message=override.message or rule.message, fix=override.fix or rule.fix,
        doc=override.doc or rule.doc)
    node.rules[rule.id] = (updated, origin, origin_file)


def _running_rules(leaves: list[_Loaded], loaded: Mapping[str, _Loaded], registry: Registry,
                   diags: list[Diagnostic]) -> list[ResolvedRule]:
    out: list[ResolvedRule] = []
    runs: dict[str, tuple[str, str, str]] = {}
    for leaf in leaves:
        for rule_id, (rule, origin, origin_file) in leaf.rules.items():
            first = runs.get(rule_id)
            if first is not None and first[1] == origin:
                diags.append(Diagnostic(
                    "PMO310", f"rule `{rule_id}` of `{origin}` would run twice, under "
                    f"`{first[0]}` and `{leaf.policy.name}`", rule.span,
                    help="load one department policy per run, or one that extends the other"))
                continue
            if first is not None:
                diags.append(Diagnostic(
                    "PMO302", f"rule id `{rule_id}` is already declared by policy `{first[1]}` "
                    f"in {first[2]}", rule.span,
                    help="rule ids are unique across the run; rename one of them"))
                continue
            runs[rule_id] = (leaf.policy.name, origin, origin_file)
            # The rule sees the names its own policy sees, with the leaf's values.
            params = {k: v.ty for k, v in loaded[origin].params.items()}
            ctx = Context(registry, params, leaf.policy.name, loaded[origin].defines, diags,
                          broken=frozenset(loaded[origin].broken))
            checked = check_rule(rule, ctx)
            out.append(ResolvedRule(checked, leaf.policy.name, origin, origin_file,
                                    leaf.policy.version))
    return out


def check_rule(rule: Rule, ctx: Context) -> Rule:
    """Check one rule's items in its scope; the rule with every expression typed."""
    checker = ExprChecker(ctx)
    for_ = rule.for_
    if rule.check is not None and (rule.for_ is not None or rule.requires):
        first = rule.for_ or rule.requires[0]
        diags_span = first.span
        ctx.diags.append(Diagnostic(
            "PMO214", f"rule `{rule.id}` uses `check`, so it cannot also have `for` or "
            "`require`", diags_span, help="split it into two rules"))
    if rule.check is None and not rule.requires:
        ctx.diags.append(Diagnostic(
            "PMO216", f"rule `{rule.id}` has no `require` and no `check`", rule.span,
            help="add `require CONDITION` saying what must hold"))
    if for_ is not None:
        coll = checker.check(for_.coll)
        t = coll.ty or ANY
        elem: Type = ANY
        if t.kind in (Kind.LIST, Kind.MAP):
            elem = t.elem or ANY
        elif t.kind is not Kind.ANY:
            ctx.diags.append(Diagnostic(
                "PMO217", f"cannot iterate over a {t}", for_.coll.span,
                help="use a collection such as `projects`, or a list field such as `p.risks`"))
        if elem.kind not in (Kind.ENTITY, Kind.ANY) or (t.kind is Kind.LIST and elem.kind is
                                                         Kind.ENTITY and elem.name is None):
            # Findings name their subject by id: a rule's subjects must be entities.
            ctx.diags.append(Diagnostic(
                "PMO218", f"a rule's subjects must be entities, not {elem}s", for_.coll.span,
                help="iterate over a collection such as `projects` or `risks`, and test "
                     "plain values inside `require` with a quantifier"))
        checker.bind(for_.var, elem, "var", for_.span)
        where = checker.condition(for_.where, "where") if for_.where is not None else None
        for_ = replace(for_, coll=coll, where=where)
    body: list[ast.Let | ast.Require] = []
    for item in rule.body:
        if isinstance(item, ast.Let):
            value = checker.check(item.value)
            checker.bind(item.name, value.ty or ANY, "let", item.span)
            body.append(replace(item, value=value))
        else:
            body.append(replace(item, expr=checker.condition(item.expr, "require")))
    check = rule.check
    if check is not None:
        check = _check_call(check, checker, ctx)
    message = rule.message
    if message is not None:
        parts = tuple(p if isinstance(p, str) else checker.check(p) for p in message.parts)
        message = replace(message, parts=parts)
    return replace(rule, for_=for_, body=tuple(body), check=check, message=message)


def _check_call(call: ast.CheckCall, checker: ExprChecker, ctx: Context) -> ast.CheckCall:
    kwargs = tuple((k, checker.check(v)) for k, v in call.kwargs)
    decl = ctx.registry.checks.get(call.name)
    if decl is None:
        guess = did_you_mean(call.name, ctx.registry.checks)
        ctx.diags.append(Diagnostic(
            "PMO213", f"unknown check `{call.name}`", Span(
                call.span.file, call.span.line, call.span.column + 6, call.span.line,
                call.span.column + 6 + len(call.name)),
            help=f"did you mean `{guess}`?" if guess else
            "install the plugin that provides it (`pmo-rules` lists checks in its docs)"))
        return replace(call, kwargs=kwargs)
    checker.arguments(f"check `{call.name}`", decl.params, (), kwargs, call.span)
    return replace(call, kwargs=kwargs)

