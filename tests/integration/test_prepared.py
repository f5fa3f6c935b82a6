"""``Prepared`` statements give what ``Connection.execute`` gives, on both databases.

Same rows and types (a datetime stored as text on SQLite comes back a datetime, a boolean stored as
an integer comes back a bool, JSON comes back parsed), values written in the statement are bound,
and a driver error is SQLAlchemy's error for it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.storage.prepared import Prepared
from goalwise.storage.tables import audit_events, clients, goals, users


def test_rows_equal_what_execute_returns(ctx: Context, cast: Cast) -> None:
    statement = select(users).where(users.c.id == bindparam("user_id"))
    prepared = Prepared(statement)
    with ctx.db.read() as conn:
        for person in cast.everyone().values():
            expected = conn.execute(statement, {"user_id": person.user_id}).one()
            got = prepared.first(conn, {"user_id": person.user_id})
            assert tuple(got) == tuple(expected)
            assert got.email == expected.email
            assert isinstance(got.created_at, datetime)
            assert got.is_active is True
        assert prepared.first(conn, {"user_id": 10**9}) is None


def test_a_join_with_labels_and_a_value_written_in_the_statement(ctx: Context, cast: Cast) -> None:
    statement = (
        select(clients.c.id, clients.c.timezone.label("zone"), func.count(goals.c.id).label("active"))
        .select_from(
            clients.outerjoin(goals, (goals.c.client_id == clients.c.id) & (goals.c.status == "active"))
        )
        .where(clients.c.id == bindparam("client_id"))
        .group_by(clients.c.id, clients.c.timezone)
    )
    client_id = cast.client_a.client_id
    with ctx.db.read() as conn:
        expected = conn.execute(statement, {"client_id": client_id}).one()
        got = Prepared(statement).first(conn, {"client_id": client_id})
    assert tuple(got) == tuple(expected)
    assert got.zone == expected.zone


def test_an_insert_stores_what_sqlalchemy_would_store(ctx: Context) -> None:
    at = datetime(2026, 3, 29, 1, 30, 15, 250_000, tzinfo=UTC)
    columns = ("at", "actor", "action", "object_type")
    prepared = Prepared(insert(audit_events).values({c: bindparam(c) for c in columns}))
    with ctx.db.write() as conn:
        prepared.rows(conn, {"at": at, "actor": "system:cli", "action": "probe", "object_type": "test"})
        conn.execute(
            insert(audit_events), {"at": at, "actor": "system:cli", "action": "probe2", "object_type": "test"}
        )
    with ctx.db.read() as conn:
        stored = conn.execute(
            select(audit_events.c.action, audit_events.c.at).where(audit_events.c.object_type == "test")
        ).all()
    assert {action: when for action, when in stored}["probe"] == {a: w for a, w in stored}["probe2"]


def test_expanding_parameters_are_refused(ctx: Context) -> None:
    prepared = Prepared(select(users.c.id).where(users.c.id.in_(bindparam("ids", expanding=True))))
    with ctx.db.read() as conn, pytest.raises(ValueError, match="expanding"):
        prepared.rows(conn, {"ids": [1, 2]})


def test_a_driver_error_is_sqlalchemys_error(ctx: Context, cast: Cast) -> None:
    prepared = Prepared(
        insert(users).values(
            email=bindparam("email"),
            name="Copy",
            role="therapist",
            is_active=True,
            created_at=bindparam("at"),
        )
    )
    with pytest.raises(IntegrityError), ctx.db.write() as conn:
        prepared.rows(conn, {"email": cast.therapist.email, "at": datetime.now(UTC)})
