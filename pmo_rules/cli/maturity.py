"""`pmo-rules maturity`: the PMO maturity indicator computed from a check of the portfolio."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from pmo_rules.cli.common import (
    EXIT_OK,
    policy_options,
    policy_sources,
    run_params,
    settings_lifecycles,
    user_errors,
    waiver_rules,
)


@click.command()
@click.argument("portfolio", type=click.Path(path_type=Path))
@policy_options
@click.option("--waivers", type=click.Path(path_type=Path), help="The waiver register (YAML).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The evaluation date (default: the portfolio's as_of).")
@click.option("--param", "params", multiple=True, metavar="POLICY.NAME=VALUE",
              help="Override a policy param for this run (repeatable).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def command(
    portfolio: Path, policies: tuple[Path, ...], packs: tuple[str, ...], waivers: Path | None,
    as_of: dt.datetime | None, params: tuple[str, ...], output_format: str,
) -> None:
    """Show the PMO maturity indicator (levels 2-5, overall and per rule family) for PORTFOLIO.

    An indicator computed from rule results, not a certified assessment.
    Exit codes: 0 shown, 2 the inputs are wrong, 3 an internal error.
    """
    from pmo_rules import api
    from pmo_rules.config import load_config
    from pmo_rules.maturity import maturity, render_text

    with user_errors(output_format):
        paths, pack_names = policy_sources(policies, packs)
        lifecycles = settings_lifecycles()
        checked = api.load_policies(paths, packs=pack_names, lifecycles=lifecycles)
        day = as_of.date() if as_of else None
        loaded = api.load_portfolio(portfolio, as_of=day, lifecycles=lifecycles)
        config, _ = load_config()  # the same settings `check` reads
        merged = run_params(config, params)
        report = api.check(loaded, checked, waivers=waivers or config.get("waivers"),
                           params=merged, as_of=day, waiver_rules=waiver_rules(config),
                           as_of_source="--as-of")
        result = maturity(report)
    if output_format == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(render_text(result), nl=False)
    sys.exit(EXIT_OK)
