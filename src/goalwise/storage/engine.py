"""Engine set-up and transactions for SQLite and PostgreSQL.

SQLite gets, on every connection: WAL journaling (readers never block the writer),
``foreign_keys=ON`` (SQLite ignores foreign keys otherwise), ``busy_timeout=5000`` (a second
writer waits instead of failing) and ``synchronous=NORMAL`` (safe with WAL, much faster).
Writes open with ``BEGIN IMMEDIATE`` so that a transaction that reads then writes takes the
write lock up front; a deferred ``BEGIN`` can fail half-way with "database is locked".
A write that still meets the lock (another program holds it longer than ``busy_timeout``) is
retried with backoff for up to ``GOALWISE_WRITE_RETRY_SECONDS`` before the user is told.

The SQLite file, its WAL and SHM are readable by their owner only: the folder is created 0700
and the database file 0600 (SQLite gives the WAL and SHM the database file's mode).

``storage_error`` is the one place that turns a driver's error into a ``StorageError`` with a
one-line message naming the cause and the fix (disk full, read-only, locked, TLS, rights).
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, NoSuchModuleError, OperationalError

from goalwise.core.errors import ConfigError, StorageError
from goalwise.storage.prepared import run_on_driver
from goalwise.storage.urls import has_unencoded_password, mask_password

__all__ = ["Database", "EngineOptions", "describe_connection_error", "make_engine", "storage_error"]

#: Seconds a write keeps retrying when the database is locked; ``GOALWISE_WRITE_RETRY_SECONDS``.
DEFAULT_WRITE_RETRY_SECONDS = 30.0

_WRITE = "goalwise_write"

#: Pool settings that may also be written in the URL's query (``?pool_size=20``); they are taken
#: out of the URL before it reaches the driver, which would refuse them.
_POOL_PARAMS = {"pool_size": int, "max_overflow": int, "pool_recycle": int, "pool_timeout": float}


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """The connection pool and statement timeout (``GOALWISE_DB_*`` settings; docs/settings.md).

    ``pool_recycle`` 0 keeps connections for ever; ``statement_timeout`` 0 lets a statement run
    for ever. The statement timeout applies to PostgreSQL (SQLite statements run in-process).
    """

    pool_size: int = 5
    max_overflow: int = 10
    pool_recycle: int = 1800
    pool_timeout: float = 30.0
    statement_timeout: float = 30.0


def _pool_from_url(parsed: URL, options: EngineOptions) -> tuple[URL, dict[str, Any]]:
    """Pool keyword arguments from ``options``, overridden by any pool parameter in the URL."""
    pool: dict[str, Any] = {
        "pool_size": options.pool_size,
        "max_overflow": options.max_overflow,
        "pool_recycle": options.pool_recycle or -1,
        "pool_timeout": options.pool_timeout,
    }
    for name, kind in _POOL_PARAMS.items():
        if name in parsed.query:
            raw = parsed.query[name]
            value = raw[-1] if isinstance(raw, tuple) else raw
            try:
                pool[name] = kind(value)
            except ValueError as exc:
                raise ConfigError(
                    f"{name}={value!r} in the database URL is not a number; write e.g. ?{name}=10"
                ) from exc
    return parsed.difference_update_query(_POOL_PARAMS), pool


def _postgres_timeout(parsed: URL, seconds: float) -> dict[str, Any]:
    """``connect_args`` that set PostgreSQL's ``statement_timeout`` for every connection."""
    if seconds <= 0:
        return {}
    setting = f"-c statement_timeout={int(seconds * 1000)}"
    given = parsed.query.get("options")
    if given:
        setting = f"{given if isinstance(given, str) else ' '.join(given)} {setting}"
    return {"options": setting}


def make_engine(url: str, *, echo: bool = False, options: EngineOptions | None = None) -> Engine:
    """An engine for ``url``; raises ``ConfigError`` for a malformed or unsupported URL.

    ``options`` sets the pool and statement timeout; pool parameters in the URL's query win.
    """
    if has_unencoded_password(url):
        raise ConfigError(
            "the password in the database URL holds a /, #, @ or ? that is not percent-encoded; write "
            "/ as %2F, # as %23, @ as %40 and ? as %3F (docs/admin-guide.md, moving to PostgreSQL)"
        )
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
    options = options or EngineOptions()
    database = parsed.database or ""
    in_memory = backend == "sqlite" and (not database or database == ":memory:" or "memory" in database)
    if not in_memory:  # an in-memory SQLite database keeps one connection; it has no pool to size
        parsed, pool = _pool_from_url(parsed, options)
        kwargs.update(pool)
    if backend == "sqlite":
        if database and database != ":memory:" and not database.startswith("file:"):
            _prepare_private_file(Path(database))
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 5}
    else:
        # Stale connections are found by ``_install_postgres_hooks`` (a ping only after a pause).
        kwargs["connect_args"] = _postgres_timeout(parsed, options.statement_timeout)
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigError(
            f"no database driver for {parsed.drivername!r}; use postgresql+psycopg://... (psycopg 3)"
        ) from exc
    if backend == "sqlite":
        _install_sqlite_hooks(engine)
    else:
        _install_postgres_hooks(engine)
    return engine


#: A pooled PostgreSQL connection back in the pool for longer than this is pinged before use.
PING_AFTER_SECONDS = 1.0


def _install_postgres_hooks(engine: Engine) -> None:
    """Ping a pooled connection before use only when it has rested in the pool for a while.

    ``pool_pre_ping`` pinged on every check-out: a round trip before every request's first
    statement, an eighth of a check-in's. A connection handed back less than
    :data:`PING_AFTER_SECONDS` ago was working a moment ago: its socket is only checked for
    anything the server sent (a server that restarts or ends the connection says so there). One
    that rested longer is pinged. Either way a dead connection is replaced before anyone uses it.
    """

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()  # or just connected: no ping needed either

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is not None and time.monotonic() - returned < PING_AFTER_SECONDS:
            # No round trip, one system call: a server that ended the connection (a restart, an
            # administrator) has said so on its socket, which an idle connection otherwise keeps
            # silent. Anything to read means the connection cannot be trusted.
            if not _has_input(dbapi_conn):
                return
            raise DisconnectionError("the server closed a pooled connection")
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            # The pool discards this connection and checks out another (a fresh one if need be).
            raise DisconnectionError(f"a pooled connection was closed ({type(exc).__name__})") from exc


def _has_input(dbapi_conn: Any) -> bool:
    """Whether the driver connection's socket has anything to read (or is gone) without waiting."""
    try:
        readable, _, _ = select.select([dbapi_conn.fileno()], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return True
    return bool(readable)


def _prepare_private_file(path: Path) -> None:
    """Create the data folder (0700) and the database file (0600) before SQLite does.

    SQLite would create the file with the process umask (usually 0644) and give its WAL and SHM
    the same mode, so every local user could read the clinical records.
    """
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        _tighten(path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
    except OSError as exc:
        raise StorageError(
            f"cannot create the data folder {folder}; set GOALWISE_DATA_DIR to a writable folder"
        ) from exc


def _tighten(*paths: Path) -> None:
    """Make files an older Goalwise created readable by others owner-only (when they are ours)."""
    for path in paths:
        with contextlib.suppress(OSError):
            info = path.stat()
            if info.st_uid == os.geteuid() and info.st_mode & 0o077:
                path.chmod(0o600)


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
        # Straight to the driver: every request opens a transaction, and SQLAlchemy's execution
        # around a statement without parameters or rows costs ten times the BEGIN itself. A failed
        # BEGIN raises SQLAlchemy's error as before (a busy database is retried by
        # ``Database.write``; a full disk becomes a ``StorageError``).
        run_on_driver(conn, "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _is_lock(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


#: (words in the driver's message, what to tell the user); the first match wins.
_CAUSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("database or disk is full", "no space left on device", "could not extend file", "disk full"),
        "the disk holding the database {url} is full; free space on it, then try again",
    ),
    (
        ("disk i/o error", "file too large"),
        "the disk holding the database {url} could not be written (disk I/O error): it is full, over a "
        "size limit or failing; free space on it or check the disk, then try again",
    ),
    (
        ("readonly database", "read-only", "read only", "read-only transaction"),
        "the database {url} is read-only; make the file and its folder writable by this user, or point "
        "GOALWISE_DATABASE_URL at a server that accepts writes",
    ),
    (
        ("database is locked", "database is busy", "database table is locked"),
        "the database {url} is locked by another program; close that program (or let its long write "
        "finish) and try again",
    ),
    (
        ("deadlock detected", "could not serialize access", "canceling statement due to lock"),
        "two changes to the same records in {url} collided and this one was undone; try again",
    ),
    (
        ("unable to open database file",),
        "cannot open the database {url}; check that GOALWISE_DATA_DIR exists and is writable",
    ),
    (
        ("ssl", "tls", "certificate"),
        "the TLS (SSL) connection to the PostgreSQL server for {url} failed; match sslmode in "
        "GOALWISE_DATABASE_URL to the server (e.g. sslmode=disable for a server without TLS) and check its "
        "certificate",
    ),
    (
        ("permission denied for schema",),
        "this database role may not create tables in the schema ({url}); run `goalwise db upgrade` as the "
        "role that owns the database (GOALWISE_MIGRATION_DATABASE_URL), or GRANT CREATE ON SCHEMA to it",
    ),
    (
        ("permission denied", "must be owner"),
        "this database role lacks a right it needs on {url}; grant the app role its rights as shown in "
        "docs/admin-guide.md (two database roles)",
    ),
    (
        ("password authentication failed", "authentication failed"),
        "PostgreSQL refused the login for {url}; fix the user or password in GOALWISE_DATABASE_URL",
    ),
    (
        ("connection refused", "could not connect", "connection failed", "could not translate host name"),
        "cannot reach the PostgreSQL server for {url}; start the server or fix host and port in "
        "GOALWISE_DATABASE_URL",
    ),
)


def describe_connection_error(exc: BaseException, url: str) -> str:
    """One line naming what went wrong with the database and how to fix it, without secrets."""
    text = str(exc).lower()
    shown = mask_password(url)
    for words, message in _CAUSES:
        if any(word in text for word in words):
            return message.format(url=shown)
    if "does not exist" in text and "database" in text:
        return f"the database in {shown} does not exist; create it (createdb) or fix GOALWISE_DATABASE_URL"
    # Never "run with --debug": web users cannot, and the type is all a log may hold.
    return (
        f"the database {shown} failed ({type(exc).__name__}); check that it is running, reachable and "
        "writable, then try again"
    )


def storage_error(exc: BaseException, url: str) -> StorageError | None:
    """The ``StorageError`` for a driver error about the database itself, or None for anything else.

    Operational errors (connection, disk, locks) always translate; other driver errors only when
    they are about rights or a read-only server, so that integrity errors still reach the
    services that handle them and real defects stay visible as defects.
    """
    if isinstance(exc, OperationalError):
        return StorageError(describe_connection_error(exc, url))
    text = str(exc).lower()
    if isinstance(exc, DBAPIError) and ("permission denied" in text or "read-only transaction" in text):
        return StorageError(describe_connection_error(exc, url))
    return None


class Database:
    """The engine plus the two ways to open a transaction: ``read()`` and ``write()``."""

    def __init__(
        self, engine: Engine, url: str, *, write_retry_seconds: float = DEFAULT_WRITE_RETRY_SECONDS
    ) -> None:
        self.engine = engine
        self.url = url
        self.write_retry_seconds = write_retry_seconds
        self._writer = threading.RLock()
        # SQLite: the connection writes go through, kept from one write to the next (see
        # ``_writer_connection``); only used while holding ``_writer``.
        self._kept: Connection | None = None

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        write_retry_seconds: float = DEFAULT_WRITE_RETRY_SECONDS,
        options: EngineOptions | None = None,
    ) -> Database:
        """A database for ``url`` (see ``make_engine``)."""
        return cls(make_engine(url, options=options), url, write_retry_seconds=write_retry_seconds)

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
    def peek(self) -> Iterator[Connection]:
        """A connection for look-ups that each stand alone, run with ``storage.prepared``: no
        transaction is begun for them (each statement is atomic by itself), which is what every
        request's first look-up, its token or session, needs. (``Connection.execute`` on it would
        begin one, rolled back when the block ends.)
        """
        with self._translate(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self, *, retry_seconds: float | None = None) -> Iterator[Connection]:
        """A write transaction: all or nothing; ``BEGIN IMMEDIATE`` on SQLite.

        Taking the lock is retried (see ``_begin_write``), so a busy database makes a write wait,
        not fail, for up to ``retry_seconds`` (default ``write_retry_seconds``).
        """
        budget = self.write_retry_seconds if retry_seconds is None else retry_seconds
        with self._translate(), self._in_turn(budget):
            conn, transaction, kept = self._begin_write(budget)
            done = False
            try:
                with transaction:
                    yield conn
                done = True
            finally:
                # A write that failed gives its connection up: whatever state the failure left it
                # in, the next write starts on a fresh one.
                if not kept or not done or conn.invalidated:
                    conn.close()
                    if kept:
                        self._kept = None

    @contextmanager
    def _in_turn(self, budget: float) -> Iterator[None]:
        """On SQLite, the writers of this process take turns in a queue before asking for the lock.

        SQLite has one writer at a time; without the queue, every waiting request thread polls the
        file lock with growing sleeps, so a few wait seconds while others pass. Writers in other
        processes (a CLI import) still meet ``busy_timeout`` and the retry.
        """
        if self.dialect != "sqlite":
            yield
            return
        if not self._writer.acquire(timeout=max(budget, 5.0)):
            raise StorageError(describe_connection_error(Exception("database is locked"), self.url))
        try:
            yield
        finally:
            self._writer.release()

    def _writer_connection(self) -> tuple[Connection, bool]:
        """The connection for a write, and whether it is the kept one.

        On SQLite writes take turns (``_in_turn``), so the one writing at a time keeps using the
        same connection: a write skips taking a connection from the pool and giving it back, and
        the connection's page cache stays warm. (A write nested in another on the same thread gets
        its own connection, as before; SQLite makes it wait for the outer one.)
        """
        if self.dialect == "sqlite":
            kept = self._kept
            if kept is None or kept.closed or kept.invalidated:
                kept = self._kept = self.engine.connect().execution_options(**{_WRITE: True})
            if not kept.in_transaction():
                return kept, True
        return self.engine.connect().execution_options(**{_WRITE: True}), False

    def _begin_write(self, budget: float) -> tuple[Connection, RootTransaction, bool]:
        """A connection holding the write lock, retrying with backoff while another has it."""
        deadline = time.monotonic() + budget
        delay = 0.05
        while True:
            conn, kept = self._writer_connection()
            try:
                return conn, conn.begin(), kept
            except OperationalError as exc:
                conn.close()
                if kept:
                    self._kept = None
                if not _is_lock(exc) or time.monotonic() + delay > deadline:
                    raise
            # Jitter keeps two waiting writers from retrying in step.
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 1.0)

    def check_writable(self) -> None:
        """Raise ``StorageError`` unless a write reaches the database (for ``/healthz``).

        SQLite really writes (the schema version, unchanged), so a full disk or a read-only
        file shows; PostgreSQL reports whether the server accepts writes at all.
        """
        # No retrying: a health check answers within SQLite's busy timeout (5 s), locked or not.
        with self.write(retry_seconds=0) as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
            elif conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on":
                raise StorageError(describe_connection_error(Exception("read-only transaction"), self.url))

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            translated = storage_error(exc, self.url)
            if translated is None:
                raise
            raise translated from exc

    def dispose(self) -> None:
        """Close pooled connections (and the kept writer's)."""
        with self._writer:
            kept, self._kept = self._kept, None
            if kept is not None:
                kept.close()
        self.engine.dispose()
