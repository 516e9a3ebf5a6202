"""Gate checks: artifacts approved before the phase, no gate skipped, kill and hold obeyed."""

from __future__ import annotations

from typing import Any

from pmo_rules.language.declarations import CheckDecl, ParamDecl
from pmo_rules.language.types import NUMBER
from pmo_rules.model.progress import ProjectLifecycle, model_of, progress
from pmo_rules.plugins.types import CheckContext, CheckResult, PluginCheck

_UNGOVERNED = ("proposed", "cancelled")


def _progress(ctx: CheckContext, project: Any) -> ProjectLifecycle | None:
    portfolio = ctx.portfolio
    model = model_of(project, portfolio.lifecycles, portfolio.portfolio.default_lifecycle)
    return progress(project, model) if model is not None else None


def gate_artifacts(ctx: CheckContext) -> list[CheckResult]:
    """LC-03: each required gate's artifacts exist at the status the gate needs for the
    project's tier, and approved ones were approved by the day the gate was decided."""
    tier = ctx.params.get("tier", 3)
    out = []
    for p in ctx.portfolio.projects:
        where = _progress(ctx, p)
        if where is None or p.status in _UNGOVERNED or p.tier is None or p.tier > tier:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        missing, unapproved, late = [], [], []
        for gate in where.required or ():
            for need in gate.artifacts:
                art = need.artifact
                if art is None:
                    missing.append(need.type)
                elif not need.met:
                    unapproved.append(need.type)
                elif (art.status == "approved" and art.approved_on and gate.decided_on
                      and art.approved_on > gate.decided_on):
                    late.append(need.type)
        problems = [f"{', '.join(sorted(set(x)))} {why}" for x, why in (
            (missing, "missing"), (unapproved, "not at the status the gate needs"),
            (late, "approved after the gate")) if x]
        out.append(CheckResult(
            p, passed=not problems,
            message=f"{p.id} is in {p.phase} but gate artifacts are incomplete: "
                    + "; ".join(problems),
            evidence={"phase": p.phase, "lifecycle": where.model.id,
                      "missing": sorted(set(missing)), "not_approved": sorted(set(unapproved)),
                      "approved_late": sorted(set(late))}))
    return out


def no_skipped_gate(ctx: CheckContext) -> list[CheckResult]:
    """LC-02: every gate needed to enter the current phase was decided go."""
    out = []
    for p in ctx.portfolio.projects:
        where = _progress(ctx, p)
        if where is None or p.status in _UNGOVERNED:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        skipped = [g.id for g in where.required or () if not g.passed]
        out.append(CheckResult(
            p, passed=not skipped,
            message=f"{p.id} is in {p.phase} without a go at {', '.join(skipped)}",
            evidence={"phase": p.phase, "lifecycle": where.model.id, "skipped": skipped}))
    return out


def gate_decisions(ctx: CheckContext) -> list[CheckResult]:
    """LC-06: a kill means cancelled (with date and reason); a latest hold means on hold."""
    out = []
    for p in ctx.portfolio.projects:
        decided = [g for g in p.gates.values() if g.decision is not None]
        if not decided:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        killed = [g.gate for g in decided if g.decision == "kill"]
        latest = max(decided, key=lambda g: (g.decided_on is not None, g.decided_on))
        problem = ""
        if killed and (p.status != "cancelled" or not p.cancelled_on
                       or not p.cancellation_reason):
            problem = (f"{p.id} was killed at {', '.join(killed)} but is {p.status} "
                       "(a kill needs status cancelled, cancelled_on and cancellation_reason)")
        elif not killed and latest.decision == "hold" and p.status != "on_hold":
            problem = f"{p.id} was put on hold at {latest.gate} but is {p.status}"
        out.append(CheckResult(
            p, passed=not problem, message=problem,
            evidence={"status": p.status, "killed_at": killed,
                      "latest_gate": latest.gate, "latest_decision": latest.decision}))
    return out


CHECKS = [
    PluginCheck(CheckDecl(
        "lifecycle.gate_artifacts",
        (ParamDecl("tier", NUMBER, required=False,
                   doc="check projects of this tier or a more critical one (default 3: all)"),),
        "project", "every passed gate's required artifacts are approved, before the gate"),
        gate_artifacts),
    PluginCheck(CheckDecl("lifecycle.no_skipped_gate", (), "project",
                          "every gate needed for the current phase has a go decision"),
                no_skipped_gate),
    PluginCheck(CheckDecl("lifecycle.gate_decisions", (), "project",
                          "a kill means cancelled and a hold means on hold"), gate_decisions),
]
