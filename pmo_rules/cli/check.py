"""`pmo-rules check`: evaluate the policies over a portfolio and report (the main job)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pmo_rules.cli.common import EXIT_INPUT, emit_diagnostics, user_errors
from pmo_rules.diagnostics import Diagnostic, DiagnosticError

SEVERITIES = ("info", "low", "medium", "high", "critical")


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for v in values for item in v.split(",") if item.strip()]


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    problems = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            problems.append(Diagnostic(
                "PMO604", f"`--param {item}` is not of the form POLICY.NAME=VALUE",
                help="for example `--param enterprise-lifecycle.max_red_share=15%`",
            ))
            continue
        out[key.strip()] = value.strip()
    if problems:
        raise DiagnosticError(problems)
    return out


def _progress(enabled: bool) -> Callable[[int], Callable[[], None]] | None:
    """A progress bar on stderr that appears only once a run has taken two seconds."""
    if not enabled:
        return None

    def start(total: int) -> Callable[[], None]:
        from rich.progress import Progress

        began = time.monotonic()
        state: dict[str, Any] = {"bar": None, "done": 0}

        def tick() -> None:
            state["done"] += 1
            bar = state["bar"]
            if bar is None and time.monotonic() - began > 2.0 and state["done"] < total:
                bar = Progress(transient=True, console=_stderr_console())
                bar.start()
                state["task"] = bar.add_task("evaluating rules", total=total)
                state["bar"] = bar
            if bar is not None:
                bar.update(state["task"], completed=state["done"])
                if state["done"] >= total:
                    bar.stop()

        return tick

    return start


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@click.command()
@click.argument("portfolio", type=click.Path(path_type=Path))
@click.option("--policy", "policies", multiple=True, type=click.Path(path_type=Path),
              help="A .pmo file or a directory of them (repeatable; default ./policies).")
@click.option("--waivers", type=click.Path(path_type=Path), help="The waiver register (YAML).")
@click.option("--param", "params", multiple=True, metavar="POLICY.NAME=VALUE",
              help="Override a policy param for this run (repeatable).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The evaluation date (default: the portfolio's as_of).")
@click.option("--select", multiple=True, help="Only these rule ids or globs (comma separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or globs (comma separated).")
@click.option("--fail-on", type=click.Choice(SEVERITIES),
              help="Failures below this severity do not block.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              help="Output format (default text).")
@click.option("--output", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option("--show-passes", is_flag=True, help="List passing subjects too.")
@click.option("--group-by", type=click.Choice(["rule", "subject"]), default="rule",
              show_default=True, help="How the text report groups findings.")
def command(
    portfolio: Path, policies: tuple[Path, ...], waivers: Path | None, params: tuple[str, ...],
    as_of: dt.datetime | None, select: tuple[str, ...], ignore: tuple[str, ...],
    fail_on: str | None, output_format: str | None, output: Path | None, show_passes: bool,
    group_by: str,
) -> None:
    """Check PORTFOLIO against the policies and report every violation with its evidence.

    Exit codes: 0 nothing blocking, 1 blocking findings, 2 the inputs are wrong,
    3 an internal error (or a rule that could not be evaluated).
    """
    from pmo_rules.config import load_config

    fmt = output_format or "text"
    with user_errors(fmt):
        config, _ = load_config()
        fmt = output_format or str(config.get("format", "text"))
        policy_paths = list(policies) or [Path(p) for p in config.get("policy", [])] \
            or [Path("policies")]
        missing = [p for p in policy_paths if not p.exists()]
        if missing:
            emit_diagnostics([Diagnostic(
                "PMO605", f"no policies at `{p}`",
                help="pass --policy PATH (a .pmo file or a directory), or run where ./policies is",
            ) for p in missing], fmt)
            sys.exit(EXIT_INPUT)
        merged_params = {**{k: str(v) for k, v in config.get("params", {}).items()},
                         **_params(params)}
        report = _run(
            portfolio, policy_paths, waivers or config.get("waivers"), merged_params,
            as_of.date() if as_of else None,
            _split(select) or list(config.get("select", [])),
            _split(ignore) or list(config.get("ignore", [])),
            fail_on or config.get("fail_on"), show_passes, fmt,
        )
        _write(report, fmt, output, group_by)
    sys.exit(report.exit_code)


def _run(
    portfolio: Path, policy_paths: list[Path], waivers: Any, params: dict[str, str],
    as_of: dt.date | None, select: list[str], ignore: list[str], fail_on: str | None,
    show_passes: bool, fmt: str,
) -> Any:
    from pmo_rules import api

    problems: list[Diagnostic] = []
    checked = loaded = None
    # Policies and data are both checked before anything runs, and all problems shown at once.
    try:
        checked = api.load_policies(policy_paths)
    except DiagnosticError as exc:
        problems += exc.diagnostics
    try:
        loaded = api.load_portfolio(portfolio, as_of=as_of)
    except DiagnosticError as exc:
        problems += exc.diagnostics
    if problems or checked is None or loaded is None:
        raise DiagnosticError(problems)
    interactive = fmt == "text" and sys.stderr.isatty()
    return api.check(
        loaded, checked, waivers=waivers, params=params, as_of=as_of, fail_on=fail_on,
        select=select, ignore=ignore, show_passes=show_passes,
        progress=_progress(interactive),
    )


def _write(report: Any, fmt: str, output: Path | None, group_by: str) -> None:
    if report.warnings and fmt == "text":
        emit_diagnostics(report.warnings)
    if fmt == "json":
        text = report.to_json()
        if output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return
    from pmo_rules.reports.text import render_text, write_text

    if output is not None:
        output.write_text(render_text(report, group_by=group_by), encoding="utf-8")
        return
    from rich.console import Console

    console = Console(highlight=False, emoji=False)
    if console.is_terminal:
        write_text(report, console, group_by=group_by)
    else:  # a pipe or a CI log: plain text, no trailing padding
        sys.stdout.write(render_text(report, group_by=group_by, width=console.width))
