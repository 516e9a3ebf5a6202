"""Shared fixtures: the mixed-lifecycle example, loaded with its settings' YAML lifecycle."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.language.checked import CheckedPolicySet
from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.model.portfolio import LoadedPortfolio

ROOT = Path(__file__).resolve().parents[2]
MIXED = ROOT / "examples" / "mixed-lifecycles"


@pytest.fixture(scope="session")
def mixed_lifecycles() -> list[LifecycleModel]:
    """The example's own lifecycle, from governance/lifecycles/."""
    return api.load_lifecycles([MIXED / "governance" / "lifecycles"])


@pytest.fixture(scope="session")
def mixed(mixed_lifecycles: list[LifecycleModel]) -> LoadedPortfolio:
    """Harbour City Council's portfolio: projects in six lifecycles."""
    return api.load_portfolio(MIXED / "portfolio.yaml", lifecycles=mixed_lifecycles)


@pytest.fixture(scope="session")
def standard(mixed_lifecycles: list[LifecycleModel]) -> CheckedPolicySet:
    """The standard pack, knowing the example's phases."""
    return api.load_policies([], packs=["standard"], lifecycles=mixed_lifecycles)
