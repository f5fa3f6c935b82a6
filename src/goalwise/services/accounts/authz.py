"""Authorization, checked on every object inside the services.

A client reaches only their own records; a therapist only clients linked to them; an admin
manages accounts but reads clinical content only where also linked as the client's therapist;
the local operator (``system``) holds the database already. A denied object raises
``NotFound`` rather than ``Forbidden`` so that nobody learns that it exists.
"""

from __future__ import annotations

from sqlalchemy import Connection

from goalwise.core.accounts.actor import Actor
from goalwise.core.client import Client
from goalwise.core.errors import Forbidden, NotFound
from goalwise.storage import client_repo

__all__ = ["can_read_client", "require_client", "require_role"]


def can_read_client(conn: Connection, actor: Actor, client_id: int) -> bool:
    """True when ``actor`` may read the clinical records of ``client_id``."""
    if actor.is_system:
        return True
    if actor.role == "client":
        return actor.client_id == client_id
    if actor.role in ("therapist", "admin") and actor.user_id is not None:
        return client_repo.is_linked(conn, actor.user_id, client_id)
    return False


def require_client(conn: Connection, actor: Actor, client_id: int, *, write: bool = False) -> Client:
    """The client, when ``actor`` may read (or, with ``write``, change) their records; else ``NotFound``."""
    if write and actor.role == "supporter":
        raise NotFound(f"client {client_id} not found")
    if actor.role in ("therapist", "admin") and actor.user_id is not None:
        client = client_repo.get_linked_client(
            conn, actor.user_id, client_id
        )  # as can_read_client, in one query
    else:
        client = client_repo.get_client(conn, client_id) if can_read_client(conn, actor, client_id) else None
    if client is None:
        raise NotFound(f"client {client_id} not found")
    return client


def require_role(actor: Actor, *roles: str) -> None:
    """Raise ``Forbidden`` unless the actor has one of ``roles`` (the local operator always passes)."""
    if actor.is_system or actor.role in roles:
        return
    raise Forbidden(f"this needs the {' or '.join(roles)} role")
