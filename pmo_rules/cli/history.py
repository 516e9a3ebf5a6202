"""`pmo-rules history`: the recorded runs, filtered by portfolio and as-of date."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from pmo_rules.cli.common import EXIT_OK, user_errors
from pmo_rules.cli.stores import day, emit_view, open_store, output_options, runs_options


@click.command()
@runs_options
@click.option("--limit", type=click.IntRange(min=1), help="Only the latest N runs.")
@output_options(("text", "json"))
def command(
    store: str | None, portfolio_id: str | None, since: dt.datetime | None,
    until: dt.datetime | None, limit: int | None, output_format: str, output: Path | None,
) -> None:
    """List the recorded runs: id, when recorded, as-of date, portfolio, policies, counts
    and score, oldest first.

    Exit codes: 0 listed, 2 the store or the options are wrong.
    """
    from pmo_rules.history.text import runs_text

    with user_errors(output_format), open_store(store) as opened:
        portfolio = opened.choose_portfolio(portfolio_id) if portfolio_id else None
        listed = opened.runs(portfolio=portfolio, since=day(since), until=day(until),
                             limit=limit)
        emit_view(output_format, output,
                  lambda: {"schema": "pmo-rules/history/v1",
                           "runs": [r.to_dict() for r in listed]},
                  lambda width: runs_text(listed, width=width))
    sys.exit(EXIT_OK)
