"""`pmo-rules test`: run the policy unit tests (YAML cases next to the policies)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmo_rules.cli.common import (
    EXIT_BLOCKING,
    EXIT_INPUT,
    EXIT_OK,
    emit_diagnostics,
    policy_sources,
    user_errors,
)
from pmo_rules.diagnostics import Diagnostic


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--pack", "packs", multiple=True, metavar="NAME",
              help="Also run the tests of a policy pack (repeatable; `--pack standard`).")
@click.option("-v", "--verbose", is_flag=True, help="List passing cases too.")
def command(paths: tuple[Path, ...], packs: tuple[str, ...], verbose: bool) -> None:
    """Run the policy tests under PATHS (default: the settings' policies, ./policies, else
    the standard pack): each case's expected findings against what the rule really finds.

    Exit codes: 0 every case passed, 1 a case failed, 2 a test file or its data is wrong,
    3 an internal error.
    """
    from pmo_rules import api
    from pmo_rules.policytest import discover, load_suite, run_suite
    from pmo_rules.policytest.render import render_result, summary_line

    with user_errors():
        sources, pack_names = policy_sources(paths, packs)
        files = load_suite(discover([*sources, *api.pack_directories(pack_names)]))
        if not any(f.cases for f in files):
            emit_diagnostics([_no_tests(paths)])
            sys.exit(EXIT_INPUT)

        def show(result: object) -> None:
            text = render_result(result, verbose)  # type: ignore[arg-type]
            if text:
                click.echo(text)

        results = run_suite(files, on_result=show)
    click.echo(summary_line(results))
    if any(r.problems for r in results):
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_OK if all(r.passed for r in results) else EXIT_BLOCKING)


def _no_tests(paths: tuple[Path, ...]) -> Diagnostic:
    where = ", ".join(str(p) for p in paths) or "the policies"
    return Diagnostic("PMO806", f"no policy tests found under `{where}`",
                      help="put YAML test files in a `tests/` directory next to the policies")
