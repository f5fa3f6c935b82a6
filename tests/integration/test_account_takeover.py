"""Account takeover and identity: who may reset a password, what a new password ends, and log-in
answers that do not tell which emails have accounts (services and HTTP, both databases)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.support.cast import PASSWORD, Cast

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyAttempts
from goalwise.services.accounts import accounts, login_sessions, mailer
from goalwise.services.context import Context
from goalwise.storage.tables import audit_events

NEW_PASSWORD = "a different long passphrase"


def _events(ctx: Context, action: str) -> list[Any]:
    with ctx.db.read() as conn:
        return list(conn.execute(select(audit_events).where(audit_events.c.action == action)).all())


def test_a_therapist_cannot_reset_a_clients_password_over_http(api: TestClient, cast: Cast) -> None:
    a = cast.client_a.client_id
    response = api.post(f"/api/v1/clients/{a}/reset-link", headers=cast.therapist.headers)
    assert response.status_code == 409
    assert "only they can change it" in response.json()["error"]
    # The client's password still works and no link to it exists.
    assert login_sessions.login(api.app.state.ctx, "a@example.org", PASSWORD).user.id == cast.client_a.user_id


def test_an_admin_reset_without_mail_ends_access_names_the_admin_and_tells_the_owner(
    ctx: Context, cast: Cast
) -> None:
    session = login_sessions.login(ctx, "t1@example.org", PASSWORD)
    older, _ = accounts.create_reset_link(ctx, Actor.system(), cast.therapist.user_id)
    reset = accounts.admin_reset(ctx, cast.admin.actor, cast.therapist.user_id)
    assert reset.path is not None and reset.path.startswith("/reset/") and reset.mailed is False
    # Every session, token and older link of the account ended at once.
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_session(ctx, session.token)
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_api_token(ctx, cast.therapist.token)
    with pytest.raises(NotFound):
        accounts.redeem_link(ctx, older, NEW_PASSWORD)
    [made] = _events(ctx, accounts.ADMIN_RESET)
    assert made.actor == f"admin:{cast.admin.user_id}" and made.object_id == str(cast.therapist.user_id)
    accounts.redeem_link(ctx, reset.path.removeprefix("/reset/"), NEW_PASSWORD)
    [setter] = _events(ctx, "set-password")[-1:]
    assert setter.actor == f"admin:{cast.admin.user_id}"  # not the therapist whose password it is
    result = login_sessions.login(ctx, "t1@example.org", NEW_PASSWORD)
    assert result.notice is not None and f"admin:{cast.admin.user_id}" in result.notice


def test_an_admin_reset_with_mail_goes_only_to_the_owner(
    ctx: Context, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str]] = []

    def send(settings: object, to: str, purpose: str, path: str) -> bool:
        sent.append((to, path))
        return True

    monkeypatch.setattr(mailer, "send_link", send)
    monkeypatch.setattr(ctx.settings, "smtp_host", "mail.example.org")
    reset = accounts.admin_reset(ctx, cast.admin.actor, cast.therapist.user_id)
    assert reset.path is None and reset.mailed is True
    [(to, path)] = sent
    assert to == "t1@example.org"
    accounts.redeem_link(ctx, path.removeprefix("/reset/"), NEW_PASSWORD)
    [setter] = _events(ctx, "set-password")[-1:]
    assert setter.actor == f"therapist:{cast.therapist.user_id}"  # the owner, who got the mail
    assert login_sessions.login(ctx, "t1@example.org", NEW_PASSWORD).notice is None


def test_an_admin_reset_over_http_shows_the_link_once_and_ends_the_accounts_tokens(
    api: TestClient, cast: Cast
) -> None:
    therapist = cast.therapist.user_id
    response = api.post(f"/api/v1/admin/users/{therapist}/reset-link", headers=cast.admin.headers)
    assert response.status_code == 200 and response.json()["path"].startswith("/reset/")
    assert api.get("/api/v1/clients", headers=cast.therapist.headers).status_code == 401


def test_a_new_password_ends_sessions_tokens_and_older_links(ctx: Context, cast: Cast) -> None:
    session = login_sessions.login(ctx, "b@example.org", PASSWORD)
    first, _ = accounts.create_reset_link(ctx, Actor.system(), cast.client_b.user_id)
    second, _ = accounts.create_reset_link(ctx, Actor.system(), cast.client_b.user_id)
    accounts.redeem_link(ctx, second, NEW_PASSWORD)
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_session(ctx, session.token)
    with pytest.raises(NotAuthenticated):
        login_sessions.resolve_api_token(ctx, cast.client_b.token)
    with pytest.raises(NotFound):  # the older, unused link no longer opens the account
        accounts.redeem_link(ctx, first, "yet another long passphrase")
    assert login_sessions.login(ctx, "b@example.org", NEW_PASSWORD)


def test_disabling_an_account_ends_its_links(ctx: Context, cast: Cast) -> None:
    token, _ = accounts.create_reset_link(ctx, Actor.system(), cast.client_b.user_id)
    accounts.disable_user(ctx, cast.admin.actor, cast.client_b.user_id)
    with pytest.raises(NotFound):
        accounts.redeem_link(ctx, token, NEW_PASSWORD)


def test_a_failed_mail_makes_no_link(ctx: Context, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mailer, "send_link", lambda *args: False)
    monkeypatch.setattr(ctx.settings, "smtp_host", "mail.example.org")
    with pytest.raises(Conflict, match="did not accept"):
        accounts.admin_reset(ctx, cast.admin.actor, cast.therapist.user_id)
    assert login_sessions.resolve_api_token(ctx, cast.therapist.token)  # nothing ended


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password check log-in makes, real or against the dummy hash."""
    seen: list[str] = []
    real_verify = login_sessions.verify_password
    real_dummy = getattr(login_sessions, "spend_verify_time", lambda password: None)
    lock = threading.Lock()

    def verify(stored: str | None, password: str) -> bool:
        with lock:
            seen.append("account")
        return real_verify(stored, password)

    def dummy(password: str) -> None:
        with lock:
            seen.append("dummy")
        real_dummy(password)

    monkeypatch.setattr(login_sessions, "verify_password", verify)
    monkeypatch.setattr(login_sessions, "spend_verify_time", dummy, raising=False)
    return seen


def test_login_checks_a_password_for_unknown_and_unactivated_accounts(
    ctx: Context, cast: Cast, checks: list[str]
) -> None:
    accounts.invite_client(ctx, cast.therapist.actor, name="New", email="new@example.org", timezone="UTC")
    for email in ("nobody@example.org", "new@example.org", "t1@example.org"):
        with pytest.raises(InvalidInput, match="email or password is not right"):
            login_sessions.login(ctx, email, "wrong password!", address=email)
    assert checks == ["dummy", "dummy", "account"]


def _concurrently(ctx: Context, passwords: list[str]) -> list[str]:
    """Log in to t1 with each password at once, from one address; the outcome of each."""
    start = threading.Barrier(len(passwords))
    outcomes: list[str] = []

    def attempt(password: str) -> None:
        start.wait()
        try:
            login_sessions.login(ctx, "t1@example.org", password, address="10.0.0.9")
            outcomes.append("ok")
        except InvalidInput:
            outcomes.append("wrong")
        except TooManyAttempts:
            outcomes.append("throttled")

    threads = [threading.Thread(target=attempt, args=(p,)) for p in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_log_ins_check_no_more_passwords_than_the_limit(
    ctx: Context, cast: Cast, checks: list[str]
) -> None:
    # 23 wrong and 1 right at once: the limit is 5 failures per account, so at most 5 wrong passwords
    # are checked (a right one, if it comes before the limit, logs in and is not a failure).
    outcomes = _concurrently(ctx, ["wrong password!"] * 23 + [PASSWORD])
    assert len(outcomes) == 24 and outcomes.count("wrong") <= 5 and outcomes.count("ok") <= 1
    assert len(checks) == outcomes.count("wrong") + outcomes.count("ok") <= 6
    assert outcomes.count("throttled") >= 18
    # 24 wrong at once from a fresh start on another account's window: exactly 5 are checked.
    with ctx.db.write() as conn:
        from goalwise.storage.tables import login_failures

        conn.execute(login_failures.delete())
    checks.clear()
    outcomes = _concurrently(ctx, ["wrong password!"] * 24)
    assert sorted(outcomes) == ["throttled"] * 19 + ["wrong"] * 5 and len(checks) == 5
    with pytest.raises(TooManyAttempts):  # the right password, past the limit
        login_sessions.login(ctx, "t1@example.org", PASSWORD, address="10.0.0.9", now=datetime.now(UTC))


def test_inviting_an_email_answers_the_same_whether_or_not_it_has_an_account(
    api: TestClient, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str]] = []

    def send(settings: object, to: str, purpose: str, path: str) -> bool:
        sent.append((to, purpose))
        return True

    monkeypatch.setattr(mailer, "send_link", send)

    def invite(email: str) -> dict[str, Any]:
        answer = api.post(
            "/api/v1/clients", json={"name": "Someone", "email": email}, headers=cast.therapist.headers
        )
        assert answer.status_code == 201
        body: dict[str, Any] = answer.json()
        return body

    fresh, taken = invite("fresh@example.org"), invite("b@example.org")  # client B has an account
    assert fresh.keys() == taken.keys() and fresh["mailed"] == taken["mailed"]
    assert taken["invitation_path"].startswith("/invite/") and taken["client"]["name"] == "Someone"
    # The owner of the taken email is told instead, and their account is untouched.
    assert sent == [("fresh@example.org", "invite"), ("b@example.org", "account-exists")]
    assert api.get(taken["invitation_path"]).status_code == 404
    assert login_sessions.login(api.app.state.ctx, "b@example.org", PASSWORD).user.id == cast.client_b.user_id


def test_the_local_operator_is_told_that_an_email_has_an_account(ctx: Context, cast: Cast) -> None:
    with pytest.raises(Conflict, match="already exists"):
        accounts.invite_client(
            ctx, cast.therapist.actor, name="X", email="b@example.org", timezone="UTC", operator=True
        )


def test_sharing_answers_the_same_whether_or_not_a_supporter_has_the_email(
    api: TestClient, cast: Cast
) -> None:
    def share(email: str) -> dict[str, Any]:
        answer = api.post(
            "/api/v1/shares",
            json={"label": "Friend", "sections": ["assessments"], "supporter_email": email},
            headers=cast.client_a.headers,
        )
        assert answer.status_code == 201, answer.text
        body: dict[str, Any] = answer.json()
        return {k: v for k, v in body.items() if k not in ("id", "path", "url", "created_at", "expires_at")}

    assert share("sup@example.org") == share("nobody@example.org") == share("t1@example.org")
    listed = api.get("/api/v1/shared-with-me", headers=cast.supporter.headers).json()
    assert len(listed) == 1  # only the share addressed to the supporter's own account


def test_the_owner_is_told_at_log_in_after_an_administrators_reset(api: TestClient, cast: Cast) -> None:
    ctx = api.app.state.ctx
    reset = accounts.admin_reset(ctx, cast.admin.actor, cast.therapist.user_id)
    assert reset.path is not None
    accounts.redeem_link(ctx, reset.path.removeprefix("/reset/"), NEW_PASSWORD)
    api.get("/login")
    answer = api.post(
        "/login",
        data={
            "email": "t1@example.org",
            "password": NEW_PASSWORD,
            "pre_token": api.cookies.get("goalwise_pre"),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and "notice=password-reset-by-admin" in answer.headers["location"]
    assert "An administrator reset your password" in api.get(answer.headers["location"]).text


def test_self_registration_answers_the_same_for_an_email_that_has_an_account(
    ctx: Context, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from goalwise.web.app import create_app

    sent: list[tuple[str, str]] = []

    def send(settings: object, to: str, purpose: str, path: str) -> bool:
        sent.append((to, purpose))
        return True

    monkeypatch.setattr(mailer, "send_link", send)
    on = ctx.settings.model_copy(update={"client_self_registration": True})
    with TestClient(create_app(on, ctx.db)) as client:

        def register(email: str) -> tuple[int, str]:
            form = {"name": "Kai", "email": email, "password": NEW_PASSWORD, "timezone": "UTC"}
            answer = client.post("/register", data=form, follow_redirects=False)
            return answer.status_code, answer.headers.get("location", "")

        assert (
            register("kai@example.org") == register("a@example.org") == (303, "/login?notice=account-ready")
        )
    assert sent == [("a@example.org", "account-exists")]
    # Client A's account is untouched: the old password still works, the new one does not.
    assert login_sessions.login(ctx, "a@example.org", PASSWORD).user.id == cast.client_a.user_id
    with pytest.raises(InvalidInput):
        login_sessions.login(ctx, "a@example.org", NEW_PASSWORD)
