"""Client use cases on both databases, with authorization from the start."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Forbidden, InvalidInput, NotFound
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.storage.tables import audit_events
from goalwise.storage.tables import clients as clients_table


def test_add_and_list_clients(ctx: Context) -> None:
    robin = clients.add_client(ctx, Actor.system(), "Robin", "Europe/London")
    clients.add_client(ctx, Actor.system(), "Ash", "UTC")
    assert [c.name for c in clients.list_clients(ctx, Actor.system())] == ["Ash", "Robin"]
    assert clients.get_client(ctx, Actor.system(), robin.id).timezone == "Europe/London"


def test_bad_input_names_every_field_and_stores_nothing(ctx: Context) -> None:
    with pytest.raises(InvalidInput) as info:
        clients.add_client(ctx, Actor.system(), "", "Nowhere/Special")
    assert {p.field for p in info.value.problems} == {"name", "timezone"}
    with ctx.db.read() as conn:
        assert conn.execute(select(clients_table)).first() is None


def test_client_creation_is_audited(ctx: Context) -> None:
    client = clients.add_client(ctx, Actor.system(), "Robin", "UTC")
    with ctx.db.read() as conn:
        row = conn.execute(select(audit_events)).one()
    assert (row.action, row.object_type, row.client_id, row.actor) == (
        "create",
        "client",
        client.id,
        "system:cli",
    )


def test_a_client_sees_only_themselves(ctx: Context) -> None:
    a = clients.add_client(ctx, Actor.system(), "A", "UTC")
    b = clients.add_client(ctx, Actor.system(), "B", "UTC")
    actor = Actor(role="client", user_id=50, client_id=a.id)
    assert [c.id for c in clients.list_clients(ctx, actor)] == [a.id]
    with pytest.raises(NotFound):
        clients.get_client(ctx, actor, b.id)


def test_a_supporter_cannot_create_clients(ctx: Context) -> None:
    with pytest.raises(Forbidden):
        clients.add_client(ctx, Actor(role="supporter", user_id=9), "X", "UTC")
