"""Test plugins: one exercising every hook, and broken ones."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pmo_rules.engine.report import Report
from pmo_rules.language.declarations import CheckDecl, FunctionDecl, ParamDecl, entity
from pmo_rules.language.types import NUMBER, STRING
from pmo_rules.model.lifecycles import GateSpec, LifecycleModel
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import (
    CheckContext,
    CheckResult,
    Loader,
    PluginCheck,
    PluginFunction,
    PolicyPack,
    Reporter,
)

PACK = Path(__file__).parent / "pack"
ENRICHED: list[str] = []


def _budget_ratio(p: Any, scale: float = 1.0) -> float | None:
    approved, actual = p.budget.approved, p.budget.actual_to_date
    return actual / approved * scale if approved and actual is not None else None


def _tiered(ctx: CheckContext) -> list[CheckResult]:
    limit = ctx.params["max_tier"]
    return [CheckResult(p.id, passed=(p.tier or 3) <= limit, message=f"{p.id} tier {p.tier}",
                        evidence={"tier": p.tier, "label": ctx.params.get("label")})
            for p in ctx.portfolio.projects]


class Complete:
    """A plugin implementing every hook."""

    @hookimpl
    def pmo_rules_functions(self) -> list[PluginFunction]:
        decl = FunctionDecl("t.ratio", (ParamDecl("p", entity("project")),
                                        ParamDecl("scale", NUMBER, required=False)), NUMBER)
        return [PluginFunction(decl, _budget_ratio)]

    @hookimpl
    def pmo_rules_checks(self) -> list[PluginCheck]:
        decl = CheckDecl("t.tiered", (ParamDecl("max_tier", NUMBER),
                                      ParamDecl("label", STRING, required=False)), "project")
        return [PluginCheck(decl, _tiered)]

    @hookimpl
    def pmo_rules_lifecycles(self) -> list[LifecycleModel]:
        return [LifecycleModel("t-life", ("idea", "build", "run", "end"),
                               {"idea": "initiating", "build": "planning",
                                "run": "executing", "end": "closing"},
                               (GateSpec("go", "run", ("plan",), "director"),))]

    @hookimpl
    def pmo_rules_policy_packs(self) -> list[PolicyPack]:
        return [PolicyPack("t-pack", PACK)]

    @hookimpl
    def pmo_rules_loaders(self) -> list[Loader]:
        return [Loader("t-kv", (".kv",), _load_kv)]

    @hookimpl
    def pmo_rules_reporters(self) -> list[Reporter]:
        return [Reporter("t-count", "number of findings", _render)]

    @hookimpl
    def pmo_rules_portfolio_loaded(self, portfolio: Any) -> None:
        ENRICHED.append(portfolio.portfolio.id)
        for p in portfolio.projects:  # derived data goes under `custom`
            p.custom["enriched"] = True


def _render(report: Report) -> str:
    return str(len(report.findings))


def _load_kv(path: Path) -> dict[str, Any]:
    """Lines `P-1 name tier`: a toy export format."""
    projects = []
    for line in path.read_text().splitlines():
        ident, name, tier = line.split()
        projects.append({"id": ident, "name": name, "tier": int(tier)})
    return {"as_of": "2026-01-31", "portfolio": {"id": "KV"}, "projects": projects}


class RaisingCheck:
    """A check that raises, and a function that raises."""

    @hookimpl
    def pmo_rules_checks(self) -> list[PluginCheck]:
        def boom(ctx: CheckContext) -> list[CheckResult]:
            raise RuntimeError("database offline")

        return [PluginCheck(CheckDecl("bad.boom", (), "project"), boom)]

    @hookimpl
    def pmo_rules_functions(self) -> list[PluginFunction]:
        def explode(p: Any) -> Any:
            raise ZeroDivisionError("no data")

        return [PluginFunction(FunctionDecl("bad.explode", (ParamDecl("p", entity("project")),),
                                            NUMBER), explode)]


class WrongShapeCheck:
    """A check returning the wrong type."""

    @hookimpl
    def pmo_rules_checks(self) -> list[PluginCheck]:
        return [PluginCheck(CheckDecl("shape.dict", (), "project"),
                            lambda ctx: {"P-1": True})]  # type: ignore[arg-type,return-value]


class WrongShapeHook:
    """Hooks returning the wrong types."""

    @hookimpl
    def pmo_rules_checks(self) -> Any:
        return "not a list"

    @hookimpl
    def pmo_rules_functions(self) -> Any:
        return [SimpleNamespace(name="x")]


class RaisingHook:
    """A hook that raises."""

    @hookimpl
    def pmo_rules_checks(self) -> list[PluginCheck]:
        raise ImportError("optional dependency missing")


class UnknownHook:
    """A hook implementation for a hook that does not exist (check_pending refuses it)."""

    @hookimpl
    def pmo_rules_fnctions(self) -> list[PluginFunction]:
        return []
