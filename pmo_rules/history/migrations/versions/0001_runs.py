"""The first schema: runs, their results, rule counts, waiver fates and scores.

Revision ID: 0001
Revises:
Create Date: 2026-11-26

A migration is history: it spells its tables out instead of reading tables.py,
which always describes the newest schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _run_fk() -> sa.Column[int]:
    return sa.Column("run_id", sa.Integer, sa.ForeignKey("pmo_runs.id", ondelete="CASCADE"),
                     primary_key=True)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "pmo_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("portfolio", sa.String(200), nullable=False),
        sa.Column("tool_version", sa.String(50), nullable=False),
        sa.Column("input_hash", sa.String(64), nullable=False),
        sa.Column("policy_hash", sa.String(64), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("policies", sa.JSON, nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in (
            "rules", "subjects", "passed", "failed", "waived", "errors", "not_applicable",
            "blocking")),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("exit_code", sa.Integer, nullable=False),
    )
    op.create_index("ix_pmo_runs_portfolio_as_of", "pmo_runs", ["portfolio", "as_of", "id"])
    op.create_table(
        "pmo_results",
        _run_fk(),
        sa.Column("rule", sa.String(100), primary_key=True),
        sa.Column("subject_kind", sa.String(50), primary_key=True),
        sa.Column("subject_id", sa.String(300), primary_key=True),
        sa.Column("subject_name", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("enforcement", sa.String(20), nullable=False),
        sa.Column("blocking", sa.Boolean, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("program", sa.String(200)),
        sa.Column("first_seen", sa.Date, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("waiver", sa.JSON),
    )
    op.create_table(
        "pmo_rule_runs",
        _run_fk(),
        sa.Column("rule", sa.String(100), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("policy", sa.String(200), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("enforcement", sa.String(20), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in (
            "passed", "failed", "waived", "errors", "not_applicable")),
    )
    op.create_table(
        "pmo_waivers",
        _run_fk(),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("approved_by", sa.Text, nullable=False),
        sa.Column("expires", sa.Date),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "pmo_scores",
        _run_fk(),
        sa.Column("scope", sa.String(20), primary_key=True),
        sa.Column("scope_id", sa.String(300), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
    )


def downgrade() -> None:
    """Drop the tables."""
    for table in ("pmo_scores", "pmo_waivers", "pmo_rule_runs", "pmo_results", "pmo_runs"):
        op.drop_table(table)
