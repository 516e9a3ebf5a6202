"""What every command shares: exit codes, and how diagnostics reach the terminal."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from pmo_rules.cli.output import (
    EXIT_OUTPUT,
    OutputError,
    as_output_error,
    say,
    write_stdout,
)
from pmo_rules.diagnostics import Diagnostic, DiagnosticError, render_all, split_shown
from pmo_rules.plugins.guard import PluginError

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


def emit_diagnostics(diags: Sequence[Diagnostic], fmt: str = "text") -> None:
    """Print diagnostics: text to stderr for people, or JSON to stdout for tools."""
    diags = _with_sources(diags)
    if fmt == "json":
        shown, rest = split_shown(diags)
        payload: dict[str, Any] = {"diagnostics": [d.to_dict() for d in shown]}
        if rest:  # past the cap: how many more, by code (docs/diagnostics.md)
            payload["omitted"] = {"count": sum(rest.values()), "by_code": rest}
        write_stdout(json.dumps(payload, indent=2, ensure_ascii=False) + "\n",
                     "the diagnostics")
    else:
        click.echo(render_all(diags), err=True, nl=False)


_SOURCE_LIMIT = 1 << 20  # a settings or register file is small; a big data file is not re-read


def _with_sources(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics with the offending line attached where a stage could not attach it
    (a settings value checked far from the settings file, for example)."""
    from pmo_rules.diagnostics import with_source

    texts: dict[str, str | None] = {}
    out = []
    for d in diags:
        if d.span is not None and d.source_line is None:
            if d.span.file not in texts:
                texts[d.span.file] = _small_text(d.span.file)
            text = texts[d.span.file]
            d = with_source(d, text) if text is not None else d
        out.append(d)
    return out


def _small_text(file: str) -> str | None:
    try:
        path = Path(file)
        if not path.is_file() or path.stat().st_size > _SOURCE_LIMIT:
            return None
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def fail_input(diags: Sequence[Diagnostic], fmt: str = "text") -> NoReturn:
    """Report bad input and exit 2."""
    emit_diagnostics(diags, fmt)
    sys.exit(EXIT_INPUT)


@contextmanager
def user_errors(fmt: str = "text") -> Iterator[None]:
    """Turn DiagnosticError into exit 2 and anything unexpected into exit 3, never a traceback.

    Set PMO_RULES_DEBUG=1 to see the traceback of an internal error.
    """
    try:
        yield
    except DiagnosticError as exc:
        try:
            emit_diagnostics(exc.diagnostics, fmt)
        except (OutputError, OSError) as problem:
            _output_failed(problem)
        sys.exit(EXIT_INPUT)
    except (SystemExit, KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
        raise
    except PluginError as exc:  # a plugin's report format (or the like) failed: named
        say(f"pmo-rules: error[PMO624]: {exc}\n"
            "  help: the run is incomplete; report this to the plugin's authors")
        sys.exit(EXIT_INTERNAL)
    except Exception as exc:  # an internal error: a bug in pmo-rules
        _output_failed(exc)
        if os.environ.get("PMO_RULES_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "  help: this is a bug in pmo-rules; rerun with PMO_RULES_DEBUG=1 and report it",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


def _output_failed(exc: BaseException) -> None:
    """Exit 4 with one line when `exc` is a failure to write the output; else return."""
    problem = as_output_error(exc)
    if problem is not None:
        say(problem.line())
        sys.exit(EXIT_OUTPUT)


def as_list(value: object) -> list[str]:
    """A setting that may be one value or a list of them, as a list of strings."""
    if isinstance(value, list | tuple):
        return [v if isinstance(v, str) else str(v) for v in value]  # a Given keeps its place
    if isinstance(value, str):
        return [value] if value else []
    return [str(value)] if value else []


STANDARD_PACK = "standard"


def policy_sources(
    policies: Sequence[Path], packs: Sequence[str]
) -> tuple[list[Path | str], list[str]]:
    """The policy paths and plugin packs of a run: the options given, else the settings
    file's, else ./policies, else the standard pack (said in one line on stderr)."""
    from pmo_rules.config import load_config

    config, _ = load_config()
    if policies or packs:  # the command line says what to run; settings fill in nothing
        return [*policies], list(packs)
    pack_names = list(config.get("pack", []))  # Given: a bad name points at its line
    paths: list[Path | str] = list(config.get("policy", []))  # Given: bad paths point here
    if paths or pack_names:
        return paths, pack_names
    if Path("policies").is_dir():
        return [Path("policies")], []
    note_standard_pack()
    return [], [STANDARD_PACK]


def settings_lifecycles() -> list[Any]:
    """The lifecycle models the settings file names (`lifecycles = [...]`, paths relative to
    the settings file); DiagnosticError with file:line for a file with problems."""
    from pmo_rules import api
    from pmo_rules.config import load_config
    from pmo_rules.given import span_of

    config, path = load_config()
    values = config.get("lifecycles") or []
    if path is None or not values:
        return []
    root = path.parent
    missing = [Diagnostic(
        "PMO950", f"lifecycle path `{value}` does not exist", span_of(value),
        help=f"name a YAML lifecycle file or a directory of them, relative to {path}")
        for value in values if not (root / value).exists()]
    try:
        models = api.load_lifecycles([root / value for value in values
                                      if (root / value).exists()])
    except DiagnosticError as exc:
        raise DiagnosticError([*missing, *exc.diagnostics]) from None
    if missing:
        raise DiagnosticError(missing)
    return models


def note_standard_pack() -> None:
    """Say, in one line on stderr, that no policies were named and the standard pack runs."""
    click.echo("pmo-rules: no policies named (--policy, --pack, settings or ./policies); "
               f"using the standard pack (--pack {STANDARD_PACK})", err=True)


def policy_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The `--policy` and `--pack` options every command that loads policies takes."""
    command = click.option(
        "--pack", "packs", multiple=True, metavar="NAME",
        help="A policy pack from an installed plugin (repeatable; see `pmo-rules plugins`).",
    )(command)
    return click.option(
        "--policy", "policies", multiple=True, type=click.Path(path_type=Path),
        help="A .pmo file or a directory of them (repeatable; default ./policies, else the "
             "standard pack).",
    )(command)


def run_params(config: dict[str, Any], values: Sequence[str]) -> dict[str, str]:
    """Param overrides: the settings file's, then `--param POLICY.NAME=VALUE` (which win).

    Keys and values are `Given` texts, so the report records where each came from."""
    from pmo_rules.given import Given

    out: dict[str, str] = {}
    for k, v in config.get("params", {}).items():
        out[k] = v if isinstance(v, Given) else Given(str(v), "settings")
    problems = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            problems.append(Diagnostic(
                "PMO606", f"`--param {item}` is not of the form POLICY.NAME=VALUE",
                help="for example `--param enterprise-lifecycle.max_red_share=15%`",
            ))
            continue
        out.pop(key.strip(), None)  # the settings' key (and its place) gives way
        out[Given(key.strip(), "--param")] = Given(value.strip(), "--param")
    if problems:
        raise DiagnosticError(problems)
    return out


def waiver_rules(config: dict[str, Any]) -> Any:
    """The PMO's demands on waivers, from the settings (defaults where unset)."""
    from pmo_rules.engine.waivers import EXPIRING_DAYS, WaiverRules

    return WaiverRules(
        expiring_days=config.get("waiver_expiring_days", EXPIRING_DAYS),
        max_days=config.get("max_waiver_days"),
        approver_grade={str(k): str(v) for k, v in config.get("waiver_approver_grade",
                                                               {}).items()},
    )
