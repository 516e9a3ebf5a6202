"""Connections to a store: one SQLAlchemy engine per location, and write transactions.

SQLite: pmo-rules issues BEGIN itself (the sqlite3 module's own transaction handling
would autocommit DDL), in write-ahead-log mode so readers never block a writer, and
a write transaction starts with BEGIN IMMEDIATE: two writers queue for the lock
instead of deadlocking when both try to upgrade a read lock. PostgreSQL: schema
changes take an advisory lock, so two jobs creating one new store do not collide.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from pmo_rules.diagnostics import Diagnostic, DiagnosticError
from pmo_rules.history.locate import StoreLocation

# Seconds a writer waits for another writer's transaction before giving up.
LOCK_TIMEOUT = 120
_WRITE = "pmo_rules_write"
_SCHEMA_LOCK = 0x706D6F72  # "pmor": the advisory lock key for schema changes


def create_store_engine(location: StoreLocation) -> Engine:
    """An engine for the store; a PostgreSQL store without its driver is a diagnostic."""
    json_options: dict[str, Any] = {
        "json_serializer": lambda value: orjson.dumps(value, default=str).decode("utf-8"),
        "json_deserializer": orjson.loads,
    }
    if location.is_sqlite:
        engine = create_engine(location.url, connect_args={"timeout": LOCK_TIMEOUT},
                               **json_options)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise DiagnosticError([Diagnostic(
            "PMO903", f"the store `{location.shown}` is PostgreSQL, and its driver "
                      "(psycopg) is not installed",
            help='install it with `pip install "pmo-rules[postgres]"`',
        )]) from None
    try:
        return create_engine(location.url, connect_args={"connect_timeout": 10},
                             pool_pre_ping=False, **json_options)
    except (SQLAlchemyError, ValueError) as exc:
        raise unreachable(location, exc) from None


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {LOCK_TIMEOUT * 1000}")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(engine: Engine, *, schema: bool = False) -> Iterator[Connection]:
    """One transaction that writes: all of it commits, or (error, Ctrl-C, kill) none of it."""
    with engine.execution_options(**{_WRITE: True}).begin() as conn:
        if schema and conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        yield conn


def unreachable(location: StoreLocation, exc: BaseException) -> DiagnosticError:
    """A store that cannot be opened or written, as a diagnostic naming it."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    reason = detail[0] if detail else type(exc).__name__
    help_ = ("check that the directory exists and is writable, and that no other program "
             "holds the file" if location.is_sqlite else
             "check the host, port, database name and credentials (a password can come "
             "from PGPASSWORD or ~/.pgpass), and that the server accepts connections")
    return DiagnosticError([Diagnostic(
        "PMO902", f"cannot use the run store `{location.shown}`: {reason}", help=help_,
    )])
