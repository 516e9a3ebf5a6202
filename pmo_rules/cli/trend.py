"""`pmo-rules trend`: a portfolio's governance over its recorded runs."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from pmo_rules.cli.common import EXIT_OK, user_errors
from pmo_rules.cli.stores import (
    date_options,
    day,
    open_store,
    output_options,
    portfolio_option,
    store_option,
    text_width,
    write_output,
)


@click.command()
@store_option
@portfolio_option
@date_options
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

    with user_errors(output_format), open_store(store) as opened:
        portfolio = opened.choose_portfolio(portfolio_id)
        trend = load_trend(opened, portfolio, since=day(since), until=day(until), last=last)
        if output_format == "json":
            rendered = json.dumps(trend.to_dict(), indent=2, ensure_ascii=False) + "\n"
        else:
            from pmo_rules.history.text import trend_text

            rendered = trend_text(trend, width=text_width(output))
        write_output(rendered, output)
    sys.exit(EXIT_OK)
