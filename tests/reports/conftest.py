"""Fixtures shared by the report tests: a small run with every status and waiver fate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.engine.report import Report
from tests.reports.helpers import FIXTURES, run_fixture


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run from the fixtures so paths in reports are short and stable."""
    monkeypatch.chdir(FIXTURES)
    yield FIXTURES


@pytest.fixture
def report(in_fixtures: Path) -> Report:
    """The fixture run."""
    return run_fixture()


@pytest.fixture
def graph(in_fixtures: Path) -> dict[str, object]:
    """The fixture portfolio's graph_data."""
    from pmo_rules.graph.export import graph_data
    from pmo_rules.graph.portfolio_graph import PortfolioGraph

    return graph_data(PortfolioGraph(api.load_portfolio("portfolio.yaml")))
