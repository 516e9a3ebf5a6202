"""`pmo-rules test`: run the policy unit tests (YAML cases next to the policies)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pmo_rules.cli.common import (
    EXIT_BLOCKING,
    EXIT_INPUT,
    EXIT_OK,
    STANDARD_PACK,
    emit_diagnostics,
    policy_sources,
    settings_lifecycles,
    user_errors,
)
from pmo_rules.diagnostics import Diagnostic

if TYPE_CHECKING:
    from pmo_rules.policytest import CaseResult, Library, TestFile


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--policy", "policies", multiple=True, type=click.Path(path_type=Path),
              help="Policies the tested ones may extend (repeatable); their tests do not run.")
@click.option("--pack", "packs", multiple=True, metavar="NAME",
              help="Also run the tests of a policy pack (repeatable; `--pack standard`); "
                   "tested policies may extend its policies.")
@click.option("--coverage", "show_coverage", is_flag=True,
              help="List the rules without a passing case that expects a pass and one that "
                   "expects a fail.")
@click.option("--min-coverage", type=click.FloatRange(0, 100), metavar="PERCENT",
              help="Fail (exit 1) when fewer rules than this are covered (implies --coverage).")
@click.option("-v", "--verbose", is_flag=True, help="List passing cases too.")
def command(paths: tuple[Path, ...], policies: tuple[Path, ...], packs: tuple[str, ...],
            show_coverage: bool, min_coverage: float | None, verbose: bool) -> None:
    """Run the policy tests under PATHS (default: the settings' policies, ./policies, else
    the standard pack): each case's expected findings against what the rule really finds.

    A department policy's tests load the policies it extends from --policy, --pack, the
    settings' policies and packs, else the standard pack.

    Exit codes: 0 every case passed (and coverage is at least --min-coverage), 1 a case
    failed or coverage is too low, 2 a test file or its data is wrong, 3 an internal error.
    """
    from pmo_rules import api
    from pmo_rules.policytest import discover, load_suite, run_suite
    from pmo_rules.policytest.render import render_coverage, render_result, summary_line

    with user_errors():
        sources, pack_names = policy_sources(paths, packs)
        pack_dirs = api.pack_directories(pack_names)
        files = load_suite(discover([*sources, *pack_dirs]))
        if not any(f.cases for f in files):
            emit_diagnostics([_no_tests(paths)])
            sys.exit(EXIT_INPUT)
        library = _library(policies, pack_names)

        def show(result: CaseResult) -> None:
            text = render_result(result, verbose)
            if text:
                click.echo(text)

        results = run_suite(files, on_result=show, library=library)
        covered = None
        if show_coverage or min_coverage is not None:
            from pmo_rules.policytest import coverage

            covered = coverage(results, _rules_under_test([*sources, *pack_dirs], files))
    click.echo(summary_line(results))
    if covered is not None:
        click.echo(render_coverage(covered, min_coverage))
    if any(r.problems for r in results):
        sys.exit(EXIT_INPUT)
    too_low = covered is not None and min_coverage is not None and \
        covered.percent < min_coverage
    sys.exit(EXIT_OK if all(r.passed for r in results) and not too_low else EXIT_BLOCKING)


def _library(policies: Sequence[Path], packs: Sequence[str]) -> Library:
    """Where tested policies find their parents: --policy, the settings' policies, the
    packs (--pack, the settings'), then the standard pack."""
    from pmo_rules.config import load_config
    from pmo_rules.policytest import Library

    config, _ = load_config()  # validated already, by policy_sources
    paths = [*policies, *config.get("policy", [])]
    names = [*packs, *config.get("pack", []), STANDARD_PACK]
    return Library(tuple(paths), tuple(dict.fromkeys(names)), tuple(settings_lifecycles()))


def _rules_under_test(sources: Sequence[str | Path], files: Sequence[TestFile]) -> list[str]:
    """The rules declared in the tested policies: the ones under PATHS and the ones each
    test file's `policies` names (not the parents found in the library)."""
    from pmo_rules.language.loader import expand_paths, load_policy_files

    paths = [p for p in sources if Path(p).is_dir() or Path(p).suffix == ".pmo"]
    paths += [p for f in files for p in f.policies]
    unique = list(dict.fromkeys(str(p.resolve()) for p in expand_paths(paths)))
    parsed = load_policy_files(unique)
    return sorted({r.id for f in parsed for pol in f.policies for r in pol.rules})


def _no_tests(paths: tuple[Path, ...]) -> Diagnostic:
    where = ", ".join(str(p) for p in paths) or "the policies"
    return Diagnostic("PMO806", f"no policy tests found under `{where}`",
                      help="put YAML test files in a `tests/` directory next to the policies")
