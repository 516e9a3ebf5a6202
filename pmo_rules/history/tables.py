"""The one schema of the run store (SQLAlchemy Core); migrations/ evolves it.

Tables are prefixed `pmo_` so a store can live in a database shared with other
applications. A result's identity across runs is (rule, subject kind, subject id);
its clause, values and message are data, never part of the key.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# The Alembic revision this code reads and writes; a test checks it is the scripts' head.
SCHEMA_REVISION = "0003"
VERSION_TABLE = "pmo_schema_version"

metadata = MetaData()


def _run_id() -> Column[int]:
    """The run a row belongs to (first in each child table's key)."""
    return Column("run_id", Integer, ForeignKey("pmo_runs.id", ondelete="CASCADE"),
                  primary_key=True)


runs = Table(
    "pmo_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("portfolio", String(200), nullable=False),
    Column("tool_version", String(50), nullable=False),
    Column("input_hash", String(64), nullable=False),
    Column("policy_hash", String(64), nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("policies", JSON, nullable=False),
    Column("settings", JSON, nullable=False),
    Column("rules", Integer, nullable=False),
    Column("subjects", Integer, nullable=False),
    Column("passed", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("waived", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("not_applicable", Integer, nullable=False),
    Column("blocking", Integer, nullable=False),
    Column("score", Float),  # none when rules errored and nothing was weighed
    Column("exit_code", Integer, nullable=False),
    # Days since first seen, median over the run's open (failed, unwaived) findings.
    Column("open_median_age", Float),
    Index("ix_pmo_runs_portfolio_as_of", "portfolio", "as_of", "id"),
)

results = Table(
    "pmo_results", metadata,
    _run_id(),
    Column("rule", String(100), primary_key=True),
    Column("subject_kind", String(50), primary_key=True),
    Column("subject_id", String(300), primary_key=True),
    Column("subject_name", Text),
    Column("status", String(20), nullable=False),
    Column("severity", String(20), nullable=False),
    Column("enforcement", String(20), nullable=False),
    Column("blocking", Boolean, nullable=False),
    Column("message", Text, nullable=False),
    Column("program", String(200)),
    # The first as-of of the unbroken series of runs this result has failed in.
    Column("first_seen", Date, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("waiver", JSON),
)

rule_runs = Table(
    "pmo_rule_runs", metadata,
    _run_id(),
    Column("rule", String(100), primary_key=True),
    Column("title", Text, nullable=False),
    Column("policy", String(200), nullable=False),
    Column("severity", String(20), nullable=False),
    Column("enforcement", String(20), nullable=False),
    Column("passed", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("waived", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("not_applicable", Integer, nullable=False),
)

waivers = Table(
    "pmo_waivers", metadata,
    _run_id(),
    Column("position", Integer, primary_key=True),
    Column("rule", String(100), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("approved_by", Text, nullable=False),
    Column("expires", Date),
    Column("note", Text, nullable=False),
)

scores = Table(
    "pmo_scores", metadata,
    _run_id(),
    Column("scope", String(20), primary_key=True),  # program, project, family
    Column("scope_id", String(300), primary_key=True),
    Column("score", Float, nullable=False),
)
