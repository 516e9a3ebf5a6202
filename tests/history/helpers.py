"""Helpers for the history tests: running the CLI and checking the monthly fixture runs."""

from __future__ import annotations

import os
import re
from pathlib import Path

from click.testing import CliRunner

from pmo_rules.cli import main
from tests.history.conftest import FIXTURES, MONTHS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("PMO_RULES_UPDATE_GOLDEN"))


def invoke(*args: str) -> tuple[int, str, str]:
    """Run `pmo-rules ARGS` in-process; (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def check_args(month: str, *extra: str, fixtures: Path = FIXTURES) -> list[str]:
    """`check` of one month of the fixture portfolio with the fixture policy and waivers."""
    return ["check", str(fixtures / f"{month}.yaml"), "--policy", str(fixtures / "policy.pmo"),
            "--waivers", str(fixtures / "waivers.yaml"), *extra]


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
