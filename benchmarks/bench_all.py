#!/usr/bin/env python3
"""Every performance figure of pmo-rules in one run (takes a few minutes; use a quiet machine).

    python benchmarks/bench_all.py [--repeat 3]

1. `pmo-rules check` against the shared perf kit's reference script: 10k and 100k
   projects, sparse and dense graphs, time, memory, ratios, growth, stage split;
2. the standard library on the 100k generated portfolio (and 10k for the growth);
3. each report format against the JSON report.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time

import bench_check
import bench_formats
import bench_reference
from harness import perf_kit


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="best of N for the kit (default 3)")
    args = ap.parse_args()
    kit = perf_kit()
    if kit is None:
        sys.exit("the shared perf kit is not found: set PMO_RULES_PERF to its directory")
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  Python {platform.python_version()}  "
          f"{platform.machine()}  load average {' '.join(f'{x:.1f}' for x in _load())}\n")
    met = bench_reference.report(kit, [10_000, 100_000], ["sparse", "dense"], args.repeat)
    print()
    met &= bench_check.report([10_000, 100_000], 1)
    print()
    met &= bench_formats.report(10_000, args.repeat)
    print(f"\nall targets: {'met' if met else 'NOT met'}")


def _load() -> tuple[float, float, float]:
    try:
        import os

        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


if __name__ == "__main__":
    main()
