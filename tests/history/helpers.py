"""Helpers for the history tests: running the CLI and checking the monthly fixture runs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main
from tests.history.conftest import FIXTURES, MONTHS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("PMO_RULES_UPDATE_GOLDEN"))


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `pmo-rules ARGS` in-process; (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def check_args(month: str, *extra: str) -> list[str]:
    """`check` of one month of the fixture portfolio with the fixture policy and waivers."""
    return ["check", str(FIXTURES / f"{month}.yaml"), "--policy", str(FIXTURES / "policy.pmo"),
            "--waivers", str(FIXTURES / "waivers.yaml"), *extra]


def record_months(store: str, months: tuple[str, ...] = MONTHS) -> None:
    """Record a check of each month, in order, in the store."""
    for month in months:
        code, _, err = invoke(*check_args(month, "--record", "--store", store,
                                          "--format", "json"))
        assert code == 1, err


def masked(text: str) -> str:
    """Output with what changes from run to run (recording times, temporary paths) masked."""
    text = re.sub(r'"recorded_at": "[^"]+"', '"recorded_at": "<time>"', text)
    return text.replace(str(FIXTURES), "<fixtures>")


def check_golden(name: str, text: str) -> None:
    """Compare with tests/history/golden/NAME (PMO_RULES_UPDATE_GOLDEN=1 rewrites it)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def schemas_dir() -> Path:
    """The official SARIF and JUnit schemas: ../shared/schemas beside the repository (or the
    development machine's /work/shared/schemas); a failure in CI when absent, else a skip."""
    for candidate in (Path(__file__).parents[3] / "shared" / "schemas",
                      Path("/work/shared/schemas")):
        if candidate.is_dir():
            return candidate
    if os.environ.get("CI"):
        pytest.fail("the official schemas are not in ../shared/schemas")
    pytest.skip("the official schemas are not in ../shared/schemas")
