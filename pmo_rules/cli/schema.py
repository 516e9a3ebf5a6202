"""`pmo-rules schema`: print the JSON Schema of the portfolio file."""

from __future__ import annotations

import json

import click

from pmo_rules.cli.common import user_errors


@click.command(name="schema")
def command() -> None:
    """Print the JSON Schema of a portfolio file (the input shape, shorthands allowed)."""
    with user_errors():
        from pmo_rules.model.schema import portfolio_schema

        click.echo(json.dumps(portfolio_schema(), indent=2, sort_keys=True))
