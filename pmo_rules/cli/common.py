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

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, render_all, sort_diagnostics

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


def emit_diagnostics(diags: Sequence[Diagnostic], fmt: str = "text") -> None:
    """Print diagnostics: text to stderr for people, or JSON to stdout for tools."""
    ordered = sort_diagnostics(diags)
    if fmt == "json":
        payload = {"diagnostics": [d.to_dict() for d in ordered]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        click.echo(render_all(ordered), err=True, nl=False)


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
        fail_input(exc.diagnostics, fmt)
    except (SystemExit, KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
        raise
    except Exception as exc:  # an internal error: a bug in pmo-rules or a plugin
        if os.environ.get("PMO_RULES_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "  help: this is a bug in pmo-rules; rerun with PMO_RULES_DEBUG=1 and report it",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)



def as_list(value: object) -> list[str]:
    """A setting that may be one value or a list of them, as a list of strings."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)] if value else []


STANDARD_PACK = "standard"


def policy_sources(
    policies: Sequence[Path], packs: Sequence[str]
) -> tuple[list[Path], list[str]]:
    """The policy paths and plugin packs of a run: the options given, else the settings
    file's, else ./policies, else the standard pack (said in one line on stderr)."""
    from pmo_rules.config import load_config

    config, _ = load_config()
    if policies or packs:  # the command line says what to run; settings fill in nothing
        return list(policies), list(packs)
    pack_names = as_list(config.get("pack", []))
    paths = [Path(p) for p in as_list(config.get("policy", []))]
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

    config, path = load_config()
    paths = as_list(config.get("lifecycles", []))
    if not paths or path is None:
        return []
    return api.load_lifecycles([path.parent / p for p in paths])


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
    """Param overrides: the settings file's, then `--param POLICY.NAME=VALUE` (which win)."""
    out = {k: str(v) for k, v in config.get("params", {}).items()}
    problems = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            problems.append(Diagnostic(
                "PMO606", f"`--param {item}` is not of the form POLICY.NAME=VALUE",
                help="for example `--param enterprise-lifecycle.max_red_share=15%`",
            ))
            continue
        out[key.strip()] = value.strip()
    if problems:
        raise DiagnosticError(problems)
    return out
