"""`pmo-rules store`: where the run store is, its schema version, and upgrading it."""

from __future__ import annotations

import sys

import click

from pmo_rules.cli.common import EXIT_OK, user_errors
from pmo_rules.cli.stores import location, store_option


@click.group()
def command() -> None:
    """The run store that `check --record` writes and history, diff and trend read."""


@command.command()
@store_option
def info(store: str | None) -> None:
    """Show the store's location, schema version and the runs it holds."""
    from pmo_rules.history.store import Store

    with user_errors():
        where = location(store)
        with Store.open(where) as opened:
            portfolios = opened.portfolios()
            counts = {p: len(opened.runs(portfolio=p)) for p in portfolios}
            revision = opened.revision()
    click.echo(f"store: {where.shown}")
    click.echo(f"schema: {revision}")
    click.echo(f"runs: {sum(counts.values())}")
    for name, n in counts.items():
        click.echo(f"  {name}: {n}")
    sys.exit(EXIT_OK)


@command.command()
@store_option
def upgrade(store: str | None) -> None:
    """Migrate the store to the schema this pmo-rules reads (older pmo-rules versions
    cannot read it afterwards)."""
    from pmo_rules.history.engine import create_store_engine
    from pmo_rules.history.migrate import upgrade_schema

    with user_errors():
        where = location(store)
        if where.path is not None and not where.path.exists():
            from pmo_rules.diagnostics import Diagnostic, DiagnosticError

            raise DiagnosticError([Diagnostic(
                "PMO906", f"there is no run store at `{where.shown}`",
                help="a new store is created by `pmo-rules check PORTFOLIO --record`",
            )])
        engine = create_store_engine(where)
        try:
            from pmo_rules.history.store import Store

            with Store(engine, where).guard():
                before, after = upgrade_schema(engine)
        finally:
            engine.dispose()
    if before == after:
        click.echo(f"store {where.shown} is already at schema {after}")
    else:
        click.echo(f"store {where.shown} upgraded from schema {before or '(none)'} to {after}")
    sys.exit(EXIT_OK)
