"""Shared helpers: our fixtures, the real files of ../shared/realdata, and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pmo_rules.cli import main
from pmo_rules.importers.mapping_file import load_mapping
from pmo_rules.importers.run import Imported, import_sources
from tests.shared import require_shared

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def realdata() -> Path:
    """The real files; skipped on a user's clone, a failure in CI (CI=true)."""
    return require_shared("realdata", env="PMO_RULES_REALDATA")


def run_import(*sources: Path | str, mapping: Path | None = None, from_: str | None = None,
               **kw: Any) -> Imported:
    """Import through the API with the installed plugins."""
    return import_sources([Path(s) for s in sources], mapping=load_mapping(mapping),
                          from_=from_, **kw)


def cli(*args: str) -> Result:
    """Run `pmo-rules ARGS` in-process."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def refused(imported: Imported) -> list[tuple[str, str]]:
    """(place, raw) of every refused value."""
    return [(str(r.place), r.raw) for r in imported.report.refused]
