"""A run may have no score: when rules could not be evaluated and nothing was weighed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """pmo_runs.score may be null (SQLite copies the table to change it)."""
    with op.batch_alter_table("pmo_runs") as batch:
        batch.alter_column("score", existing_type=sa.Float, nullable=True)


def downgrade() -> None:
    """A run without a score cannot go back: it is dropped with its rows."""
    op.execute("DELETE FROM pmo_runs WHERE score IS NULL")
    with op.batch_alter_table("pmo_runs") as batch:
        batch.alter_column("score", existing_type=sa.Float, nullable=False)
