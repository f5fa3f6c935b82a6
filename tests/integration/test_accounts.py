"""Accounts, invitations, sessions, throttling and API tokens (services, both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from tests.support.cast import PASSWORD, Cast

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyAttempts,
)
from goalwise.services.accounts import accounts, login_sessions
from goalwise.services.context import Context
from goalwise.storage.tables import api_tokens, audit_events, care_links, users


def test_invitation_sets_password_and_records_consent(ctx: Context, cast: Cast) -> None:
    invitation = accounts.invite_client(
        ctx, cast.therapist.actor, name="New Client", email="new@example.org", timezone="UTC"
    )
    with ctx.db.read() as conn:
        link = conn.execute(select(care_links).where(care_links.c.client_id == invitation.client.id)).one()
    assert link.consent_at is None
    with pytest.raises(InvalidInput) as info:
        accounts.redeem_link(ctx, invitation.token, PASSWORD, consent=False)
    assert [p.field for p in info.value.problems] == ["consent"]
    accounts.redeem_link(ctx, invitation.token, PASSWORD, consent=True)
    with ctx.db.read() as conn:
        link = conn.execute(select(care_links).where(care_links.c.client_id == invitation.client.id)).one()
    assert link.consent_at is not None
    with pytest.raises(NotFound, match="not valid"):  # one-time: the second use fails
        accounts.redeem_link(ctx, invitation.token, PASSWORD, consent=True)
    assert login_sessions.login(ctx, "new@example.org", PASSWORD).user.client_id == invitation.client.id


def test_expired_link_is_refused(ctx: Context, cast: Cast) -> None:
    token, expires = accounts.create_reset_link(ctx, Actor.system(), cast.client_b.user_id)
    with pytest.raises(NotFound):
        accounts.redeem_link(ctx, token, PASSWORD, now=expires + timedelta(seconds=1))


@pytest.mark.parametrize(
    ("password", "code"),
    [("short", "password-short"), ("password123", "password-common"), ("qwertyuiop", "password-common")],
)
def test_weak_passwords_are_refused(ctx: Context, cast: Cast, password: str, code: str) -> None:
    token, _ = accounts.create_reset_link(ctx, Actor.system(), cast.client_b.user_id)
    with pytest.raises(InvalidInput) as info:
        accounts.redeem_link(ctx, token, password)
    assert code in [p.code for p in info.value.problems]


def test_who_may_create_whom(ctx: Context, cast: Cast) -> None:
    accounts.create_user(ctx, cast.admin.actor, email="t3@example.org", name="T3", role="therapist")
    with pytest.raises(Forbidden):
        accounts.create_user(ctx, cast.therapist.actor, email="t4@example.org", name="T4", role="therapist")
    with pytest.raises(Forbidden):
        accounts.invite_client(ctx, cast.admin.actor, name="X", email="x@example.org", timezone="UTC")
    with pytest.raises(Conflict):
        accounts.create_user(ctx, cast.admin.actor, email="T1@example.org", name="Dup", role="therapist")


def test_only_the_local_operator_links_an_account_that_has_a_password(ctx: Context, cast: Cast) -> None:
    accounts.create_reset_link(ctx, Actor.system(), cast.client_a.user_id)
    with pytest.raises(Conflict, match="only its owner"):  # client A has a password
        accounts.create_reset_link(ctx, cast.therapist.actor, cast.client_a.user_id)
    with pytest.raises(Conflict, match="only its owner"):
        accounts.create_reset_link(ctx, cast.admin.actor, cast.client_a.user_id)
    with pytest.raises(NotFound):
        accounts.create_reset_link(ctx, cast.other_therapist.actor, cast.client_a.user_id)
    with pytest.raises(NotFound):
        accounts.create_reset_link(ctx, cast.client_b.actor, cast.client_a.user_id)


def test_login_throttles_after_five_failures(ctx: Context, cast: Cast) -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    for minute in range(5):
        with pytest.raises(InvalidInput):
            login_sessions.login(
                ctx,
                "t1@example.org",
                "wrong password!",
                address="10.0.0.1",
                now=now + timedelta(minutes=minute),
            )
    with pytest.raises(TooManyAttempts, match="Wait 15 minutes"):
        login_sessions.login(
            ctx, "t1@example.org", PASSWORD, address="10.0.0.1", now=now + timedelta(minutes=6)
        )
    # Sixteen minutes after the first failure it has left the window: four remain, below the limit.
    assert login_sessions.login(
        ctx, "t1@example.org", PASSWORD, address="10.0.0.1", now=now + timedelta(minutes=16)
    )
    with ctx.db.read() as conn:
        actions = conn.execute(select(audit_events.c.action)).scalars().all()
    assert actions.count("login-failed") == 5
    assert "login-throttled" in actions


def test_sessions_end_on_logout_revoke_and_idle(ctx: Context, cast: Cast) -> None:
    first = login_sessions.login(ctx, "a@example.org", PASSWORD)
    second = login_sessions.login(ctx, "a@example.org", PASSWORD)
    actor, csrf, _ = login_sessions.resolve_session(ctx, first.token)
    assert actor.client_id == cast.client_a.client_id and csrf == first.csrf_token
    login_sessions.logout(ctx, first.token)
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_session(ctx, first.token)
    later = datetime.now(UTC) + timedelta(minutes=31)
    with pytest.raises(NotAuthenticated, match="inactivity"):
        login_sessions.resolve_session(ctx, second.token, now=later)
    third = login_sessions.login(ctx, "a@example.org", PASSWORD)
    assert login_sessions.revoke_user_sessions(ctx, cast.admin.actor, cast.client_a.user_id) >= 1
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_session(ctx, third.token)


def test_disabled_account_cannot_log_in_or_use_tokens(ctx: Context, cast: Cast) -> None:
    accounts.disable_user(ctx, cast.admin.actor, cast.client_b.user_id)
    with pytest.raises(InvalidInput):
        login_sessions.login(ctx, "b@example.org", PASSWORD)
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_api_token(ctx, cast.client_b.token)


def test_api_tokens_are_hashed_scoped_expiring_and_revocable(ctx: Context, cast: Cast) -> None:
    token, secret = login_sessions.create_api_token(
        ctx, cast.therapist.actor, name="export", scope="read", expires_days=1
    )
    with ctx.db.read() as conn:
        stored = conn.execute(select(api_tokens.c.token_hash).where(api_tokens.c.id == token.id)).scalar_one()
    assert secret.startswith("gw_") and secret not in stored and len(stored) == 64
    assert login_sessions.resolve_api_token(ctx, secret)[1] == "read"
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_api_token(ctx, secret, now=datetime.now(UTC) + timedelta(days=2))
    login_sessions.revoke_api_token(ctx, cast.therapist.actor, token.id)
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_api_token(ctx, secret)
    with pytest.raises(NotFound):  # someone else's token
        login_sessions.revoke_api_token(ctx, cast.client_a.actor, token.id)


def test_passwords_are_stored_as_argon2id(ctx: Context, cast: Cast) -> None:
    with ctx.db.read() as conn:
        hashes = conn.execute(
            select(users.c.password_hash).where(users.c.password_hash.is_not(None))
        ).scalars()
        assert all(h.startswith("$argon2id$") for h in hashes)


def test_admins_see_no_clinical_records_unless_linked(ctx: Context, cast: Cast) -> None:
    from goalwise.services.clinic import clients

    assert clients.list_clients(ctx, cast.admin.actor) == []
    with pytest.raises(NotFound):
        clients.get_client(ctx, cast.admin.actor, cast.client_a.client_id)  # type: ignore[arg-type]
    assert accounts.list_users(ctx, cast.admin.actor)
    with pytest.raises(Forbidden):
        accounts.list_users(ctx, cast.therapist.actor)
    assert Actor.system().is_system
