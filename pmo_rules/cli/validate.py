"""`pmo-rules validate PATH...`: parse and check policies, report every problem."""

from __future__ import annotations

from pathlib import Path

import click

from pmo_rules.cli.common import (
    emit_diagnostics,
    policy_sources,
    settings_lifecycles,
    user_errors,
)


@click.command(name="validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--pack", "packs", multiple=True, metavar="NAME",
              help="Also check a policy pack from an installed plugin (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text for people, json for editors and CI")
def command(paths: tuple[Path, ...], packs: tuple[str, ...], fmt: str) -> None:
    """Check .pmo policy files (or directories of them; default: the settings' policies,
    ./policies, else the standard pack) without running them."""
    from pmo_rules import api

    with user_errors(fmt):
        sources, pack_names = policy_sources(paths, packs)
        checked = api.load_policies(sources, packs=pack_names, lifecycles=settings_lifecycles())
        files = checked.files
        if checked.warnings:
            emit_diagnostics(list(checked.warnings), fmt)
        elif fmt == "json":
            emit_diagnostics([], fmt)
        n, r = len(files), len(checked.rules)
        click.echo(f"{n} file{'s' * (n != 1)}, {r} rule{'s' * (r != 1)}: ok", err=True)
