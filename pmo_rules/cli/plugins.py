"""`pmo-rules plugins`: the loaded plugins, their versions and what each provides."""

from __future__ import annotations

import json
from typing import Any

import click

from pmo_rules.cli.common import user_errors


@click.command(name="plugins")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def command(fmt: str) -> None:
    """List installed plugins with versions and what each provides, and any that failed."""
    with user_errors(fmt):
        from pmo_rules.plugins.extend import installed

        entries = installed().report_entries()
        if fmt == "json":
            click.echo(json.dumps(entries, indent=2, sort_keys=True))
            return
        if not entries:
            click.echo("no plugins installed (entry-point group `pmo_rules`)")
        for entry in entries:
            click.echo(_render(entry))


def _render(entry: dict[str, Any]) -> str:
    version = entry["version"] or "unknown version"
    lines = [f"{entry['name']} {version}"]
    for kind, names in sorted(entry["provides"].items()):
        lines.append(f"  {kind.replace('_', ' ')}: {', '.join(names)}")
    for failure in entry["failed"]:
        where = f" in {failure['hook']}" if failure["hook"] else ""
        lines.append(f"  FAILED{where}: {failure['error']}")
    return "\n".join(lines)
