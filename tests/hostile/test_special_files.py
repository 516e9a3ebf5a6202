"""A named pipe (or device) given where a file is expected is refused at once: reading one
may never end, so no command may block on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = str(ROOT / "examples" / "portfolio.yaml")

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.mark.parametrize(("args", "code"), [
    (["check", PORTFOLIO, "--waivers", "{pipe}"], "PMO501"),
    (["baseline", "create", PORTFOLIO, "--waivers", "{pipe}", "--output", "{out}"], "PMO501"),
    (["import", PORTFOLIO, "--mapping", "{pipe}", "--output", "{out}"], "PMO464"),
    (["import", "{pipe}", "--output", "{out}"], "PMO460"),
    (["validate", "{pipe}"], "PMO111"),
    (["test", "{pipe}"], "PMO801"),
    (["check", "{pipe}"], "PMO400"),
])
def test_a_named_pipe_is_refused_not_read(tmp_path: Path, args: list[str], code: str) -> None:
    pipe = tmp_path / "given.yaml"
    os.mkfifo(pipe)
    argv = [a.format(pipe=pipe, out=tmp_path / "out.yaml") for a in args]
    done = subprocess.run([sys.executable, "-m", "pmo_rules", *argv], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert code in done.stderr and "named pipe (FIFO)" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_named_pipe_as_a_lifecycles_path_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "life.yaml")
    (tmp_path / "pmo-rules.toml").write_text('lifecycles = ["life.yaml"]\n')
    done = subprocess.run([sys.executable, "-m", "pmo_rules", "check", PORTFOLIO],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "PMO950" in done.stderr and "named pipe (FIFO)" in done.stderr, done.stderr
