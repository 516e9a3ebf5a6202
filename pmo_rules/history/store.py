"""The run store: record a run in one transaction, and read runs back.

Open one with `Store.open(location, create=...)`: a command that records creates a
new store; a command that only reads never creates one (a missing store is a
diagnostic). Every database problem becomes a diagnostic naming the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.exc import SQLAlchemyError

from pmo_rules import __version__
from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.engine.report import Report
from pmo_rules.history.engine import create_store_engine, unreachable, write_transaction
from pmo_rules.history.locate import MAX_ID, StoreLocation
from pmo_rules.history.migrate import ensure_schema, stored_revision
from pmo_rules.history.snapshot import (
    OPEN,
    Item,
    Key,
    RuleRow,
    Snapshot,
    WaiverRow,
    family_scores,
    item_of,
    rule_rows,
    waiver_rows,
)
from pmo_rules.history.tables import results, rule_runs, runs, scores, waivers


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One recorded run, as `pmo-rules history` lists it."""

    id: int
    recorded_at: dt.datetime
    as_of: dt.date
    portfolio: str
    tool_version: str
    input_hash: str
    policy_hash: str
    policies: list[dict[str, Any]]
    settings: dict[str, Any]
    rules: int
    subjects: int
    passed: int
    failed: int
    waived: int
    errors: int
    blocking: int
    score: float | None
    exit_code: int

    def policy_names(self) -> list[str]:
        """The policies that ran, `name version`."""
        return [f"{p['name']} {p['version']}".strip() if p.get("version") else str(p["name"])
                for p in self.policies if p.get("runs", True)]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a run in `history --format json`."""
        return {
            "id": self.id, "recorded_at": self.recorded_at.isoformat(),
            "as_of": self.as_of.isoformat(), "portfolio": self.portfolio,
            "tool_version": self.tool_version, "input_hash": self.input_hash,
            "policy_hash": self.policy_hash, "policies": self.policy_names(),
            "settings": self.settings,
            "counts": {"rules": self.rules, "subjects": self.subjects, "pass": self.passed,
                       "fail": self.failed, "waived": self.waived, "error": self.errors,
                       "blocking": self.blocking},
            "score": self.score, "exit_code": self.exit_code,
        }


class Store:
    """A run store (SQLite file or PostgreSQL database) at one location."""

    def __init__(self, engine: Engine, location: StoreLocation) -> None:
        self.engine = engine
        self.location = location

    @classmethod
    def open(cls, location: StoreLocation, *, create: bool = False) -> Store:
        """Open the store; with `create`, make a new one (file and schema) when missing."""
        if location.path is not None and not location.path.exists():
            if not create:
                raise DiagnosticError([Diagnostic(
                    "PMO906", f"there is no run store at `{location.shown}`",
                    help="record a run first with `pmo-rules check PORTFOLIO --record`, or "
                         "point --store (or the `store` setting) at an existing store",
                )])
            try:
                location.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise unreachable(location, exc) from None
        store = cls(create_store_engine(location), location)
        with store.guard():
            ensure_schema(store.engine, location, create=create)
        return store

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Database errors as a diagnostic naming the store, never a traceback."""
        try:
            yield
        except SQLAlchemyError as exc:
            raise unreachable(self.location, exc) from None
        except (ValueError, TypeError, KeyError) as exc:  # a value written by other hands
            raise DiagnosticError([Diagnostic(
                "PMO902", f"the run store `{self.location.shown}` holds a value pmo-rules "
                f"cannot read ({type(exc).__name__}: {exc})",
                help="the store was changed outside pmo-rules; restore it from a backup, "
                "or point --store at a new one")]) from None

    def revision(self) -> str | None:
        """The schema revision the store is at."""
        with self.guard(), self.engine.connect() as conn:
            return stored_revision(conn)

    # -- writing -------------------------------------------------------------------------

    def record(self, report: Report, settings: Mapping[str, Any] | None = None) -> int:
        """Store the run, all of it in one transaction; its new id."""
        summary = report.summary()
        found = [item_of(f) for f in report.findings if f.status in OPEN]
        rules = rule_rows(report)
        table = report.score_table()
        run_row = {
            "recorded_at": dt.datetime.now(dt.UTC), "as_of": report.as_of,
            "portfolio": report.portfolio_id, "tool_version": __version__,
            "input_hash": _content_hash(report.inputs.get("portfolio") or []),
            "policy_hash": _content_hash(report.inputs.get("policies") or []),
            "inputs": report.inputs, "policies": report.policies,
            "settings": dict(settings or {}),
            "rules": summary["rules"], "subjects": summary["subjects"],
            "passed": summary["pass"], "failed": summary["fail"], "waived": summary["waived"],
            "errors": summary["error"], "not_applicable": summary["not_applicable"],
            "blocking": summary["blocking"], "score": summary["score"],
            "exit_code": report.exit_code,
        }
        with self.guard(), write_transaction(self.engine) as conn:
            seen = self._first_seen(conn, report.portfolio_id, report.as_of)
            ages = [(report.as_of - seen.get(i.key, report.as_of)).days
                    for i in found if i.status == "fail"]
            run_row["open_median_age"] = float(statistics.median(ages)) if ages else None
            run_id = int(conn.execute(runs.insert().values(run_row).returning(runs.c.id))
                         .scalar_one())
            if found:
                conn.execute(results.insert(), [_result_row(run_id, i, seen.get(i.key,
                                                report.as_of)) for i in found])
            if rules:
                conn.execute(rule_runs.insert(), [
                    {"run_id": run_id, "rule": r.id, "title": r.title, "policy": r.policy,
                     "severity": r.severity, "enforcement": r.enforcement,
                     "passed": r.passed, "failed": r.failed, "waived": r.waived,
                     "errors": r.errors, "not_applicable": r.not_applicable}
                    for r in rules])
            if report.waivers:
                conn.execute(waivers.insert(), [
                    {"run_id": run_id, "position": n, "rule": w.rule, "subject": w.subject,
                     "status": w.status, "reason": w.reason, "approved_by": w.approved_by,
                     "expires": dt.date.fromisoformat(w.expires) if w.expires else None,
                     "note": w.note}
                    for n, w in enumerate(waiver_rows(report))])
            score_rows = [{"run_id": run_id, "scope": scope, "scope_id": ident, "score": value}
                          for scope, values in (("program", table["program"]),
                                                ("project", table["project"]),
                                                ("family", family_scores(rules)))
                          for ident, value in values.items()]
            if score_rows:
                conn.execute(scores.insert(), score_rows)
        return run_id

    @staticmethod
    def _first_seen(conn: Any, portfolio: str, as_of: dt.date) -> dict[Key, dt.date]:
        # A finding's age runs from the first run of its unbroken series: it is carried
        # over from the portfolio's latest earlier run (by as-of), else starts today.
        previous = conn.execute(
            select(runs.c.id).where(runs.c.portfolio == portfolio, runs.c.as_of <= as_of)
            .order_by(runs.c.as_of.desc(), runs.c.id.desc()).limit(1)).scalar()
        if previous is None:
            return {}
        rows = conn.execute(select(
            results.c.rule, results.c.subject_kind, results.c.subject_id,
            results.c.first_seen).where(results.c.run_id == previous))
        return {(r, k, s): first for r, k, s, first in rows}

    # -- reading -------------------------------------------------------------------------

    def runs(
        self, *, portfolio: str | None = None, since: dt.date | None = None,
        until: dt.date | None = None, limit: int | None = None,
    ) -> list[RunInfo]:
        """Recorded runs, oldest first by as-of date (then by id)."""
        query = select(runs)
        if portfolio is not None:
            query = query.where(runs.c.portfolio == portfolio)
        if since is not None:
            query = query.where(runs.c.as_of >= since)
        if until is not None:
            query = query.where(runs.c.as_of <= until)
        if limit is not None:  # the latest `limit` runs, still listed oldest first
            query = query.order_by(runs.c.as_of.desc(), runs.c.id.desc()).limit(
                min(limit, MAX_ID))  # more than the column can count is all of them
        else:
            query = query.order_by(runs.c.as_of, runs.c.id)
        with self.guard(), self.engine.connect() as conn:
            rows = [_run_info(row._mapping) for row in conn.execute(query)]
        if limit is not None:
            rows.reverse()
        return rows

    def portfolios(self) -> list[str]:
        """Every portfolio with recorded runs, sorted."""
        with self.guard(), self.engine.connect() as conn:
            return sorted(str(p) for p in conn.execute(select(runs.c.portfolio).distinct())
                          .scalars())

    def run(self, run_id: int) -> RunInfo:
        """One run by id; an unknown id is a diagnostic."""
        with self.guard(), self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).first() \
                if 0 < run_id <= MAX_ID else None  # past the column's range: no such run
            if row is None:
                latest = conn.execute(select(func.max(runs.c.id))).scalar()
        if row is None:
            raise DiagnosticError([Diagnostic(
                "PMO907", f"the store `{self.location.shown}` has no run {run_id}",
                help=(f"run ids go up to {latest}; " if latest else "")
                + "`pmo-rules history` lists the recorded runs",
            )])
        with self.guard():
            return _run_info(row._mapping)

    def choose_portfolio(self, name: str | None) -> str:
        """The portfolio a command is about: the one named, else the store's only one."""
        known = self.portfolios()
        if name is not None:
            if name in known:
                return name
            guess = did_you_mean(name, known)
            raise DiagnosticError([Diagnostic(
                "PMO908", f"the store `{self.location.shown}` has no runs of portfolio `{name}`",
                help=f"did you mean `{guess}`?" if guess else
                f"its portfolios are {', '.join(known) or '(none yet)'}",
            )])
        if len(known) == 1:
            return known[0]
        if not known:
            raise DiagnosticError([Diagnostic(
                "PMO906", f"the store `{self.location.shown}` holds no recorded runs yet",
                help="record a run with `pmo-rules check PORTFOLIO --record`",
            )])
        raise DiagnosticError([Diagnostic(
            "PMO908", f"the store `{self.location.shown}` holds runs of {len(known)} "
                      "portfolios; say which one",
            help=f"add --portfolio with one of {', '.join(known)}",
        )])

    def snapshot(self, run_id: int) -> Snapshot:
        """A recorded run with its findings, rules, waiver fates and scores."""
        info = self.run(run_id)
        with self.guard(), self.engine.connect() as conn:
            found = conn.execute(select(results).where(results.c.run_id == run_id))
            items = {}
            for row in found:
                m = row._mapping
                item = Item(
                    rule=m["rule"], kind=m["subject_kind"], subject=m["subject_id"],
                    name=m["subject_name"], status=m["status"], severity=m["severity"],
                    enforcement=m["enforcement"], blocking=bool(m["blocking"]),
                    message=m["message"], first_seen=m["first_seen"], program=m["program"],
                    evidence=list(m["evidence"] or []), waiver=m["waiver"],
                )
                items[item.key] = item
            rules = {m["rule"]: RuleRow(
                m["rule"], m["title"], m["policy"], m["severity"], m["enforcement"],
                m["passed"], m["failed"], m["waived"], m["errors"], m["not_applicable"])
                for m in (r._mapping for r in conn.execute(
                    select(rule_runs).where(rule_runs.c.run_id == run_id)
                    .order_by(rule_runs.c.rule)))}
            fates = [WaiverRow(m["rule"], m["subject"], m["status"], m["reason"],
                               m["approved_by"], m["expires"].isoformat() if m["expires"]
                               else None, m["note"])
                     for m in (r._mapping for r in conn.execute(
                         select(waivers).where(waivers.c.run_id == run_id)
                         .order_by(waivers.c.position)))]
            by_scope: dict[str, dict[str, float]] = {"program": {}, "family": {}}
            for scope, ident, value in conn.execute(
                    select(scores.c.scope, scores.c.scope_id, scores.c.score).where(and_(
                        scores.c.run_id == run_id, scores.c.scope.in_(tuple(by_scope))))):
                by_scope[scope][ident] = float(value)  # SQLite keeps any type in a column
        return Snapshot(
            source=f"run {run_id}", portfolio=info.portfolio, as_of=info.as_of,
            items=dict(sorted(items.items())), rules=rules, waivers=fates, score=info.score,
            program_scores=dict(sorted(by_scope["program"].items())),
            family_scores=dict(sorted(by_scope["family"].items())), blocking=info.blocking,
            run_id=run_id, recorded_at=info.recorded_at,
        )


def _result_row(run_id: int, item: Item, first_seen: dt.date) -> dict[str, Any]:
    return {
        "run_id": run_id, "rule": item.rule, "subject_kind": item.kind,
        "subject_id": item.subject, "subject_name": item.name, "status": item.status,
        "severity": item.severity, "enforcement": item.enforcement, "blocking": item.blocking,
        "message": item.message, "program": item.program, "first_seen": first_seen,
        "evidence": item.evidence, "waiver": item.waiver,
    }


def _content_hash(files: Sequence[Mapping[str, Any]]) -> str:
    """A hash of the files' contents only: moving or renaming a file keeps it."""
    digests = sorted(str(f.get("sha256", "")) for f in files)
    return hashlib.sha256(orjson.dumps(digests)).hexdigest()


def _run_info(m: Mapping[Any, Any]) -> RunInfo:
    recorded = m["recorded_at"]
    if recorded.tzinfo is None:  # SQLite keeps no zone; pmo-rules always writes UTC
        recorded = recorded.replace(tzinfo=dt.UTC)
    return RunInfo(
        id=m["id"], recorded_at=recorded, as_of=m["as_of"], portfolio=m["portfolio"],
        tool_version=m["tool_version"], input_hash=m["input_hash"],
        policy_hash=m["policy_hash"], policies=list(m["policies"] or []),
        settings=dict(m["settings"] or {}), rules=_count(m["rules"]),
        subjects=_count(m["subjects"]), passed=_count(m["passed"]), failed=_count(m["failed"]),
        waived=_count(m["waived"]), errors=_count(m["errors"]), blocking=_count(m["blocking"]),
        score=None if m["score"] is None else float(m["score"]),
        exit_code=_count(m["exit_code"]),
    )


def _count(value: Any) -> int:
    """A stored count as an int: SQLite keeps whatever was written in a column, and a
    value that is not a whole number is a damaged store (ValueError, under guard)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"a count holds {value!r}")
    return value
