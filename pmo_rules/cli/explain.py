"""`pmo-rules explain RULE`: what a rule checks, where it is written, what a failure looks like."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmo_rules.cli.common import (
    EXIT_OK,
    policy_options,
    policy_sources,
    settings_lifecycles,
    user_errors,
)


@click.command()
@click.argument("rule")
@policy_options
def command(rule: str, policies: tuple[Path, ...], packs: tuple[str, ...]) -> None:
    """Explain RULE: title, doc, source (file:line), severity, enforcement, params and a sample
    finding from the rule's failing test case.

    Exit codes: 0 explained, 2 no such rule or the policies are wrong, 3 an internal error.
    """
    from pmo_rules import api
    from pmo_rules.explain import explain, render_text
    from pmo_rules.policytest.runner import Library

    with user_errors():
        paths, pack_names = policy_sources(policies, packs)
        checked = api.load_policies(paths, packs=pack_names, lifecycles=settings_lifecycles())
        folders = [*(p if p.is_dir() else p.parent for p in map(Path, paths)),
                   *api.pack_directories(pack_names)]
        # A department rule's cases load its parents from what this run loaded.
        library = Library(tuple(paths), tuple(pack_names))
        click.echo(render_text(explain(rule, checked, [f / "tests" for f in folders],
                                       library)), nl=False)
    sys.exit(EXIT_OK)
