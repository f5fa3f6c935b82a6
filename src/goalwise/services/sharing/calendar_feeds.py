"""Private calendar subscription URLs: a phone calendar subscribes to a client's calendar feed.

The URL's token is the only credential (a calendar app cannot log in), so it carries 256 bits and
only its SHA-256 is stored (``services/accounts/secret_token``), like share links. The client or
their therapist makes one and revokes them all at once; a revoked URL answers 404 like one that
never existed. Every read of the feed is audited against the client.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.services.accounts import audit, authz
from goalwise.services.accounts.audit import actor_label
from goalwise.services.accounts.secret_token import hash_token, new_token
from goalwise.services.context import Context
from goalwise.storage.tables import calendar_feeds

__all__ = ["create_feed", "feed_reader", "revoke_feeds"]

TOKEN_PREFIX = "gwcal_"


def create_feed(ctx: Context, actor: Actor, client_id: int) -> tuple[int, str]:
    """A new feed for the client: (feed id, token). The token is shown once and never stored."""
    token = new_token(TOKEN_PREFIX)
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        feed_id = int(
            conn.execute(
                insert(calendar_feeds)
                .values(
                    client_id=client_id,
                    token_hash=hash_token(token),
                    created_by=actor_label(actor),
                    created_at=now,
                )
                .returning(calendar_feeds.c.id)
            ).scalar_one()
        )
        audit.record(conn, actor, "create", "calendar-feed", feed_id, client_id)
    return feed_id, token


def revoke_feeds(ctx: Context, actor: Actor, client_id: int) -> int:
    """Revoke every live feed of the client; returns how many were live."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        done = conn.execute(
            update(calendar_feeds)
            .where(calendar_feeds.c.client_id == client_id, calendar_feeds.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        ).rowcount
        audit.record(conn, actor, "revoke", "calendar-feed", None, client_id)
    return int(done or 0)


def feed_reader(ctx: Context, token: str) -> tuple[int, Actor]:
    """(client id, an actor that reads only that client's records) for a live feed token;
    ``NotFound`` for an unknown or revoked one. The read is audited."""
    with ctx.db.write() as conn:
        row = conn.execute(
            select(calendar_feeds.c.id, calendar_feeds.c.client_id, calendar_feeds.c.revoked_at).where(
                calendar_feeds.c.token_hash == hash_token(token)
            )
        ).first()
        if row is None or row.revoked_at is not None:
            raise NotFound("this calendar feed is not available: it was revoked or never existed")
        reader = Actor(role="client", client_id=int(row.client_id), label="calendar feed")
        audit.record(conn, reader, "view", "calendar-feed", int(row.id), int(row.client_id))
    return int(row.client_id), reader
