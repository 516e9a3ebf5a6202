"""pmo-rules plugin: the standard policy library as the `standard` pack (entry point `standard`)."""

from __future__ import annotations

from pathlib import Path

from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import PolicyPack

POLICIES = Path(__file__).parent / "policies"


@hookimpl
def pmo_rules_policy_packs() -> list[PolicyPack]:
    """The `standard` pack: the standard governance rules in seven families."""
    return [PolicyPack("standard", POLICIES,
                       "the standard governance library: lifecycle, finance, schedule, "
                       "dependencies, RAID, strategy, portfolio balance")]

