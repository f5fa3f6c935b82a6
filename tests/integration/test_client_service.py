"""Client use cases on both databases, with authorization from the start."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from goalwise.core.actor import Actor
from goalwise.core.errors import Forbidden, InvalidInput, NotFound
from goalwise.services import clients
from goalwise.storage.engine import Database
from goalwise.storage.tables import audit_events
from goalwise.storage.tables import clients as clients_table


def test_add_and_list_clients(db: Database) -> None:
    robin = clients.add_client(db, Actor.system(), "Robin", "Europe/London")
    clients.add_client(db, Actor.system(), "Ash", "UTC")
    assert [c.name for c in clients.list_clients(db, Actor.system())] == ["Ash", "Robin"]
    assert clients.get_client(db, Actor.system(), robin.id).timezone == "Europe/London"


def test_bad_input_names_every_field_and_stores_nothing(db: Database) -> None:
    with pytest.raises(InvalidInput) as info:
        clients.add_client(db, Actor.system(), "", "Nowhere/Special")
    assert {p.field for p in info.value.problems} == {"name", "timezone"}
    with db.read() as conn:
        assert conn.execute(select(clients_table)).first() is None


def test_client_creation_is_audited(db: Database) -> None:
    client = clients.add_client(db, Actor.system(), "Robin", "UTC")
    with db.read() as conn:
        row = conn.execute(select(audit_events)).one()
    assert (row.action, row.object_type, row.client_id, row.actor) == (
        "create",
        "client",
        client.id,
        "system:cli",
    )


def test_a_client_sees_only_themselves(db: Database) -> None:
    a = clients.add_client(db, Actor.system(), "A", "UTC")
    b = clients.add_client(db, Actor.system(), "B", "UTC")
    actor = Actor(role="client", user_id=50, client_id=a.id)
    assert [c.id for c in clients.list_clients(db, actor)] == [a.id]
    with pytest.raises(NotFound):
        clients.get_client(db, actor, b.id)


def test_a_supporter_cannot_create_clients(db: Database) -> None:
    with pytest.raises(Forbidden):
        clients.add_client(db, Actor(role="supporter", user_id=9), "X", "UTC")
