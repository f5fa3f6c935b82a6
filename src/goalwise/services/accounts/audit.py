"""The audit log: who did what to whose record, appended inside the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, insert

from goalwise.core.accounts.actor import Actor
from goalwise.storage.prepared import Prepared
from goalwise.storage.tables import audit_events

__all__ = ["actor_label", "record"]

# One statement, compiled once and given every column but the id at execution (every write appends one).
_COLUMNS = tuple(c.name for c in audit_events.columns if c.name != "id")
_APPEND = Prepared(insert(audit_events).values({name: bindparam(name) for name in _COLUMNS}))


def actor_label(actor: Actor) -> str:
    """How the actor appears in the audit log: role and account id, never a client's name."""
    if actor.is_system:
        return "system:cli"
    if actor.user_id is None:
        return "anonymous"
    return f"{actor.role}:{actor.user_id}"


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = None,
    client_id: int | None = None,
) -> None:
    """Append one audit event. Runs in the caller's transaction, so it commits with the change."""
    _APPEND.rows(
        conn,
        {
            "at": datetime.now(UTC),
            "actor": actor_label(actor),
            "actor_user_id": actor.user_id,
            "action": action,
            "object_type": object_type,
            "object_id": None if object_id is None else str(object_id),
            "client_id": client_id,
            "address": actor.address,
            "user_agent": (actor.user_agent or "")[:200] or None,
        },
    )
