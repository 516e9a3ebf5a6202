#!/usr/bin/env python3
"""Every report format's cost against the JSON report's, on the same run.

    python benchmarks/bench_formats.py [--projects 10000] [--repeat 3]

The run: the standard library on the shared perf kit's portfolio (about 6.6 findings
per project, so 66k at 10k projects: the heaviest report a PMO would print). Each
format is a whole `pmo-rules check --format F` process, written to a file; the script
prints its end-to-end time, its CPU time (steadier on a busy machine) and its report
stage alone, each relative to JSON's. The target: every format at most 1.5x the JSON
report's time end to end.
"""

from __future__ import annotations

import argparse
import sys

from harness import DATA, PY, Run, best_of, check_cmd, generated, perf_kit

FORMATS = ("json", "text", "markdown", "html", "sarif", "junit")


def report(projects: int, repeat: int) -> bool:
    """Print the table; whether every format met the 1.5x target end to end."""
    kit = perf_kit()
    if kit is None:
        sys.exit("the shared perf kit is not found: set PMO_RULES_PERF to its directory")
    bench = generated(f"bench-{projects}-sparse.json", [
        PY, str(kit / "gen_portfolio.py"), str(projects), "--seed", "1", "--deps", "sparse"])
    data = generated(f"portfolio-{projects}-sparse.json", [PY, str(kit / "convert.py"),
                                                           str(bench)])
    runs: dict[str, Run] = {}
    for name in FORMATS:
        out = DATA / f"formats-{projects}.{name}"
        runs[name] = best_of(repeat, check_cmd(data, "--pack", "standard", "--format", name,
                                               "--output", str(out)), DATA / "formats.stdout",
                             stages=True)
    base = runs["json"]
    print(f"report formats, --pack standard on the perf kit's {projects:,} projects, "
          f"best of {repeat}")
    print(f"{'format':<9} {'e2e':>7} {'x json':>7} {'cpu':>7} {'x json':>7} {'report':>8} "
          f"{'x json':>7} {'MB':>6}")
    met = True
    for name, r in runs.items():
        stage, base_stage = r.stages.get("report", 0.0), base.stages.get("report", 0.0)
        met &= r.wall / base.wall <= 1.5
        print(f"{name:<9} {r.wall:>6.2f}s {r.wall / base.wall:>7.2f} {r.cpu:>6.2f}s "
              f"{r.cpu / base.cpu:>7.2f} {stage:>7.2f}s "
              f"{stage / base_stage if base_stage else float('nan'):>7.2f} {r.rss_mb:>6.0f}")
    print(f"target: every format at most 1.5x JSON end to end: {'met' if met else 'NOT met'}")
    return met


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = ap.parse_args()
    report(args.projects, args.repeat)


if __name__ == "__main__":
    main()
