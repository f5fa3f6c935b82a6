"""Links by mail when a server is set up, therapist reset links, self-registration and the CLI."""

from __future__ import annotations

import json
from email.message import EmailMessage
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient
from tests.support.cast import PASSWORD, Cast

from goalwise.config import Settings
from goalwise.core.errors import Forbidden
from goalwise.services.accounts import accounts, login_sessions, mailer
from goalwise.services.context import Context
from goalwise.web.app import create_app


class FakeSMTP:
    """Stands in for smtplib.SMTP and keeps what was sent."""

    sent: ClassVar[list[EmailMessage]] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port = host, port

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def ehlo(self) -> None:
        return None

    def has_extn(self, name: str) -> bool:
        return False

    def send_message(self, message: EmailMessage) -> None:
        FakeSMTP.sent.append(message)


def test_without_a_mail_server_nothing_is_mailed(settings: Settings) -> None:
    assert mailer.send_link(settings, "a@example.org", "invite", "/invite/x") is False


def test_links_are_mailed_when_a_server_is_set(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    FakeSMTP.sent = []
    monkeypatch.setattr(mailer.smtplib, "SMTP", FakeSMTP)
    configured = settings.model_copy(
        update={
            "smtp_host": "mail.example.org",
            "smtp_from": "clinic@example.org",
            "base_url": "https://goalwise.example.org",
        }
    )
    assert mailer.send_link(configured, "a@example.org", "invite", "/invite/abc") is True
    message = FakeSMTP.sent[0]
    assert message["To"] == "a@example.org" and message["From"] == "clinic@example.org"
    assert "https://goalwise.example.org/invite/abc" in message.get_content()


def test_a_failing_mail_server_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError

    monkeypatch.setattr(mailer.smtplib, "SMTP", refuse)
    assert (
        mailer.send_link(settings.model_copy(update={"smtp_host": "x"}), "a@example.org", "reset", "/r")
        is False
    )


def test_the_clients_therapist_makes_a_new_invitation_only_before_a_password(
    api: TestClient, cast: Cast
) -> None:
    new = api.post(
        "/api/v1/clients", json={"name": "New", "email": "new@example.org"}, headers=cast.therapist.headers
    ).json()["client"]["id"]
    response = api.post(f"/api/v1/clients/{new}/reset-link", headers=cast.therapist.headers)
    assert response.status_code == 200 and response.json()["path"].startswith("/invite/")
    assert response.json()["mailed"] is False
    a = cast.client_a.client_id  # client A has set a password: only they may change it
    refused = api.post(f"/api/v1/clients/{a}/reset-link", headers=cast.therapist.headers)
    assert refused.status_code == 409 and "only they can change it" in refused.json()["error"]
    assert (
        api.post(f"/api/v1/clients/{a}/reset-link", headers=cast.other_therapist.headers).status_code == 404
    )
    assert api.post(f"/api/v1/clients/{a}/reset-link", headers=cast.client_a.headers).status_code == 403


def test_self_registration_is_off_by_default(api: TestClient) -> None:
    assert api.get("/register").status_code == 404


def test_self_registration_when_switched_on(ctx: Context, settings: Settings) -> None:
    on = settings.model_copy(update={"client_self_registration": True})
    with TestClient(create_app(on, ctx.db)) as client:
        assert "Create your account" in client.get("/register").text
        response = client.post(
            "/register",
            data={
                "name": "Kai",
                "email": "kai@example.org",
                "password": PASSWORD,
                "timezone": "Europe/Berlin",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        weak = client.post(
            "/register",
            data={"name": "Lee", "email": "lee@example.org", "password": "short", "timezone": "UTC"},
        )
        assert weak.status_code == 422 and "10 or more" in weak.text
    user = login_sessions.login(Context(ctx.db, on, ctx.keys), "kai@example.org", PASSWORD).user
    assert user.role == "client" and user.client_id is not None
    with pytest.raises(Forbidden):
        accounts.register_client(ctx, name="X", email="x@example.org", password=PASSWORD, timezone="UTC")


def test_cli_adds_a_client_with_an_invitation_for_a_therapist(capsys: pytest.CaptureFixture[str]) -> None:
    from goalwise.cli.main import main

    assert main(["db", "upgrade"]) == 0
    assert main(["user", "add", "t@example.org", "--name", "T", "--role", "therapist", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["password_link"].startswith("http://127.0.0.1:8000/reset/")
    assert (
        main(
            [
                "client",
                "add",
                "Robin",
                "--email",
                "robin@example.org",
                "--therapist",
                "t@example.org",
                "--json",
            ]
        )
        == 0
    )
    created = json.loads(capsys.readouterr().out)
    assert "/invite/" in created["invitation_link"]
    assert main(["client", "add", "Ash", "--therapist", "nobody@example.org"]) == 1
    assert "no therapist account" in capsys.readouterr().err


def test_a_second_therapist_is_linked_only_with_recorded_consent(ctx: Context, cast: Cast) -> None:
    from goalwise.core.accounts.actor import Actor
    from goalwise.core.errors import InvalidInput, NotFound
    from goalwise.services.clinic import clients

    a = cast.client_a.client_id
    assert a is not None
    with pytest.raises(InvalidInput):
        accounts.link_therapist(ctx, Actor.system(), a, cast.other_therapist.user_id, consent=False)
    with pytest.raises(NotFound):
        clients.get_client(ctx, cast.other_therapist.actor, a)
    accounts.link_therapist(ctx, Actor.system(), a, cast.other_therapist.user_id, consent=True)
    assert clients.get_client(ctx, cast.other_therapist.actor, a).name == "Client A"
