"""One-time links and ending an account's access: the pieces every password change shares.

A password change, a reset and disabling an account all end every log-in session, every API token
and every outstanding one-time link of the account (``end_access``), so nothing made before the
change still opens the account after it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, update

from goalwise.services.accounts.secret_token import hash_token, new_token
from goalwise.storage.tables import api_tokens, auth_sessions, one_time_links

__all__ = ["end_access", "new_link"]


def new_link(
    conn: Connection,
    user_id: int,
    purpose: str,
    created_by: int | None,
    now: datetime,
    valid_days: int,
) -> tuple[int, str, datetime]:
    """A one-time link (only its hash is stored): its id, the secret token and when it expires.

    ``created_by`` is the account the link is given to when that is not the owner (the one who makes
    a link that is shown to them holds it); None or the owner's id when it reaches the owner.
    """
    token = new_token()
    expires = now + timedelta(days=valid_days)
    link_id = conn.execute(
        one_time_links.insert()
        .values(
            user_id=user_id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_by=created_by,
            created_at=now,
            expires_at=expires,
        )
        .returning(one_time_links.c.id)
    ).scalar_one()
    return int(link_id), token, expires


def end_access(conn: Connection, user_id: int, now: datetime, *, keep_link: int | None = None) -> None:
    """End every session, API token and unused one-time link of an account (but ``keep_link``)."""
    conn.execute(
        update(auth_sessions)
        .where(auth_sessions.c.user_id == user_id, auth_sessions.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    conn.execute(
        update(api_tokens)
        .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    links = update(one_time_links).where(
        one_time_links.c.user_id == user_id,
        one_time_links.c.used_at.is_(None),
        one_time_links.c.expires_at > now,
    )
    if keep_link is not None:
        links = links.where(one_time_links.c.id != keep_link)
    conn.execute(links.values(expires_at=now))
