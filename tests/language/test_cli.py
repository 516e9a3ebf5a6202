"""`pmo-rules validate` and `pmo-rules fmt` from the outside."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pmo_rules.cli import main

from .helpers import CASES


def test_validate_clean(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(CASES / "constructs.pmo")])
    assert result.exit_code == 0, result.output
    assert "1 file, 4 rules: ok" in result.output


def test_validate_errors_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pmo"
    bad.write_text('policy "a" {\n rule R "t" { for p in projects require p.nme exists }\n}\n')
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(tmp_path)])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    [diag] = payload["diagnostics"]
    assert (diag["code"], diag["line"], diag["column"]) == ("PMO202", 2, 43)
    assert diag["help"] == "did you mean `name`?"


def test_validate_missing_path() -> None:
    result = CliRunner().invoke(main, ["validate", "nowhere.pmo"])
    assert result.exit_code == 2 and "`nowhere.pmo` does not exist" in result.output


def test_fmt_check_then_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "a.pmo"
    path.write_text('policy "a" {rule R "t" {for p in projects require p.id exists}}')
    check = CliRunner().invoke(main, ["fmt", "--check", str(path)])
    assert check.exit_code == 1 and "would reformat" in check.output
    assert CliRunner().invoke(main, ["fmt", str(path)]).exit_code == 0
    assert CliRunner().invoke(main, ["fmt", "--check", str(path)]).exit_code == 0
    assert "    rule R \"t\" {\n        for p in projects\n" in path.read_text()
