"""Loading a run's inputs and evaluating them: what `check`, `baseline create` and
`preview` share (one or more policy sets over one portfolio, problems reported at once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from pmo_rules.diagnostics import Diagnostic, DiagnosticError
from pmo_rules.given import Given
from pmo_rules.language.ast import SEVERITIES


def run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that shape a run besides its policies: waivers, params, date, rule
    selection and the blocking threshold (as `check` takes them)."""
    for option in reversed([
        click.option("--waivers", type=click.Path(path_type=Path),
                     help="The waiver register (YAML)."),
        click.option("--param", "params", multiple=True, metavar="POLICY.NAME=VALUE",
                     help="Override a policy param for this run (repeatable)."),
        click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="The evaluation date (default: the portfolio's as_of)."),
        click.option("--select", multiple=True,
                     help="Only these rule ids or globs (comma separated)."),
        click.option("--ignore", multiple=True,
                     help="Skip these rule ids or globs (comma separated)."),
        click.option("--fail-on", type=click.Choice(SEVERITIES),
                     help="Failures below this severity do not block."),
    ]):
        command = option(command)
    return command


def split_ids(values: Sequence[str], source: str | None = None) -> list[str]:
    """Comma-separated items; each a Given naming `source` (a settings item keeps its own)."""
    out: list[str] = []
    for v in values:
        if "," not in v and v.strip() == v and v and (source is None or isinstance(v, Given)):
            out.append(v)
            continue
        items = [item.strip() for item in v.split(",") if item.strip()]
        out += [Given(item, source) if source else
                Given(item, v.source, v.span) if isinstance(v, Given) else item
                for item in items]
    return out


def rule_selection(config: dict[str, Any], select: Sequence[str],
                   ignore: Sequence[str]) -> tuple[list[str], list[str]]:
    """`--select` and `--ignore` (comma separated), each else the settings' own list."""
    return (split_ids(select, "--select") or split_ids(tuple(config.get("select", []))),
            split_ids(ignore, "--ignore") or split_ids(tuple(config.get("ignore", []))))


def run_inputs(
    config: dict[str, Any], *, waivers: Path | None, params: Sequence[str],
    as_of: dt.datetime | None, select: Sequence[str], ignore: Sequence[str],
    fail_on: str | None,
) -> dict[str, Any]:
    """`api.check`'s keyword arguments from the run options, the settings filling what the
    command line leaves out; each value says where it came from (the report records it)."""
    from pmo_rules.cli.common import run_params, waiver_rules

    selected, ignored = rule_selection(config, select, ignore)
    return {
        "waivers": Given(str(waivers), "--waivers") if waivers else config.get("waivers"),
        "params": run_params(config, params),
        "as_of": as_of.date() if as_of else None,
        "select": selected,
        "ignore": ignored,
        "fail_on": Given(fail_on, "--fail-on") if fail_on else config.get("fail_on"),
        "waiver_rules": waiver_rules(config),
        "as_of_source": "--as-of",
    }


def load_inputs(
    portfolio: Path, policy_sets: Sequence[tuple[Sequence[Path | str], Sequence[str]]],
    waivers: Any, as_of: dt.date | None,
    source: tuple[str | None, Path | None] = (None, None),
) -> tuple[Any, list[Any]]:
    """The portfolio (`source`: its import format and mapping) and each (paths, packs)
    policy set, loaded and checked; every problem in any of them (and in the waiver
    register) reported at once."""
    from pmo_rules import api
    from pmo_rules.cli.common import settings_lifecycles

    problems: list[Diagnostic] = []
    checked: list[Any] = []
    lifecycles = settings_lifecycles()  # policies and data both need them: read first
    for paths, packs in policy_sets:
        try:
            checked.append(api.load_policies(paths, packs=packs, lifecycles=lifecycles))
        except DiagnosticError as exc:
            problems += [d for d in exc.diagnostics if d not in problems]
    loaded = None
    try:
        loaded = api.load_portfolio(portfolio, as_of=as_of, from_=source[0], mapping=source[1],
                                    lifecycles=lifecycles)
    except DiagnosticError as exc:
        problems += exc.diagnostics
    if waivers is not None:
        try:  # validated with the rest, so every input problem shows at once
            api.load_waivers(waivers)
        except DiagnosticError as exc:
            problems += exc.diagnostics
    if problems or loaded is None:
        raise DiagnosticError(problems)
    return loaded, checked
