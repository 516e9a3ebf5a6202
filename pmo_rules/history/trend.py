"""Governance over time: per recorded run of a portfolio, its score overall, per program and
per family, open blocking findings, the median age of open findings, and active waivers.

Each measure is read from the runs (the median age is kept with each run when it is
recorded) or one query over the scores, so a year of daily runs answers in well under
a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from pmo_rules.history.locate import MAX_ID
from pmo_rules.history.store import Store
from pmo_rules.history.tables import runs, scores, waivers


@dataclass(slots=True)
class TrendPoint:
    """One run's measures."""

    run_id: int
    as_of: dt.date
    recorded_at: dt.datetime
    score: float | None
    blocking: int
    failing: int  # open findings: failures not waived, blocking or not
    median_age: float | None  # days, over open findings; None when there are none
    active_waivers: int
    programs: dict[str, float] = field(default_factory=dict)
    families: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one point of the trend."""
        return {
            "run": self.run_id, "as_of": self.as_of.isoformat(),
            "recorded_at": self.recorded_at.isoformat(), "score": self.score,
            "blocking": self.blocking, "open": self.failing, "median_age_days": self.median_age,
            "active_waivers": self.active_waivers, "programs": self.programs,
            "families": self.families,
        }


@dataclass(slots=True)
class Trend:
    """A portfolio's recorded runs, oldest first."""

    portfolio: str
    points: list[TrendPoint]

    @property
    def programs(self) -> list[str]:
        """Every program that has a score in some run, sorted."""
        return sorted({p for point in self.points for p in point.programs})

    @property
    def families(self) -> list[str]:
        """Every rule family that has a score in some run, sorted."""
        return sorted({f for point in self.points for f in point.families})

    def to_dict(self) -> dict[str, Any]:
        """The trend as JSON (schema pmo-rules/trend/v1)."""
        return {"schema": "pmo-rules/trend/v1", "portfolio": self.portfolio,
                "runs": [p.to_dict() for p in self.points]}


def load_trend(
    store: Store, portfolio: str, *, since: dt.date | None = None,
    until: dt.date | None = None, last: int | None = None,
) -> Trend:
    """The trend of one portfolio over its recorded runs (optionally a date range or the
    last N runs)."""
    chosen = select(runs.c.id).where(runs.c.portfolio == portfolio)
    if since is not None:
        chosen = chosen.where(runs.c.as_of >= since)
    if until is not None:
        chosen = chosen.where(runs.c.as_of <= until)
    if last is not None:
        chosen = chosen.order_by(runs.c.as_of.desc(), runs.c.id.desc()).limit(min(last, MAX_ID))
    ids = chosen.subquery()
    with store.guard(), store.engine.connect() as conn:
        points = {row.id: TrendPoint(
            row.id, row.as_of, row.recorded_at, None if row.score is None else float(row.score),
            int(row.blocking), int(row.failed),
            None if row.open_median_age is None else float(row.open_median_age), 0)
            for row in conn.execute(
                select(runs.c.id, runs.c.as_of, runs.c.recorded_at, runs.c.score,
                       runs.c.blocking, runs.c.failed, runs.c.open_median_age)
                .where(runs.c.id.in_(select(ids.c.id)))).all()}
        for run_id, scope, ident, value in conn.execute(
                select(scores.c.run_id, scores.c.scope, scores.c.scope_id, scores.c.score)
                .where(scores.c.run_id.in_(select(ids.c.id)),
                       scores.c.scope.in_(("program", "family")))).all():
            target = points[run_id].programs if scope == "program" else points[run_id].families
            target[ident] = float(value)  # SQLite keeps any type in a column
        for run_id, count in conn.execute(
                select(waivers.c.run_id, func.count())
                .where(waivers.c.run_id.in_(select(ids.c.id)), waivers.c.status == "applied")
                .group_by(waivers.c.run_id)).all():
            points[run_id].active_waivers = int(count)
    ordered = sorted(points.values(), key=lambda p: (p.as_of, p.run_id))
    for p in ordered:
        if p.recorded_at.tzinfo is None:
            p.recorded_at = p.recorded_at.replace(tzinfo=dt.UTC)
        p.programs = dict(sorted(p.programs.items()))
        p.families = dict(sorted(p.families.items()))
    return Trend(portfolio, ordered)
