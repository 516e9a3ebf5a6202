"""pmo-rules plugin: earned value functions and banded thresholds (entry point `evm`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pmo_rules.language.declarations import FunctionDecl, ParamDecl
from pmo_rules.language.types import NUMBER, STRING, entity
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import PluginFunction, PolicyPack

PROJECT = entity("project")


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def cpi(p: Any) -> float | None:
    """Cost performance index EV / AC; missing without both, or when AC is 0."""
    ev, ac = _num(p.evm.ev), _num(p.evm.ac)
    return ev / ac if ev is not None and ac else None


def spi(p: Any) -> float | None:
    """Schedule performance index EV / PV; missing without both, or when PV is 0."""
    ev, pv = _num(p.evm.ev), _num(p.evm.pv)
    return ev / pv if ev is not None and pv else None


def eac(p: Any) -> float | None:
    """Estimate at completion BAC / CPI (the budget, at today's cost efficiency)."""
    bac, index = _num(p.evm.bac), cpi(p)
    return bac / index if bac is not None and index else None


def vac(p: Any) -> float | None:
    """Variance at completion BAC - EAC (negative: an overrun)."""
    bac, estimate = _num(p.evm.bac), eac(p)
    return bac - estimate if bac is not None and estimate is not None else None


def band(value: Any, red: Any, amber: Any) -> str | None:
    """`red` below `red`, `amber` below `amber`, else `green`; missing for a missing value."""
    v = _num(value)
    if v is None:
        return None
    return "red" if v < red else "amber" if v < amber else "green"


def _project_fn(name: str, returns: Any, doc: str) -> FunctionDecl:
    return FunctionDecl(f"evm.{name}", (ParamDecl("p", PROJECT),), returns, doc)


FUNCTIONS = [
    PluginFunction(_project_fn("cpi", NUMBER, "cost performance index EV / AC"), cpi),
    PluginFunction(_project_fn("spi", NUMBER, "schedule performance index EV / PV"), spi),
    PluginFunction(_project_fn("eac", NUMBER, "estimate at completion BAC / CPI"), eac),
    PluginFunction(_project_fn("vac", NUMBER, "variance at completion BAC - EAC"), vac),
    PluginFunction(FunctionDecl(
        "evm.band",
        (ParamDecl("value", NUMBER), ParamDecl("red", NUMBER), ParamDecl("amber", NUMBER)),
        STRING, "\"red\" below red, \"amber\" below amber, else \"green\""), band),
]


@hookimpl
def pmo_rules_functions() -> list[PluginFunction]:
    """evm.cpi, evm.spi, evm.eac, evm.vac and evm.band."""
    return list(FUNCTIONS)


@hookimpl
def pmo_rules_policy_packs() -> list[PolicyPack]:
    """The `evm` policy pack: banded CPI and SPI thresholds and EAC overrun."""
    return [PolicyPack("evm", Path(__file__).parent / "policies",
                       "earned value bands (FIN-02 style) with the evm plugin's functions")]
