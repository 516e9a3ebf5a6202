#!/usr/bin/env python3
"""Time the run store: what recording adds to a check, and how fast a year's trend answers.

    python benchmarks/bench_history.py [--projects 10000] [--days 365] [--trend-projects 1000]

1. Recording: `pmo-rules check` of a generated 10k-project portfolio with the standard
   policies, as whole processes, without and with `--record` into a SQLite store that
   already holds a run of it (best of --repeat each). Target: at most 20% more.
2. Trend: a SQLite store with 365 daily runs of a 1,000-project portfolio (one real check,
   then each day recorded with its own as-of date and a realistic churn of findings:
   each one opens and closes on its own days), then `pmo-rules trend` as a whole process
   and the trend query alone. Target: under 1 s.

Portfolios come from benchmarks/gen_portfolio.py (written to benchmarks/data/, never
committed); stores are written to a temporary directory.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def portfolio(n: int) -> Path:
    """The generated portfolio of n projects (made once, then reused)."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"check-{n}.json"
    if not path.exists():
        with path.open("wb") as fh:
            subprocess.run([sys.executable, str(HERE / "gen_portfolio.py"), str(n), "--seed",
                            "1"], stdout=fh, check=True)
    return path


def best_run(args: list[str], repeat: int) -> tuple[float, float]:
    """The fastest of `repeat` runs of `pmo-rules ARGS` as a whole process: (wall seconds,
    CPU seconds). On a busy machine the CPU time is the steadier of the two."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pmo_rules", *args], capture_output=True,
                              check=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, (wall, cpu))
        if proc.returncode not in (0, 1):
            sys.exit(f"pmo-rules {' '.join(args)} failed ({proc.returncode}):\n"
                     f"{proc.stderr.decode()[-3000:]}")
    return best


def bench_recording(n: int, repeat: int, work: Path) -> None:
    from pmo_rules.stdlib.standard import POLICIES

    data = portfolio(n)
    store = work / "record.db"
    check = ["check", str(data), "--policy", str(POLICIES), "--format", "json"]
    best_run([*check, "--record", "--store", str(store)], 1)  # the store and a first run
    plain, plain_cpu = best_run(check, repeat)
    recorded, recorded_cpu = best_run([*check, "--record", "--store", str(store)], repeat)
    rows = _rows(store)
    print(f"recording, {n} projects (best of {repeat}; {rows} findings per run):\n"
          f"  check {plain:.2f} s, check --record {recorded:.2f} s: "
          f"+{(recorded / plain - 1) * 100:.1f}% wall (target <= 20%)\n"
          f"  CPU {plain_cpu:.2f} s vs {recorded_cpu:.2f} s: "
          f"+{(recorded_cpu / plain_cpu - 1) * 100:.1f}%")


def _rows(store: Path) -> int:
    import sqlite3

    with sqlite3.connect(store) as conn:
        return int(conn.execute("SELECT count(*) FROM pmo_results WHERE run_id = "
                                "(SELECT max(id) FROM pmo_runs)").fetchone()[0])


def bench_trend(n: int, days: int, repeat: int, work: Path) -> None:
    from pmo_rules import api
    from pmo_rules.history.locate import parse_store
    from pmo_rules.history.store import Store
    from pmo_rules.history.trend import load_trend
    from pmo_rules.stdlib.standard import POLICIES

    report = api.check(api.load_portfolio(portfolio(n)), api.load_policies([POLICIES]))
    store_path = work / "trend.db"
    store = Store.open(parse_store(str(store_path)), create=True)
    rnd = random.Random(1)
    # Each finding of the real check is open over its own stretch of the year.
    spans = {id(f): sorted(rnd.sample(range(days + 60), 2)) for f in report.findings}
    start = report.as_of - dt.timedelta(days=days - 1)
    t0 = time.perf_counter()
    for day in range(days):
        daily = copy.copy(report)
        daily.as_of = start + dt.timedelta(days=day)
        daily.findings = [f for f in report.findings if spans[id(f)][0] <= day < spans[id(f)][1]]
        store.record(daily)
    filled = time.perf_counter() - t0
    (portfolio_id,) = store.portfolios()
    query = float("inf")
    for _ in range(repeat):
        t1 = time.perf_counter()
        trend = load_trend(store, portfolio_id)
        query = min(query, time.perf_counter() - t1)
    store.close()
    whole, whole_cpu = best_run(["trend", "--store", str(store_path), "--format", "json"],
                                repeat)
    text, text_cpu = best_run(["trend", "--store", str(store_path)], repeat)
    size = store_path.stat().st_size / 1e6
    print(f"trend, {len(trend.points)} daily runs of {n} projects (up to "
          f"{len(report.findings)} findings per run; store filled in {filled:.1f} s, "
          f"{size:.0f} MB):\n  the trend query {query * 1000:.0f} ms; as whole processes "
          f"(target < 1 s): `pmo-rules trend --format json` {whole:.2f} s "
          f"(CPU {whole_cpu:.2f} s), text {text:.2f} s (CPU {text_cpu:.2f} s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=10_000)
    ap.add_argument("--trend-projects", type=int, default=1_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-recording", action="store_true", help="only the trend figures")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_recording:
            bench_recording(args.projects, args.repeat, work)
        bench_trend(args.trend_projects, args.days, args.repeat, work)


if __name__ == "__main__":
    main()
