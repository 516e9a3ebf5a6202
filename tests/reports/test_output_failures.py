"""A report that cannot be written: exit 4 with one plain line, and never half a file."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main
from pmo_rules.cli import output as output_module
from pmo_rules.cli.output import EXIT_OUTPUT, OutputError, write_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = [str(ROOT / "examples" / "portfolio.yaml"), "--waivers",
           str(ROOT / "examples" / "waivers.yaml"), "--pack", "standard"]


def run(args: list[str], stdout: int) -> subprocess.CompletedProcess[str]:
    code = "from pmo_rules.cli import run; run()"
    return subprocess.run([sys.executable, "-c", code, *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120, check=False)


def plain_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines()
             if "no policies named" not in ln and not ln.startswith("pmo-rules: wrote ")]
    assert len(lines) == 1, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    return lines[0]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [
    ["check", *EXAMPLE, "--format", "json"],
    ["check", *EXAMPLE],
    ["check", "missing.yaml", "--format", "json"],
    ["schema"],
])
def test_a_full_standard_output_is_exit_4_in_one_line(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = run(args, full.fileno())
    assert result.returncode == EXIT_OUTPUT
    line = plain_line(result.stderr)
    assert line.startswith("pmo-rules: error[PMO623]: cannot write ")
    assert line.endswith("to standard output: No space left on device")


def test_a_closed_pipe_is_exit_4_in_one_line() -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        result = run(["check", *EXAMPLE, "--format", "json"], write)
    finally:
        os.close(write)
    assert result.returncode == EXIT_OUTPUT
    assert plain_line(result.stderr).endswith("standard output: the reader closed the pipe")


def _disk_full(fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_leaves_the_previous_report_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    report.write_text('{"complete": "yesterday"}', encoding="utf-8")
    monkeypatch.setattr(output_module.os, "fsync", _disk_full)
    result = CliRunner().invoke(main, ["check", *EXAMPLE, "--format", "json",
                                       "--output", str(report)])
    assert result.exit_code == EXIT_OUTPUT, result.output
    assert report.read_text(encoding="utf-8") == '{"complete": "yesterday"}'
    assert [p.name for p in report.parent.iterdir()] == ["report.json"]  # no temporary left
    assert f"cannot write the json report to `{report}`: No space left on device" \
        in result.stderr
    assert "internal error" not in result.stderr


def test_reports_are_replaced_whole_with_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "r.md"
    write_file(target, "first")
    write_file(target, "second, longer")
    assert target.read_text(encoding="utf-8") == "second, longer"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.md"]


def test_an_unwritable_directory_is_exit_4(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = os.open

    def refuse_junit(path: str, flags: int, mode: int = 0o777) -> int:
        if ".report.xml." in str(path):  # as a read-only directory would, for this one
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return opened(path, flags, mode)

    monkeypatch.setattr(output_module.os, "open", refuse_junit)
    result = CliRunner().invoke(main, ["check", *EXAMPLE, "--format", "sarif",
                                       "--format", "junit", "--output-dir", str(tmp_path)])
    assert result.exit_code == EXIT_OUTPUT
    assert "cannot write the junit report" in plain_line(result.stderr)
    assert "Permission denied" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.sarif"]  # whole, and alone


def test_an_unwritable_destination_is_exit_4(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", *EXAMPLE, "--format", "json",
                                       "--output", str(blocker / "report.json")])
    assert result.exit_code == EXIT_OUTPUT
    line = plain_line(result.stderr)
    assert "error[PMO623]" in line and f"`{blocker}` is a file, not a directory" in line


def test_output_error_names_where_and_why() -> None:
    problem = OutputError("`r.json`", "Disk quota exceeded", "the json report")
    assert problem.line() == ("pmo-rules: error[PMO623]: cannot write the json report to "
                              "`r.json`: Disk quota exceeded")
