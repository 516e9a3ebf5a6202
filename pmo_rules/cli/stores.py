"""What the history commands share: the --store option, opening the store, choosing runs
(a run id or a JSON report file), date filters, and writing one output."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pmo_rules.diagnostics import Diagnostic, DiagnosticError

if TYPE_CHECKING:
    from pmo_rules.history.locate import StoreLocation
    from pmo_rules.history.snapshot import Snapshot
    from pmo_rules.history.store import Store

STORE_HELP = ("The run store: a SQLite file or a postgresql:// URL (default: the `store` "
              "setting, else .pmo-rules/history.db).")


def store_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--store PATH|URL`."""
    return click.option("--store", metavar="PATH|URL", help=STORE_HELP)(command)


def portfolio_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--portfolio ID`: which portfolio's runs (needed when the store holds several)."""
    return click.option("--portfolio", "portfolio_id", metavar="ID",
                        help="The portfolio id (default: the store's only portfolio).")(command)


def runs_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--store`, `--portfolio`, and `--since DATE --until DATE` (runs whose as-of date
    lies in the range): which recorded runs a command reads."""
    command = click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]),
                           help="Only runs as of this date or earlier.")(command)
    command = click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
                           help="Only runs as of this date or later.")(command)
    return store_option(portfolio_option(command))


def output_options(formats: tuple[str, ...]) -> Callable[[Callable[..., Any]], Any]:
    """`--format` (one of `formats`, the first the default) and `--output FILE`."""
    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option("--output", type=click.Path(path_type=Path),
                               help="Write to this file instead of stdout.")(command)
        return click.option("--format", "output_format", type=click.Choice(formats),
                            default=formats[0], show_default=True,
                            help="Output format.")(command)
    return decorate


def location(option: str | None) -> StoreLocation:
    """The store named by --store, the `store` setting, or the default file."""
    from pmo_rules.config import load_config
    from pmo_rules.history.locate import resolve_store

    config, _ = load_config()
    return resolve_store(option, config)


def open_store(option: str | None, *, create: bool = False) -> Store:
    """Open the store the command names (never creating one unless `create`)."""
    from pmo_rules.history.store import Store

    return Store.open(location(option), create=create)


def day(value: dt.datetime | None) -> dt.date | None:
    """A click date option as a date."""
    return value.date() if value is not None else None


def run_id(value: str) -> int | None:
    """`12` or `run:12` as a run id; None when the value is not one."""
    text = value.removeprefix("run:")
    return int(text) if text.isdigit() else None


def snapshot_of(value: str, store: Callable[[], Store]) -> Snapshot:
    """One side of a comparison: a JSON report file, or a run id in the store."""
    from pmo_rules.history.snapshot import snapshot_of_json

    path = Path(value)
    if path.is_file():
        return snapshot_of_json(path)
    ident = run_id(value)
    if ident is None:
        raise DiagnosticError([Diagnostic(
            "PMO907", f"`{value}` is neither a recorded run id nor a JSON report file",
            help="give a run id from `pmo-rules history` or the path of a report written "
                 "with `pmo-rules check --format json --output FILE`",
        )])
    return store().snapshot(ident)


def emit_view(
    output_format: str, output: Path | None, data: Callable[[], dict[str, Any]],
    text: Callable[[int], str], markdown: Callable[[], str] | None = None,
) -> None:
    """Render a history view in the chosen format (JSON from `data`, text at the width of
    its destination, Markdown) and print or write it."""
    import json

    if output_format == "json":
        rendered = json.dumps(data(), indent=2, ensure_ascii=False) + "\n"
    elif output_format == "markdown" and markdown is not None:
        rendered = markdown()
    else:
        rendered = text(text_width(output))
    write_output(rendered, output)


def write_output(rendered: str, output: Path | None) -> None:
    """Print to stdout, or write to `output` (its directory created when missing)."""
    if output is None:
        click.echo(rendered, nl=not rendered.endswith("\n"))
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        raise DiagnosticError([Diagnostic(
            "PMO623", f"cannot write `{output}`: {exc.strerror}",
            help="check that the directory exists and is writable",
        )]) from exc


class LazyStore:
    """Opens the store on first use, so commands comparing two files never touch one."""

    def __init__(self, option: str | None) -> None:
        self.option = option
        self._store: Store | None = None

    def __call__(self) -> Store:
        if self._store is None:
            self._store = open_store(self.option)
        return self._store

    def close(self) -> None:
        """Release the store when it was opened."""
        if self._store is not None:
            self._store.close()


def text_width(output: Path | None) -> int:
    """Columns for a text view: the terminal's when printing to one, else 100."""
    import shutil

    if output is None and sys.stdout.isatty():
        return max(shutil.get_terminal_size().columns, 60)
    return 100
