"""`pmo-rules graph`: export the dependency graph as JSON, dot or Mermaid."""

from __future__ import annotations

import datetime as dt

import click

from pmo_rules.cli.common import emit_diagnostics, settings_lifecycles, user_errors


@click.command(name="graph")
@click.argument("portfolio", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["json", "dot", "mermaid"]), default="json",
              show_default=True, help="Output format.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Evaluation date (overrides the file's as_of).")
def command(portfolio: str, fmt: str, as_of: dt.datetime | None) -> None:
    """Export PORTFOLIO's dependency graph, with cycles and the critical path marked."""
    with user_errors():
        from pmo_rules.api import load_portfolio
        from pmo_rules.graph.export import FORMATS
        from pmo_rules.graph.portfolio_graph import PortfolioGraph

        # Projects may follow plugin and settings lifecycles, as in `check`.
        loaded = load_portfolio(portfolio, as_of=as_of.date() if as_of else None,
                                lifecycles=settings_lifecycles())
        if loaded.warnings:
            emit_diagnostics(loaded.warnings)
        click.echo(FORMATS[fmt](PortfolioGraph(loaded)), nl=False)
