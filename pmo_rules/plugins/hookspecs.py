"""The hook specifications: the public plugin API (project and entry-point group `pmo_rules`)."""

from __future__ import annotations

from typing import Any

import pluggy

from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.plugins.types import (
    Loader,
    PluginCheck,
    PluginFunction,
    PolicyPack,
    Reporter,
)

PROJECT_NAME = "pmo_rules"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def pmo_rules_functions() -> list[PluginFunction]:  # type: ignore[empty-body]
    """DSL functions with typed signatures, so the checker can check calls to them."""


@hookspec
def pmo_rules_checks() -> list[PluginCheck]:  # type: ignore[empty-body]
    """Checks written in Python, used from policies with `check NAME(...)`."""


@hookspec
def pmo_rules_lifecycles() -> list[LifecycleModel]:  # type: ignore[empty-body]
    """Lifecycle models: ordered phases, stage mapping, gates and required artifacts."""


@hookspec
def pmo_rules_policy_packs() -> list[PolicyPack]:  # type: ignore[empty-body]
    """Directories of .pmo policies that ship with the plugin."""


@hookspec
def pmo_rules_loaders() -> list[Loader]:  # type: ignore[empty-body]
    """Portfolio formats, chosen by file suffix."""


@hookspec
def pmo_rules_reporters() -> list[Reporter]:  # type: ignore[empty-body]
    """Output formats for a run's Report."""


@hookspec
def pmo_rules_portfolio_loaded(portfolio: Any) -> None:
    """Enrichment after loading and before evaluation (e.g. derived fields)."""
