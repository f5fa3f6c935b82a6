"""X-Forwarded-For is believed only from the proxies in GOALWISE_TRUSTED_PROXIES (default none)."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import ip_network
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.support.cast import Cast

from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.storage.tables import audit_events
from goalwise.web.app import create_app
from goalwise.web.forwarded import forwarded_client

PROXY = ("10.0.0.2", 40000)
NETS = [ip_network("10.0.0.0/24")]


def _client(ctx: Context, peer: tuple[str, int], **settings: Any) -> Iterator[TestClient]:
    configured = ctx.settings.model_copy(update=settings)
    with TestClient(create_app(configured, ctx.db), client=peer) as client:
        yield client


def _failed_login_addresses(ctx: Context, client: TestClient, forwarded: str) -> list[str | None]:
    client.get("/login")
    pre = client.cookies.get("goalwise_pre")
    client.post(
        "/login",
        data={"email": "t1@example.org", "password": "wrong password!", "pre_token": pre},
        headers={"X-Forwarded-For": forwarded},
    )
    with ctx.db.read() as conn:
        return list(
            conn.execute(
                select(audit_events.c.address).where(audit_events.c.action == "login-failed")
            ).scalars()
        )


@pytest.fixture
def untrusted(ctx: Context, cast: Cast) -> Iterator[TestClient]:
    yield from _client(ctx, PROXY)


@pytest.fixture
def trusted(ctx: Context, cast: Cast) -> Iterator[TestClient]:
    yield from _client(ctx, PROXY, trusted_proxies="10.0.0.0/24")


def test_forwarded_for_is_ignored_by_default(ctx: Context, untrusted: TestClient) -> None:
    assert _failed_login_addresses(ctx, untrusted, "198.51.100.7") == ["10.0.0.2"]


def test_a_trusted_proxy_names_the_client(ctx: Context, trusted: TestClient) -> None:
    assert _failed_login_addresses(ctx, trusted, "198.51.100.7") == ["198.51.100.7"]


def test_a_forged_address_before_the_proxys_own_is_not_believed() -> None:
    # The caller sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
    assert forwarded_client("10.0.0.2", "1.2.3.4, 198.51.100.7", NETS) == "198.51.100.7"
    assert forwarded_client("10.0.0.2", "198.51.100.7, 10.0.0.5", NETS) == "198.51.100.7"
    assert forwarded_client("192.0.2.1", "198.51.100.7", NETS) == "192.0.2.1"  # not a trusted peer
    assert forwarded_client("10.0.0.2", "not-an-address", NETS) == "10.0.0.2"
    assert forwarded_client("10.0.0.2", "198.51.100.7", []) == "10.0.0.2"


def test_throttling_counts_the_peer_whatever_it_forwards(ctx: Context, untrusted: TestClient) -> None:
    for n in range(6):
        _failed_login_addresses(ctx, untrusted, f"198.51.100.{n}")
    untrusted.get("/login")
    pre = untrusted.cookies.get("goalwise_pre")
    answer = untrusted.post(
        "/login",
        data={"email": "t2@example.org", "password": "wrong password!", "pre_token": pre},
        headers={"X-Forwarded-For": "198.51.100.99"},
    )
    assert answer.status_code == 400  # t2 has no failures; the address has 6 of its 20
    with ctx.db.read() as conn:
        addresses = set(conn.execute(select(audit_events.c.address)).scalars())
    assert not any(a and a.startswith("198.51.100.") for a in addresses)


def test_serve_leaves_forwarded_headers_to_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from goalwise.cli import serve

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    db = type("Db", (), {"dispose": lambda self: None})()
    monkeypatch.setattr(serve, "open_ctx", lambda: type("Ctx", (), {"db": db})())
    monkeypatch.setenv("GOALWISE_HOST", "127.0.0.1")  # serve writes the address it serves on here
    monkeypatch.setenv("GOALWISE_PORT", "8000")
    serve.serve(host=None, port=None, reload=False, workers=1)
    assert seen["proxy_headers"] is False  # uvicorn would believe 127.0.0.1's headers by default


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ValueError, match="not an address or network"):
        Settings(trusted_proxies="proxy.example.org")
    assert Settings(trusted_proxies="127.0.0.1, 10.0.0.0/8").trusted_proxy_networks == [
        ip_network("127.0.0.1/32"),
        ip_network("10.0.0.0/8"),
    ]
