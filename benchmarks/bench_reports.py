#!/usr/bin/env python3
"""Time each report format on one check of a generated portfolio, against the JSON report.

    python benchmarks/bench_reports.py [--projects 10000] [--repeat 3]

The portfolio comes from benchmarks/gen_portfolio.py (benchmarks/data/, never committed)
and is checked once with the standard pack; each format then renders the same Report,
best of N. Prints seconds per format and the ratio to JSON (the target is at most 1.5).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    from pmo_rules import api
    from pmo_rules.graph.export import graph_data
    from pmo_rules.graph.portfolio_graph import PortfolioGraph
    from pmo_rules.reports.registry import builtin_reporters
    from pmo_rules.reports.text import render_text

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = HERE / "data" / f"check-{args.projects}.json"
    if not data.exists():
        data.parent.mkdir(exist_ok=True)
        with data.open("wb") as fh:
            subprocess.run([sys.executable, str(HERE / "gen_portfolio.py"), str(args.projects),
                            "--seed", "1"], stdout=fh, check=True)
    loaded = api.load_portfolio(data)
    report = api.check(loaded, api.load_policies([], packs=["standard"]))
    reporters = {r.name: r for r in builtin_reporters(graph_data(PortfolioGraph(loaded)))}
    renders = {name: r.render for name, r in reporters.items()}
    renders["text --group-by program"] = lambda rep: render_text(rep, group_by="program")
    times: dict[str, float] = {}
    for name, render in renders.items():
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            render(report)
            best = min(best, time.perf_counter() - t0)
        times[name] = best
    print(f"{args.projects} projects, {len(report.findings)} findings")
    print(f"{'format':<26} {'seconds':>8} {'x json':>7}")
    for name, seconds in times.items():
        print(f"{name:<26} {seconds:>8.3f} {seconds / times['json']:>7.2f}")


if __name__ == "__main__":
    main()
