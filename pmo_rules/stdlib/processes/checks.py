"""Standard-process checks: required artifacts per tier and stage, templates, segregation."""

from __future__ import annotations

from typing import Any

from pmo_rules.language.declarations import CheckDecl, ParamDecl
from pmo_rules.language.types import NUMBER
from pmo_rules.plugins.types import CheckContext, CheckResult, PluginCheck

STAGES = ("initiating", "planning", "executing", "closing")
# Artifacts needed once a project has reached a stage: (artifact, the least critical tier
# that needs it). Tier 1 is the most critical, so a tier-1 project needs every row.
REQUIRED: dict[str, tuple[tuple[str, int], ...]] = {
    "initiating": (("business_case", 3),),
    "planning": (("charter", 3),),
    "executing": (("project_management_plan", 3), ("risk_register", 2),
                  ("communication_plan", 1)),
    "closing": (("acceptance", 2), ("closure_report", 3), ("lessons_learned", 2)),
}
_LIVE = ("active", "on_hold", "closed")


def required_for(stage: str | None, tier: int) -> list[str]:
    """The artifacts a project of `tier` needs approved by the time it is in `stage`."""
    if stage not in STAGES:
        return []
    reached = STAGES[: STAGES.index(stage) + 1]
    return [a for s in reached for a, worst_tier in REQUIRED[s] if tier <= worst_tier]


def required_artifacts(ctx: CheckContext) -> list[CheckResult]:
    """Every artifact the project's tier and stage need exists and is approved."""
    max_tier = ctx.params.get("tier", 3)
    out = []
    for p in ctx.portfolio.projects:
        tier = p.tier or 3
        if p.status not in _LIVE or tier > max_tier:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        needed = required_for(p.stage, tier)
        lacking = [a for a in needed
                   if getattr(p.artifacts.get(a), "status", None) != "approved"]
        out.append(CheckResult(
            p, passed=not lacking,
            message=f"{p.id} (tier {tier}, {p.stage}) lacks approved {', '.join(lacking)}",
            evidence={"tier": tier, "stage": p.stage, "required": needed,
                      "lacking": lacking}))
    return out


def _templates(ctx: CheckContext) -> dict[str, str]:
    raw: Any = ctx.portfolio.pmo.policy.get("templates") or {}
    out = {}
    for kind, value in raw.items() if isinstance(raw, dict) else ():
        current = value.get("current_version") if isinstance(value, dict) else value
        if current is not None:
            out[str(kind)] = str(current)
    return out


def template_versions(ctx: CheckContext) -> list[CheckResult]:
    """ART-05: artifacts use the current template version (pmo.policy.templates)."""
    current = _templates(ctx)
    out = []
    for p in ctx.portfolio.projects:
        stale = {a.type: a.template_version for a in p.artifacts.values()
                 if a.type in current and a.template_version is not None
                 and a.template_version != current[a.type]}
        applies = any(a.type in current and a.template_version is not None
                      for a in p.artifacts.values())
        if not applies:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        out.append(CheckResult(
            p, passed=not stale,
            message=f"{p.id} uses outdated templates: " + ", ".join(
                f"{k} {v} (current {current[k]})" for k, v in sorted(stale.items())),
            evidence={"outdated": stale, "current": {k: current[k] for k in stale}}))
    return out


def segregation_of_approval(ctx: CheckContext) -> list[CheckResult]:
    """ART-06: no artifact is approved by its author or by the project manager."""
    out = []
    for p in ctx.portfolio.projects:
        approved = [a for a in p.artifacts.values() if a.approved_by is not None]
        if not approved:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        pm = getattr(p.project_manager, "id", p.project_manager)
        bad = {}
        for a in approved:
            approver = getattr(a.approved_by, "id", a.approved_by)
            author = getattr(a.author, "id", a.author)
            if approver == author:
                bad[a.type] = f"approved by its author {approver}"
            elif approver == pm:
                bad[a.type] = f"approved by the project manager {approver}"
        out.append(CheckResult(
            p, passed=not bad,
            message=f"{p.id}: " + "; ".join(f"{k} {v}" for k, v in sorted(bad.items())),
            evidence={"violations": bad}))
    return out


CHECKS = [
    PluginCheck(CheckDecl(
        "process.required_artifacts",
        (ParamDecl("tier", NUMBER, required=False,
                   doc="check projects of this tier or a more critical one (default 3: all)"),),
        "project", "the approved artifacts each tier needs by each stage"), required_artifacts),
    PluginCheck(CheckDecl("process.template_versions", (), "project",
                          "artifacts use the current template versions"), template_versions),
    PluginCheck(CheckDecl("process.segregation_of_approval", (), "project",
                          "the approver is neither the author nor the project manager"),
                segregation_of_approval),
]
