"""`pmo-rules baseline create`: write a baseline file for `check --baseline`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from pmo_rules.cli.common import EXIT_OK, policy_options, policy_sources, user_errors
from pmo_rules.cli.evaluate import load_inputs, run_inputs, run_options
from pmo_rules.cli.stores import open_store, store_option, write_output
from pmo_rules.diagnostics import Diagnostic, DiagnosticError


@click.group()
def command() -> None:
    """Baselines for gradual adoption: `check --baseline FILE` blocks only on findings that
    are not in the baseline."""


@command.command()
@click.argument("portfolio", type=click.Path(path_type=Path), required=False)
@policy_options
@run_options
@click.option("--run", "run", type=click.IntRange(min=1), metavar="ID",
              help="Take the baseline from this recorded run instead of checking PORTFOLIO.")
@store_option
@click.option("--output", type=click.Path(path_type=Path), required=True,
              help="The baseline file to write (JSON).")
def create(
    portfolio: Path | None, policies: tuple[Path, ...], packs: tuple[str, ...],
    waivers: Path | None, params: tuple[str, ...], as_of: dt.datetime | None,
    select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None, run: int | None,
    store: str | None, output: Path,
) -> None:
    """Write the failures of PORTFOLIO (checked as `check` would, with the same policy
    options) or of a recorded run (--run ID) to a baseline file.

    Failures that a waiver covers are left out: the waiver governs them, and when it
    expires the finding blocks again.

    Exit codes: 0 written, 2 the inputs are wrong.
    """
    from pmo_rules.history.baseline import baseline_json, baseline_of

    with user_errors():
        if (portfolio is None) == (run is None):
            raise DiagnosticError([Diagnostic(
                "PMO910", "give either PORTFOLIO or --run ID",
                help="`pmo-rules baseline create portfolio.yaml --output baseline.json` "
                     "checks the portfolio; `--run 12` takes a recorded run",
            )])
        if run is not None:
            with open_store(store) as opened:
                snapshot = opened.snapshot(run)
        else:
            assert portfolio is not None
            snapshot = _check_snapshot(portfolio, policies, packs, waivers, params, as_of,
                                       select, ignore, fail_on)
        base = baseline_of(snapshot)
        write_output(baseline_json(base, snapshot), output)
    n = len(base.entries)
    click.echo(f"baseline: {n} finding{'s' * (n != 1)} of {snapshot.portfolio} "
               f"(as of {snapshot.as_of.isoformat()}) written to {output}", err=True)
    sys.exit(EXIT_OK)


def _check_snapshot(
    portfolio: Path, policies: tuple[Path, ...], packs: tuple[str, ...],
    waivers: Path | None, params: tuple[str, ...], as_of: dt.datetime | None,
    select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None,
) -> Any:
    from pmo_rules import api
    from pmo_rules.config import load_config
    from pmo_rules.history.snapshot import snapshot_of_report

    config, _ = load_config()
    run = run_inputs(config, waivers=waivers, params=params, as_of=as_of, select=select,
                       ignore=ignore, fail_on=fail_on)
    loaded, (checked,) = load_inputs(portfolio, [policy_sources(policies, packs)],
                                     run["waivers"], run["as_of"])
    report = api.check(loaded, checked, **run)
    return snapshot_of_report(report, str(portfolio))
