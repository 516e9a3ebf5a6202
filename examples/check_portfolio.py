#!/usr/bin/env python3
"""Check the example portfolio from a script, as a nightly job might.

    python examples/check_portfolio.py

Prints the summary and the blocking findings, writes report.json next to the
working directory, and exits with the same code `pmo-rules check` would.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pmo_rules import api
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.stdlib.standard import POLICIES as STANDARD_POLICIES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    try:
        policies = api.load_policies([STANDARD_POLICIES])
        portfolio = api.load_portfolio(HERE / "portfolio.yaml")
        report = api.check(portfolio, policies, waivers=HERE / "waivers.yaml")
    except DiagnosticError as exc:  # bad policy, data or waiver input
        print(exc, file=sys.stderr)
        return 2
    summary = report.summary()
    print(f"{summary['rules']} rules over {summary['subjects']} subjects: "
          f"{summary['fail']} failed, {summary['waived']} waived, "
          f"{summary['blocking']} blocking, compliance {summary['score']:.0%}")
    for finding in report.blocking:
        print(f"  {finding.rule.id} {finding.subject.id}: {finding.message}")
    for waiver in report.waivers:
        print(f"  waiver {waiver.rule}/{waiver.subject}: {waiver.status}")
    Path("report.json").write_text(report.to_json(), encoding="utf-8")
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
