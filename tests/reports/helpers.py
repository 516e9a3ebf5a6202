"""Helpers for the report tests: the fixture run and where the shared schemas are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.engine.report import Report

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = "<script>alert('pwned')</script>"


def schemas_dir() -> Path:
    """The shared schemas (../shared/schemas from the repository)."""
    candidate = Path(__file__).parents[3] / "shared" / "schemas"
    if not candidate.is_dir():
        # CI always has shared/ beside the clone: there a missing schema is a failure,
        # never a silent skip. Elsewhere (a lone clone) the validation cannot run.
        if os.environ.get("CI"):
            pytest.fail(f"the official schemas are not at {candidate}")
        pytest.skip(f"the shared schemas are not at {candidate}")
    return candidate


def run_fixture(policy: Path | str = "policy.pmo", **kwargs: object) -> Report:
    """Check the fixture portfolio (call from inside the fixtures directory)."""
    return api.check(api.load_portfolio("portfolio.yaml"), api.load_policies([policy]),
                     waivers="waivers.yaml", **kwargs)  # type: ignore[arg-type]
