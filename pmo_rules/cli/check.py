"""`pmo-rules check`: evaluate the policies over a portfolio and report (the main job)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pmo_rules.cli.common import (
    as_list,
    emit_diagnostics,
    policy_options,
    policy_sources,
    user_errors,
)
from pmo_rules.cli.evaluate import load_inputs, run_inputs, run_options, split_ids
from pmo_rules.cli.output import write_file, write_stdout
from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.given import span_of
from pmo_rules.timing import staged


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
@policy_options
@run_options
@click.option("--format", "output_formats", multiple=True, metavar="FORMAT",
              help="text, json, sarif, junit, markdown or html (default text); repeatable "
                   "with --output-dir.")
@click.option("--output", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option("--output-dir", type=click.Path(path_type=Path),
              help="Write one report.<ext> per --format into this directory.")
@click.option("--show-passes", is_flag=True, help="List passing subjects too.")
@click.option("--group-by", type=click.Choice(["rule", "subject", "program", "sponsor",
                                               "manager"]), default="rule",
              show_default=True, help="How the text report groups findings (program, sponsor "
                                      "and manager: who is accountable for the subject).")
@click.option("--summary", "summary_only", is_flag=True,
              help="The text report's summary and settings alone, without the findings.")
@click.option("--from", "from_", metavar="FORMAT",
              help="Read PORTFOLIO as this import format (mspdi, xer, jira-csv, ...; default: "
                   "detected from its name and content).")
@click.option("--mapping", type=click.Path(path_type=Path),
              help="The import mapping file for a PMO tool's file (see `pmo-rules import`).")
@click.option("--record", is_flag=True,
              help="Record the run in the run store (see --store) for history, diff and trend.")
@click.option("--store", metavar="PATH|URL",
              help="The run store: a SQLite file or a postgresql:// URL (default: the `store` "
                   "setting, else .pmo-rules/history.db). With --format html, adds a trend.")
@click.option("--baseline", metavar="FILE|RUN",
              help="Block only on findings not in this baseline (a file from `pmo-rules "
                   "baseline create`, or a recorded run id); mark findings new or unchanged.")
def command(
    portfolio: Path, policies: tuple[Path, ...], packs: tuple[str, ...], waivers: Path | None,
    params: tuple[str, ...],
    as_of: dt.datetime | None, select: tuple[str, ...], ignore: tuple[str, ...],
    fail_on: str | None, output_formats: tuple[str, ...], output: Path | None,
    output_dir: Path | None, show_passes: bool, group_by: str, summary_only: bool = False,
    from_: str | None = None,
    mapping: Path | None = None, record: bool = False, store: str | None = None,
    baseline: str | None = None,
) -> None:
    """Check PORTFOLIO against the policies and report every violation with its evidence.

    Exit codes: 0 nothing blocking, 1 blocking findings, 2 the inputs are wrong,
    3 an internal error (or a rule that could not be evaluated), 4 the report could
    not be written (disk full, closed pipe).
    """
    from pmo_rules.config import load_config

    fmt = "json" if output_formats == ("json",) else "text"
    with user_errors(fmt):
        config, _ = load_config()
        formats = _formats(output_formats or as_list(config.get("format", "text")))
        fmt = "json" if formats == ["json"] else "text"
        destinations = _destinations(formats, output, output_dir)
        policy_paths, pack_names = policy_sources(policies, packs)
        run = run_inputs(config, waivers=waivers, params=params, as_of=as_of, select=select,
                         ignore=ignore, fail_on=fail_on)
        from pmo_rules.cli.record import CheckHistory

        history = CheckHistory.prepare(record=record, store=store, baseline=baseline,
                                       config=config, html="html" in formats)
        report, loaded, checked = _run(portfolio, policy_paths, pack_names, run, show_passes,
                                       fmt, (from_, mapping))
        trend = history.after_run(report)
        if report.warnings and "text" in formats and destinations[0][1] is None:
            emit_diagnostics(report.warnings)
        html = "html" in formats
        write_reports(report, destinations, group_by=group_by,
                      graph=_graph(loaded) if html else None, trend=trend,
                      readiness=_readiness(loaded, checked, run, report) if html else None,
                      summary_only=summary_only)
    sys.exit(report.exit_code)


def _run(
    portfolio: Path, policy_paths: list[Path | str], packs: list[str], run: dict[str, Any],
    show_passes: bool, fmt: str, source: tuple[str | None, Path | None] = (None, None),
) -> tuple[Any, Any, Any]:
    from pmo_rules import api

    loaded, (checked,) = load_inputs(portfolio, [(policy_paths, packs)], run["waivers"],
                                     run["as_of"], source)
    interactive = fmt == "text" and sys.stderr.isatty()
    report = api.check(loaded, checked, **run, show_passes=show_passes,
                       progress=_progress(interactive))
    return report, loaded, checked


# The HTML report's readiness section is the agenda of the next board: the gates due in
# this many days (every live project: `pmo-rules readiness`).
READINESS_DAYS = 30


def _readiness(loaded: Any, checked: Any, run: dict[str, Any], report: Any) -> Any:
    from pmo_rules.readiness.assess import assess

    return assess(loaded, checked, params=run["params"], as_of=run["as_of"],
                  within=READINESS_DAYS, select=run["select"], ignore=run["ignore"],
                  today=report)


def _formats(requested: Any) -> list[str]:
    """The requested formats, each known (built-in or from a plugin), without repeats."""
    from pmo_rules.reports.registry import BUILTIN_NAMES

    known = list(_reporters()[0].keys()) or list(BUILTIN_NAMES)
    out: list[str] = []
    problems = []
    for name in split_ids(tuple(requested)):
        if name not in known:
            guess = did_you_mean(name, known)
            problems.append(Diagnostic(
                "PMO620", f"`--format {name}` is not a report format" if span_of(name) is None
                else f"format `{name}` in the settings is not a report format", span_of(name),
                help=(f"did you mean `{guess}`? " if guess else "")
                + f"formats are {', '.join(known)}",
            ))
        elif name not in out:
            out.append(name)
    if problems:
        raise DiagnosticError(problems)
    return out or ["text"]


def _destinations(
    formats: list[str], output: Path | None, output_dir: Path | None,
) -> list[tuple[str, Path | None]]:
    """Where each format goes: stdout (None), --output, or DIR/report.<ext>."""
    from pmo_rules.reports.registry import extension

    if output is not None and output_dir is not None:
        raise DiagnosticError([Diagnostic(
            "PMO621", "`--output` and `--output-dir` cannot be used together",
            help="use --output FILE for one report, or --output-dir DIR for one per --format",
        )])
    if output_dir is not None:
        if output_dir.exists() and not output_dir.is_dir():
            raise DiagnosticError([Diagnostic(
                "PMO622", f"`--output-dir {output_dir}` is a file, not a directory",
                help="give a directory (it is created when missing)",
            )])
        return [(name, output_dir / f"report.{extension(name)}") for name in formats]
    if output is not None and output.is_dir():
        raise DiagnosticError([Diagnostic(
            "PMO622", f"`--output {output}` is a directory, not a file",
            help="give a file name, or use --output-dir DIR for report.<ext> files",
        )])
    if len(formats) > 1:
        raise DiagnosticError([Diagnostic(
            "PMO621", f"{len(formats)} formats ({', '.join(formats)}) need `--output-dir`",
            help="add --output-dir DIR to write report.<ext> for each format",
        )])
    return [(formats[0], output)]


def _reporters(
    graph: Any = None, trend: Any = None, readiness: Any = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Every reporter by name (the built-ins first, HTML with the run's graph bound), and
    the plugin of each that came from one."""
    from pmo_rules.reports.registry import builtin_reporters, reporter_table

    plugged, owners = _plugin_reporters()
    return reporter_table(builtin_reporters(graph, trend=trend, readiness=readiness),
                          [plugged]), owners


def _plugin_reporters() -> tuple[list[Any], dict[str, str]]:
    """Reporters from the `pmo_rules_reporters` hook (the built-ins' module and every
    plugin), and the plugin each came from."""
    from pmo_rules.plugins.manager import load_plugins
    from pmo_rules.reports import registry

    plugins = load_plugins([("pmo-rules-reports", registry)])
    owners = {name: plugin for (kind, name), plugin in plugins.collected.owner.items()
              if kind == "reporters"}
    return list(plugins.collected.reporters.values()), owners


def _graph(loaded: Any) -> Any:
    from pmo_rules.graph.export import graph_data
    from pmo_rules.graph.portfolio_graph import PortfolioGraph

    return graph_data(PortfolioGraph(loaded))


@staged("report")
def write_reports(
    report: Any, destinations: list[tuple[str, Path | None]], *, group_by: str = "rule",
    graph: Any = None, trend: Any = None, readiness: Any = None, summary_only: bool = False,
) -> None:
    """Render each format and write it to its file, or to stdout when it has none; each
    file written is named on stderr."""
    from pmo_rules.reports.registry import render

    reporters, owners = _reporters(graph, trend, readiness)
    for name, path in destinations:
        if name == "text" and path is None:
            _text_to_terminal(report, group_by, summary_only)
            continue
        if name == "text":
            from pmo_rules.reports.text import render_text

            rendered: str | bytes = render_text(report, group_by=group_by,
                                                summary_only=summary_only)
        else:
            rendered = render(reporters[name], report, owners.get(name))
        if path is None:
            write_stdout(rendered, f"the {name} report")
        else:
            write_file(path, rendered, f"the {name} report")
            click.echo(f"pmo-rules: wrote {path} ({name})", err=True)


def _text_to_terminal(report: Any, group_by: str, summary_only: bool = False) -> None:
    from rich.console import Console

    from pmo_rules.reports.text import render_text, write_text

    console = Console(highlight=False, emoji=False)
    if console.is_terminal:
        write_text(report, console, group_by=group_by, summary_only=summary_only)
        write_stdout("", "the text report")  # flushed: a failure shows now, not at exit
    else:  # a pipe or a CI log: plain text
        write_stdout(render_text(report, group_by=group_by, width=console.width,
                                 summary_only=summary_only), "the text report")
