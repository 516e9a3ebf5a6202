"""The store's schema version: create a new store, upgrade an old one, refuse a newer one.

Reading the version needs only SQLAlchemy; Alembic is imported only when the
schema must be created or upgraded, or a version this code does not know is found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

from pmo_rules.diagnostics import Diagnostic, DiagnosticError
from pmo_rules.history.engine import write_transaction
from pmo_rules.history.locate import StoreLocation
from pmo_rules.history.tables import SCHEMA_REVISION, VERSION_TABLE

SCRIPTS = Path(__file__).parent / "migrations"


def stored_revision(conn: Connection) -> str | None:
    """The schema revision the store is at; None for a store with no schema yet."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    row = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
    return None if row is None else str(row[0])


def ensure_schema(
    engine: Engine, location: StoreLocation, *, create: bool, scripts: Path = SCRIPTS,
) -> None:
    """Check the store is at this code's schema; create it when new and `create` is set."""
    with engine.connect() as conn:
        revision = stored_revision(conn)
    head = SCHEMA_REVISION if scripts == SCRIPTS else _head(scripts)
    if revision == head:
        return
    if revision is None:
        if not create:
            raise DiagnosticError([Diagnostic(
                "PMO906", f"the store `{location.shown}` holds no recorded runs yet",
                help="record a run with `pmo-rules check PORTFOLIO --record`",
            )])
        with write_transaction(engine, schema=True) as conn:
            if stored_revision(conn) is None:  # another process may have just created it
                _upgrade(conn, scripts)
        return
    known = _revisions(scripts)
    if revision not in known:
        raise DiagnosticError([Diagnostic(
            "PMO905", f"the store `{location.shown}` was written by a newer pmo-rules "
                      f"(schema {revision}; this version reads schema {head})",
            help="upgrade pmo-rules (`pip install -U pmo-rules`) to read this store",
        )])
    raise DiagnosticError([Diagnostic(
        "PMO904", f"the store `{location.shown}` has an older schema ({revision}) than "
                  f"this pmo-rules reads ({head})",
        help=f"upgrade the store once with `pmo-rules store upgrade --store {location.shown}`"
             " (pmo-rules versions older than this one cannot read it afterwards)",
    )])


def upgrade_schema(engine: Engine, *, scripts: Path = SCRIPTS) -> tuple[str | None, str]:
    """Migrate the store to this code's schema; the revisions before and after."""
    with write_transaction(engine, schema=True) as conn:
        before = stored_revision(conn)
        known = _revisions(scripts)
        if before is not None and before not in known:
            raise DiagnosticError([Diagnostic(
                "PMO905", f"the store is at schema {before}, newer than this pmo-rules knows",
                help="upgrade pmo-rules (`pip install -U pmo-rules`) instead",
            )])
        _upgrade(conn, scripts)
        return before, stored_revision(conn) or ""


def _config(scripts: Path) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(scripts))
    return config


def _script_directory(scripts: Path) -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config(scripts))


def _head(scripts: Path) -> str:
    return str(_script_directory(scripts).get_current_head())


def _revisions(scripts: Path) -> set[str]:
    return {s.revision for s in _script_directory(scripts).walk_revisions()}


def _upgrade(conn: Connection, scripts: Path) -> None:
    from alembic import command

    config = _config(scripts)
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
