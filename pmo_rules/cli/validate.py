"""`pmo-rules validate PATH...`: parse and check policies, report every problem."""

from __future__ import annotations

import click

from pmo_rules.cli.common import emit_diagnostics, user_errors
from pmo_rules.language.checker import check_policies
from pmo_rules.language.declarations import default_registry
from pmo_rules.language.loader import load_policy_files


@click.command(name="validate")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text for people, json for editors and CI")
def command(paths: tuple[str, ...], fmt: str) -> None:
    """Check .pmo policy files (or directories of them) without running them."""
    with user_errors(fmt):
        files = load_policy_files(paths)
        checked = check_policies(files, default_registry())
        if checked.warnings:
            emit_diagnostics(list(checked.warnings), fmt)
        elif fmt == "json":
            emit_diagnostics([], fmt)
        n, r = len(files), len(checked.rules)
        click.echo(f"{n} file{'s' * (n != 1)}, {r} rule{'s' * (r != 1)}: ok", err=True)
