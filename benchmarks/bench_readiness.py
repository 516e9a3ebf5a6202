#!/usr/bin/env python3
"""Time gate readiness (`pmo-rules readiness`) with the standard pack on generated portfolios.

    python benchmarks/bench_readiness.py [--sizes 200 1000]

Portfolios come from benchmarks/gen_portfolio.py (written to benchmarks/data/, never
committed). Loading and the policies are timed apart; the script prints the time of
today's check that readiness starts from, then of the whole assessment of every live
project, and the cost per project moved through its next gate.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from pmo_rules import api
from pmo_rules.readiness.assess import assess

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 1_000])
    args = ap.parse_args()
    DATA.mkdir(exist_ok=True)
    policies = api.load_policies([], packs=["standard"])
    print(f"{'projects':>9} {'check':>8} {'readiness':>10} {'moved':>6} {'per moved':>10}")
    for n in args.sizes:
        data = DATA / f"check-{n}.json"
        if not data.exists():
            with data.open("wb") as fh:
                subprocess.run([sys.executable, str(HERE / "gen_portfolio.py"), str(n),
                                "--seed", "1"], stdout=fh, check=True)
        portfolio = api.load_portfolio(data)
        t0 = time.perf_counter()
        api.check(portfolio, policies)
        check = time.perf_counter() - t0
        t0 = time.perf_counter()
        found = assess(portfolio, policies)
        total = time.perf_counter() - t0
        moved = sum(1 for p in found.projects if p.gate is not None)
        per = (total - check) / moved * 1000 if moved else 0.0
        print(f"{n:>9} {check:>7.2f}s {total:>9.2f}s {moved:>6} {per:>8.1f}ms")


if __name__ == "__main__":
    main()
