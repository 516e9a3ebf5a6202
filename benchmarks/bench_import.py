"""Import a schedule of 5,000 activities and 6,000 links (MS Project XML and XER); print seconds.

    python benchmarks/bench_import.py [--activities 5000] [--links 6000] [--repeat 3]

The target: under 2 s for the MSPDI file (parse, map, write nothing). Each figure is
the best of `--repeat` runs; the files are generated with a fixed seed, realistic in
shape (summary task, baselines, costs, one milestone in ten, links of every type and
lag format, two projects so some links cross).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from pmo_rules.importers.run import import_sources


def mspdi(path: Path, activities: int, links: int, seed: int = 1) -> None:
    """An MS Project XML file with `activities` tasks and `links` predecessor links."""
    rng = random.Random(seed)
    preds: dict[int, list[str]] = {}
    for _ in range(links):
        succ = rng.randint(2, activities)
        pred = rng.randint(1, succ - 1)
        fmt = rng.choice(["7", "5", "8", "19"])
        lag = rng.choice(["0", "4800", "-2400", "50" if fmt == "19" else "9600"])
        preds.setdefault(succ, []).append(
            f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{rng.randint(0, 3)}"
            f"</Type><CrossProject>0</CrossProject><LinkLag>{lag}</LinkLag><LagFormat>{fmt}"
            "</LagFormat></PredecessorLink>")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<Project xmlns="http://schemas.microsoft.com/project">',
           "<Name>bench.xml</Name><StatusDate>2026-03-31T17:00:00</StatusDate>"
           "<MinutesPerDay>480</MinutesPerDay><Tasks>",
           "<Task><UID>0</UID><ID>0</ID><Name>Bench</Name><Summary>1</Summary>"
           "<Start>2026-01-05T08:00:00</Start><Finish>2027-12-31T17:00:00</Finish>"
           "<Cost>100000000</Cost><Baseline><Number>0</Number><Start>2026-01-05T08:00:00</Start>"
           "<Finish>2027-10-29T17:00:00</Finish><Cost>90000000</Cost></Baseline></Task>"]
    for uid in range(1, activities + 1):
        milestone = "1" if uid % 10 == 0 else "0"
        day = 1 + uid % 28
        out.append(
            f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Activity {uid}</Name><Type>0</Type>"
            f"<IsNull>0</IsNull><OutlineLevel>2</OutlineLevel><Milestone>{milestone}</Milestone>"
            f"<Start>2026-02-{day:02d}T08:00:00</Start><Finish>2026-03-{day:02d}T17:00:00</Finish>"
            f"<Duration>PT{8 * (uid % 20)}H0M0S</Duration><PercentComplete>{uid % 100}"
            "</PercentComplete><Cost>125000</Cost>"
            f"<Baseline><Number>0</Number><Start>2026-02-{day:02d}T08:00:00</Start>"
            f"<Finish>2026-03-{day:02d}T17:00:00</Finish><Cost>120000</Cost></Baseline>"
            + "".join(preds.get(uid, [])) + "</Task>")
    out.append("</Tasks></Project>")
    path.write_text("\n".join(out), encoding="utf-8")


def xer(path: Path, activities: int, links: int, seed: int = 1) -> None:
    """An XER file: two projects sharing the activities, links within and across them."""
    rng = random.Random(seed)
    rows = ["ERMHDR\t19.12", "%T\tCALENDAR", "%F\tclndr_id\tday_hr_cnt", "%R\t1\t8",
            "%T\tPROJECT", "%F\tproj_id\tproj_short_name\tclndr_id\tlast_recalc_date",
            "%R\t1\tA\t1\t2026-03-31 17:00", "%R\t2\tB\t1\t2026-03-31 17:00",
            "%T\tTASK", "%F\ttask_id\tproj_id\tclndr_id\ttask_type\tstatus_code\ttask_code\t"
            "task_name\tearly_start_date\tearly_end_date\ttarget_drtn_hr_cnt"]
    for task in range(1, activities + 1):
        kind = "TT_FinMile" if task % 10 == 0 else "TT_Task"
        rows.append(f"%R\t{task}\t{1 + task % 2}\t1\t{kind}\tTK_NotStart\tT{task}\tActivity "
                    f"{task}\t2026-02-02 08:00\t2026-03-02 17:00\t80")
    rows += ["%T\tTASKPRED", "%F\ttask_pred_id\ttask_id\tpred_task_id\tproj_id\tpred_proj_id\t"
             "pred_type\tlag_hr_cnt"]
    for link in range(links):
        succ = rng.randint(2, activities)
        pred = rng.randint(1, succ - 1)
        rows.append(f"%R\t{link}\t{succ}\t{pred}\t{1 + succ % 2}\t{1 + pred % 2}\t"
                    f"{rng.choice(['PR_FS', 'PR_SS', 'PR_FF', 'PR_SF'])}\t{rng.choice([0, 8, -4])}")
    path.write_text("\r\n".join([*rows, "%E"]), encoding="utf-8")


def best(path: Path, repeat: int) -> tuple[float, dict[str, int]]:
    """The fastest of `repeat` imports, and what the last one made."""
    times = []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        started = time.perf_counter()
        imported = import_sources([path])
        times.append(time.perf_counter() - started)
        counts = dict(imported.report.entities)
    return min(times), counts


def main() -> None:
    """Generate the files, import each, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--links", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("bench.xml", mspdi), ("bench.xer", xer)):
            path = Path(tmp) / name
            make(path, args.activities, args.links)
            seconds, counts = best(path, args.repeat)
            size = path.stat().st_size / 1048576
            print(f"{name}: {args.activities} activities, {args.links} links, {size:.1f} MB: "
                  f"imported in {seconds:.2f} s (best of {args.repeat}); "
                  + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
            if name == "bench.xml" and seconds >= 2.0:
                print("  over the 2 s target", file=sys.stderr)


if __name__ == "__main__":
    main()
