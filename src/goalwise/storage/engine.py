"""Engine set-up and transactions for SQLite and PostgreSQL.

SQLite gets, on every connection: WAL journaling (readers never block the writer),
``foreign_keys=ON`` (SQLite ignores foreign keys otherwise), ``busy_timeout=5000`` (a second
writer waits instead of failing) and ``synchronous=NORMAL`` (safe with WAL, much faster).
Writes open with ``BEGIN IMMEDIATE`` so that a transaction that reads then writes takes the
write lock up front; a deferred ``BEGIN`` can fail half-way with "database is locked".
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from goalwise.core.errors import ConfigError, StorageError

__all__ = ["Database", "describe_connection_error", "make_engine"]

_WRITE = "goalwise_write"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``; raises ``ConfigError`` for a malformed or unsupported URL."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            "GOALWISE_DATABASE_URL is not a database URL; use sqlite:///path/goalwise.db "
            "or postgresql+psycopg://user:password@host/dbname"
        ) from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"GOALWISE_DATABASE_URL uses {backend!r}; Goalwise supports sqlite and postgresql "
            "(postgresql+psycopg://...)"
        )
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).parent
            if not folder.exists():
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StorageError(
                        f"cannot create the data folder {folder}; set GOALWISE_DATA_DIR to a writable folder"
                    ) from exc
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 5}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigError(
            f"no database driver for {parsed.drivername!r}; use postgresql+psycopg://... (psycopg 3)"
        ) from exc
    if backend == "sqlite":
        _install_sqlite_hooks(engine)
    return engine


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # A read-only file cannot switch journal modes; reads still work, writes fail clearly later.
        with contextlib.suppress(Exception):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def describe_connection_error(exc: BaseException, url: str) -> str:
    """One line naming what went wrong with the database and how to fix it, without secrets."""
    text = str(exc).lower()
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        shown = "(malformed URL)"
    if "readonly" in text or "read-only" in text or "attempt to write a readonly database" in text:
        return (
            f"the database {shown} is read-only; make the file and its folder writable "
            "by this user (or set GOALWISE_DATA_DIR to a writable folder)"
        )
    if "unable to open database file" in text:
        return f"cannot open the database {shown}; check that GOALWISE_DATA_DIR exists and is writable"
    if "connection refused" in text or "could not connect" in text or "connection failed" in text:
        return (
            f"cannot reach the PostgreSQL server for {shown}; start the server or fix host and port "
            "in GOALWISE_DATABASE_URL"
        )
    if "password authentication failed" in text or "authentication failed" in text:
        return f"PostgreSQL refused the login for {shown}; fix the user or password in GOALWISE_DATABASE_URL"
    if "does not exist" in text and "database" in text:
        return f"the database in {shown} does not exist; create it (createdb) or fix GOALWISE_DATABASE_URL"
    if "locked" in text:
        return f"the database {shown} is busy (locked by another writer); try again in a moment"
    return f"database error on {shown}: {type(exc).__name__}; run with --debug for details"


class Database:
    """The engine plus the two ways to open a transaction: ``read()`` and ``write()``."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def from_url(cls, url: str) -> Database:
        """A database for ``url`` (see ``make_engine``)."""
        return cls(make_engine(url), url)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (deferred on SQLite, so readers never wait for the write lock)."""
        with self._translate(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: all or nothing; ``BEGIN IMMEDIATE`` on SQLite."""
        with self._translate(), self.engine.connect() as conn:
            conn = conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StorageError(describe_connection_error(exc, self.url)) from exc

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
