"""Use cases for clients: add, list, show."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from goalwise.core.accounts.actor import Actor
from goalwise.core.client import Client, validate_client
from goalwise.core.errors import InvalidInput
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.storage import client_repo
from goalwise.storage.tables import care_links, users

__all__ = ["add_client", "get_client", "list_clients", "therapists_of"]


def add_client(ctx: Context, actor: Actor, name: str, timezone: str, *, consent: bool = False) -> Client:
    """Create a client. A therapist who adds a client is linked to them at once.

    ``consent`` records that the client agreed, in person, to the therapist reading their records
    (a client invited by email consents when accepting the invitation instead).

    Raises ``InvalidInput`` naming each bad field; nothing is stored then.
    """
    authz.require_role(actor, "therapist")
    problems = validate_client(name, timezone)
    if problems:
        raise InvalidInput(problems)
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        client = client_repo.insert_client(conn, name.strip(), timezone, now)
        if actor.role == "therapist" and actor.user_id is not None:
            client_repo.link_therapist(conn, actor.user_id, client.id, now, consent=consent)
        audit.record(conn, actor, "create", "client", client.id, client.id)
    return client


def list_clients(ctx: Context, actor: Actor) -> list[Client]:
    """The clients the actor may see, by name."""
    with ctx.db.read() as conn:
        if actor.is_system:
            return client_repo.list_clients(conn)
        if actor.role == "client":
            return client_repo.list_clients(conn, client_id=actor.client_id or -1)
        if actor.role in ("therapist", "admin") and actor.user_id is not None:
            return client_repo.list_clients(conn, therapist_id=actor.user_id)
        return []


def get_client(ctx: Context, actor: Actor, client_id: int) -> Client:
    """One client, if the actor may see them (``NotFound`` otherwise)."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        client = client_repo.get_client(conn, client_id)
        assert client is not None
        return client


def therapists_of(ctx: Context, actor: Actor, client_id: int) -> list[tuple[str, datetime | None]]:
    """The therapists who can read the client's records, with when the client consented."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        rows = conn.execute(
            select(users.c.name, care_links.c.consent_at)
            .join(care_links, care_links.c.therapist_id == users.c.id)
            .where(care_links.c.client_id == client_id)
            .order_by(users.c.name)
        ).all()
    return [(r.name, r.consent_at) for r in rows]
