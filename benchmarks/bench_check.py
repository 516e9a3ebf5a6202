#!/usr/bin/env python3
"""Time `pmo-rules check` with the starter policies on generated portfolios.

    python benchmarks/bench_check.py [--sizes 1000 10000 100000]

Portfolios come from benchmarks/gen_portfolio.py (written to benchmarks/data/, never
committed). Each size is checked as a whole process (start-up, load, graph, parse,
evaluate, JSON report); the script prints the time per size and the 100k/10k ratio,
which must stay under 12 (linear scaling).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from pmo_rules.stdlib.standard import POLICIES as STANDARD_POLICIES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--policy", default=str(STANDARD_POLICIES))
    ap.add_argument("--repeat", type=int, default=2, help="best of N runs (default 2)")
    args = ap.parse_args()
    DATA.mkdir(exist_ok=True)
    py = sys.executable
    times: dict[int, float] = {}
    print(f"{'projects':>9} {'check':>8} {'per 1k':>8} {'findings':>9}")
    for n in args.sizes:
        data = DATA / f"check-{n}.json"
        if not data.exists():
            with data.open("wb") as fh:
                subprocess.run([py, str(HERE / "gen_portfolio.py"), str(n), "--seed", "1"],
                               stdout=fh, check=True)
        best = float("inf")
        findings = 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            proc = subprocess.run(
                [py, "-m", "pmo_rules", "check", str(data), "--policy", args.policy,
                 "--format", "json"], capture_output=True, check=False)
            best = min(best, time.perf_counter() - t0)
            if proc.returncode not in (0, 1):
                sys.exit(f"check failed ({proc.returncode}):\n{proc.stderr.decode()[-3000:]}")
            findings = len(json.loads(proc.stdout)["findings"])
        times[n] = best
        print(f"{n:>9} {best:>7.2f}s {best / n * 1000:>7.3f}s {findings:>9}")
    if 10_000 in times and 100_000 in times:
        print(f"ratio 100k/10k: {times[100_000] / times[10_000]:.1f} (target < 12)")


if __name__ == "__main__":
    main()
