"""Helpers for plugin authors: run a check or a policy against a small portfolio.

    from pmo_rules.testing import PluginHarness
    harness = PluginHarness({"acme": acme_pmo.plugin}, entry_points=False)
    results = harness.run_check("acme.risk_owners", portfolio, max_unowned=0)
    report = harness.check(policy_text, portfolio)
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pmo_rules.engine.report import Report
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.plugins.manager import Plugins, load_plugins
from pmo_rules.plugins.types import CheckContext, CheckResult

AS_OF = dt.date(2026, 1, 31)


def portfolio_data(*projects: Mapping[str, Any], **top: Any) -> dict[str, Any]:
    """A minimal valid portfolio document holding `projects` (ids and names filled in)."""
    filled = []
    for i, p in enumerate(projects, start=1):
        item = {"id": f"P-{i}", "name": f"Project {i}", **p}
        filled.append(item)
    return {"as_of": AS_OF.isoformat(), "portfolio": {"id": "PF"}, "projects": filled, **top}


class PluginHarness:
    """A run's plugins (the given ones, and installed ones unless told not to) for tests."""

    def __init__(self, plugins: Mapping[str, object] | None = None, *,
                 entry_points: bool = False) -> None:
        self.plugins: Plugins = load_plugins(dict(plugins or {}), entry_points=entry_points)

    def portfolio(self, data: Mapping[str, Any], as_of: dt.date | None = None) -> LoadedPortfolio:
        """Validate a portfolio document (as in a YAML file) with these plugins' lifecycles."""
        from pmo_rules import api

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "portfolio.json"
            path.write_text(json.dumps(data, default=str), encoding="utf-8")
            return api.load_portfolio(path, as_of=as_of, plugins=self.plugins)

    def run_check(
        self, name: str, portfolio: LoadedPortfolio | Mapping[str, Any], **params: Any
    ) -> list[CheckResult]:
        """Call check `name` directly with these arguments; exceptions propagate."""
        from pmo_rules.engine.checks import call_check
        from pmo_rules.graph.portfolio_graph import PortfolioGraph

        loaded = portfolio if isinstance(portfolio, LoadedPortfolio) else self.portfolio(portfolio)
        check = self.plugins.collected.checks[name]
        ctx = CheckContext(loaded, PortfolioGraph(loaded), loaded.as_of, params)
        return call_check(check, ctx)

    def check(
        self, policy: str, portfolio: LoadedPortfolio | Mapping[str, Any], **options: Any
    ) -> Report:
        """Validate `policy` (.pmo text) with these plugins and run it over the portfolio."""
        from pmo_rules import api

        loaded = portfolio if isinstance(portfolio, LoadedPortfolio) else self.portfolio(portfolio)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "policy.pmo"
            path.write_text(policy, encoding="utf-8")
            checked = api.load_policies([path], plugins=self.plugins)
            return api.check(loaded, checked, plugins=self.plugins, **options)
