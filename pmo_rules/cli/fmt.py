"""`pmo-rules fmt [--check] PATH...`: rewrite policies in the canonical layout."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmo_rules.cli.common import EXIT_BLOCKING, user_errors
from pmo_rules.language.formatter import format_file
from pmo_rules.language.loader import load_policy_files


@click.command(name="fmt")
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="change nothing; exit 1 and list files that differ")
def command(paths: tuple[str, ...], check: bool) -> None:
    """Format .pmo policy files in place, keeping their comments."""
    with user_errors():
        changed: list[str] = []
        for pf in load_policy_files(paths):
            text = format_file(pf)
            if text != pf.source:
                changed.append(pf.path)
                if not check:
                    Path(pf.path).write_text(text, encoding="utf-8")
        for path in changed:
            click.echo(f"{'would reformat' if check else 'reformatted'} {path}")
        if check and changed:
            sys.exit(EXIT_BLOCKING)
