"""Where the run store is: `--store`, else the `store` setting, else .pmo-rules/history.db.

A store is a SQLite file (a path, or a `sqlite:///` URL) or a PostgreSQL database
(`postgresql://user@host/db`). This module reads only strings, so resolving a
location never imports SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pmo_rules.diagnostics import Diagnostic, DiagnosticError

# The largest id a run can have: SQLite's and PostgreSQL's 64-bit signed integers.
MAX_ID = 2**63 - 1

DEFAULT_STORE = Path(".pmo-rules") / "history.db"
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True, slots=True)
class StoreLocation:
    """A resolved store: the SQLAlchemy URL, and the SQLite file when it is one."""

    url: str
    shown: str  # for messages: the password masked
    path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        """True for a SQLite file store."""
        return self.path is not None


def resolve_store(option: str | None, config: dict[str, object]) -> StoreLocation:
    """The store a command uses: the option, else the `store` setting, else the default."""
    setting = config.get("store")
    where = option or (setting if isinstance(setting, str) else None)
    return parse_store(where) if where else _sqlite(DEFAULT_STORE)


def store_named(option: str | None, config: dict[str, object]) -> bool:
    """True when the run names a store (option or setting), not only the default."""
    return bool(option or config.get("store"))


def parse_store(where: str) -> StoreLocation:
    """A path or a database URL as a store location; an unknown scheme is a diagnostic."""
    if "://" not in where:
        if where == ":memory:" or where.startswith("file:") or "\0" in where:
            # SQLite's own names: an in-memory store keeps nothing; a `file:` URI's
            # options would be dropped by a plain path
            raise DiagnosticError([Diagnostic(
                "PMO901", f"`{where!r}`"[1:-1] + " names no SQLite file a run can be kept in",
                help="give a file, e.g. `--store .pmo-rules/history.db`",
            )])
        return _sqlite(Path(where))
    parts = urlsplit(where)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = where.split("://", 1)[1]
        if path.startswith("/"):
            path = path[1:]
        if not path or path == ":memory:":
            raise DiagnosticError([Diagnostic(
                "PMO901", f"`{where}` names no SQLite file",
                help="give a file, e.g. `--store sqlite:///.pmo-rules/history.db` or just "
                     "`--store .pmo-rules/history.db`",
            )])
        return _sqlite(Path(path))
    if scheme in POSTGRES_SCHEMES:
        url = urlunsplit(("postgresql+psycopg", *parts[1:]))
        return StoreLocation(url, _masked(where))
    raise DiagnosticError([Diagnostic(
        "PMO901", f"`{_masked(where)}` is not a store pmo-rules can use",
        help="give a SQLite file path (`.pmo-rules/history.db`) or a PostgreSQL URL "
             "(`postgresql://user@host/database`)",
    )])


def _sqlite(path: Path) -> StoreLocation:
    return StoreLocation(f"sqlite:///{path}", str(path), path)


def _masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}{port}", *parts[2:]))
