"""Log-in pages, CSRF, revoked sessions, token scope and escaping, through HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from tests.support.cast import PASSWORD, Cast

from goalwise.services.accounts import login_sessions
from goalwise.services.context import Context
from goalwise.services.sharing import sharing
from goalwise.storage.tables import journal_entries


def login(api: TestClient, email: str, password: str = PASSWORD) -> int:
    api.get("/login")
    response = api.post(
        "/login",
        data={
            "email": email,
            "password": password,
            "pre_token": api.cookies.get("goalwise_pre", ""),
            "next": "/dashboard",
        },
        follow_redirects=False,
    )
    return response.status_code


def csrf_of(api: TestClient) -> str:
    page = api.get("/account").text
    marker = 'name="csrf_token" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


def test_login_sets_a_hardened_cookie_and_lands_on_the_caseload(api: TestClient, cast: Cast) -> None:
    api.get("/login")
    response = api.post(
        "/login",
        data={
            "email": "t1@example.org",
            "password": PASSWORD,
            "pre_token": api.cookies.get("goalwise_pre", ""),
            "next": "/dashboard",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = api.get("/dashboard")
    assert "Your caseload" in page.text and "Client A" in page.text and "Client B" not in page.text


def test_wrong_password_and_throttling_are_explained(api: TestClient, cast: Cast) -> None:
    for _ in range(5):
        assert login(api, "t1@example.org", "not the password") == 400
    assert login(api, "t1@example.org") == 429
    api.get("/login")
    page = api.post(
        "/login",
        data={
            "email": "t1@example.org",
            "password": PASSWORD,
            "pre_token": api.cookies.get("goalwise_pre", ""),
        },
    )
    assert page.status_code == 429 and "Wait 15 minutes" in page.text


def test_login_form_without_its_token_is_refused(api: TestClient, cast: Cast) -> None:
    response = api.post("/login", data={"email": "t1@example.org", "password": PASSWORD})
    assert response.status_code == 403


def test_missing_csrf_token_is_refused(api: TestClient, cast: Cast) -> None:
    assert login(api, "a@example.org") == 303
    assert api.post("/account/tokens", data={"name": "x", "scope": "read", "days": "5"}).status_code == 403
    assert (
        api.post(
            "/account/tokens", data={"name": "x", "scope": "read", "days": "5", "csrf_token": "forged"}
        ).status_code
        == 403
    )
    ok = api.post(
        "/account/tokens", data={"name": "x", "scope": "read", "days": "5", "csrf_token": csrf_of(api)}
    )
    assert ok.status_code == 200 and "gw_" in ok.text
    # Cookie-authenticated API calls need the header too.
    assert api.post("/api/v1/clients", json={"name": "N", "email": "n@example.org"}).status_code == 403


def test_revoked_session_is_sent_to_log_in(api: TestClient, ctx: Context, cast: Cast) -> None:
    assert login(api, "a@example.org") == 303
    assert api.get("/account").status_code == 200
    login_sessions.revoke_user_sessions(ctx, cast.admin.actor, cast.client_a.user_id)
    response = api.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/account")
    assert api.get("/api/v1/clients").status_code == 401


def test_logout_everywhere_ends_this_session(api: TestClient, cast: Cast) -> None:
    assert login(api, "a@example.org") == 303
    api.post("/account/logout-everywhere", data={"csrf_token": csrf_of(api)})
    assert api.get("/account", follow_redirects=False).status_code == 303


def test_read_only_token_cannot_write(api: TestClient, ctx: Context, cast: Cast) -> None:
    _, secret = login_sessions.create_api_token(ctx, cast.therapist.actor, name="ro", scope="read")
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/clients", headers=headers).status_code == 200
    response = api.post("/api/v1/clients", headers=headers, json={"name": "N", "email": "n@example.org"})
    assert response.status_code == 403 and "read-only" in response.json()["error"]


def test_journal_xss_payload_renders_as_text(api: TestClient, ctx: Context, cast: Cast) -> None:
    now = datetime.now(UTC)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with ctx.db.write() as conn:
        conn.execute(
            insert(journal_entries).values(
                client_id=cast.client_a.client_id,
                at=now,
                local_on=date.today(),
                private=False,
                created_at=now,
                body_enc=ctx.keys.encrypt(payload, context=b"journal_entries.body_enc"),
            )
        )
    _, token = sharing.create_share(ctx, cast.client_a.actor, label="Sam", sections=["journal"], goal_ids=[])
    page = api.get(f"/s/{token}").text
    assert payload not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize("path", ["/login", "/account", "/admin", "/dashboard"])
def test_pages_carry_security_headers(api: TestClient, cast: Cast, path: str) -> None:
    login(api, "admin@example.org")
    headers = api.get(path).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]


def test_admin_page_warns_about_the_generated_key(api: TestClient, cast: Cast) -> None:
    assert login(api, "admin@example.org") == 303
    page = api.get("/admin").text
    assert "Back up the encryption key" in page
    assert "t1@example.org" in page


def test_client_sees_who_accessed_their_records(api: TestClient, ctx: Context, cast: Cast) -> None:
    _, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Sam", sections=["assessments"], goal_ids=[]
    )
    api.get(f"/s/{token}")
    assert login(api, "a@example.org") == 303
    page = api.get("/account").text
    assert "Who saw your records" in page
    # In words, with the share's label, not "anonymous view share 1".
    assert "Someone with your share link for Sam" in page and "opened your share for Sam" in page


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("a@example.org", "/account"),
        ("admin@example.org", "/admin"),
        ("a@example.org", "/clients/{a}/delete"),
    ],
)
def test_every_post_form_carries_the_sessions_csrf_token(
    api: TestClient, cast: Cast, email: str, path: str
) -> None:
    import re

    assert login(api, email) == 303
    html = api.get(path.format(a=cast.client_a.client_id)).text
    forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
    assert forms, f"no forms on {path}"
    token = csrf_of(api)
    assert token
    for form in forms:
        assert f'name="csrf_token" value="{token}"' in form, form[:200]


def test_checkin_page_names_a_non_number_and_stores_nothing(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    from sqlalchemy import func, select

    from goalwise.storage.tables import observations

    assert login(api, "a@example.org") == 303
    page = api.post(
        f"/clients/{cast.client_a.client_id}/checkin",
        data={"csrf_token": csrf_of(api), "mood": "abc", "anxiety": "4", "sleep_hours": "7"},
    )
    assert page.status_code == 422
    assert "<strong>mood</strong>" in page.text and "not a number" in page.text
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == 0


def test_a_slow_look_up_of_the_caller_does_not_hold_up_other_requests(
    sqlite_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller is looked up on a worker thread: while one look-up waits on the database, the
    event loop still answers everyone else (a static file here)."""
    import asyncio
    import threading

    from tests.support.asgi import call, run_apart

    from goalwise.web.app import create_app

    release = threading.Event()
    real = login_sessions.resolve_api_token

    def stuck(*args: object, **kwargs: object) -> object:
        release.wait(10)  # a database that does not answer, until the test lets it
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(login_sessions, "resolve_api_token", stuck)
    app = create_app(sqlite_ctx.settings, sqlite_ctx.db)

    async def run() -> tuple[int, bool, int]:
        slow = asyncio.create_task(call(app, "GET", "/api/v1/me", headers={"Authorization": "Bearer gw_x"}))
        await asyncio.sleep(0.2)
        fast, _ = await call(app, "GET", "/static/app.css")
        pending = not slow.done()
        release.set()
        return fast, pending, (await slow)[0]

    fast, pending, slow = run_apart(run)
    assert fast == 200 and pending  # answered while the look-up still waited
    assert slow == 401  # then the look-up finished: an unknown token
