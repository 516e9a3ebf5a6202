"""Alembic's environment: migrate over the connection pmo-rules hands over, in its transaction."""

from __future__ import annotations

from alembic import context

from pmo_rules.history.tables import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=metadata, version_table=VERSION_TABLE,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
