"""Reading and writing accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from goalwise.core.accounts.user import User
from goalwise.core.errors import Conflict
from goalwise.storage.conflict import insert_once
from goalwise.storage.prepared import Prepared
from goalwise.storage.tables import users

__all__ = [
    "get_user",
    "get_user_by_email",
    "insert_user",
    "list_users",
    "password_hash",
    "set_active",
    "set_password_hash",
    "to_user",
]


def to_user(row: Any) -> User:
    """A ``User`` from a row of ``users``."""
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=row.role,
        is_active=row.is_active,
        client_id=row.client_id,
        has_password=bool(row.password_hash),
    )


def insert_user(conn: Connection, **values: Any) -> User:
    """Insert an account and return it; ``Conflict`` when the email has an account (also when
    another request made it a moment ago: the unique email decides, see ``storage.conflict``)."""
    new_id = insert_once(conn, users, values, ("email",))
    if new_id is None:
        raise Conflict("an account with this email already exists")
    row = conn.execute(select(users).where(users.c.id == new_id)).one()
    return to_user(row)


# Built once: every authenticated request reads its account (compiled SQL reused, see client_repo).
_USER = Prepared(select(users).where(users.c.id == bindparam("user_id")))


def get_user(conn: Connection, user_id: int) -> User | None:
    """The account with ``user_id``, or None."""
    row = _USER.first(conn, {"user_id": user_id})
    return to_user(row) if row else None


def get_user_by_email(conn: Connection, email: str) -> User | None:
    """The account with this email (case-insensitive), or None."""
    row = conn.execute(select(users).where(users.c.email == email.strip().lower())).first()
    return to_user(row) if row else None


def password_hash(conn: Connection, user_id: int) -> str | None:
    """The stored Argon2id hash."""
    return conn.execute(select(users.c.password_hash).where(users.c.id == user_id)).scalar_one_or_none()


def set_password_hash(conn: Connection, user_id: int, hashed: str) -> None:
    """Replace the password hash."""
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=hashed))


def set_active(conn: Connection, user_id: int, active: bool) -> None:
    """Enable or disable an account."""
    conn.execute(update(users).where(users.c.id == user_id).values(is_active=active))


def list_users(conn: Connection, role: str | None = None) -> list[User]:
    """Accounts by role and email."""
    query = select(users).order_by(users.c.role, users.c.email)
    if role:
        query = query.where(users.c.role == role)
    return [to_user(row) for row in conn.execute(query)]
