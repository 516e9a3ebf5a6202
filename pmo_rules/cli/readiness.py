"""`pmo-rules readiness`: what each live project still lacks before its next gate."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pmo_rules.cli.common import policy_options, policy_sources, run_params, user_errors
from pmo_rules.cli.evaluate import rule_selection, split_ids
from pmo_rules.cli.stores import write_output

if TYPE_CHECKING:
    from pmo_rules.readiness.results import Readiness

FORMATS = ("text", "json", "markdown", "html")


@click.command()
@click.argument("portfolio", type=click.Path(path_type=Path))
@click.option("--project", "project_ids", multiple=True, metavar="ID",
              help="Only these projects (repeatable, or comma separated).")
@click.option("--gate", metavar="GATE",
              help="Only projects whose next gate is GATE (G2, gate_3, authorize_project ...).")
@click.option("--within", type=int, metavar="DAYS",
              help="Only projects whose next gate's milestone falls within DAYS of the as-of "
                   "date (overdue ones included): the agenda of the next board.")
@policy_options
@click.option("--param", "params", multiple=True, metavar="POLICY.NAME=VALUE",
              help="Override a policy param for this run (repeatable).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The evaluation date (default: the portfolio's as_of).")
@click.option("--select", multiple=True, help="Only these rule ids or globs (comma separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or globs (comma separated).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("--output", type=click.Path(path_type=Path), help="Write to a file.")
def command(
    portfolio: Path, project_ids: tuple[str, ...], gate: str | None, within: int | None,
    policies: tuple[Path, ...], packs: tuple[str, ...], params: tuple[str, ...],
    as_of: dt.datetime | None, select: tuple[str, ...], ignore: tuple[str, ...],
    output_format: str, output: Path | None,
) -> None:
    """For each live project of PORTFOLIO, its next gate in its own lifecycle and what
    stands between it and a pass: artifacts missing or not at the status the gate needs,
    the grade that decides, open conditions of earlier gates, and every rule that would
    fail once the project is through the gate (evaluated as if it were).

    Exit codes: 0 every listed project is ready (or has no gate ahead), 1 some project is
    not ready, 2 the inputs are wrong, 3 an internal error.
    """
    from pmo_rules.cli.evaluate import load_inputs
    from pmo_rules.config import load_config
    from pmo_rules.readiness.assess import assess

    fmt = "json" if output_format == "json" else "text"
    with user_errors(fmt):
        config, _ = load_config()
        paths, pack_names = policy_sources(policies, packs)
        day = as_of.date() if as_of else None
        loaded, (checked,) = load_inputs(portfolio, [(paths, pack_names)], None, day)
        selected, ignored = rule_selection(config, select, ignore)
        result = assess(
            loaded, checked, params=run_params(config, params), as_of=day,
            projects=split_ids(project_ids), gate=gate, within=within,
            select=selected, ignore=ignored, plugins=None)
        write_output(_render(result, output_format), output)
    sys.exit(result.exit_code)


def _render(result: Readiness, output_format: str) -> str:
    from pmo_rules.readiness import html, render

    renderers: dict[str, Callable[[Readiness], str]] = {
        "text": render.render_text, "json": render.render_json,
        "markdown": render.render_markdown, "html": html.render_page}
    return renderers[output_format](result)

