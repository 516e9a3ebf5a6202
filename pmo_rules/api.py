"""The Python API: load policies, load a portfolio, check, and read the Report.

    from pmo_rules import api
    policies = api.load_policies(["policies/"])
    portfolio = api.load_portfolio("examples/portfolio.yaml")
    report = api.check(portfolio, policies, waivers="examples/waivers.yaml")
    print(report.summary(), report.exit_code)

Every function raises `pmo_rules.diagnostics.DiagnosticError` for bad input.
"""

from __future__ import annotations

from pmo_rules.engine.report import Report
from pmo_rules.engine.run import check
from pmo_rules.engine.selection import select_rules as select_rules
from pmo_rules.engine.waivers import WaiverRules, load_waivers
from pmo_rules.plugins.inputs import (
    load_lifecycles,
    load_policies,
    load_portfolio,
    pack_directories,
)

__all__ = [
    "Report", "WaiverRules", "check", "load_lifecycles", "load_policies", "load_portfolio",
    "load_waivers",
    "pack_directories",
]
