"""The engine: SQLite pragmas on every connection, immediate write transactions, atomic writes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, literal, select

from goalwise.core.errors import ConfigError, StorageError
from goalwise.storage import engine as engine_module
from goalwise.storage.engine import Database, make_engine
from goalwise.storage.tables import clients


def test_sqlite_pragmas_are_set_on_every_connection(sqlite_db: Database) -> None:
    for _ in range(2):  # a second pooled connection gets them too
        with sqlite_db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def _traced(db: Database) -> list[str]:
    """Every statement SQLite itself is sent from now on (its trace): the BEGIN goes to the driver
    directly, so SQLAlchemy's events do not see it."""
    from sqlalchemy import event

    statements: list[str] = []
    db.dispose()  # new connections, each traced

    @event.listens_for(db.engine, "connect")
    def _trace(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.set_trace_callback(statements.append)

    return statements


def test_sqlite_writes_begin_immediate(sqlite_db: Database) -> None:
    statements = _traced(sqlite_db)
    with sqlite_db.write() as conn:
        conn.execute(select(1))
    with sqlite_db.read() as conn:
        conn.execute(select(1))
    assert "BEGIN IMMEDIATE" in statements
    assert statements.count("BEGIN") == 1


def test_a_peek_sends_its_statement_without_a_transaction(sqlite_db: Database) -> None:
    """A token or session look-up is one statement: no BEGIN and no COMMIT around it."""
    from goalwise.storage.prepared import Prepared

    statements = _traced(sqlite_db)
    with sqlite_db.peek() as conn:
        assert Prepared(select(literal(7).label("seven"))).first(conn, {}).seven == 7
    # The trace shows bound values; closing the connection may roll back nothing.
    assert [s for s in statements if not s.startswith("ROLLBACK")] == ["SELECT 7 AS seven"]


def test_a_failed_write_leaves_nothing_behind(db: Database) -> None:
    now = datetime.now(UTC)
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.execute(insert(clients).values(name="Temp", timezone="UTC", created_at=now))
        raise RuntimeError("boom")
    with db.read() as conn:
        assert conn.execute(select(func.count()).select_from(clients)).scalar_one() == 0


def test_foreign_keys_are_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    from goalwise.storage.tables import metrics

    with pytest.raises(IntegrityError), db.write() as conn:
        conn.execute(
            insert(metrics).values(
                client_id=999,
                key="mood",
                label="Mood",
                kind="rating",
                higher_is_better=True,
                created_at=datetime.now(UTC),
            )
        )


def test_unsupported_and_malformed_urls_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="supports sqlite and postgresql"):
        make_engine("mysql://user@host/db")
    with pytest.raises(ConfigError, match="not a database URL"):
        make_engine("not a url")


def test_unreachable_postgres_is_one_clear_line_without_the_password() -> None:
    db = Database.from_url("postgresql+psycopg://someone:s3cret@127.0.0.1:1/goalwise")
    with pytest.raises(StorageError) as info, db.read():
        pass
    assert "cannot reach the PostgreSQL server" in info.value.message
    assert "s3cret" not in info.value.message
    assert "\n" not in info.value.message


def test_read_only_database_names_the_fix(sqlite_db: Database) -> None:
    path = sqlite_db.engine.url.database
    sqlite_db.dispose()
    read_only = Database.from_url(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StorageError, match="read-only"), read_only.write() as conn:
        conn.execute(insert(clients).values(name="X", timezone="UTC", created_at=datetime.now(UTC)))


def test_sqlite_writes_keep_their_connection_until_one_fails(sqlite_db: Database) -> None:
    """Writes take turns on SQLite, so they share one connection; a failed write gives it up."""
    with sqlite_db.write() as first:
        first.execute(select(1))
    with sqlite_db.write() as second:
        second.execute(select(1))
    assert second is first
    with pytest.raises(RuntimeError), sqlite_db.write() as failing:
        raise RuntimeError("the write's own error")
    assert failing is first and failing.closed
    with sqlite_db.write() as fresh:
        assert fresh.execute(select(1)).scalar() == 1
    assert fresh is not first
    sqlite_db.dispose()
    assert fresh.closed


@pytest.mark.postgres
def test_postgres_writes_take_a_connection_each(pg_db: Database) -> None:
    with pg_db.write() as first:
        first.execute(select(1))
    with pg_db.write() as second:
        second.execute(select(1))
    assert first.closed and second.closed


@pytest.mark.postgres
def test_postgres_pings_a_pooled_connection_only_after_it_rested(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection handed back a moment ago is used as it is; one that rested is pinged first."""
    pings: list[int] = []
    real = pg_db.engine.dialect.do_ping
    monkeypatch.setattr(pg_db.engine.dialect, "do_ping", lambda c: pings.append(1) or real(c))
    for _ in range(3):  # a new connection, then the same one back from the pool at once
        with pg_db.read() as conn:
            conn.execute(select(1))
    assert pings == []
    monkeypatch.setattr(engine_module, "PING_AFTER_SECONDS", 0.0)
    with pg_db.read() as conn:
        conn.execute(select(1))
    assert pings == [1]


@pytest.mark.postgres
@pytest.mark.parametrize("rested", [True, False], ids=["after a rest (pinged)", "at once (socket checked)"])
def test_postgres_replaces_a_pooled_connection_the_server_closed(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch, rested: bool
) -> None:
    """The server ended the pooled connection (a restart, an administrator): the next request gets
    a working one instead of an error, whether the connection rested or was handed back a moment
    ago (then no ping is sent; the socket says the server is gone)."""
    import time

    with pg_db.read() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    killer = make_engine(pg_db.url)
    try:
        with killer.connect() as other:
            assert other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})").scalar_one() is True
    finally:
        killer.dispose()
    time.sleep(0.2)  # the server's goodbye reaches the socket
    monkeypatch.setattr(engine_module, "PING_AFTER_SECONDS", 0.0 if rested else 60.0)
    with pg_db.read() as conn:
        assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid
