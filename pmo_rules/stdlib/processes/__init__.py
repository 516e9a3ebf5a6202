"""pmo-rules plugin: standard-process checks, registered as entry point `process`."""

from __future__ import annotations

from pathlib import Path

from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import PluginCheck, PolicyPack
from pmo_rules.stdlib.processes.checks import CHECKS


@hookimpl
def pmo_rules_checks() -> list[PluginCheck]:
    """Required artifacts per tier and stage, template versions, segregation of approval."""
    return list(CHECKS)


@hookimpl
def pmo_rules_policy_packs() -> list[PolicyPack]:
    """The `process` policy pack: ART rules written with this plugin's checks."""
    return [PolicyPack("process", Path(__file__).parent / "policies",
                       "standard processes with the process plugin's checks")]
