#!/usr/bin/env python3
"""pmo-rules against the hand-optimized reference script of ../shared/perf, end to end.

    python benchmarks/bench_reference.py [--sizes 10000 100000] [--deps sparse|dense]

Generates the benchmark portfolios (into benchmarks/data/, never committed), times
`reference.py` and `pmo-rules check --format json` as whole processes, checks that
both report the same findings, and prints each time, the ratio, and the 100k/10k
scaling. The target (../shared/perf/README.md): ratio <= 1.5 at 100k, scaling <= 11.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PERF = HERE.parent.parent / "shared" / "perf"
DATA = HERE / "data"


def run(cmd: list[str], out: Path) -> float:
    """Run a command with stdout to a file; return its wall time in seconds."""
    t0 = time.perf_counter()
    with out.open("wb") as fh:
        proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()[-2000:]}")
    return elapsed


def ours_normalised(report: dict) -> list[tuple[str, str]]:
    """Our findings in the reference's form: R5 as SUCC->PRED, R7/R8 on 'portfolio'."""
    out = []
    for f in report["findings"]:
        rule, subject = f["rule"], f["subject"]["id"]
        if rule == "R5":
            pred, _, succ = subject.partition("->")
            subject = f"{succ}->{pred}"
        elif rule in ("R7", "R8"):
            subject = "portfolio"
        out.append((rule, subject))
    return sorted(set(out))


def best_of(n: int, cmd: list[str], out: Path) -> float:
    return min(run(cmd, out) for _ in range(n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--deps", choices=["sparse", "dense"], default="sparse")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = ap.parse_args()
    if not PERF.is_dir():
        sys.exit(f"the shared perf kit is not at {PERF}")
    DATA.mkdir(exist_ok=True)
    py = sys.executable
    pmo = [py, "-m", "pmo_rules"]
    times: dict[int, tuple[float, float]] = {}
    print(f"{'projects':>9} {'reference':>10} {'pmo-rules':>10} {'ratio':>6}  findings")
    for n in args.sizes:
        bench = DATA / f"bench-{n}-{args.deps}.json"
        ours_in = DATA / f"portfolio-{n}-{args.deps}.json"
        if not bench.exists():
            with bench.open("wb") as fh:
                subprocess.run([py, str(PERF / "gen_portfolio.py"), str(n), "--seed", "1",
                                "--deps", args.deps], stdout=fh, check=True)
            with ours_in.open("wb") as fh:
                subprocess.run([py, str(PERF / "convert.py"), str(bench)], stdout=fh, check=True)
        ref_out, ours_out = DATA / f"ref-{n}.json", DATA / f"ours-{n}.json"
        t_ref = best_of(args.repeat, [py, str(PERF / "reference.py"), str(bench)], ref_out)
        t_ours = best_of(args.repeat, [*pmo, "check", str(ours_in), "--policy",
                                       str(PERF / "rules.pmo"), "--format", "json"], ours_out)
        ref = sorted(tuple(x) for x in json.loads(ref_out.read_text()))
        ours = ours_normalised(json.loads(ours_out.read_text()))
        same = "identical" if ref == ours else f"DIFFER (ref {len(ref)}, ours {len(ours)})"
        times[n] = (t_ref, t_ours)
        print(f"{n:>9} {t_ref:>9.2f}s {t_ours:>9.2f}s {t_ours / t_ref:>6.2f}  {same} ({len(ref)})")
    sizes = sorted(times)
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        print(f"scaling {b}/{a}: reference {times[b][0] / times[a][0]:.1f}x, "
              f"pmo-rules {times[b][1] / times[a][1]:.1f}x")


if __name__ == "__main__":
    main()
