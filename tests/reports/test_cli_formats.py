"""`pmo-rules check --format ... --output-dir`, and the reporter registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main
from pmo_rules.engine.report import Report
from pmo_rules.plugins.types import Reporter
from pmo_rules.reports.registry import (
    BUILTIN_NAMES,
    builtin_reporters,
    pmo_rules_reporters,
    reporter_table,
)

ARGS = ("check", "portfolio.yaml", "--policy", "policy.pmo", "--waivers", "waivers.yaml")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_several_formats_into_a_directory(in_fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    fmts = [a for name in BUILTIN_NAMES for a in ("--format", name)]
    code, stdout, _ = invoke(*ARGS, *fmts, "--output-dir", str(out))
    assert code == 1 and stdout == ""
    assert sorted(p.name for p in out.iterdir()) == [
        "report.html", "report.json", "report.md", "report.sarif", "report.txt", "report.xml"]
    assert json.loads((out / "report.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert (out / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "<svg" in (out / "report.html").read_text("utf-8")  # the CLI passes the graph


@pytest.mark.parametrize("fmt", ["sarif", "junit", "markdown", "html"])
def test_one_format_to_stdout(in_fixtures: Path, fmt: str) -> None:
    code, stdout, _ = invoke(*ARGS, "--format", fmt)
    assert code == 1 and stdout.strip()


@pytest.mark.parametrize(("extra", "code_", "needle"), [
    (("--format", "sarf"), "PMO620", "did you mean `sarif`?"),
    (("--format", "sarif", "--format", "junit"), "PMO621", "--output-dir"),
    (("--format", "json", "--output", "x.json", "--output-dir", "d"), "PMO621",
     "cannot be used together"),
    (("--format", "json", "--output-dir", "portfolio.yaml"), "PMO622", "is a file"),
    (("--format", "markdown", "--output", "."), "PMO622", "is a directory, not a file"),
])
def test_bad_format_options_exit_2(
    in_fixtures: Path, extra: tuple[str, ...], code_: str, needle: str,
) -> None:
    code, stdout, stderr = invoke(*ARGS, *extra)
    assert code == 2
    assert code_ in stdout + stderr and needle in stdout + stderr
    assert "Traceback" not in stdout + stderr


def test_builtins_come_through_the_hook() -> None:
    assert [r.name for r in pmo_rules_reporters()] == list(BUILTIN_NAMES)


def test_plugins_add_formats_but_cannot_take_a_builtin(report: Report) -> None:
    extra = Reporter("csv", "findings as CSV", lambda r: "rule\n")
    fake = Reporter("json", "not the real json", lambda r: "nope")
    table = reporter_table(builtin_reporters(), [[extra, fake]])
    assert list(table) == [*BUILTIN_NAMES, "csv"]
    assert table["json"].render(report) == report.to_json().encode()
    assert table["csv"].render(report) == "rule\n"
