"""Run history: the store of recorded runs, and what is computed from them.

Nothing here is imported unless a command uses a store, so SQLAlchemy and Alembic
never slow down a plain `pmo-rules check`.
"""
