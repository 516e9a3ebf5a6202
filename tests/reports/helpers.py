"""Helpers for the report tests: the fixture run and where the shared schemas are."""

from __future__ import annotations

from pathlib import Path

from pmo_rules import api
from pmo_rules.engine.report import Report

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = "<script>alert('pwned')</script>"


def run_fixture(policy: Path | str = "policy.pmo", **kwargs: object) -> Report:
    """Check the fixture portfolio (call from inside the fixtures directory)."""
    return api.check(api.load_portfolio("portfolio.yaml"), api.load_policies([policy]),
                     waivers="waivers.yaml", **kwargs)  # type: ignore[arg-type]
