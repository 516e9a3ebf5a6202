"""What the benchmark scripts share: whole-process runs measured, generated data, tables.

A run is measured as the operating system sees it: wall seconds, CPU seconds (user +
system) and peak resident memory of that process alone (os.wait4's rusage). Timed runs
are plain runs, as a user's: the time split by stage (PMO_RULES_TIMINGS,
pmo_rules/timing.py) comes from one more run with the split switched on, since
recording it costs a little itself. Start-up is the time from spawning the process to
its first stage; `other` is what no stage claims (settings, plugin discovery, exit).

pmo-rules runs as installed: its modules' bytecode compiled (`compileall`, into the
checkout's own __pycache__ directories, which git ignores), as pip compiles a package at
install time. A checkout run where PYTHONDONTWRITEBYTECODE is set, as in some CI and
sandbox images, would otherwise compile every module again in every process (about a
seventh of a second). The reference script is one file Python compiles as it starts,
as it always does; its imports are the standard library's, compiled already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"  # generated inputs and outputs; never committed (.gitignore)
STAGES = ("start-up", "read", "validate", "resolve", "graph", "compile", "evaluate", "report",
          "other")
PY = sys.executable


def perf_kit() -> Path | None:
    """The shared performance kit (reference.py, gen_portfolio.py, convert.py, rules.pmo):
    PMO_RULES_PERF, else /work/shared/perf, else ../shared/perf next to the repository."""
    for candidate in (os.environ.get("PMO_RULES_PERF"), "/work/shared/perf",
                      str(ROOT.parent / "shared" / "perf")):
        if candidate and (Path(candidate) / "reference.py").is_file():
            return Path(candidate)
    return None


@dataclass
class Run:
    """One process: its times, its memory, and (for pmo-rules) its stage split."""

    wall: float
    cpu: float
    rss_mb: float
    code: int
    stages: dict[str, float] = field(default_factory=dict)


def _environment() -> dict[str, str]:
    """The environment of a measured process: the caller's, pmo-rules' bytecode compiled."""
    _compile_pmo_rules()
    return dict(os.environ)


@cache
def _compile_pmo_rules() -> None:
    """Once per benchmark process (compileall skips what is up to date)."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "pmo_rules")], check=True,
                   stdout=subprocess.DEVNULL)


def run(cmd: list[str], out: Path, *, stages: bool = False, ok: tuple[int, ...] = (0, 1)) -> Run:
    """Run `cmd` with stdout to `out`; exit with its stderr when it fails."""
    env = _environment()
    timings = None
    if stages:
        fd, name = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        timings = Path(name)
        env["PMO_RULES_TIMINGS"] = str(timings)
    with out.open("wb") as fh, tempfile.TemporaryFile() as err:
        spawned = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed ({code}):\n{err.read().decode()[-3000:]}")
    result = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code)
    if timings is not None:
        recorded = json.loads(timings.read_text() or "{}")
        timings.unlink()
        split = {"start-up": max(0.0, recorded.get("started", spawned) - spawned)}
        split.update(recorded.get("stages", {}))
        split["other"] = max(0.0, wall - sum(split.values()))
        result.stages = split
    return result


def best_of(n: int, cmd: list[str], out: Path, *, stages: bool = False) -> Run:
    """The run with the least wall time of `n` (the machine's noise only ever adds); with
    `stages`, its split by stage is that of one more run recording it."""
    best = min((run(cmd, out) for _ in range(max(1, n))), key=lambda r: r.wall)
    if stages:
        best.stages = run(cmd, out, stages=True).stages
    return best


def generated(name: str, cmd: list[str]) -> Path:
    """benchmarks/data/NAME, written by `cmd` once and reused."""
    DATA.mkdir(exist_ok=True)
    path = DATA / name
    if not path.exists():
        partial = path.with_suffix(".part")
        with partial.open("wb") as fh:
            subprocess.run(cmd, stdout=fh, check=True)
        partial.rename(path)
    return path


def check_cmd(portfolio: Path, *options: str) -> list[str]:
    """`pmo-rules check PORTFOLIO OPTIONS...` as this interpreter runs it."""
    return [PY, "-m", "pmo_rules", "check", str(portfolio), *options]


def stage_header() -> str:
    return " ".join(f"{name:>8}" for name in STAGES) + f" {'total':>7}"


def stage_row(split: dict[str, float]) -> str:
    return " ".join(f"{split.get(name, 0.0):>8.2f}" for name in STAGES) + \
        f" {sum(split.values()):>7.2f}"


def size(n: int) -> str:
    """10000 -> 10k."""
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)
