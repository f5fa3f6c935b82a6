"""Accounts: creating users, invitations and password resets through one-time links.

Who may create whom: an admin creates admins, therapists and supporters; a therapist creates
clients (and is linked to them); the local operator may do anything. A client sets their
password through a one-time invitation link, and consents to the care link when doing so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.accounts.password_policy import password_problems
from goalwise.core.accounts.user import User, validate_user
from goalwise.core.client import Client, validate_client
from goalwise.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from goalwise.services.accounts import audit, authz, links, mailer
from goalwise.services.accounts.passwords import hash_password
from goalwise.services.accounts.secret_token import hash_token, new_token
from goalwise.services.context import Context
from goalwise.storage import client_repo, user_repo
from goalwise.storage.tables import care_links, one_time_links, users

__all__ = [
    "ADMIN_RESET",
    "Invitation",
    "ResetLink",
    "actor_for",
    "admin_reset",
    "check_link",
    "client_reset_link",
    "create_reset_link",
    "create_user",
    "disable_user",
    "find_user",
    "invite_client",
    "link_therapist",
    "list_users",
    "redeem_link",
    "register_client",
    "send_invitation",
]


#: The audit action of an administrator's reset that was shown to the administrator, not mailed.
ADMIN_RESET = "admin-reset"
_HAS_PASSWORD = (
    "This account has a password already, so only its owner may change it: an administrator can send "
    "the owner a reset link by mail, or the local operator can run `goalwise user reset-password EMAIL`."
)
_CLIENT_HAS_PASSWORD = (
    "This client has set a password already, so only they can change it. If they forgot it, they can "
    "ask the clinic's administrator for a reset link by mail."
)


@dataclass(frozen=True, slots=True)
class ResetLink:
    """A password link an administrator made: ``path`` is None when it went to the owner by mail only."""

    user: User
    path: str | None
    expires_at: datetime
    mailed: bool


@dataclass(frozen=True, slots=True)
class Invitation:
    """A new client, their account and the one-time link that lets them set a password.

    ``taken`` is True when the email already belonged to an account: then ``user`` is that account,
    the link leads nowhere, and the owner is mailed a note instead (``send_invitation``). Nothing
    shown to the therapist differs, so an invitation does not tell whether an email has an account.
    """

    client: Client
    user: User
    token: str
    expires_at: datetime
    taken: bool = False


def actor_for(user: User, *, address: str | None = None, user_agent: str | None = None) -> Actor:
    """The actor for a logged-in account."""
    return Actor(
        role=user.role,
        user_id=user.id,
        client_id=user.client_id,
        label=user.name,
        address=address,
        user_agent=user_agent,
    )


def _may_create(actor: Actor, role: str) -> bool:
    if actor.is_system:
        return True
    if actor.role == "admin":
        return role in ("admin", "therapist", "supporter")
    return actor.role == "therapist" and role == "supporter"


def create_user(
    ctx: Context,
    actor: Actor,
    *,
    email: str,
    name: str,
    role: str,
    password: str | None = None,
    client_id: int | None = None,
) -> User:
    """Create an account. Clients are made with ``invite_client`` (or by the local operator)."""
    problems = validate_user(email, name, role)
    if password is not None:
        problems += password_problems(password, login=email)
    if role == "client" and not actor.is_system:
        problems.append(
            Problem(
                "user-role-client",
                "role",
                "Client accounts come from an invitation.",
                "Use invite_client (web: Add client) so the client sets their own password.",
            )
        )
    if problems:
        raise InvalidInput(problems)
    if not _may_create(actor, role):
        raise Forbidden(f"a {actor.role} cannot create {role} accounts")
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        if user_repo.get_user_by_email(conn, email):
            raise Conflict("an account with this email already exists")
        user = user_repo.insert_user(
            conn,
            email=email.strip().lower(),
            name=name.strip(),
            role=role,
            password_hash=hash_password(password) if password else None,
            is_active=True,
            client_id=client_id,
            created_at=now,
        )
        audit.record(conn, actor, "create", "user", user.id)
    return user


def _new_link(
    conn: Connection, ctx: Context, user_id: int, purpose: str, created_by: int | None, now: datetime
) -> tuple[str, datetime]:
    _, token, expires = links.new_link(conn, user_id, purpose, created_by, now, ctx.settings.link_valid_days)
    return token, expires


def invite_client(
    ctx: Context, actor: Actor, *, name: str, email: str, timezone: str, operator: bool = False
) -> Invitation:
    """A therapist adds a client: the client record, their account, the care link, an invitation link.

    An email that already has an account gets the same answer (see ``Invitation.taken``), except for
    the local operator (``actor`` is the system, or ``operator`` when the command line acts for a
    therapist), who may list every account anyway and is told with ``Conflict``.
    """
    authz.require_role(actor, "therapist")
    problems = validate_client(name, timezone) + [
        p for p in validate_user(email, name, "client") if p.field == "email"
    ]
    if problems:
        raise InvalidInput(problems)
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        existing = user_repo.get_user_by_email(conn, email)
        if existing is not None and (actor.is_system or operator):
            raise Conflict("an account with this email already exists")  # the operator sees every account
        client = client_repo.insert_client(conn, name.strip(), timezone, now)
        if existing is not None:
            # The same answer as for a new email: a client record and a link, which opens nothing.
            if actor.user_id is not None:
                client_repo.link_therapist(conn, actor.user_id, client.id, now, consent=False)
            audit.record(conn, actor, "invite-taken-email", "client", client.id, client.id)
            expires = now + timedelta(days=ctx.settings.link_valid_days)
            return Invitation(client, existing, new_token(), expires, taken=True)
        user = user_repo.insert_user(
            conn,
            email=email.strip().lower(),
            name=name.strip(),
            role="client",
            is_active=True,
            client_id=client.id,
            created_at=now,
        )
        if actor.user_id is not None:
            client_repo.link_therapist(conn, actor.user_id, client.id, now, consent=False)
        token, expires = _new_link(conn, ctx, user.id, "invite", actor.user_id, now)
        audit.record(conn, actor, "invite", "client", client.id, client.id)
    return Invitation(client, user, token, expires)


def send_invitation(ctx: Context, invitation: Invitation) -> bool:
    """Mail the invitation link (or, for an email that had an account, a note to its owner).

    True when the mail server accepted it; False without one. The answer is the same either way.
    """
    if invitation.taken:
        return mailer.send_link(ctx.settings, invitation.user.email, "account-exists", "/login")
    return mailer.send_link(ctx.settings, invitation.user.email, "invite", f"/invite/{invitation.token}")


def register_client(ctx: Context, *, name: str, email: str, password: str, timezone: str) -> User:
    """Self-registration (only when ``GOALWISE_CLIENT_SELF_REGISTRATION`` is on): a client record and
    its account with a password, linked to no therapist.

    An email that already has an account gets the same answer, after the same password hashing: that
    account is returned unchanged and its owner is mailed a note (when mail is set up).
    """
    if not ctx.settings.client_self_registration:
        raise Forbidden("self-registration is off; accounts are made by invitation")
    problems = validate_client(name, timezone) + [
        p for p in validate_user(email, name, "client") if p.field == "email"
    ]
    problems += password_problems(password, login=email)
    if problems:
        raise InvalidInput(problems)
    now = datetime.now(UTC)
    hashed = hash_password(password)
    with ctx.db.write() as conn:
        user = user_repo.get_user_by_email(conn, email)
        taken = user is not None
        if user is not None:
            audit.record(conn, Actor.anonymous(), "register-taken-email", "user", user.id)
        else:
            client = client_repo.insert_client(conn, name.strip(), timezone, now)
            user = user_repo.insert_user(
                conn,
                email=email.strip().lower(),
                name=name.strip(),
                role="client",
                password_hash=hashed,
                is_active=True,
                client_id=client.id,
                created_at=now,
            )
            audit.record(conn, actor_for(user), "register", "client", client.id, client.id)
    if taken:
        mailer.send_link(ctx.settings, user.email, "account-exists", "/login")
    return user


def create_reset_link(ctx: Context, actor: Actor, user_id: int) -> tuple[str, datetime]:
    """A one-time password link shown to whoever made it.

    The local operator may make one for any account. An administrator, or a linked client's
    therapist, only for an account that has no password yet (its first password); an existing
    password is changed only by its owner, through a mailed link or ``admin_reset`` (``Conflict``).
    """
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        user = user_repo.get_user(conn, user_id)
        if user is None or not _may_link(conn, actor, user):
            raise NotFound(f"user {user_id} not found")
        if user.has_password and not actor.is_system:
            raise Conflict(_HAS_PASSWORD)
        token, expires = _new_link(conn, ctx, user.id, "reset", actor.user_id, now)
        audit.record(conn, actor, "reset-link", "user", user.id, user.client_id)
    return token, expires


def _may_link(conn: Connection, actor: Actor, user: User) -> bool:
    if actor.is_system or actor.role == "admin":
        return True
    return (
        actor.role == "therapist"
        and user.role == "client"
        and user.client_id is not None
        and actor.user_id is not None
        and client_repo.is_linked(conn, actor.user_id, user.client_id)
    )


def admin_reset(ctx: Context, actor: Actor, user_id: int) -> ResetLink:
    """An administrator resets an account's password.

    An account without a password gets its first-password link, shown (and mailed when mail is set
    up). An existing password: with mail set up, the link goes to the owner only; without, it is
    shown once to the administrator, every session, token and link of the account ends at once, the
    audit event ``admin-reset`` names the administrator, and the owner is told at their next log-in.
    """
    authz.require_role(actor, "admin")
    with ctx.db.read() as conn:
        user = user_repo.get_user(conn, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    if not user.has_password:
        token, expires = create_reset_link(ctx, actor, user_id)
        path = f"/reset/{token}"
        return ResetLink(user, path, expires, mailer.send_link(ctx.settings, user.email, "reset", path))
    now = datetime.now(UTC)
    days = ctx.settings.link_valid_days
    if ctx.settings.smtp_host:
        return _mailed_reset(ctx, actor, user, now)
    with ctx.db.write() as conn:
        link_id, token, expires = links.new_link(conn, user.id, "reset", actor.user_id, now, days)
        links.end_access(conn, user.id, now, keep_link=link_id)
        audit.record(conn, actor, ADMIN_RESET, "user", user.id, user.client_id)
    return ResetLink(user, f"/reset/{token}", expires, mailed=False)


def _mailed_reset(ctx: Context, actor: Actor, user: User, now: datetime) -> ResetLink:
    """The link goes only to the owner's mailbox (the link is held by the owner: ``created_by``)."""
    with ctx.db.write() as conn:
        link_id, token, expires = links.new_link(
            conn, user.id, "reset", user.id, now, ctx.settings.link_valid_days
        )
        audit.record(conn, actor, "reset-link", "user", user.id, user.client_id)
    if mailer.send_link(ctx.settings, user.email, "reset", f"/reset/{token}"):
        return ResetLink(user, None, expires, mailed=True)
    with ctx.db.write() as conn:
        conn.execute(update(one_time_links).where(one_time_links.c.id == link_id).values(expires_at=now))
    raise Conflict(
        "The mail server did not accept the reset mail, so no link was made. Try again later, or ask "
        "the local operator to run `goalwise user reset-password EMAIL`."
    )


def link_therapist(ctx: Context, actor: Actor, client_id: int, therapist_id: int, *, consent: bool) -> None:
    """Link another therapist to a client. The client's consent must be given, and is recorded.

    Only the local operator links therapists after the first: the clinic confirms the client's
    agreement (``consent``) before anyone new reads the records.
    """
    authz.require_role(actor)  # the local operator
    if not consent:
        raise InvalidInput(
            [
                Problem(
                    "consent",
                    "consent",
                    "The client's consent to this therapist is not recorded.",
                    "Ask the client first, then pass --consent.",
                )
            ]
        )
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        if client_repo.get_client(conn, client_id) is None:
            raise NotFound(f"client {client_id} not found")
        therapist = user_repo.get_user(conn, therapist_id)
        if therapist is None or therapist.role != "therapist":
            raise NotFound(f"therapist {therapist_id} not found")
        if client_repo.is_linked(conn, therapist_id, client_id):
            raise Conflict("this therapist is already linked to the client")
        client_repo.link_therapist(conn, therapist_id, client_id, now, consent=True)
        audit.record(conn, actor, "link", "client", therapist_id, client_id)


def client_reset_link(ctx: Context, actor: Actor, client_id: int) -> tuple[User, str, datetime]:
    """A linked therapist's new invitation for a client who has no password yet: the account, the
    link's path (``/invite/...``) and its expiry.

    A client who has set a password is refused (``Conflict``): only they may change it.
    """
    authz.require_role(actor, "therapist")
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        row = conn.execute(select(users).where(users.c.client_id == client_id)).first()
        if row is None:
            raise NotFound(f"client {client_id} has no account yet; invite them first")
        user = user_repo.to_user(row)
        if user.has_password and not actor.is_system:
            raise Conflict(_CLIENT_HAS_PASSWORD)
        token, expires = _new_link(conn, ctx, user.id, "invite", actor.user_id, now)
        audit.record(conn, actor, "invite-link", "user", user.id, client_id)
    return user, f"/invite/{token}", expires


def check_link(ctx: Context, token: str, purpose: str, *, now: datetime | None = None) -> None:
    """Raise ``NotFound`` unless ``token`` is an unused, unexpired link for ``purpose``."""
    now = now or datetime.now(UTC)
    with ctx.db.read() as conn:
        link = conn.execute(
            select(one_time_links).where(one_time_links.c.token_hash == hash_token(token))
        ).first()
    if link is None or link.purpose != purpose or link.used_at is not None:
        raise NotFound("this link is not valid any more; ask for a new one")
    expires = link.expires_at if link.expires_at.tzinfo else link.expires_at.replace(tzinfo=UTC)
    if expires <= now:
        raise NotFound("this link is not valid any more; ask for a new one")


def redeem_link(
    ctx: Context, token: str, password: str, *, consent: bool = False, now: datetime | None = None
) -> User:
    """Set a password through a one-time link; an invitation also records the client's consent.

    The new password ends every session, API token and other link of the account. The audit event
    ``set-password`` names who held the link: the owner, or the administrator an existing password's
    reset link was shown to.
    """
    now = now or datetime.now(UTC)
    with ctx.db.write() as conn:
        link = conn.execute(
            select(one_time_links).where(one_time_links.c.token_hash == hash_token(token))
        ).first()
        if link is None or link.used_at is not None or link.expires_at.replace(tzinfo=UTC) <= now:
            raise NotFound("this link is not valid any more; ask for a new one")
        user = user_repo.get_user(conn, link.user_id)
        assert user is not None
        problems = password_problems(password, login=user.email)
        if link.purpose == "invite" and not consent:
            problems.append(
                Problem(
                    "consent",
                    "consent",
                    "Please confirm that you agree to share your records with your therapist.",
                    "Tick the consent box to continue.",
                )
            )
        if problems:
            raise InvalidInput(problems)
        # One use only, even when two requests bring the same link at once.
        used = conn.execute(
            update(one_time_links)
            .where(one_time_links.c.id == link.id, one_time_links.c.used_at.is_(None))
            .values(used_at=now)
        )
        if used.rowcount != 1:
            raise NotFound("this link is not valid any more; ask for a new one")
        setter = _link_holder(conn, user, link.created_by)
        user_repo.set_password_hash(conn, user.id, hash_password(password))
        if link.purpose == "invite" and user.client_id is not None:
            conn.execute(
                update(care_links)
                .where(care_links.c.client_id == user.client_id, care_links.c.consent_at.is_(None))
                .values(consent_at=now)
            )
        links.end_access(conn, user.id, now)
        audit.record(conn, setter, "set-password", "user", user.id, user.client_id)
    return user


def _link_holder(conn: Connection, user: User, created_by: int | None) -> Actor:
    """Who set the password: the owner, unless a link that replaces a password was shown to another."""
    if user.has_password and created_by is not None and created_by != user.id:
        maker = user_repo.get_user(conn, created_by)
        if maker is not None:
            return actor_for(maker)
    return actor_for(user)


def find_user(ctx: Context, actor: Actor, email: str, *, role: str | None = None) -> User:
    """The account with ``email`` (and ``role``, when given), for administrators and the local operator.

    ``NotFound`` names the email and where to look, so a typo is easy to spot.
    """
    authz.require_role(actor, "admin")
    with ctx.db.read() as conn:
        user = user_repo.get_user_by_email(conn, email)
    if user is None or (role is not None and user.role != role):
        what = f"{role} account" if role else "account"
        raise NotFound(f"no {what} has the email {email}; see `goalwise user list`")
    return user


def list_users(ctx: Context, actor: Actor) -> list[User]:
    """Every account (admin and local operator only)."""
    authz.require_role(actor, "admin")
    with ctx.db.read() as conn:
        return user_repo.list_users(conn)


def disable_user(ctx: Context, actor: Actor, user_id: int) -> User:
    """Disable an account and end its sessions, tokens and one-time links at once."""
    authz.require_role(actor, "admin")
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        user = user_repo.get_user(conn, user_id)
        if user is None:
            raise NotFound(f"user {user_id} not found")
        if actor.user_id == user_id:
            raise Conflict("you cannot disable your own account")
        user_repo.set_active(conn, user_id, False)
        links.end_access(conn, user_id, now)
        audit.record(conn, actor, "disable", "user", user_id)
        refreshed = conn.execute(select(users).where(users.c.id == user_id)).one()
    return user_repo.to_user(refreshed)
