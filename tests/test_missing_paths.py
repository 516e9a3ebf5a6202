"""A path that does not exist is named, with the file beside it that was probably meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main

PORTFOLIO = "as_of: 2026-11-30\nprojects: [{id: P-1, name: One}]\n"


@pytest.mark.parametrize(("args", "expected"), [
    (["check", "portfolio.yml"],
     "portfolio.yml:1:1: error[PMO400]: `portfolio.yml` does not exist\n"
     "  help: did you mean `portfolio.yaml`?"),
    (["check", "portfolio.yaml", "--waivers", "waiver.yaml"],
     "help: did you mean `waivers.yaml`?"),
    (["check", "portfolio.yaml", "--mapping", "mapings.yaml"],
     "error[PMO464]: the mapping file `mapings.yaml` does not exist\n"
     "  help: did you mean `mappings.yaml`?"),
    (["check", "portfolo"], "help: give the path of a portfolio file or directory"),
])
def test_missing_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
                       expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "portfolio.yaml").write_text(PORTFOLIO, encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    (tmp_path / "mappings.yaml").write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(main, [*args, "--pack", "standard"])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Errno" not in result.stderr


def test_a_nul_byte_in_the_waivers_setting_is_a_diagnostic(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "portfolio.yaml").write_text(PORTFOLIO, encoding="utf-8")
    (tmp_path / "pmo-rules.toml").write_text('waivers = "\\u0000"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "portfolio.yaml", "--pack", "standard"])
    assert result.exit_code == 2, result.output
    assert "error[PMO501]" in result.stderr and "pmo-rules.toml:1" in result.stderr
