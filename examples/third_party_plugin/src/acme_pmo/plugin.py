"""The hook implementations of Acme's plugin, registered as entry point `acme`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pmo_rules.language.declarations import CheckDecl, FunctionDecl, ParamDecl, entity
from pmo_rules.language.types import NUMBER
from pmo_rules.model.lifecycles import GateSpec, LifecycleModel
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import (
    CheckContext,
    CheckResult,
    PluginCheck,
    PluginFunction,
    PolicyPack,
)

ACME_AGILE = LifecycleModel(
    id="acme-agile",
    phases=("discovery", "inception", "construction", "transition"),
    stages={"discovery": "initiating", "inception": "planning",
            "construction": "executing", "transition": "closing"},
    gates=(
        GateSpec("lifecycle_objectives", "construction", ("vision", "business_case"),
                 "director"),
        GateSpec("release", "transition", ("acceptance",), "director"),
    ),
)


def risk_exposure(p: Any) -> float:
    """The sum of probability x impact over the project's open risks."""
    return float(sum((r.probability or 0) * (r.impact or 0)
                     for r in p.risks if r.status in (None, "open")))


def risk_owners(ctx: CheckContext) -> list[CheckResult]:
    """Projects may have at most `max_unowned` open risks without an owner."""
    allowed = ctx.params.get("max_unowned", 0)
    out = []
    for p in ctx.portfolio.projects:
        open_risks = [r for r in p.risks if r.status in (None, "open")]
        if not open_risks:
            out.append(CheckResult(p, passed=True, not_applicable=True))
            continue
        unowned = sorted(r.id for r in open_risks if r.owner is None)
        out.append(CheckResult(
            p, passed=len(unowned) <= allowed,
            message=f"{p.id} has {len(unowned)} open risk(s) without an owner",
            evidence={"unowned": unowned, "max_unowned": allowed}))
    return out


@hookimpl
def pmo_rules_functions() -> list[PluginFunction]:
    """acme.risk_exposure(p)."""
    decl = FunctionDecl("acme.risk_exposure", (ParamDecl("p", entity("project")),), NUMBER,
                        "sum of probability x impact over open risks")
    return [PluginFunction(decl, risk_exposure)]


@hookimpl
def pmo_rules_checks() -> list[PluginCheck]:
    """acme.risk_owners(max_unowned: number)."""
    decl = CheckDecl("acme.risk_owners", (ParamDecl("max_unowned", NUMBER),), "project",
                     "at most max_unowned open risks lack an owner")
    return [PluginCheck(decl, risk_owners)]


@hookimpl
def pmo_rules_lifecycles() -> list[LifecycleModel]:
    """The acme-agile lifecycle."""
    return [ACME_AGILE]


@hookimpl
def pmo_rules_policy_packs() -> list[PolicyPack]:
    """The `acme` policy pack."""
    return [PolicyPack("acme", Path(__file__).parent / "policies", "Acme's risk rules")]
