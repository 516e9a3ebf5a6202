"""`pmo-rules preview`: what a proposed policy change would do to the portfolio."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from pmo_rules.cli.common import EXIT_OK, policy_options, policy_sources, user_errors
from pmo_rules.cli.evaluate import load_inputs, run_inputs, run_options
from pmo_rules.cli.stores import emit_view, output_options


@click.command()
@click.argument("portfolio", type=click.Path(path_type=Path))
@policy_options
@click.option("--proposed", "proposed", multiple=True, type=click.Path(path_type=Path),
              help="A .pmo file or directory of the proposed policy set (repeatable).")
@click.option("--proposed-pack", "proposed_packs", multiple=True, metavar="NAME",
              help="A policy pack in the proposed policy set (repeatable).")
@run_options
@output_options(("text", "json", "markdown"))
def command(
    portfolio: Path, policies: tuple[Path, ...], packs: tuple[str, ...],
    proposed: tuple[Path, ...], proposed_packs: tuple[str, ...], waivers: Path | None,
    params: tuple[str, ...], as_of: dt.datetime | None, select: tuple[str, ...],
    ignore: tuple[str, ...], fail_on: str | None, output_format: str, output: Path | None,
) -> None:
    """Preview a policy change: check PORTFOLIO with the current policies (--policy/--pack,
    as `check` finds them) and with the proposed ones (--proposed/--proposed-pack), and
    show, rule by rule, the findings the change adds, removes or changes, and the change
    in blocking findings and score. The same waivers, params and date apply to both.

    Exit codes: 0 shown, 2 the inputs are wrong.
    """
    from pmo_rules import api
    from pmo_rules.config import load_config
    from pmo_rules.diagnostics import Diagnostic, DiagnosticError
    from pmo_rules.history.markdown import preview_markdown
    from pmo_rules.history.preview import preview
    from pmo_rules.history.text import preview_text

    with user_errors(output_format):
        if not proposed and not proposed_packs:
            raise DiagnosticError([Diagnostic(
                "PMO910", "no proposed policies: give --proposed PATH or --proposed-pack NAME",
                help="for example `pmo-rules preview portfolio.yaml --policy policies/ "
                     "--proposed proposed/`",
            )])
        config, _ = load_config()
        run = run_inputs(config, waivers=waivers, params=params, as_of=as_of,
                           select=select, ignore=ignore, fail_on=fail_on)
        loaded, (current, new) = load_inputs(
            portfolio, [policy_sources(policies, packs), (list(proposed), list(proposed_packs))],
            run["waivers"], run["as_of"])
        register = api.load_waivers(run["waivers"]) if run["waivers"] is not None else []
        result = preview(*(api.check(loaded, checked, **{**run, "waivers": _waivers_for(
            register, checked, (current, new))}) for checked in (current, new)))
        emit_view(output_format, output, result.to_dict,
                  lambda width: preview_text(result, width=width),
                  lambda: preview_markdown(result))
    sys.exit(EXIT_OK)


def _waivers_for(register: list[Any], checked: Any, sides: tuple[Any, Any]) -> list[Any]:
    """The register for one side: a waiver of a rule that only the other side has is left
    out (the change orphans or adopts it; the preview shows its fate changing)."""
    mine = {r.rule.id for r in checked.rules}
    either = {r.rule.id for side in sides for r in side.rules}
    return [w for w in register if w.rule in mine or w.rule not in either]
