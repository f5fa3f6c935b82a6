"""Log-in, server-side sessions, throttling and personal access tokens.

Sessions live in the database, so they can be revoked at once: log out, log out everywhere,
or an admin's revoke. A session ends after ``GOALWISE_SESSION_IDLE_MINUTES`` without a request.
Failed log-ins are counted per account and per address over ``GOALWISE_LOGIN_WINDOW_MINUTES``;
past the limit, log-in is refused with a clear message even for the right password, and the
refusal is audited. Each attempt reserves its failure before the password is checked, in the
transaction that counts failures (see ``login``), so concurrent attempts cannot check more passwords
than the limit allows.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.accounts.user import User
from goalwise.core.errors import InvalidInput, NotAuthenticated, NotFound, Problem, TooManyAttempts
from goalwise.services.accounts import audit
from goalwise.services.accounts.accounts import ADMIN_RESET, actor_for
from goalwise.services.accounts.passwords import (
    hash_password,
    needs_rehash,
    spend_verify_time,
    verify_password,
)
from goalwise.services.accounts.secret_token import hash_token, new_token
from goalwise.services.context import Context
from goalwise.storage import user_repo
from goalwise.storage.prepared import Prepared
from goalwise.storage.tables import api_tokens, audit_events, auth_sessions, login_failures, users

__all__ = [
    "ApiToken",
    "LoginResult",
    "SessionInfo",
    "create_api_token",
    "list_api_tokens",
    "list_sessions",
    "login",
    "logout",
    "logout_everywhere",
    "resolve_api_token",
    "resolve_session",
    "revoke_api_token",
    "revoke_user_sessions",
]

# Built once and given their values at execution: every request looks its session or API token up,
# and SQLAlchemy reuses the compiled SQL instead of building and hashing a new statement each time.
_TOKEN = Prepared(
    select(
        users,
        api_tokens.c.id.label("token_id"),
        api_tokens.c.scope.label("token_scope"),
        api_tokens.c.expires_at.label("token_expires_at"),
        api_tokens.c.revoked_at.label("token_revoked_at"),
        api_tokens.c.last_used_at.label("token_last_used_at"),
    )
    .select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))
    .where(api_tokens.c.token_hash == bindparam("token_hash"))
)
_SESSION = Prepared(select(auth_sessions).where(auth_sessions.c.token_hash == bindparam("token_hash")))

#: Addresses get more room than accounts: a clinic may share one public address.
ADDRESS_FACTOR = 4
#: Refresh ``last_seen_at`` at most this often, so reading a page is not a write every time.
TOUCH_EVERY = timedelta(seconds=60)
_GENERIC = "The email or password is not right."
#: An administrator's reset of an existing password is told to the owner at each log-in for this long.
RESET_NOTICE_DAYS = 30
#: The first key of PostgreSQL advisory locks taken while counting log-in failures.
_LOCK_CLASS = 7301


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A new session: the cookie value (shown once) and its CSRF token."""

    token: str
    csrf_token: str
    user: User
    notice: str | None = None


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A session as shown on the account page."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    address: str | None
    user_agent: str | None
    current: bool


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A personal access token (the secret is shown once, at creation)."""

    id: int
    name: str
    scope: Literal["read", "write"]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def _utc(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes; everything stored is UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def login(
    ctx: Context,
    email: str,
    password: str,
    *,
    address: str = "unknown",
    user_agent: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check the password and open a session; throttled per account and per address.

    An unknown or not yet activated account costs the same password check as a wrong password.
    """
    now = now or datetime.now(UTC)
    email = email.strip().lower()
    address = address[:64]  # as stored, so the count finds every earlier failure
    anonymous = Actor.anonymous(address, user_agent)
    attempt = _reserve_attempt(ctx, email, address, anonymous, now)
    if attempt is None:
        minutes = ctx.settings.login_window_minutes
        raise TooManyAttempts(
            f"Too many failed log-ins. Wait {minutes} minutes and try again, "
            "or ask your therapist or administrator for a reset link."
        )
    failure_id, user, stored = attempt
    if user is None or not user.is_active or stored is None:
        spend_verify_time(password)
        ok = False
    else:
        ok = verify_password(stored, password)
    with ctx.db.write() as conn:
        if ok and user is not None and stored is not None:
            conn.execute(delete(login_failures).where(login_failures.c.id == failure_id))
            return _open_session(conn, user, stored, password, address, user_agent, now)
        audit.record(conn, anonymous, "login-failed", "user", user.id if user else None)
    # Committed above: the failure is counted even though we raise.
    raise InvalidInput([Problem("login-failed", "password", _GENERIC, "Check both and try again.")], _GENERIC)


def _reserve_attempt(
    ctx: Context, email: str, address: str, anonymous: Actor, now: datetime
) -> tuple[int, User | None, str | None] | None:
    """Count failures and, under the limit, record this attempt as one (a right password removes it).

    Counting and recording happen in one transaction that holds the account's and the address's
    lock (PostgreSQL advisory locks; SQLite's ``BEGIN IMMEDIATE`` serializes writers), so no two
    attempts see the same count. Returns the reserved row, the account and its hash, or None when
    throttled.
    """
    since = now - timedelta(minutes=ctx.settings.login_window_minutes)
    limit = ctx.settings.login_max_failures
    with ctx.db.write() as conn:
        _lock(conn, f"email:{email}", f"address:{address}")
        by_email = conn.execute(
            select(func.count())
            .select_from(login_failures)
            .where(login_failures.c.email == email, login_failures.c.at >= since)
        ).scalar_one()
        by_address = conn.execute(
            select(func.count())
            .select_from(login_failures)
            .where(login_failures.c.address == address, login_failures.c.at >= since)
        ).scalar_one()
        if by_email >= limit or by_address >= limit * ADDRESS_FACTOR:
            audit.record(conn, anonymous, "login-throttled", "user", None)
            return None
        failure_id = conn.execute(
            insert(login_failures)
            .values(email=email[:254], address=address, at=now)
            .returning(login_failures.c.id)
        ).scalar_one()
        user = user_repo.get_user_by_email(conn, email)
        stored = user_repo.password_hash(conn, user.id) if user else None
    return int(failure_id), user, stored


def _lock(conn: Connection, *keys: str) -> None:
    """Take transaction-scoped PostgreSQL advisory locks on ``keys``, always in the given order."""
    if conn.dialect.name != "postgresql":
        return
    for key in keys:
        conn.execute(select(func.pg_advisory_xact_lock(_LOCK_CLASS, func.hashtext(key))))


def _open_session(
    conn: Connection,
    user: User,
    stored: str,
    password: str,
    address: str,
    user_agent: str | None,
    now: datetime,
) -> LoginResult:
    if needs_rehash(stored):
        user_repo.set_password_hash(conn, user.id, hash_password(password))
    token, csrf = new_token(), new_token()
    conn.execute(
        insert(auth_sessions).values(
            token_hash=hash_token(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            address=address,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    actor = actor_for(user, address=address, user_agent=user_agent)
    audit.record(conn, actor, "login", "user", user.id, user.client_id)
    return LoginResult(token, csrf, user, _reset_notice(conn, user, now))


def _reset_notice(conn: Connection, user: User, now: datetime) -> str | None:
    """Tell the owner when an administrator reset their password (shown at log-in for 30 days)."""
    row = conn.execute(
        select(audit_events.c.at, audit_events.c.actor)
        .where(
            audit_events.c.object_type == "user",
            audit_events.c.object_id == str(user.id),
            audit_events.c.action == ADMIN_RESET,
            audit_events.c.at >= now - timedelta(days=RESET_NOTICE_DAYS),
        )
        .order_by(audit_events.c.at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    at = _utc(row.at)
    assert at is not None
    return (
        f"An administrator ({row.actor}) reset your password on {at:%Y-%m-%d} (UTC). "
        "If you did not ask for this, tell your clinic."
    )


def _looking_up(ctx: Context, conn: Connection | None) -> AbstractContextManager[Connection]:
    """``conn`` when the caller holds one, else a connection for look-ups (``Database.peek``)."""
    return nullcontext(conn) if conn is not None else ctx.db.peek()


def _writing(ctx: Context, conn: Connection | None) -> AbstractContextManager[Connection]:
    """``conn`` when the caller holds a write transaction, else a write transaction of its own."""
    return nullcontext(conn) if conn is not None else ctx.db.write()


def resolve_session(
    ctx: Context,
    token: str,
    *,
    address: str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
    conn: Connection | None = None,
) -> tuple[Actor, str, int]:
    """The actor, CSRF token and session id for a session cookie; ``NotAuthenticated`` when it ended.

    With ``conn`` (a write transaction the caller holds) the look-up and any touch run on it.
    """
    now = now or datetime.now(UTC)
    idle = timedelta(minutes=ctx.settings.session_idle_minutes)
    with _looking_up(ctx, conn) as looked:  # two look-ups, no transaction needed (see Database.peek)
        row = _SESSION.first(looked, {"token_hash": hash_token(token)})
        user = user_repo.get_user(looked, row.user_id) if row else None
    if row is None or user is None or row.revoked_at is not None or not user.is_active:
        raise NotAuthenticated("Your session has ended; please log in again.")
    last_seen = _utc(row.last_seen_at)
    assert last_seen is not None
    if now - last_seen > idle:
        raise NotAuthenticated("You were logged out after a period of inactivity; please log in again.")
    if now - last_seen > TOUCH_EVERY:
        with _writing(ctx, conn) as writer:
            writer.execute(update(auth_sessions).where(auth_sessions.c.id == row.id).values(last_seen_at=now))
    return actor_for(user, address=address, user_agent=user_agent), row.csrf_token, row.id


def logout(ctx: Context, token: str) -> None:
    """End one session (the current one)."""
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        row = _SESSION.first(conn, {"token_hash": hash_token(token)})
        if row is not None and row.revoked_at is None:
            conn.execute(update(auth_sessions).where(auth_sessions.c.id == row.id).values(revoked_at=now))
            user = user_repo.get_user(conn, row.user_id)
            if user is not None:
                audit.record(conn, actor_for(user), "logout", "session", row.id, user.client_id)


def logout_everywhere(ctx: Context, actor: Actor) -> int:
    """End every session of the actor's own account; returns how many ended."""
    if actor.user_id is None:
        raise NotAuthenticated("log in first")
    return _revoke_all(ctx, actor, actor.user_id)


def revoke_user_sessions(ctx: Context, actor: Actor, user_id: int) -> int:
    """An admin ends every session of another account."""
    if not (actor.is_system or actor.role == "admin"):
        raise NotFound(f"user {user_id} not found")
    return _revoke_all(ctx, actor, user_id)


def _revoke_all(ctx: Context, actor: Actor, user_id: int) -> int:
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        result = conn.execute(
            update(auth_sessions)
            .where(auth_sessions.c.user_id == user_id, auth_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        audit.record(conn, actor, "revoke-sessions", "user", user_id)
        return int(result.rowcount or 0)


def list_sessions(ctx: Context, actor: Actor, current_id: int | None = None) -> list[SessionInfo]:
    """The actor's open sessions, newest first."""
    if actor.user_id is None:
        return []
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(auth_sessions)
            .where(auth_sessions.c.user_id == actor.user_id, auth_sessions.c.revoked_at.is_(None))
            .order_by(auth_sessions.c.last_seen_at.desc())
        ).all()
    return [
        SessionInfo(
            r.id,
            _utc(r.created_at),
            _utc(r.last_seen_at),
            r.address,
            r.user_agent,  # type: ignore[arg-type]
            r.id == current_id,
        )
        for r in rows
    ]


# --- personal access tokens --------------------------------------------------------------------


def _token_from(row: object) -> ApiToken:
    r = row
    return ApiToken(
        r.id,
        r.name,
        r.scope,
        _utc(r.created_at),
        _utc(r.expires_at),  # type: ignore[attr-defined,arg-type]
        _utc(r.revoked_at),
        _utc(r.last_used_at),
    )  # type: ignore[attr-defined]


def create_api_token(
    ctx: Context,
    actor: Actor,
    *,
    name: str,
    scope: str = "read",
    expires_days: int | None = 90,
    user_id: int | None = None,
) -> tuple[ApiToken, str]:
    """A token for the JSON API; the secret (``gw_...``) is returned once and stored only as a hash."""
    owner = actor.user_id if user_id is None else user_id
    problems = []
    if scope not in ("read", "write"):
        problems.append(Problem("token-scope", "scope", f"Scope {scope!r} is unknown.", "Use read or write."))
    if not name.strip():
        problems.append(
            Problem("token-name", "name", "The token has no name.", 'Name it after its use, e.g. "R export".')
        )
    if expires_days is not None and not 1 <= expires_days <= 366:
        problems.append(
            Problem(
                "token-expiry",
                "expires_days",
                f"Expiry of {expires_days} days is out of range.",
                "Use 1 to 366 days.",
            )
        )
    if problems:
        raise InvalidInput(problems)
    if owner is None or (user_id is not None and not actor.is_system and user_id != actor.user_id):
        raise NotFound("user not found")
    now = datetime.now(UTC)
    secret = new_token("gw_")
    with ctx.db.write() as conn:
        if user_repo.get_user(conn, owner) is None:
            raise NotFound(f"user {owner} not found")
        expires = now + timedelta(days=expires_days) if expires_days else None
        token_id = conn.execute(
            insert(api_tokens)
            .values(
                user_id=owner,
                name=name.strip(),
                token_hash=hash_token(secret),
                scope=scope,
                created_at=now,
                expires_at=expires,
            )
            .returning(api_tokens.c.id)
        ).scalar_one()
        audit.record(conn, actor, "create", "api-token", token_id)
        row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).one()
    return _token_from(row), secret


def list_api_tokens(ctx: Context, actor: Actor, user_id: int | None = None) -> list[ApiToken]:
    """The tokens of the actor's account (the local operator may name any account)."""
    owner = user_id if (user_id is not None and actor.is_system) else actor.user_id
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(api_tokens).where(api_tokens.c.user_id == owner).order_by(api_tokens.c.created_at.desc())
        ).all()
    return [_token_from(r) for r in rows]


def revoke_api_token(ctx: Context, actor: Actor, token_id: int) -> None:
    """Revoke a token of the actor's own account (the local operator: any token)."""
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
        if row is None or (not actor.is_system and row.user_id != actor.user_id):
            raise NotFound(f"token {token_id} not found")
        conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=now))
        audit.record(conn, actor, "revoke", "api-token", token_id)


def resolve_api_token(
    ctx: Context,
    secret: str,
    *,
    address: str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
    conn: Connection | None = None,
) -> tuple[Actor, str]:
    """The actor and scope for a bearer token; ``NotAuthenticated`` when unknown, expired or revoked.

    With ``conn`` (a write transaction the caller holds) the look-up and any touch run on it.
    """
    now = now or datetime.now(UTC)
    with _looking_up(ctx, conn) as looked:  # one look-up, no transaction needed (see Database.peek)
        row = _TOKEN.first(looked, {"token_hash": hash_token(secret)})  # the token and its account
    user = user_repo.to_user(row) if row else None
    expires = _utc(row.token_expires_at) if row else None
    if (
        row is None
        or user is None
        or not user.is_active
        or row.token_revoked_at is not None
        or (expires is not None and expires <= now)
    ):
        raise NotAuthenticated("The API token is not valid (unknown, expired or revoked).")
    last_used = _utc(row.token_last_used_at)
    if last_used is None or now - last_used > TOUCH_EVERY:
        with _writing(ctx, conn) as writer:
            writer.execute(update(api_tokens).where(api_tokens.c.id == row.token_id).values(last_used_at=now))
    return actor_for(user, address=address, user_agent=user_agent), str(row.token_scope)
