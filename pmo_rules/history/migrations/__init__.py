"""Alembic migrations of the run store, run programmatically by pmo_rules.history.migrate."""
