"""Assess each live project's readiness for its next gate (docs/readiness.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.engine.evaluate import Evaluator
from pmo_rules.engine.evidence import SourceText
from pmo_rules.engine.report import Report
from pmo_rules.engine.results import Finding
from pmo_rules.engine.scores import owning_project
from pmo_rules.language.checked import CheckedPolicySet
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.model.progress import LifecycleGate, ProjectLifecycle, model_of, progress
from pmo_rules.model.records import Project
from pmo_rules.plugins.manager import Plugins
from pmo_rules.readiness.results import (
    MissingArtifact,
    NextGate,
    OpenCondition,
    ProjectReadiness,
    Readiness,
    WouldFail,
)
from pmo_rules.readiness.simulate import Simulator, affected_by, changes_status, passed

LIVE = ("proposed", "active", "on_hold")


def assess(
    portfolio: LoadedPortfolio,
    policies: CheckedPolicySet,
    *,
    params: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    projects: Iterable[str] = (),
    gate: str | None = None,
    within: int | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    plugins: Plugins | None = None,
    today: Report | None = None,
) -> Readiness:
    """The readiness of every live project (or of `projects`), for its next gate (or only
    projects whose next gate is `gate`; with `within`, only those whose gate milestone
    falls within that many days of the as-of date, overdue ones included). `select` and
    `ignore` choose the rules, as for `api.check`; waivers are not applied: a waiver covers
    a finding that exists, not one a project would have after its gate. `today` is the
    report of a check of the same portfolio, policies, params, date and rules (the HTML
    report's run): its findings stand in for a second evaluation, waivers, --fail-on and
    baseline marks undone."""
    from pmo_rules.engine.params import resolve_overrides
    from pmo_rules.engine.plan import param_values
    from pmo_rules.engine.run import check as run_check
    from pmo_rules.engine.selection import select_rules
    from pmo_rules.graph.portfolio_graph import PortfolioGraph
    from pmo_rules.plugins.extend import installed, run_functions

    plugins = plugins if plugins is not None else installed()
    run_date = as_of or portfolio.as_of
    chosen = _chosen(portfolio, list(projects), gate, within)
    select, ignore = list(select), list(ignore)
    if today is None:
        today = run_check(portfolio, policies, params=params, as_of=as_of, plugins=plugins,
                          select=select, ignore=ignore)
    running = select_rules(policies.rules, select, ignore)
    # Failing today: a waived finding fails once its waiver is set aside.
    failing = {(f.rule.id, f.subject.kind, f.subject.id) for f in today.findings
               if f.status in ("fail", "waived", "error")}
    owned: dict[int, list[Any]] = {}
    for f in today.findings:
        if f.status in ("fail", "waived", "error"):
            owner = owning_project(f.entity)
            if owner is not None:
                owned.setdefault(id(owner), []).append(f)
    overrides = resolve_overrides(params or {}, policies)
    simulator = Simulator(
        portfolio, policies, PortfolioGraph(portfolio),
        param_values(policies, overrides.values), {r.id: r for r in today.rules}, plugins,
        run_functions(plugins, policies))
    reads = {r.rule.id: affected_by(r.rule) for r in running}
    out: list[ProjectReadiness] = []
    undated: list[str] = []
    for project, where in chosen:
        item = _project(project, where, run_date)
        if within is not None:  # the agenda of the next board: gates due by then
            if item.gate is None or (item.days_to_gate is not None and item.days_to_gate > within):
                continue
            if item.gate.due is None:
                undated.append(project.id)
                continue
        if where is not None and where.next is not None:
            which = 1 if changes_status(project, where.next) else 0
            rules = [r for r in running if reads[r.rule.id][which]]
            fresh = {r.rule.id for r in rules}
            with passed(project, where.model, where.next, run_date):
                found = simulator.findings(project, rules, run_date)
            found += [_unwaived(f) for f in owned.get(id(project), []) if f.rule.id not in fresh]
            found.sort(key=lambda f: f.sort_key())
            item.would_fail = [WouldFail(f, (f.rule.id, f.subject.kind, f.subject.id)
                                         in failing) for f in found]
            ready = not (item.missing or item.conditions or item.blocking)
            item.state = "ready" if ready else "not_ready"
        out.append(item)
    out.sort(key=lambda p: (p.gate is None, p.gate.due if p.gate and p.gate.due else
                            dt.date.max, p.id))
    return Readiness(
        as_of=run_date, portfolio_id=portfolio.portfolio.id,
        portfolio_name=portfolio.portfolio.name, projects=out, within=within, gate=gate,
        undated=sorted(undated), policies=sorted({r.policy for r in running}))


_DEFAULT = Evaluator(SourceText({}), "", None)  # a run without --fail-on


def _unwaived(f: Finding) -> Finding:
    """A failure or error as a check without waivers, --fail-on or a baseline reports it."""
    if f.status == "error":
        return replace(f, blocking_unknown=_DEFAULT.blocks(f.rule), baseline=None)
    return replace(f, status="fail", blocking=_DEFAULT.blocks(f.rule), waiver=None,
                   baseline=None)


def _chosen(portfolio: LoadedPortfolio, ids: list[str], gate: str | None,
            within: int | None) -> list[tuple[Project, ProjectLifecycle | None]]:
    """The live projects asked for, each with where it stands; unknown ids and gates are
    diagnostics."""
    problems = []
    for wanted in ids:
        if wanted not in portfolio.projects_by_id:
            guess = did_you_mean(wanted, portfolio.projects_by_id)
            problems.append(Diagnostic(
                "PMO631", f"`--project {wanted}` names no project of the portfolio",
                help=f"did you mean `{guess}`?" if guess else "give a project id"))
    if gate is not None:
        gates = {g.id for m in portfolio.lifecycles for g in m.gates}
        if gate not in gates:
            guess = did_you_mean(gate, gates)
            problems.append(Diagnostic(
                "PMO632", f"`--gate {gate}` is a gate of no lifecycle the portfolio knows",
                help=f"did you mean `{guess}`?" if guess else
                "give a gate id such as G2 or gate_3 (docs/lifecycles.md)"))
    if within is not None and within < 0:
        problems.append(Diagnostic("PMO633", f"`--within {within}` is negative",
                                   help="give a number of days from the as-of date, e.g. 30"))
    if problems:
        raise DiagnosticError(problems)
    default = portfolio.portfolio.default_lifecycle
    out = []
    for project in portfolio.projects:
        if project.status not in LIVE or (ids and project.id not in ids):
            continue
        model = model_of(project, portfolio.lifecycles, default)
        where = progress(project, model) if model is not None else None
        if gate is not None and (where is None or where.next is None
                                 or where.next.id != gate):
            continue
        out.append((project, where))
    return out


def _project(project: Project, where: ProjectLifecycle | None,
             as_of: dt.date) -> ProjectReadiness:
    """What the project's lifecycle says about its next gate (the rules come later)."""
    lifecycle = where.model.id if where is not None else (project.lifecycle or "?")
    item = ProjectReadiness(
        id=project.id, name=project.name, lifecycle=lifecycle, phase=project.phase,
        status=project.status, tier=project.tier, state="no_phase")
    if where is None or project.phase is None:
        return item
    ahead = where.next
    if ahead is None:
        item.state = "no_gate_ahead"
        return item
    item.state = "not_ready"
    item.gate = _gate(ahead)
    if ahead.due is not None:
        item.days_to_gate = (ahead.due - as_of).days
    item.missing = [MissingArtifact(a.type, tuple(a.statuses), a.status)
                    for a in ahead.artifacts if not a.met]
    item.conditions = [
        OpenCondition(g.id, c.text, c.due, c.due is not None and c.due < as_of)
        for g in where.gates if g.position < ahead.position for c in g.open_conditions]
    return item


def _gate(g: LifecycleGate) -> NextGate:
    return NextGate(g.id, g.title, g.lifecycle, g.position, g.admits, g.decider_grade,
                    g.milestone.id if g.milestone is not None else None, g.due)
