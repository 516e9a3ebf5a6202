"""`pmo-rules diff`: what changed between two runs (recorded runs or JSON report files)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pmo_rules.cli.common import EXIT_OK, user_errors
from pmo_rules.cli.stores import (
    LazyStore,
    emit_view,
    output_options,
    portfolio_option,
    snapshot_of,
    store_option,
)
from pmo_rules.diagnostics import Diagnostic, DiagnosticError

if TYPE_CHECKING:
    from pmo_rules.history.snapshot import Snapshot


@click.command()
@click.argument("run_a", required=False)
@click.argument("run_b", required=False)
@store_option
@portfolio_option
@output_options(("text", "json", "markdown"))
def command(
    run_a: str | None, run_b: str | None, store: str | None, portfolio_id: str | None,
    output_format: str, output: Path | None,
) -> None:
    """Show what changed from RUN_A to RUN_B: findings new, resolved and persisting (with
    first seen and days open), severity and enforcement changes, waiver fates, and scores
    overall, per program and per family.

    Each of RUN_A and RUN_B is a recorded run id (`pmo-rules history`) or a JSON report
    file. With no arguments: the portfolio's last two recorded runs; with RUN_A only: from
    RUN_A to the latest recorded run of its portfolio.

    Exit codes: 0 shown, 2 the runs or the store are wrong.
    """
    from pmo_rules.history.diff import diff_runs
    from pmo_rules.history.markdown import diff_markdown
    from pmo_rules.history.text import diff_text

    lazy = LazyStore(store)
    with user_errors(output_format):
        try:
            a, b = _sides(run_a, run_b, lazy, portfolio_id)
        finally:
            lazy.close()
        result = diff_runs(a, b)
        emit_view(output_format, output, result.to_dict,
                  lambda width: diff_text(result, width=width), lambda: diff_markdown(result))
    sys.exit(EXIT_OK)


def _sides(
    run_a: str | None, run_b: str | None, store: LazyStore, portfolio_id: str | None,
) -> tuple[Snapshot, Snapshot]:
    if run_a is not None and run_b is not None:
        return snapshot_of(run_a, store), snapshot_of(run_b, store)
    if run_a is not None:
        a = snapshot_of(run_a, store)
        latest = store().runs(portfolio=store().choose_portfolio(a.portfolio), limit=1)
        if latest[0].id == a.run_id:
            raise DiagnosticError([Diagnostic(
                "PMO908", f"run {a.run_id} is the latest recorded run of `{a.portfolio}`",
                help="give an earlier run as RUN_A, or a later one as RUN_B",
            )])
        return a, store().snapshot(latest[0].id)
    portfolio = store().choose_portfolio(portfolio_id)
    last = store().runs(portfolio=portfolio, limit=2)
    if len(last) < 2:
        raise DiagnosticError([Diagnostic(
            "PMO908", f"`{portfolio}` has only one recorded run; a diff needs two",
            help="record another run with `pmo-rules check PORTFOLIO --record`, or give "
                 "a JSON report file as RUN_A",
        )])
    return store().snapshot(last[0].id), store().snapshot(last[1].id)
