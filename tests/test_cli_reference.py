"""docs/cli.md is the commands' own help, regenerated: it never drifts from the code."""

from __future__ import annotations

from pmo_rules.cli.reference import DOC, render


def test_the_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run `python -m pmo_rules.cli.reference`")
