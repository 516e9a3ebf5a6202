"""`pmo-rules plugins`: built-in and installed plugins, what each provides, how to add one."""

from __future__ import annotations

import json
from importlib import metadata
from typing import Any

import click

from pmo_rules.cli.common import user_errors
from pmo_rules.plugins.hookspecs import PROJECT_NAME

DISTRIBUTION = "pmo-rules"
# The formats the engine reads and writes itself, without any plugin.
PORTFOLIO_FORMATS = (
    ("yaml", "a YAML file (.yaml, .yml)"),
    ("json", "a JSON file (.json)"),
    ("directory", "a directory: portfolio.yaml plus projects/*.yaml"),
    ("csv", "a directory of CSV tables: projects.csv, dependencies.csv"),
)
HOW_TO_ADD = (
    "Add a plugin: `pip install` its distribution; it registers itself in the `pmo_rules`\n"
    "entry-point group and appears here. Write one: a Python package with\n"
    "`[project.entry-points.pmo_rules] NAME = \"your_module\"` in its pyproject.toml\n"
    "(the plugin guide, docs/plugins.md, and a complete example, examples/third_party_plugin,\n"
    "are in the pmo-rules repository)."
)


@click.command(name="plugins")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def command(fmt: str) -> None:
    """List the plugins, built in and installed, with versions and what each provides (and any
    that failed), the built-in portfolio and report formats, and how to add a plugin."""
    with user_errors(fmt):
        from pmo_rules.plugins.extend import installed

        sources = _distributions()
        entries = [{**entry, "distribution": sources.get(entry["name"]),
                    "builtin": sources.get(entry["name"]) == DISTRIBUTION}
                   for entry in installed().report_entries()]
        if fmt == "json":
            click.echo(json.dumps(entries, indent=2, sort_keys=True))
            return
        click.echo(_render_text(entries))


def _distributions() -> dict[str, str]:
    """Plugin name -> the distribution whose entry point registers it."""
    out: dict[str, str] = {}
    for ep in metadata.entry_points(group=PROJECT_NAME):
        if ep.dist is not None:
            out.setdefault(ep.name, _normal(ep.dist.metadata["Name"]))
    return out


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _render_text(entries: list[dict[str, Any]]) -> str:
    from pmo_rules.reports.registry import builtin_reporters

    builtin = [e for e in entries if e["builtin"]]
    others = [e for e in entries if not e["builtin"]]
    lines = [f"Built in (part of {DISTRIBUTION}):"]
    lines += [_render(e) for e in builtin] or ["  (none found: is pmo-rules installed?)"]
    lines += ["", "Installed separately:"]
    lines += [_render(e) for e in others] or ["  none"]
    lines += ["", "Built-in portfolio formats:"]
    lines += [f"  {name}: {what}" for name, what in PORTFOLIO_FORMATS]
    lines += ["", "Built-in report formats (check --format):"]
    lines += [f"  {r.name}: {r.description}" for r in builtin_reporters()]
    lines += ["", HOW_TO_ADD]
    return "\n".join(lines)


def _render(entry: dict[str, Any]) -> str:
    version = entry["version"] or "unknown version"
    source = entry.get("distribution")
    origin = f" (from {source})" if source and not entry.get("builtin") else ""
    lines = [f"  {entry['name']} {version}{origin}"]
    for kind, names in sorted(entry["provides"].items()):
        lines.append(f"    {kind.replace('_', ' ')}: {', '.join(names)}")
    for failure in entry["failed"]:
        where = f" in {failure['hook']}" if failure["hook"] else ""
        lines.append(f"    FAILED{where}: {failure['error']}")
    return "\n".join(lines)
