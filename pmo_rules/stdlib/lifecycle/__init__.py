"""pmo-rules plugin: lifecycle models and gate checks, registered as entry point `lifecycle`."""

from __future__ import annotations

from pathlib import Path

from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import PluginCheck, PolicyPack
from pmo_rules.stdlib.lifecycle.checks import CHECKS
from pmo_rules.stdlib.lifecycle.models import MODELS


@hookimpl
def pmo_rules_lifecycles() -> list[LifecycleModel]:
    """pmbok (re-exported), prince2-style, stage-gate, safe-portfolio and ipa-gateway."""
    return list(MODELS)


@hookimpl
def pmo_rules_checks() -> list[PluginCheck]:
    """The gate checks."""
    return list(CHECKS)


@hookimpl
def pmo_rules_policy_packs() -> list[PolicyPack]:
    """The `lifecycle` policy pack: LC rules written with this plugin's checks."""
    return [PolicyPack("lifecycle", Path(__file__).parent / "policies",
                       "stage-gate compliance with the lifecycle plugin's checks")]
