"""Generate a synthetic portfolio in pmo-rules' data model, deterministic by seed.

    python benchmarks/gen_portfolio.py 10000 --seed 1 --cycles 5 -o /tmp/p10k.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from typing import Any

PHASES = ("initiating", "planning", "executing", "closing")
STATUSES = ("proposed", "active", "active", "active", "on_hold", "closed")
RAG = ("green", "green", "green", "amber", "red")
ARTIFACTS = ("business_case", "charter", "project_management_plan", "risk_register")


def generate(
    n: int, *, seed: int = 0, deps_per_project: int = 3, cycles: int = 0
) -> dict[str, Any]:
    """A portfolio of `n` projects with ~`deps_per_project` dependencies each."""
    rnd = random.Random(seed)
    base = dt.date(2026, 1, 1)
    n_people = max(n // 10, 5)
    people = [{"id": f"U-{i}", "name": f"Person {i}",
               "grade": rnd.choice(("executive", "director", "manager", "staff"))}
              for i in range(n_people)]
    objectives = [{"id": f"O-{i}", "title": f"Objective {i}", "owner": "U-0", "weight": 0.1}
                  for i in range(10)]
    n_programs = max(n // 20, 1)
    programs = [{"id": f"G-{i}", "name": f"Program {i}", "sponsor": f"U-{i % n_people}",
                 "objectives": [f"O-{i % 10}"], "budget_approved": 5_000_000}
                for i in range(n_programs)]
    projects = []
    for i in range(n):
        start = base + dt.timedelta(days=rnd.randrange(0, 700))
        finish = start + dt.timedelta(days=rnd.randrange(30, 400))
        phase = rnd.choice(PHASES)
        preds = {rnd.randrange(0, i) for _ in range(deps_per_project)} if i else set()
        project: dict[str, Any] = {
            "id": f"P-{i}", "name": f"Project {i}", "program": f"G-{i % n_programs}",
            "objectives": [{"id": f"O-{i % 10}", "contribution": "high"}],
            "phase": phase, "status": rnd.choice(STATUSES), "tier": rnd.randint(1, 3),
            "sponsor": f"U-{rnd.randrange(n_people)}",
            "project_manager": f"U-{rnd.randrange(n_people)}",
            "budget": {"approved": 1_000_000, "actual_to_date": rnd.randrange(0, 900_000)},
            "evm": {"bac": 1_000_000, "pv": 500_000, "ev": rnd.randrange(300_000, 600_000),
                    "ac": rnd.randrange(300_000, 700_000)},
            "schedule": {"baseline_start": start.isoformat(),
                         "baseline_finish": finish.isoformat(),
                         "forecast_finish": (finish + dt.timedelta(days=rnd.randrange(0, 60)))
                         .isoformat()},
            "health": rnd.choice(RAG),
            "artifacts": {a: rnd.choice(("draft", "approved")) for a in ARTIFACTS[:2]},
            "risks": [{"id": f"R-{i}", "probability": rnd.randint(1, 5),
                       "impact": rnd.randint(1, 5), "owner": f"U-{rnd.randrange(n_people)}"}],
            "milestones": [{"id": f"M-{i}", "baseline": finish.isoformat(), "key": True}],
            "depends_on": [f"P-{j}" for j in sorted(preds)],
        }
        projects.append(project)
    for c in range(min(cycles, n - 1)):  # a back edge closes a cycle through a forward one
        later = rnd.randrange(1, n)
        earlier = rnd.randrange(0, later)
        projects[later]["depends_on"] = sorted({*projects[later]["depends_on"], f"P-{earlier}"})
        projects[earlier]["depends_on"] = sorted({*projects[earlier]["depends_on"], f"P-{later}"})
        del c
    return {
        "as_of": "2026-11-26", "currency": "EUR",
        "pmo": {"id": "EPMO", "kind": "enterprise", "control_level": "controlling",
                "reports_to": "U-0", "policy": {"exec_sponsor_budget_threshold": 1_000_000}},
        "portfolio": {"id": "PF", "name": "Synthetic", "owner": "U-0", "wip_limit": n},
        "people": people, "objectives": objectives, "programs": programs, "projects": projects,
    }


def main(argv: list[str] | None = None) -> None:
    """Command line: write the generated portfolio as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("projects", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deps", type=int, default=3)
    parser.add_argument("--cycles", type=int, default=0)
    parser.add_argument("-o", "--output")
    args = parser.parse_args(argv)
    doc = generate(args.projects, seed=args.seed, deps_per_project=args.deps, cycles=args.cycles)
    text = json.dumps(doc)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
