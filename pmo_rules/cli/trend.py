"""`pmo-rules trend`: a portfolio's governance over its recorded runs."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from pmo_rules.cli.common import EXIT_OK, user_errors
from pmo_rules.cli.stores import day, emit_view, open_store, output_options, runs_options


@click.command()
@runs_options
@click.option("--last", type=click.IntRange(min=1), help="Only the latest N runs.")
@output_options(("text", "json"))
def command(
    store: str | None, portfolio_id: str | None, since: dt.datetime | None,
    until: dt.datetime | None, last: int | None, output_format: str, output: Path | None,
) -> None:
    """Show how a portfolio's governance moved over its recorded runs: the score overall,
    per program and per family, open blocking findings, the median age of open findings,
    and active waivers.

    Exit codes: 0 shown, 2 the store or the options are wrong.
    """
    from pmo_rules.history.trend import load_trend

    def text(width: int) -> str:
        from pmo_rules.history.text import trend_text

        return trend_text(trend, width=width)

    with user_errors(output_format), open_store(store) as opened:
        portfolio = opened.choose_portfolio(portfolio_id)
        trend = load_trend(opened, portfolio, since=day(since), until=day(until), last=last)
        emit_view(output_format, output, trend.to_dict, text)
    sys.exit(EXIT_OK)
