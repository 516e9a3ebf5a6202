"""Gate checks: artifacts approved before the phase, no gate skipped, kill and hold obeyed."""

from __future__ import annotations

from typing import Any

from pmo_rules.language.declarations import CheckDecl, ParamDecl
from pmo_rules.language.types import NUMBER
from pmo_rules.model.lifecycles import GateSpec, LifecycleModel
from pmo_rules.plugins.types import CheckContext, CheckResult, PluginCheck

PASSING = ("go", "go_with_conditions")
_UNGOVERNED = ("proposed", "cancelled")


def _model(ctx: CheckContext, project: Any) -> LifecycleModel | None:
    lifecycle_id = project.lifecycle or ctx.portfolio.portfolio.default_lifecycle
    model: LifecycleModel | None = ctx.portfolio.lifecycles.get(lifecycle_id)
    return model


def gates_to_enter(model: LifecycleModel, phase: str | None) -> list[GateSpec]:
    """The gates a project must have passed to be in `phase` of `model`."""
    here = model.phase_index(phase) if phase is not None else None
    if here is None:
        return []
    return [g for g in model.gates if (model.phase_index(g.admits) or 0) <= here]


def gate_artifacts(ctx: CheckContext) -> list[CheckResult]:
    """LC-03: each passed gate's artifacts exist, are approved, and were approved in time."""
    tier = ctx.params.get("tier", 3)
    out = []
    for p in ctx.portfolio.projects:
        model = _model(ctx, p)
        if model is None or p.status in _UNGOVERNED or p.tier is None or p.tier > tier:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        missing, unapproved, late = [], [], []
        for gate in gates_to_enter(model, p.phase):
            decided_on = getattr(p.gates.get(gate.id), "decided_on", None)
            for kind in gate.requires_artifacts:
                art = p.artifacts.get(kind)
                if art is None:
                    missing.append(kind)
                elif art.status != "approved":
                    unapproved.append(kind)
                elif art.approved_on and decided_on and art.approved_on > decided_on:
                    late.append(kind)
        problems = [f"{', '.join(sorted(set(x)))} {why}" for x, why in (
            (missing, "missing"), (unapproved, "not approved"),
            (late, "approved after the gate")) if x]
        out.append(CheckResult(
            p, passed=not problems,
            message=f"{p.id} is in {p.phase} but gate artifacts are incomplete: "
                    + "; ".join(problems),
            evidence={"phase": p.phase, "lifecycle": model.id, "missing": sorted(set(missing)),
                      "not_approved": sorted(set(unapproved)),
                      "approved_late": sorted(set(late))}))
    return out


def no_skipped_gate(ctx: CheckContext) -> list[CheckResult]:
    """LC-02: every gate needed to enter the current phase was decided go."""
    out = []
    for p in ctx.portfolio.projects:
        model = _model(ctx, p)
        if model is None or p.status in _UNGOVERNED:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        skipped = [g.id for g in gates_to_enter(model, p.phase)
                   if getattr(p.gates.get(g.id), "decision", None) not in PASSING]
        out.append(CheckResult(
            p, passed=not skipped,
            message=f"{p.id} is in {p.phase} without a go at {', '.join(skipped)}",
            evidence={"phase": p.phase, "lifecycle": model.id, "skipped": skipped}))
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
