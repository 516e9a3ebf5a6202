#!/usr/bin/env python3
"""pmo-rules against the hand-written reference script of the shared perf kit, end to end.

    python benchmarks/bench_reference.py [--sizes 10000 100000] [--deps sparse dense]

For each graph shape and size it generates the kit's portfolio (into benchmarks/data/,
never committed), runs `reference.py` and `pmo-rules check --format json` with the
kit's 8 rules as whole processes (best of --repeat by wall time), checks that both
report the same findings, and prints wall and CPU seconds, peak memory, the ratios,
the 100k/10k growth and pmo-rules' time split by stage. The targets: at most 1.5x the
reference's time and 2x its peak memory at 100k, growth at most 11.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from harness import (
    DATA,
    PY,
    Run,
    best_of,
    check_cmd,
    generated,
    perf_kit,
    size,
    stage_header,
    stage_row,
)


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


def measure(kit: Path, n: int, deps: str, repeat: int) -> tuple[Run, Run, str]:
    """The reference's best run, ours, and whether their findings agree."""
    bench = generated(f"bench-{n}-{deps}.json", [
        PY, str(kit / "gen_portfolio.py"), str(n), "--seed", "1", "--deps", deps])
    ours_in = generated(f"portfolio-{n}-{deps}.json", [PY, str(kit / "convert.py"), str(bench)])
    ref_out, ours_out = DATA / f"ref-{n}-{deps}.json", DATA / f"ours-{n}-{deps}.json"
    ref = best_of(repeat, [PY, str(kit / "reference.py"), str(bench)], ref_out)
    ours = best_of(repeat, check_cmd(ours_in, "--policy", str(kit / "rules.pmo"),
                                     "--format", "json"), ours_out, stages=True)
    expected = sorted(tuple(x) for x in json.loads(ref_out.read_text()))
    found = ours_normalised(json.loads(ours_out.read_text()))
    same = (f"identical ({len(expected)})" if expected == found
            else f"DIFFER (reference {len(expected)}, pmo-rules {len(found)})")
    return ref, ours, same


def report(kit: Path, sizes: list[int], shapes: list[str], repeat: int) -> bool:
    """Print the comparison; whether every figure met its target."""
    print(f"pmo-rules check vs {kit / 'reference.py'}: 8 rules, best of {repeat} by wall time")
    print(f"{'graph':<7}{'projects':>9} | {'reference':>19} | {'pmo-rules':>19} | "
          f"{'ratio':>17} | findings")
    print(f"{'':<16} | {'wall':>6} {'cpu':>5} {'MB':>6} | {'wall':>6} {'cpu':>5} {'MB':>6} | "
          f"{'wall':>5} {'cpu':>5} {'MB':>5} |")
    results: dict[tuple[str, int], tuple[Run, Run]] = {}
    met = True
    for deps in shapes:
        for n in sizes:
            ref, ours, same = measure(kit, n, deps, repeat)
            results[deps, n] = (ref, ours)
            met &= same.startswith("identical")
            print(f"{deps:<7}{n:>9,} | {ref.wall:>6.2f} {ref.cpu:>5.2f} {ref.rss_mb:>6.0f} | "
                  f"{ours.wall:>6.2f} {ours.cpu:>5.2f} {ours.rss_mb:>6.0f} | "
                  f"{ours.wall / ref.wall:>5.2f} {ours.cpu / ref.cpu:>5.2f} "
                  f"{ours.rss_mb / ref.rss_mb:>5.2f} | {same}")
    small, large = min(sizes), max(sizes)
    if small != large:
        for deps in shapes:
            (r0, o0), (r1, o1) = results[deps, small], results[deps, large]
            print(f"growth {size(large)}/{size(small)} ({deps}): reference "
                  f"{r1.wall / r0.wall:.1f}x, pmo-rules {o1.wall / o0.wall:.1f}x "
                  f"(cpu {o1.cpu / o0.cpu:.1f}x)")
            met &= o1.wall / o0.wall <= 11
    for deps in shapes:
        ref, ours = results[deps, large]
        met &= ours.wall / ref.wall <= 1.5 and ours.rss_mb / ref.rss_mb <= 2
    print("\npmo-rules check, seconds by stage:")
    print(f"{'graph':<7}{'projects':>9} {stage_header()}")
    for (deps, n), (_, ours) in results.items():
        print(f"{deps:<7}{n:>9,} {stage_row(ours.stages)}")
    print(f"targets at {size(large)}: time <= 1.5x, memory <= 2x the reference, growth <= 11: "
          f"{'met' if met else 'NOT met'}")
    return met


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--deps", nargs="+", choices=["sparse", "dense"], default=["sparse", "dense"])
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = ap.parse_args()
    kit = perf_kit()
    if kit is None:
        sys.exit("the shared perf kit is not found: set PMO_RULES_PERF to its directory")
    report(kit, args.sizes, args.deps, args.repeat)


if __name__ == "__main__":
    main()
