"""Command-line mistakes are diagnostics like every other problem: PMO600, what was
expected, the likely fix, exit 2; never click's bare "Usage: ... Error: ..."."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from pmo_rules.cli import main
from pmo_rules.cli.usage import usage_diagnostic

EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "portfolio.yaml")


@pytest.mark.parametrize(("args", "message", "help_"), [
    (["graph", EXAMPLE, "--format", "svg"], "`--format svg` is not one of json, dot, mermaid",
     "see `pmo-rules graph --help`"),
    (["history", "--format=jsn"], "`--format jsn` is not one of text, json",
     "did you mean `json`?"),
    (["check", EXAMPLE, "--as-of", "2026-02-30"],
     "`--as-of 2026-02-30` is not a date", "February 2026 has 28 days: use a day from 01 to 28"),
    (["check", EXAMPLE, "--as-of", "30/11/2026"], "`--as-of 30/11/2026` is not a date",
     "write dates as YYYY-MM-DD"),
    (["chek", EXAMPLE], "`chek` is not a pmo-rules command", "did you mean `pmo-rules check`?"),
    (["check", EXAMPLE, "--formt", "json"], "`pmo-rules check` has no option `--formt`",
     "did you mean `--format`?"),
    (["check"], "`pmo-rules check` needs its argument PORTFOLIO",
     "see `pmo-rules check --help`"),
    (["readiness", EXAMPLE, "--within", "soon"], "`--within soon`: 'soon' is not a valid integer",
     "see `pmo-rules readiness --help`"),
])
def test_usage_mistakes_are_diagnostics(args: list[str], message: str, help_: str) -> None:
    with pytest.raises(click.UsageError) as caught:
        main.main(args, prog_name="pmo-rules", standalone_mode=False)
    diag = usage_diagnostic(caught.value, args)
    assert diag.code == "PMO600"
    assert diag.message == message
    assert diag.help is not None and diag.help.startswith(help_)


def test_the_executable_says_them_so() -> None:
    done = subprocess.run([sys.executable, "-m", "pmo_rules", "graph", EXAMPLE, "--format",
                           "svg"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error[PMO600]: `--format svg` is not one of")
    assert "Usage:" not in done.stderr and "Traceback" not in done.stderr
