#!/usr/bin/env python3
"""`pmo-rules check` with the standard library (63 rules) on generated portfolios.

    python benchmarks/bench_check.py [--sizes 10000 100000] [--repeat 1]

Portfolios come from benchmarks/gen_portfolio.py (benchmarks/data/, never committed;
about 3.6 KB per project). Each size is checked as a whole process with a JSON report;
the script prints wall and CPU seconds, peak memory, findings, the time split by stage
and the growth between the sizes. The target: at most 20 s at 100k projects.
"""

from __future__ import annotations

import argparse
import json

from harness import HERE, PY, Run, best_of, check_cmd, generated, size, stage_header, stage_row


def measure(n: int, repeat: int) -> tuple[Run, int]:
    """The best run at `n` projects and its number of findings."""
    data = generated(f"check-{n}.json", [PY, str(HERE / "gen_portfolio.py"), str(n),
                                         "--seed", "1"])
    out = data.with_name(f"check-{n}-report.json")
    best = best_of(repeat, check_cmd(data, "--pack", "standard", "--format", "json"), out,
                   stages=True)
    return best, len(json.loads(out.read_text())["findings"])


def report(sizes: list[int], repeat: int) -> bool:
    """Print the figures; whether the largest size met the 20 s target (when it is 100k)."""
    print(f"pmo-rules check --pack standard (63 rules), generated portfolios, best of {repeat}")
    print(f"{'projects':>9} {'wall':>7} {'cpu':>6} {'MB':>6} {'findings':>9}   {stage_header()}")
    runs: dict[int, Run] = {}
    for n in sizes:
        best, findings = measure(n, repeat)
        runs[n] = best
        print(f"{n:>9,} {best.wall:>6.2f}s {best.cpu:>5.2f}s {best.rss_mb:>6.0f} {findings:>9,}"
              f"   {stage_row(best.stages)}")
    small, large = min(sizes), max(sizes)
    if small != large:
        print(f"growth {size(large)}/{size(small)}: {runs[large].wall / runs[small].wall:.1f}x")
    met = large != 100_000 or runs[large].wall <= 20
    if large == 100_000:
        print(f"target at 100k: at most 20 s: {'met' if met else 'NOT met'}")
    return met


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    args = ap.parse_args()
    report(args.sizes, args.repeat)


if __name__ == "__main__":
    main()
