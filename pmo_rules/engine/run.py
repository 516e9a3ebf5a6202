"""A check run, end to end: one public entry, `check`, which `pmo_rules.api` re-exports.

From a loaded portfolio and checked policies: choose the rules (selection.py), build
the graph (graph/portfolio_graph.py), compile each rule (plan.py), evaluate it
(evaluate.py, or a plugin check through checks.py), apply waivers (waivers.py), score,
and assemble the Report (report.py) with the run's settings on record (record.py).
docs/architecture.md shows where each stage lives.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pmo_rules import limits
from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.engine.evaluate import Evaluator
from pmo_rules.engine.evidence import SourceText
from pmo_rules.engine.params import resolve_overrides
from pmo_rules.engine.plan import build_plan, param_values, rule_info
from pmo_rules.engine.report import Report
from pmo_rules.engine.results import FINDING_ORDER
from pmo_rules.engine.runtime import SEVERITY_ORDER, Budget, RuleError, RunContext
from pmo_rules.engine.scores import ScoreBoard
from pmo_rules.engine.selection import select_rules
from pmo_rules.engine.waivers import (
    Waiver,
    WaiverRules,
    apply_waivers,
    check_against_run,
    load_waivers,
)
from pmo_rules.given import source_of, where_of
from pmo_rules.language.checked import CheckedPolicySet, ResolvedRule
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.plugins.manager import Plugins
from pmo_rules.timing import stage

__all__ = ["check"]


def check(
    portfolio: LoadedPortfolio,
    policies: CheckedPolicySet,
    *,
    waivers: str | Path | Sequence[Waiver] | None = None,
    params: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    fail_on: str | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    show_passes: bool = False,
    progress: Callable[[int], Callable[[], None]] | None = None,
    fast: bool = True,
    plugins: Plugins | None = None,
    waiver_rules: WaiverRules | None = None,
    as_of_source: str = "api",
    max_steps: int | None = None,
) -> Report:
    """Evaluate the policies over the portfolio, apply waivers, and return the Report.

    `params` maps `POLICY.NAME` to the value's text; a param declared with `tighten` may
    only be tightened. Values given as `pmo_rules.given.Given` (as the CLI passes them)
    are recorded in the report's settings with their source; plain ones as given by
    `api`, and `as_of` as given by `as_of_source`. `waiver_rules` holds the PMO's demands
    on waivers (expiring window, longest term, approver grade per severity).
    `fast=False` evaluates every subject with the reference closures only (slower; the
    results are the same, which the test suite checks). `max_steps` is each rule's
    evaluation budget (default: limits.STEPS, `PMO_RULES_MAX_STEPS`; docs/checking.md).
    """
    # The portfolio is one large, long-lived object graph: collecting garbage while we
    # walk it only re-scans it. Pause the collector for the run and restore its state.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _check(portfolio, policies, waivers=waivers, params=params, as_of=as_of,
                      fail_on=fail_on, select=select, ignore=ignore, show_passes=show_passes,
                      progress=progress, fast=fast, plugins=plugins,
                      waiver_rules=waiver_rules or WaiverRules(), as_of_source=as_of_source,
                      max_steps=max_steps)
    finally:
        if collecting:
            gc.enable()


def _check(
    portfolio: LoadedPortfolio,
    policies: CheckedPolicySet,
    *,
    waivers: str | Path | Sequence[Waiver] | None,
    params: Mapping[str, str] | None,
    as_of: dt.date | None,
    fail_on: str | None,
    select: Iterable[str],
    ignore: Iterable[str],
    show_passes: bool,
    progress: Callable[[int], Callable[[], None]] | None,
    fast: bool,
    plugins: Plugins | None,
    waiver_rules: WaiverRules,
    as_of_source: str,
    max_steps: int | None,
) -> Report:
    from pmo_rules.engine.checks import run_check
    from pmo_rules.engine.record import run_settings
    from pmo_rules.engine.subjects import subject_ids
    from pmo_rules.graph.portfolio_graph import PortfolioGraph
    from pmo_rules.plugins import guard
    from pmo_rules.plugins.extend import installed, run_functions, unavailable, used_plugins

    plugins = plugins if plugins is not None else installed()
    if fail_on is not None and fail_on not in SEVERITY_ORDER:
        guess = did_you_mean(str(fail_on), SEVERITY_ORDER)
        raise DiagnosticError([Diagnostic(
            "PMO607", f"`{fail_on}` is not a severity for --fail-on",
            help=f"did you mean `{guess}`?" if guess else f"use one of {', '.join(SEVERITY_ORDER)}",
        )])
    register: list[Waiver] = []
    waiver_input: dict[str, Any] | None = None
    if isinstance(waivers, str | Path):
        register = load_waivers(waivers)
        waiver_input = {"path": str(waivers), "sha256": _sha256_file(waivers)}
    elif waivers is not None:
        register = list(waivers)
    run_date = as_of or portfolio.as_of
    if register:  # every id of the portfolio is a large set: only built to check waivers
        check_against_run(
            register, rules={r.rule.id for r in policies.rules},
            subjects=subject_ids(portfolio), people={p.id: p.name for p in portfolio.people},
            as_of=run_date)
    overrides = resolve_overrides(params or {}, policies)
    select, ignore = list(select), list(ignore)
    rules = select_rules(policies.rules, select, ignore)
    with stage("graph"):
        graph = PortfolioGraph(portfolio)
    ctx = RunContext(
        portfolio=portfolio,
        graph=graph,
        as_of=run_date,
        params=param_values(policies, overrides.values),
        plugin_functions=run_functions(plugins, policies),
        budget=Budget(max_steps if max_steps is not None else limits.STEPS.value()),
    )
    sources = {f.path: f.source for f in policies.files}
    evaluator = Evaluator(
        SourceText(sources), portfolio.portfolio.id, portfolio.portfolio.name,
        show_passes=show_passes, fail_on=fail_on,
    )
    tick = progress(len(rules)) if progress is not None else None
    infos = _rule_infos(rules, policies, overrides)
    with guard.watch():  # plugin checks and functions: contained and timed, one timer
        for resolved in rules:
            try:
                plan = build_plan(resolved, policies, ctx, fast=fast)
                plan.info = infos[resolved.rule.id]
            except RuleError as exc:
                stub = _stub_plan(resolved, policies, ctx)
                stub.info = infos[resolved.rule.id]
                evaluator.rule_error(stub, str(exc))
            else:
                if resolved.rule.check is not None:
                    name = resolved.rule.check.name
                    plugin_check = plugins.collected.checks.get(name)
                    if plugin_check is None:
                        evaluator.rule_error(plan, unavailable(name, plugins))
                    else:
                        run_check(evaluator, plan, plugin_check, ctx)
                else:
                    evaluator.run_plan(plan)
            if tick is not None:
                tick()
    outcome = evaluator.outcome
    outcome.findings.sort(key=FINDING_ORDER)
    for finding in outcome.findings:
        if finding.status == "error":  # would it have blocked? nobody can tell
            finding.blocking_unknown = evaluator.blocks(finding.rule)
    fates = apply_waivers(outcome.findings, register, run_date, (r.rule.id for r in rules),
                          waiver_rules, {p.id: p.grade for p in portfolio.people})
    for fate in fates:
        if fate.status == "applied":
            outcome.counts[fate.rule].failed -= 1
            outcome.counts[fate.rule].waived += 1
    scores = ScoreBoard(portfolio.portfolio.id, portfolio.projects)
    for severity, passed in outcome.passes:
        scores.passed(severity, passed)
    scores.judged(outcome.findings)
    used = plugins.report_entries(used_plugins(plugins, policies, portfolio))
    register_record = {
        "path": None, "sha256": None, "source": None, "at": None, "count": len(register),
    } if waiver_input is None else {
        **waiver_input, "source": source_of(waivers, "api"), "at": where_of(waivers),
        "count": len(register)}
    settings = run_settings(
        policies, overrides, select=select, ignore=ignore, fail_on=fail_on, as_of=run_date,
        as_of_source=as_of_source if as_of is not None else "portfolio",
        as_of_at=None if as_of is not None or not portfolio.sources
        else portfolio.sources[0].path,
        waivers={**register_record, **waiver_rules.to_dict()},
        plugins=used, pack_owners={name: owner for (kind, name), owner
                                   in plugins.collected.owner.items() if kind == "policy_packs"},
    )
    return Report(
        as_of=run_date,
        portfolio_id=portfolio.portfolio.id,
        findings=outcome.findings,
        waivers=fates,
        counts=outcome.counts,
        rules=list(infos.values()),
        scores=scores,
        inputs=_inputs(portfolio, policies, waiver_input),
        policies=_policies(policies),
        plugins=used,
        warnings=list(portfolio.warnings) + list(policies.warnings),
        settings=settings,
        names={**{p.id: p.name for p in portfolio.people if p.name},
               **{p.id: p.name for p in portfolio.programs if p.name}},
        portfolio_name=portfolio.portfolio.name,
        currency=portfolio.currency,
    )


def _rule_infos(rules: Sequence[ResolvedRule], policies: CheckedPolicySet,
                overrides: Any) -> dict[str, Any]:
    """Each rule's metadata for this run: its fix with `{param}` filled in with the value
    in effect, as written in the policy or as given at run time."""
    from dataclasses import replace

    from pmo_rules.engine.params import literal_text
    from pmo_rules.language.placeholders import render_fix

    out = {}
    for resolved in rules:
        info = rule_info(resolved)
        if info.fix and "{" in info.fix:
            texts = {name: str(overrides.given.get((policy, name))
                               or literal_text(param.value))
                     for (policy, name), param in policies.params.items()
                     if policy == resolved.policy}
            info = replace(info, fix=render_fix(info.fix, texts))
        out[resolved.rule.id] = info
    return out


def _stub_plan(resolved: ResolvedRule, policies: CheckedPolicySet, ctx: RunContext) -> Any:
    """A plan shell that only carries metadata, for a rule that failed to compile."""
    from pmo_rules.engine.compiler import ExprCompiler
    from pmo_rules.engine.plan import RulePlan

    return RulePlan(
        info=rule_info(resolved), rule=resolved.rule, var=None, subject_kind="portfolio",
        subjects=None, where=None, steps=[], message=None,
        compiler=ExprCompiler(ctx, {}, resolved.policy), simple=None,
    )


def _sha256_file(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _inputs(
    portfolio: LoadedPortfolio, policies: CheckedPolicySet, waivers: dict[str, Any] | None
) -> dict[str, Any]:
    files = [
        {"path": f.path, "sha256": hashlib.sha256(f.source.encode("utf-8")).hexdigest()}
        for f in sorted(policies.files, key=lambda f: f.path)
    ]
    sources = [{"path": s.path, "sha256": s.sha256} for s in portfolio.sources]
    return {"portfolio": sources, "policies": files, "waivers": waivers}


def _policies(policies: CheckedPolicySet) -> list[dict[str, Any]]:
    running = {r.policy for r in policies.rules}
    out = []
    for name in sorted(policies.policies):
        pol = policies.policies[name]
        out.append({
            "name": name, "title": pol.title, "version": pol.version, "extends": pol.extends,
            "authority": pol.authority, "file": pol.span.file, "runs": name in running,
        })
    return out
