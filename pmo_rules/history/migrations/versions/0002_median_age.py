"""Each run keeps the median age of its open findings, so a trend reads one row per run.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06

Existing runs get it computed from their stored findings.
"""

from __future__ import annotations

import statistics

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add pmo_runs.open_median_age and fill it for the runs already recorded."""
    with op.batch_alter_table("pmo_runs") as batch:
        batch.add_column(sa.Column("open_median_age", sa.Float, nullable=True))
    runs = sa.table("pmo_runs", sa.column("id", sa.Integer), sa.column("as_of", sa.Date),
                    sa.column("open_median_age", sa.Float))
    results = sa.table("pmo_results", sa.column("run_id", sa.Integer),
                       sa.column("status", sa.String), sa.column("first_seen", sa.Date))
    conn = op.get_bind()
    ages: dict[int, list[int]] = {}
    for run_id, as_of, first_seen in conn.execute(
            sa.select(runs.c.id, runs.c.as_of, results.c.first_seen)
            .join(results, results.c.run_id == runs.c.id)
            .where(results.c.status == "fail")):
        ages.setdefault(run_id, []).append((as_of - first_seen).days)
    for run_id, days in ages.items():
        conn.execute(runs.update().where(runs.c.id == run_id)
                     .values(open_median_age=float(statistics.median(days))))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("pmo_runs") as batch:
        batch.drop_column("open_median_age")
