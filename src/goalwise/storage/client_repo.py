"""Reading and writing clients and care links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, exists, func, insert, select

from goalwise.core.client import Client
from goalwise.core.errors import Conflict
from goalwise.storage.conflict import insert_once
from goalwise.storage.prepared import Prepared
from goalwise.storage.tables import care_links, clients

__all__ = [
    "count_clients",
    "get_client",
    "get_linked_client",
    "insert_client",
    "is_linked",
    "link_therapist",
    "list_clients",
]


# Built once, given their values at execution: every request that touches a client's records asks
# both, and SQLAlchemy reuses their compiled SQL without rebuilding and hashing new statements.
_CLIENT = Prepared(select(clients).where(clients.c.id == bindparam("client_id")))
_LINKED_CLIENT = Prepared(
    select(clients)
    .join(care_links, care_links.c.client_id == clients.c.id)
    .where(clients.c.id == bindparam("client_id"), care_links.c.therapist_id == bindparam("therapist_id"))
)
_LINKED = select(
    exists().where(
        care_links.c.therapist_id == bindparam("therapist_id"),
        care_links.c.client_id == bindparam("client_id"),
    )
)


def _row_to_client(row: object) -> Client:
    return Client(id=row.id, name=row.name, timezone=row.timezone, created_at=row.created_at)  # type: ignore[attr-defined]


def insert_client(conn: Connection, name: str, timezone: str, created_at: datetime) -> Client:
    """Insert one client and return it."""
    new_id = conn.execute(
        insert(clients).values(name=name, timezone=timezone, created_at=created_at).returning(clients.c.id)
    ).scalar_one()
    return Client(id=new_id, name=name, timezone=timezone, created_at=created_at)


def get_client(conn: Connection, client_id: int) -> Client | None:
    """The client with ``client_id``, or None."""
    row = _CLIENT.first(conn, {"client_id": client_id})
    return _row_to_client(row) if row else None


def get_linked_client(conn: Connection, therapist_id: int, client_id: int) -> Client | None:
    """The client with ``client_id`` when linked to the therapist, or None (one query, not two)."""
    row = _LINKED_CLIENT.first(conn, {"client_id": client_id, "therapist_id": therapist_id})
    return _row_to_client(row) if row else None


def list_clients(
    conn: Connection, therapist_id: int | None = None, client_id: int | None = None
) -> list[Client]:
    """Clients by name; only those linked to ``therapist_id`` or equal to ``client_id`` when given."""
    query = select(clients).order_by(clients.c.name, clients.c.id)
    if therapist_id is not None:
        query = query.join(care_links, care_links.c.client_id == clients.c.id).where(
            care_links.c.therapist_id == therapist_id
        )
    if client_id is not None:
        query = query.where(clients.c.id == client_id)
    return [_row_to_client(row) for row in conn.execute(query)]


def count_clients(conn: Connection) -> int:
    """How many clients exist."""
    return int(conn.execute(select(func.count()).select_from(clients)).scalar_one())


def link_therapist(conn: Connection, therapist_id: int, client_id: int, at: datetime, consent: bool) -> None:
    """Link a therapist to a client, recording when the client consented.

    Raises ``Conflict`` when they are linked already (also when another request linked them a
    moment ago: the unique pair decides, see ``storage.conflict``).
    """
    values = {
        "therapist_id": therapist_id,
        "client_id": client_id,
        "created_at": at,
        "consent_at": at if consent else None,
    }
    if insert_once(conn, care_links, values, ("therapist_id", "client_id")) is None:
        raise Conflict("this therapist is already linked to the client")


def is_linked(conn: Connection, therapist_id: int, client_id: int) -> bool:
    """True when the therapist is linked to the client."""
    return bool(conn.execute(_LINKED, {"therapist_id": therapist_id, "client_id": client_id}).scalar())
