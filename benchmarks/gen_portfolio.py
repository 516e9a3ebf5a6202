"""Generate a synthetic portfolio in pmo-rules' data model, deterministic by seed.

    python benchmarks/gen_portfolio.py 10000 --seed 1 --cycles 5 -o /tmp/p10k.json

The portfolio is what a well-run PMO would export: gates decided in order and
evidenced by approved artifacts, owned and agreed dependencies, fresh status
reports, EVM near 1.0, people allocated within capacity. On top of that each
control is broken on a few percent of its subjects (the `VIOLATION` rates), so
`pmo-rules check` with the bundled policies reports a realistic number of
findings. Projects come in programs of `BLOCK` consecutive ids; dependencies
stay inside a program except links to other programs' platform project (the
first of each program), so upstream chains stay short, as they do in practice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
from typing import Any

AS_OF = dt.date(2026, 11, 26)
BLOCK = 20  # projects per program
TEMPLATE = "3.0"
TEMPLATE_EFFECTIVE = (dt.date(2026, 1, 1) - AS_OF).days
EXEC_THRESHOLD = 1_000_000
FIRST = ("Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jon",
         "Kira", "Luis", "Maya", "Nils", "Olga", "Pavel", "Rosa", "Sam", "Tara", "Umar")
LAST = ("Adams", "Berg", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Horvat", "Ito",
        "Jansen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quinn",
        "Rossi", "Silva", "Tanaka")
UNITS = ("Retail", "Corporate", "Payments", "Risk", "Finance", "Operations", "Technology", "HR")
RESPONSES = ("mitigate", "mitigate", "mitigate", "accept", "transfer", "avoid", "escalate")
SEVERITIES = ("low", "medium", "medium", "high", "high", "critical")
N_OBJECTIVES = 12  # O-0..O-9 active and funded, O-10 retired, O-11 active but new

# Chance that a subject breaks the named rule (the rest are compliant).
VIOLATION = {
    "LC-01": 0.01, "LC-02": 0.02, "LC-03": 0.02, "LC-04": 0.03, "LC-05": 0.03,
    "LC-06": 0.04, "ART-01": 0.015, "ART-02": 0.015, "ART-03": 0.015, "ART-04": 0.015,
    "ART-05": 0.05, "ART-06": 0.03, "CLO-01": 0.03, "CLO-02": 0.05, "CLO-03": 0.04,
    "CLO-04": 0.04, "FIN-01": 0.04, "FIN-02": 0.04, "FIN-03": 0.03, "FIN-04": 0.01,
    "FIN-05": 0.02, "FIN-07": 0.04, "FIN-08": 0.1, "SCH-01": 0.05, "SCH-02": 0.04,
    "SCH-03": 0.03, "SCH-04": 0.015, "SCH-05": 0.04, "DEP-01": 0.025, "DEP-02": 0.3,
    "DEP-03": 0.08, "DEP-07": 0.5, "DEP-08": 0.03, "DEP-10": 0.05, "RAID-01": 0.03,
    "RAID-02": 0.04, "RAID-03": 0.01, "RAID-04": 0.02, "RAID-05": 0.05, "RAID-06": 0.04,
    "RAID-07": 0.03, "PFB-03": 0.06, "STR-01": 0.4, "STR-04": 0.04, "RES-01": 0.015,
    "RES-02": 0.01, "RES-03": 0.015, "REP-01": 0.03, "REP-02": 0.04,
}
# Where a rate is high it applies to a rare case: STR-01 to projects of the few programs
# without an objective, DEP-02/03 to a cancelled or held project met as a candidate
# predecessor, DEP-07 to an unplanned one.

_ISO: dict[int, str] = {}


def iso(day: int) -> str:
    """The ISO date `day` days after the as-of date (negative: before it)."""
    text = _ISO.get(day)
    if text is None:
        text = _ISO[day] = (AS_OF + dt.timedelta(days=day)).isoformat()
    return text


class _People:
    """Who exists, by role, and how much of each person is booked on live work today."""

    def __init__(self, rnd: random.Random, n: int) -> None:
        self.rnd = rnd
        sizes = {"executive": max(5, n // 200), "director": max(10, n // 40),
                 "manager": max(20, n // 2), "staff": max(30, n)}
        self.records: list[dict[str, Any]] = []
        self.pool: dict[str, list[str]] = {}
        self.leavers: list[str] = []
        self.grade: dict[str, str] = {}
        self.load: dict[str, float] = {}
        for grade, size in sizes.items():
            ids: list[str] = []
            for _ in range(size):
                i = len(self.records)
                pid = f"U-{i}"
                active = grade == "executive" or rnd.random() >= 0.02
                rec: dict[str, Any] = {
                    "id": pid, "name": f"{FIRST[i % 20]} {LAST[(i // 20) % 20]}",
                    "grade": grade, "org_unit": UNITS[i % len(UNITS)], "active": active}
                if grade == "manager" and rnd.random() < 0.6:
                    rec["certifications"] = ["PMP"] if i % 3 else ["PRINCE2", "PMP"]
                self.records.append(rec)
                self.grade[pid] = grade
                (ids if active else self.leavers).append(pid)
            self.pool[grade] = ids

    def pick(self, grade: str) -> str:
        """A random active person of `grade`."""
        return self.rnd.choice(self.pool[grade])

    def book(self, grade: str, fte: float) -> str:
        """An active person of `grade` with room for `fte` more today, now booked for it."""
        pid = self.pick(grade)
        for _ in range(6):
            if self.load.get(pid, 0.0) + fte <= 1.0:
                break
            pid = self.pick(grade)
        self.load[pid] = self.load.get(pid, 0.0) + fte
        return pid

    def busy(self, grade: str) -> str:
        """Someone of `grade` already booked most of the day (for over-allocation)."""
        for _ in range(30):
            pid = self.pick(grade)
            if self.load.get(pid, 0.0) >= 0.6:
                return pid
        return self.pick(grade)


class _Gen:
    """One generation run: state shared by the per-project steps."""

    def __init__(self, n: int, seed: int, deps: int) -> None:
        self.n = n
        self.rnd = random.Random(seed)
        self.deps = deps
        self.people = _People(self.rnd, n)
        self.projects: list[dict[str, Any]] = []
        # Per project: effective start and finish (days from as-of), and whether started.
        self.start: list[int | None] = []
        self.finish: list[int | None] = []
        self.started: list[bool] = []
        self.preds: list[set[int]] = []
        self.extra_deps: list[dict[str, Any]] = []
        self.has_dependants: set[int] = set()
        self.n_programs = max(1, math.ceil(n / BLOCK))
        self.pm_fte = 0.3
        self.committed = 0.0
        self.unaligned_programs = {g for g in range(self.n_programs)
                                   if g % 20 == 7}  # operational programs, no objective

    def hit(self, rule: str) -> bool:
        """Whether this subject breaks `rule`."""
        return self.rnd.random() < VIOLATION[rule]

    def u(self, lo: int, hi: int) -> int:
        """A uniform whole number in [lo, hi]."""
        return lo + int(self.rnd.random() * (hi - lo + 1))

    # -- one project -------------------------------------------------------------------

    def project(self, i: int) -> dict[str, Any]:
        """Project `i`, compliant except where a rule's dice say otherwise."""
        rnd, people = self.rnd, self.people
        pos = i % BLOCK
        r = rnd.random()
        if pos == 0:  # a program's platform project is never parked
            status = "closed" if r < 0.1 else "active"
        else:
            status = ("closed" if r < 0.12 else "cancelled" if r < 0.15 else
                      "on_hold" if r < 0.19 else "proposed" if r < 0.28 else "active")
        tier = 1 if rnd.random() < 0.1 else 2 if rnd.random() < 0.4 else 3
        approved = float(round(
            (self.u(20, 120) if tier == 1 else self.u(5, 30) if tier == 2 else self.u(1, 9))
            * 100_000 * (0.8 + 0.4 * rnd.random()), -3))
        live = status in ("proposed", "active", "on_hold")
        if status in ("closed", "cancelled"):
            sponsor = people.pick("executive") if approved > EXEC_THRESHOLD or r < 0.5 else \
                people.pick("director")
            pm = rnd.choice(people.pool["manager"])
            if rnd.random() < 0.2 and people.leavers:
                pm = rnd.choice(people.leavers)  # people leave after their project closes
        else:
            sponsor = people.pick("executive" if approved > EXEC_THRESHOLD or r < 0.3
                                  else "director")
            if approved > EXEC_THRESHOLD and self.hit("FIN-01"):
                sponsor = people.pick("director")
            self.pm_fte = (2 + self.u(0, 3)) / 10
            pm = people.book("manager", self.pm_fte) if status == "active" else \
                people.pick("manager")
            if status == "active" and self.hit("RES-01"):
                pm = rnd.choice(people.leavers) if people.leavers else pm
            if self.hit("RES-02"):
                pm = sponsor
        author = pm
        p: dict[str, Any] = {"id": f"P-{i}", "name": f"Project {i}",
                             "program": f"G-{i // BLOCK}"}
        gates: dict[str, tuple[str, int]] = {}  # gate -> (decision, day)
        t = self._timeline(status, gates)
        phase, entered, a_start, a_finish, f_finish, b_start, b_finish = t
        if status == "active" and phase == "executing" and self.hit("LC-02"):
            gates.pop("G2", None)
            if rnd.random() < 0.5:
                gates["G2"] = ("hold", entered - self.u(5, 30))
        # gate records
        gate_recs = self._gates(gates, tier, live)
        # artifacts
        arts = self._artifacts(status, phase, gates, sponsor, author, pm)
        # schedule
        sched: dict[str, Any] = {}
        if b_start is not None and not (live and phase == "executing" and self.hit("ART-04")):
            sched["baseline_start"] = iso(b_start)
        if b_finish is not None:
            sched["baseline_finish"] = iso(b_finish)
        if a_start is not None:
            sched["actual_start"] = iso(a_start)
        if f_finish is not None:
            if status == "active" and self.hit("SCH-04"):
                f_finish = -self.u(3, 40)  # a forecast nobody re-planned
            sched["forecast_finish"] = iso(f_finish)
        if a_finish is not None:
            sched["actual_finish"] = iso(a_finish)
        start = a_start if a_start is not None else b_start
        finish = a_finish if a_finish is not None else f_finish if f_finish is not None \
            else b_finish
        self.start.append(start)
        self.finish.append(finish)
        self.started.append(a_start is not None)
        p.update({"lifecycle": "pmbok", "phase": phase, "phase_entered_on": iso(entered),
                  "status": status, "tier": tier,
                  "delivery_approach": ("predictive", "hybrid", "agile")[i % 3],
                  "sponsor": sponsor, "project_manager": pm})
        if live and self.hit("LC-01"):
            del p["phase"], p["phase_entered_on"]
        # money
        g1_passed = gates.get("G1", ("pending", 0))[0] in ("go", "go_with_conditions")
        budget, evm, _ = self._money(status, phase, approved, start, finish, g1_passed)
        p["budget"] = budget
        if evm:
            p["evm"] = evm
        p["schedule"] = sched
        p["gates"] = gate_recs
        p["artifacts"] = arts
        p["_spi"] = evm["ev"] / evm["pv"] if evm and evm.get("pv") else None
        self._raid(p, i, status, tier, start, finish, sponsor, pm)
        self._benefits(p, status, tier, arts, pm)
        if status == "on_hold":
            held = self.u(95, 300) if self.hit("PFB-03") else self.u(5, 85)
            p["on_hold_since"] = iso(-held)
        if status == "cancelled":
            killed = min(day for dec, day in gates.values() if dec == "kill")
            p["cancelled_on"] = iso(min(killed + self.u(0, 10), 0))
            if not self.hit("LC-06"):
                p["cancellation_reason"] = rnd.choice((
                    "Business case no longer viable", "Superseded by another project",
                    "Vendor failed due diligence", "Strategy change"))
        if status == "closed":
            assert a_finish is not None
            p["closed_on"] = iso(gates["G4"][1])
        p["tags"] = [UNITS[(i // BLOCK) % len(UNITS)].lower()]
        return p

    def _timeline(self, status: str, gates: dict[str, tuple[str, int]]) -> tuple[
            str, int, int | None, int | None, int | None, int | None, int | None]:
        """Phase, phase entry, actual start/finish, forecast finish, baseline start/finish,
        and the gate decisions that admitted the phase (into `gates`)."""
        u, rnd = self.u, self.rnd
        go = self._go
        a_finish = None
        if status == "proposed":
            phase = "initiating"
            entered = -u(5, 90)
            if rnd.random() < 0.15:  # not planned yet
                return phase, entered, None, None, None, None, None
            b_start = u(20, 200)
            b_finish = b_start + u(120, 600)
            return phase, entered, None, None, None, b_start, b_finish
        if status == "closed":
            closed = -u(5, 700)
            a_finish = closed - u(0, 20)
            gates["G4"] = (go(), closed)
            gates["G3"] = (go(), a_finish - u(20, 120))
            gates["G2"] = (go(), gates["G3"][1] - u(60, 400))
            gates["G1"] = (go(), gates["G2"][1] - u(30, 120))
            a_start = gates["G1"][1] - u(20, 60)
            b_finish = a_finish - u(-10, 40)
            return ("closing", gates["G3"][1], a_start, a_finish, None,
                    a_start + u(-10, 10), b_finish)
        if status == "cancelled":
            at = rnd.choice(("G1", "G2", "G2", "G3"))
            killed = -u(10, 400)
            order = ("G1", "G2", "G3")
            phase = ("initiating", "planning", "executing")[order.index(at)]
            gates[at] = ("kill", killed)
            day = killed
            for g in reversed(order[:order.index(at)]):
                day -= u(30, 150)
                gates[g] = (go(), day)
            entered = gates[order[order.index(at) - 1]][1] if at != "G1" else day - u(20, 60)
            a_start = entered if at == "G1" else day - u(20, 60)
            f_finish = killed + u(60, 500)
            return phase, entered, a_start, None, f_finish, a_start + u(-10, 10), f_finish
        r = rnd.random()
        if status == "on_hold":
            phase = "planning" if r < 0.4 else "executing"
        else:
            phase = ("initiating" if r < 0.05 else "planning" if r < 0.25 else
                     "executing" if r < 0.9 else "closing")
        entered = -u(10, 170) if status == "active" else -u(90, 260)
        if phase == "initiating":
            a_start = entered
            f_finish = u(200, 700)
            return phase, entered, a_start, None, f_finish, a_start + u(-5, 10), \
                f_finish - u(-15, 15)
        day = entered
        chain = {"planning": ("G1",), "executing": ("G2", "G1"),
                 "closing": ("G3", "G2", "G1")}[phase]
        for k, g in enumerate(chain):
            if k:
                day -= u(60, 300) if g == "G2" else u(30, 120)
            gates[g] = (go(), day)
        a_start = day - u(20, 60)
        f_finish = (u(150, 700) if phase == "planning" else u(20, 600) if phase == "executing"
                    else u(5, 60))
        slip = u(40, 120) if status == "active" and self.hit("SCH-02") else u(-20, 25)
        return phase, entered, a_start, None, f_finish, a_start + u(-10, 10), f_finish - slip

    def _go(self) -> str:
        """A passing gate decision."""
        return "go_with_conditions" if self.rnd.random() < 0.15 else "go"

    def _gates(self, gates: dict[str, tuple[str, int]], tier: int, live: bool) -> Any:
        """Gate records, mostly as a list of long records; some as a map keyed by gate."""
        rnd, people = self.rnd, self.people
        recs: dict[str, dict[str, Any]] = {}
        for g in sorted(gates):
            decision, day = gates[g]
            decider = people.pick("executive" if tier == 1 or rnd.random() < 0.3
                                  else "director")
            if live and tier == 1 and self.hit("LC-04"):
                decider = people.pick("director")
            rec: dict[str, Any] = {"gate": g, "decision": decision, "decided_on": iso(day),
                                   "decided_by": decider}
            if decision == "go_with_conditions":
                conds = []
                for c in range(1 + (rnd.random() < 0.3)):
                    due = day + self.u(20, 120)
                    cond: dict[str, Any] = {"text": f"Condition {c + 1} of {g}", "due": iso(due)}
                    if due < 0 and not (live and self.hit("LC-05")):
                        cond["closed_on"] = iso(due - self.u(0, 15))
                    elif due >= 0 and rnd.random() < 0.4:
                        cond["closed_on"] = iso(min(day + self.u(5, 30), 0))
                    conds.append(cond)
                rec["conditions"] = conds
            recs[g] = rec
        r = rnd.random()
        if not live and r < 0.3:
            return {g: rec["decision"] for g, rec in recs.items()}  # `G1: go` shorthand
        if r < 0.1:
            return {g: {k: v for k, v in rec.items() if k != "gate"} for g, rec in recs.items()}
        return list(recs.values())

    def _artifacts(self, status: str, phase: str, gates: dict[str, tuple[str, int]],
                   sponsor: str, author: str, pm: str) -> Any:
        """The lifecycle's artifacts, approved before the gates that needed them."""
        rnd, u = self.rnd, self.u
        live = status in ("proposed", "active", "on_hold")
        arts: list[dict[str, Any]] = []

        def add(kind: str, status_: str, day: int | None, by: str | None = sponsor,
                **extra: Any) -> dict[str, Any]:
            rec: dict[str, Any] = {"type": kind, "status": status_,
                                   "version": f"1.{u(0, 4)}", "author": author}
            if status_ == "approved" and day is not None:
                rec["approved_by"] = by
                rec["approved_on"] = iso(day)
            elif day is not None:
                rec["updated_on"] = iso(day)
            rec.update(extra)
            arts.append(rec)
            return rec

        def approval(gate: str, rule: str) -> int:
            """The day an artifact needed at `gate` was approved (after it if LC-03 hits)."""
            day = gates[gate][1]
            if late == rule:
                return min(day + u(3, 40), 0)
            return day - u(1, 30)

        # One artifact of a project that breaks LC-03 was approved after its gate.
        late = rnd.choice(("bc", "charter", "pmp")) if live and self.hit("LC-03") else ""
        g1 = gates.get("G1", ("pending", 0))
        committed = g1[0] in ("go", "go_with_conditions")
        if committed:
            day = approval("G1", "bc")
            bc_status = "submitted" if live and self.hit("ART-01") else "approved"
            approver = pm if live and self.hit("ART-06") else \
                rnd.choice((sponsor, sponsor, self.people.pick("director")))
            tmpl = TEMPLATE if day >= TEMPLATE_EFFECTIVE else "2.4"
            if live and day >= TEMPLATE_EFFECTIVE and self.hit("ART-05"):
                tmpl = "2.4"
            add("business_case", bc_status, day, approver, template_version=tmpl)
            ch_status = "draft" if live and self.hit("ART-02") else "approved"
            add("charter", ch_status, approval("G1", "charter"))
        else:
            add("business_case", rnd.choice(("draft", "submitted")), -u(1, 60),
                template_version=TEMPLATE)
            if status != "proposed":
                add("charter", "draft", -u(1, 30))
        g2 = gates.get("G2")
        if g2 and g2[0] in ("go", "go_with_conditions"):
            pmp = "submitted" if live and self.hit("ART-03") else "approved"
            add("project_management_plan", pmp, approval("G2", "pmp"))
        elif phase in ("planning", "executing") and status != "cancelled":
            add("project_management_plan", "draft", -u(1, 40))
        g3 = gates.get("G3")
        if g3 and g3[0] in ("go", "go_with_conditions"):
            # Accepted a week before the release gate, built without a random draw so that
            # the rest of the portfolio stays what the seed made before G3 needed it.
            arts.append({"type": "acceptance", "status": "approved", "version": "1.0",
                         "author": author, "approved_by": sponsor,
                         "approved_on": iso(g3[1] - 7)})
        if status in ("active", "on_hold") and phase != "initiating":
            add("risk_register", "current", -u(1, 30))
        if status == "closed":
            closed = gates["G4"][1]
            if not self.hit("CLO-01"):
                add("closure_report", "approved", closed - u(0, 10))
            # Lessons are due 30 days after closure; younger closures may not have them yet.
            filed = not self.hit("CLO-02") if closed <= -30 else rnd.random() < 0.5
            if filed:
                add("lessons_learned", "approved", min(closed + u(5, 25), 0))
            if rnd.random() < 0.3:
                return {a["type"]: a["status"] for a in arts}  # `charter: approved` shorthand
        if live and rnd.random() < 0.08:
            return {a.pop("type"): a for a in arts}
        return arts

    def _money(self, status: str, phase: str, approved: float, start: int | None,
               finish: int | None, g1_passed: bool) -> tuple[
            dict[str, Any], dict[str, Any] | None, float]:
        """Budget and earned value: spend within budget, CPI and SPI near 1.0."""
        rnd = self.rnd
        if status == "proposed":
            return {"forecast_at_completion": approved}, None, 0.0
        progress = 0.0
        if start is not None and finish is not None and finish > start:
            progress = min(max(-start / (finish - start), 0.0), 1.0)
        if status == "closed":
            spent = round(approved * (0.85 + 0.14 * rnd.random()))
            return {"approved": approved, "actual_to_date": spent,
                    "forecast_at_completion": spent}, None, 1.0
        if not g1_passed and status != "cancelled":
            budget: dict[str, Any] = {"approved": approved, "actual_to_date": 0}
            if self.hit("FIN-05"):
                budget["actual_to_date"] = round(approved * 0.02 * (1 + rnd.random()))
            return budget, None, progress
        planned = min(progress, 0.85)
        spi = 0.92 + 0.16 * rnd.random()
        cpi = 0.92 + 0.14 * rnd.random()
        if status == "active" and self.hit("SCH-01"):
            spi = 0.7 + 0.19 * rnd.random()
        if status == "active" and self.hit("FIN-02"):
            cpi = 0.72 + 0.17 * rnd.random()
            planned = min(planned, 0.6)
        pv = round(approved * max(planned, 0.02))
        ev = round(min(pv * spi, approved * 0.88))
        ac = round(ev / cpi)
        if self.hit("FIN-04"):
            ac = round(approved * (1.02 + 0.1 * rnd.random()))
        forecast = round(approved * (0.95 + 0.12 * rnd.random()))
        if status == "active" and self.hit("FIN-03"):
            forecast = round(approved * (1.15 + 0.3 * rnd.random()))
        budget = {"approved": approved, "actual_to_date": ac, "forecast_at_completion": forecast}
        evm = {"as_of": iso(-self.u(0, 10)), "bac": approved, "pv": pv, "ev": ev, "ac": ac}
        return budget, evm, progress

    def _raid(self, p: dict[str, Any], i: int, status: str, tier: int, start: int | None,
              finish: int | None, sponsor: str, pm: str) -> None:
        """Risks, issues, assumptions, change requests, milestones and allocations."""
        rnd, u, people = self.rnd, self.u, self.people
        live = status in ("proposed", "active", "on_hold")
        done = status in ("closed", "cancelled")
        risks = []
        n_risks = (0 if status == "active" and tier <= 2 and self.hit("RAID-07") else
                   u(1, 4) if status == "active" else u(0, 2))
        for k in range(n_risks):
            prob, imp = u(1, 5), u(1, 4) if rnd.random() < 0.7 else 5
            is_open = not done or (k == 0 and self.hit("CLO-03"))
            risk: dict[str, Any] = {"id": f"R-{i}-{k}", "title": f"Risk {k + 1} of project {i}",
                                    "probability": prob, "impact": imp,
                                    "owner": pm if k == 0 else people.pick("staff"),
                                    "response": rnd.choice(RESPONSES),
                                    "status": "open" if is_open else "closed",
                                    "raised_on": iso(-u(5, 300))}
            high = prob * imp >= 15
            if high and is_open and self.hit("RAID-01"):
                risk["owner"] = rnd.choice(people.leavers) if people.leavers else None
            if high and is_open and self.hit("RAID-02"):
                if rnd.random() < 0.5:
                    del risk["response"]
                else:
                    risk["response"] = "mitigate"
            else:
                if risk["response"] in ("mitigate", "transfer"):
                    risk["mitigation"] = f"Action plan {k + 1} agreed with {risk['owner']}"
            if is_open:
                risk["due"] = iso(-u(1, 60) if self.hit("RAID-03") else u(5, 120))
            risks.append(risk)
        p["risks"] = risks
        issues = []
        for k in range(u(0, 2) if status == "active" else 0):
            sev = rnd.choice(SEVERITIES)
            st = rnd.choice(("open", "in_progress", "resolved"))
            raised = -u(1, 120)
            issue: dict[str, Any] = {"id": f"I-{i}-{k}", "title": f"Issue {k + 1} of project {i}",
                                     "severity": sev, "owner": pm, "raised_on": iso(raised),
                                     "status": st}
            if st == "resolved":
                issue["resolved_on"] = iso(min(raised + u(1, 40), 0))
                issue["due"] = iso(raised + u(10, 60))
            else:
                issue["due"] = iso(-u(1, 30) if self.hit("RAID-04") else u(3, 60))
                if sev == "critical" and raised < -7 and not self.hit("RAID-05"):
                    issue["escalated_to"] = sponsor
            issues.append(issue)
        if issues:
            p["issues"] = issues
        assumptions = []
        for k in range(u(0, 2) if live else 0):
            a: dict[str, Any] = {"id": f"A-{i}-{k}", "text": f"Assumption {k + 1} of project {i}",
                                 "owner": pm, "raised_on": iso(-u(30, 300))}
            if rnd.random() < 0.5:
                a.update(status="validated", validated_on=iso(-u(1, 25)),
                         validate_by=iso(-u(0, 20)))
            else:
                a.update(status="unvalidated",
                         validate_by=iso(-u(1, 40) if self.hit("RAID-06") else u(5, 90)))
            assumptions.append(a)
        if assumptions:
            p["assumptions"] = assumptions
        crs = []
        for k in range(u(0, 2) if status in ("active", "on_hold") else 0):
            d = rnd.choice(("approved", "approved", "rejected", "pending"))
            raised = -u(1, 12) if d == "pending" else -u(20, 300)
            cr: dict[str, Any] = {"id": f"CR-{i}-{k}", "title": f"Change {k + 1} of project {i}",
                                  "owner": pm, "approver": sponsor, "raised_on": iso(raised),
                                  "decision": d, "cost_delta": round(u(-20, 80) * 1000),
                                  "schedule_delta_days": u(-10, 30)}
            if d != "pending":
                cr["decided_on"] = iso(raised + u(2, 14))
            elif self.hit("FIN-08"):
                if rnd.random() < 0.5:
                    del cr["approver"]
                else:
                    cr["raised_on"] = iso(-u(20, 90))
            crs.append(cr)
        if crs:
            p["change_requests"] = crs
        p["milestones"] = self._milestones(i, status, start, finish)
        allocs = []
        if status in ("active", "on_hold") and start is not None and finish is not None:
            frm, to = iso(start), iso(max(finish, 1))
            allocs.append({"person": pm, "role": "project_manager", "fte": self.pm_fte,
                           "from": frm, "to": to})
            for k in range(u(1, 3)):
                fte = (2 + u(0, 4)) / 10
                if status == "active" and self.hit("RES-03"):
                    who, fte = people.busy("staff"), 0.5
                    people.load[who] = people.load.get(who, 0.0) + fte
                elif status == "active":
                    who = people.book("staff", fte)
                else:
                    who = people.pick("staff")
                allocs.append({"person": who, "role": ("lead", "analyst", "engineer")[k],
                               "fte": fte, "from": frm, "to": to})
        elif status == "closed" and start is not None and finish is not None:
            allocs.append({"person": pm, "role": "project_manager", "fte": 0.5,
                           "from": iso(start), "to": iso(finish)})
        if allocs:
            p["allocations"] = allocs

    def _milestones(self, i: int, status: str, start: int | None,
                    finish: int | None) -> list[dict[str, Any]]:
        """Two to three milestones between start and finish; the first is `M-i`."""
        u = self.u
        if start is None or finish is None:
            return []
        out = []
        n_ms = u(2, 3)
        for k in range(n_ms):
            base = start + (finish - start) * (k + 1) // n_ms
            ident = f"M-{i}" if k == 0 else f"M-{i}-{k}"
            m: dict[str, Any] = {"id": ident, "name": f"Milestone {k + 1} of project {i}",
                                 "baseline": iso(base), "key": k != 1}
            if base < -5 or status == "closed":
                m["actual"] = iso(min(base + u(-5, 10), 0))
            elif status == "active" and m["key"] and self.hit("SCH-03"):
                m["forecast"] = iso(base + u(35, 90) if base > -5 else -u(1, 20))
            else:
                m["forecast"] = iso(max(base + u(-5, 20), 1))
            if k == n_ms - 1 and status != "closed":
                m["gate"] = "G3"
            out.append(m)
        return out

    def _benefits(self, p: dict[str, Any], status: str, tier: int, arts: Any, pm: str) -> None:
        """Benefits with measure, target, owner in the business and a start date."""
        if tier != 1 and status != "closed":
            return
        rnd, u = self.rnd, self.u
        benefits = []
        for k in range(u(1, 2)):
            b: dict[str, Any] = {"id": f"B-{p['id']}-{k}", "description": f"Benefit {k + 1}",
                                 "measure": rnd.choice(("cost saving", "revenue", "NPS",
                                                        "processing time")),
                                 "target": u(5, 40), "owner": self.people.pick("director"),
                                 "realisation_start": iso(u(-200, 400))}
            benefits.append(b)
        if status == "closed" and self.hit("CLO-04"):
            benefits[0]["owner"] = pm
        elif tier == 1 and status != "closed" and self.hit("STR-04"):
            for b in benefits:
                del b["owner"]
        p["benefits"] = benefits

    # -- dependencies ------------------------------------------------------------------

    def link_type(self, j: int, i: int, broken: bool) -> tuple[str, int] | None:
        """A link type and lag that fit (or, if `broken`, break) j -> i's dates."""
        ps, pf, ss, sf = self.start[j], self.finish[j], self.start[i], self.finish[i]
        if ps is None or pf is None or ss is None or sf is None:
            return None
        slack = {"FS": ss - pf, "SS": ss - ps, "FF": sf - pf, "SF": sf - ps}
        order = ("FS", "FS", "SS", "FF", "SF")
        if broken:
            bad = [t for t in slack if slack[t] < 0]
            if "FS" in bad and self.started[i] and self.rnd.random() < 0.85:
                bad.remove("FS")  # keep DEP-09 (started too early) the rarer failure
            if bad:
                return self.rnd.choice(bad), 0
            t = self.rnd.choice(("SS", "FF") if self.started[i] else order)
            return t, slack[t] + self.u(5, 30)
        for t in (*order[self.u(0, 1) * 2:], "FS"):
            if slack[t] >= 0:
                lag = 0 if self.rnd.random() < 0.8 else min(slack[t], self.u(1, 10))
                return t, lag
        return None

    def dependencies(self, i: int) -> None:
        """Choose project i's predecessors among earlier projects of its program."""
        rnd, p = self.rnd, self.projects[i]
        status = p["status"]
        live = status in ("proposed", "active", "on_hold")
        pos = i % BLOCK
        want = min(pos, self.u(self.deps - 1, self.deps + 2))
        chosen: list[tuple[int, str, int]] = []
        if pos:
            for j in rnd.sample(range(i - pos, i), min(pos, want + 3)):
                if len(chosen) >= want:
                    break
                pst = self.projects[j]["status"]
                if live and pst in ("cancelled", "on_hold"):
                    rule = "DEP-02" if pst == "cancelled" else "DEP-03"
                    if not (status != "on_hold" and self.hit(rule)):
                        continue
                if pst == "cancelled" and not live:
                    continue  # cancelled work is nobody's predecessor
                fit = self.link_type(j, i, False)
                if fit is not None and self.hit("DEP-01"):
                    fit = self.link_type(j, i, True)
                if fit is None and self.start[j] is None and self.hit("DEP-07"):
                    fit = ("SS", 0)  # linked before the predecessor was planned
                if fit is not None:
                    chosen.append((j, *fit))
        entries: list[Any] = []
        for j, typ, lag in chosen:
            entries.append(self._dep_entry(j, i, typ, lag))
        p["depends_on"] = entries
        self.preds.append({j for j, _, _ in chosen})
        if i >= BLOCK and rnd.random() < 0.25:  # another program's platform project
            j = (rnd.randrange(i // BLOCK)) * BLOCK
            fit = self.link_type(j, i, False)
            if fit is not None and (self.projects[j]["status"] not in ("cancelled", "on_hold")):
                rec = self._dep_entry(j, i, *fit)
                if isinstance(rec, str):
                    rec = {"id": rec}
                rec["predecessor"] = rec.pop("id")
                rec = {"id": f"D-{len(self.extra_deps)}", **rec, "successor": f"P-{i}"}
                self.extra_deps.append(rec)
                self.preds[i].add(j)

    def _dep_entry(self, j: int, i: int, typ: str, lag: int) -> Any:
        """A `depends_on` entry for j -> i, as an export writes it (a few bare ids)."""
        rnd = self.rnd
        self.has_dependants.add(j)
        rec: dict[str, Any] = {"id": f"P-{j}", "type": typ, "lag_days": lag,
                               "kind": "soft" if rnd.random() < 0.1 else "hard"}
        if self.hit("DEP-08"):  # raised on the fly: no owner, not yet agreed
            if typ == "FS" and not lag and rec["kind"] == "hard":
                return f"P-{j}"
            rec["status"] = "proposed"
            return rec
        r = rnd.random() if self.projects[i]["status"] in ("proposed", "active", "on_hold") \
            else 1.0
        rec["status"] = ("at_risk" if r < 0.05 else "retired" if r < 0.07 else
                         "broken" if r < 0.075 else "agreed")
        rec["owner"] = self.projects[i]["project_manager"]
        return rec

    # -- after every project exists ----------------------------------------------------

    def finish_projects(self) -> None:
        """Health, recovery plans and risk links that depend on the dependency graph."""
        rnd, u = self.rnd, self.u
        dep_ids: list[tuple[int, str, str]] = []  # (successor, dependency id, status)
        for i, p in enumerate(self.projects):
            for e in p["depends_on"]:
                if isinstance(e, dict) and e["kind"] == "hard" and \
                        e["status"] in ("at_risk", "broken"):
                    dep_ids.append((i, f"{e['id']}->P-{i}", e["status"]))
        for d in self.extra_deps:
            if d.get("kind", "hard") == "hard" and d.get("status") in ("at_risk", "broken"):
                dep_ids.append((int(d["successor"][2:]), d["id"], d["status"]))
        for i, dep_id, _ in dep_ids:
            if self.hit("DEP-10"):
                continue
            p = self.projects[i]
            if p["status"] in ("closed", "cancelled"):
                continue  # the risk would be open on a finished project
            p["risks"].append({"id": f"R-{i}-d{len(p['risks'])}",
                               "title": f"Dependency {dep_id} may slip",
                               "probability": 3, "impact": 3,
                               "owner": p["project_manager"], "response": "mitigate",
                               "mitigation": "Weekly check-in with the predecessor's manager",
                               "due": iso(u(5, 60)), "status": "open",
                               "raised_on": iso(-u(1, 30)), "linked_dependency": dep_id})
        for i, p in enumerate(self.projects):
            spi = p.pop("_spi")
            status = p["status"]
            if status in ("closed", "cancelled"):
                p["health"] = "green" if status == "closed" else "grey"
                continue
            leaf = i not in self.has_dependants
            red = status == "active" and rnd.random() < (0.12 if leaf else 0.004)
            if not red and status == "active" and rnd.random() < 0.002:
                red = True  # red work upstream: some of its dependants will say so
            rag = ["green"] * 4
            if red:
                rag = ["red", rnd.choice(("amber", "red")), rnd.choice(("amber", "red")),
                       "amber"]
            elif rnd.random() < 0.15:
                rag = ["amber", rnd.choice(("green", "amber")), "amber", "green"]
            if spi is not None and spi < 0.9 and status == "active":
                if self.hit("SCH-05"):
                    rag[0], rag[1] = "green", "green"  # a watermelon
                else:
                    rag[1] = "red"
                    if rag[0] == "green":
                        rag[0] = "amber"
            reported = -u(1, 13)
            if status == "active" and self.hit("REP-01"):
                reported = -u(20, 90)
            health: Any = {"overall": rag[0], "schedule": rag[1], "cost": rag[2],
                           "scope": "green", "risk": rag[3],
                           "trend": rnd.choice(("stable", "stable", "improving", "declining")),
                           "reported_on": iso(reported if status == "active" else
                                              -u(1, 60))}
            if red and leaf and rnd.random() < 0.15:
                health = "red"  # reported on the phone, never written down
            p["health"] = health
            if rag[0] == "red" and not (status == "active" and self.hit("REP-02")):
                plan = {"type": "recovery_plan", "status": rnd.choice(("submitted", "approved")),
                        "author": p["project_manager"], "updated_on": iso(-u(1, 10))}
                arts = p["artifacts"]
                if isinstance(arts, list):
                    arts.append(plan)
                else:
                    arts["recovery_plan"] = {k: v for k, v in plan.items() if k != "type"}

    def add_cycles(self, cycles: int) -> None:
        """Close `cycles` dependency cycles with back edges from a program's early project."""
        n = self.n
        for _ in range(min(cycles, n - 1)):
            later = self.rnd.randrange(1, n)
            lo = later - later % BLOCK
            earlier = self.rnd.randrange(lo, later) if later > lo else self.rnd.randrange(later)
            for succ, pred in ((later, earlier), (earlier, later)):
                if pred not in self.preds[succ]:
                    self.preds[succ].add(pred)
                    self.projects[succ]["depends_on"].append(
                        {"id": f"P-{pred}", "type": "SS", "lag_days": 0, "kind": "hard",
                         "status": "agreed", "owner": self.projects[succ]["project_manager"]})

    def objectives_and_programs(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Objective links, objectives with target shares, programs with budgets that cover."""
        rnd, people = self.rnd, self.people
        active_objs = list(range(N_OBJECTIVES - 2))
        share = [0.0] * N_OBJECTIVES
        total = 0.0
        prog_budget = [0.0] * self.n_programs
        for i, p in enumerate(self.projects):
            g = i // BLOCK
            objs = rnd.sample(active_objs, 1 + (rnd.random() < 0.4))
            if g in self.unaligned_programs and p["status"] not in ("closed", "cancelled") \
                    and self.hit("STR-01"):
                objs = [N_OBJECTIVES - 2]  # only a retired objective
            links: list[Any] = [{"id": f"O-{o}", "contribution": rnd.choice(
                ("high", "medium", "low"))} for o in objs]
            if rnd.random() < 0.1:
                links = [f"O-{o}" for o in objs]  # bare ids
            p["objectives"] = links
            approved = p["budget"].get("approved")
            if p["status"] != "cancelled" and approved is not None:
                total += approved
                prog_budget[g] += approved
                for o in objs:
                    share[o] += approved / len(objs)
        objectives = []
        for o in range(N_OBJECTIVES):
            rec: dict[str, Any] = {"id": f"O-{o}", "title": f"Strategic objective {o}",
                                   "owner": people.pool["executive"][o % 5],
                                   "weight": 0.1 if o < N_OBJECTIVES - 2 else 0.0,
                                   "status": "retired" if o == N_OBJECTIVES - 2 else "active",
                                   "kpi": {"name": f"KPI {o}", "unit": "%", "baseline": 50.0,
                                           "target": 60.0 + o, "due": "2027-12-31"}}
            if o < N_OBJECTIVES - 2:
                actual = share[o] / total if total else 0.0
                drift = 0.15 if o == N_OBJECTIVES - 3 else (rnd.random() - 0.5) * 0.06
                rec["target_investment_share"] = round(max(actual + drift, 0.0), 3)
            objectives.append(rec)
        programs = []
        for g in range(self.n_programs):
            factor = 0.85 + 0.1 * rnd.random() if self.hit("FIN-07") else 1.0 + 0.15 * rnd.random()
            prog_objs = [] if g in self.unaligned_programs else \
                [f"O-{o}" for o in sorted(rnd.sample(active_objs, 1 + (g % 3 == 0)))]
            programs.append({"id": f"G-{g}", "name": f"Program {g}",
                             "sponsor": people.pick("executive"),
                             "manager": people.pick("director"), "objectives": prog_objs,
                             "status": "active",
                             "budget_approved": math.ceil(prog_budget[g] * factor / 1e5) * 1e5})
        self.committed = total
        return objectives, programs


def generate(
    n: int, *, seed: int = 0, deps_per_project: int = 3, cycles: int = 0
) -> dict[str, Any]:
    """A portfolio of `n` projects with ~`deps_per_project` dependencies each."""
    gen = _Gen(n, seed, deps_per_project)
    for i in range(n):
        gen.projects.append(gen.project(i))
    for i in range(n):
        gen.dependencies(i)
    gen.finish_projects()
    gen.add_cycles(cycles)
    objectives, programs = gen.objectives_and_programs()
    active = sum(1 for p in gen.projects if p["status"] == "active")
    doc: dict[str, Any] = {
        "as_of": AS_OF.isoformat(), "currency": "EUR",
        "pmo": {"id": "EPMO", "kind": "enterprise", "control_level": "controlling",
                "reports_to": "U-0",
                "policy": {"exec_sponsor_budget_threshold": EXEC_THRESHOLD,
                           "status_report_max_age_days": 14, "high_risk_score": 15,
                           "max_on_hold_days": 90}},
        "portfolio": {"id": "PF", "name": "Synthetic", "owner": "U-0",
                      "budget_envelope": math.ceil(gen.committed * 1.04 / 1e6) * 1e6,
                      "review_cadence_days": 30, "last_review": iso(-12),
                      "default_lifecycle": "pmbok", "wip_limit": math.ceil(active * 1.1) + 1},
        "people": gen.people.records, "objectives": objectives, "programs": programs,
        "projects": gen.projects,
    }
    if gen.extra_deps:
        doc["dependencies"] = gen.extra_deps
    return doc


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
