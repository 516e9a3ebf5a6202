"""Load, build the graph and run the ancestor pass for 10k and 100k projects; print the ratio.

    python benchmarks/bench_graph.py [--sizes 10000 100000] [--file PORTFOLIO.json ...]

`--file` also times portfolio files made elsewhere, such as the shared benchmark's
(`gen_portfolio.py 100000 --seed 1` then `convert.py`).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_portfolio import generate

from pmo_rules.graph.portfolio_graph import PortfolioGraph
from pmo_rules.model.load import load_portfolio


def measure(n: int, workdir: Path) -> dict[str, float]:
    """Seconds spent loading, building the graph, and propagating over ancestors."""
    path = workdir / f"portfolio-{n}.json"
    path.write_text(json.dumps(generate(n, seed=1, cycles=5)), encoding="utf-8")
    return measure_file(path, n)


def measure_file(path: Path, n: int | str) -> dict[str, float]:
    """The same three figures for one portfolio file."""
    t0 = time.perf_counter()
    portfolio = load_portfolio(path)
    t1 = time.perf_counter()
    graph = PortfolioGraph(portfolio)
    graph.cycles()
    t2 = time.perf_counter()
    witness = graph.reach_witness(lambda p: p.health.overall == "red", "ancestors")
    hits = sum(1 for p in portfolio.projects if witness(p) is not None)
    t3 = time.perf_counter()
    n = n if isinstance(n, int) else f"{n} ({len(portfolio.projects)})"
    print(f"{n:>7} projects, {len(portfolio.dependencies):>7} deps: load {t1 - t0:6.2f}s  "
          f"graph {t2 - t1:6.2f}s  ancestors-any-red {t3 - t2:6.2f}s ({hits} hits)")
    del portfolio, graph, witness
    gc.unfreeze()  # let the next measurement start from an empty heap
    gc.collect()
    return {"load": t1 - t0, "graph": t2 - t1, "reach": t3 - t2}


def main() -> None:
    """Run the sizes and print each time and the ratio of the largest to the smallest."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--file", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [measure(n, Path(tmp)) for n in args.sizes]
    for path in args.file:
        measure_file(path, path.name)
    small, large = results[0], results[-1]
    for key in ("load", "graph", "reach"):
        ratio = large[key] / small[key] if small[key] else float("nan")
        print(f"{key:>6} ratio {args.sizes[-1]}/{args.sizes[0]}: {ratio:5.1f}")


if __name__ == "__main__":
    main()
