"""Every link people are shown, printed or mailed is absolute and built from GOALWISE_BASE_URL.

Links are made in one place (``mailer.link_url``, reached as ``Context.link``): the CLI prints them,
the web shows them to be copied, never a path alone and never the host a request happened to name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.integration.test_web_auth import csrf_of, login
from tests.support.cast import Cast

from goalwise.cli.main import main
from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.web.app import create_app

BASE = "https://goalwise.example.org"


def test_the_base_url_defaults_to_the_servers_host_and_port(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).public_base_url == "http://127.0.0.1:8000"
    assert Settings(data_dir=tmp_path, host="10.0.0.5", port=9000).public_base_url == "http://10.0.0.5:9000"
    assert Settings(data_dir=tmp_path, base_url=f"{BASE}/").public_base_url == BASE


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_cli_prints_invitation_and_reset_links_at_the_base_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOALWISE_BASE_URL", BASE)
    monkeypatch.setenv("GOALWISE_PORT", "9999")
    assert _run(capsys, "db", "upgrade")[0] == 0
    code, out, err = _run(capsys, "client", "add", "Robin", "--email", "robin@example.org", "--json")
    assert code == 0, err
    assert re.fullmatch(rf"{BASE}/invite/[\w-]+", json.loads(out)["invitation_link"])
    code, out, err = _run(capsys, "user", "add", "t@example.org", "--name", "T", "--json")
    assert code == 0, err
    assert re.fullmatch(rf"{BASE}/reset/[\w-]+", json.loads(out)["password_link"])
    code, out, err = _run(capsys, "user", "reset-password", "t@example.org")
    assert code == 0, err
    assert re.fullmatch(rf"{BASE}/reset/[\w-]+", out.strip())


@pytest.fixture
def public(ctx: Context) -> Iterator[TestClient]:
    """The app with GOALWISE_BASE_URL set, asked through another host name."""
    settings = ctx.settings.model_copy(update={"base_url": BASE})
    with TestClient(create_app(settings, ctx.db), base_url="http://internal-host:8123") as client:
        yield client


def test_the_api_answers_whole_links_built_from_the_base_url(public: TestClient, cast: Cast) -> None:
    invited = public.post(
        "/api/v1/clients",
        json={"name": "Sam", "email": "sam@example.org", "timezone": "UTC"},
        headers=cast.therapist.headers,
    ).json()
    assert invited["invitation_url"] == BASE + invited["invitation_path"]
    made = public.post(
        "/api/v1/admin/users",
        json={"email": "n@example.org", "name": "N", "role": "therapist"},
        headers=cast.admin.headers,
    ).json()
    assert made["url"] == BASE + made["path"] and made["path"].startswith("/reset/")
    shared = public.post(
        "/api/v1/shares", json={"label": "Mum", "sections": ["assessments"]}, headers=cast.client_a.headers
    ).json()
    assert shared["url"] == BASE + shared["path"] and shared["path"].startswith("/s/")


def _copied(page: str) -> list[str]:
    return re.findall(r'<code class="copy">([^<]*)</code>', page)


def test_pages_show_whole_links_to_copy_built_from_the_base_url(public: TestClient, cast: Cast) -> None:
    assert login(public, cast.client_a.email) == 303
    page = public.post(
        "/account/shares",
        data={"label": "Mum", "sections": "assessments", "csrf_token": csrf_of(public)},
    ).text
    (share,) = _copied(page)
    assert re.fullmatch(rf"{BASE}/s/[\w-]+", share)
    public.cookies.clear()
    assert login(public, cast.admin.email) == 303
    page = public.post(
        "/admin/users",
        data={"email": "new@example.org", "name": "New", "role": "therapist", "csrf_token": csrf_of(public)},
    ).text
    (reset,) = _copied(page)
    assert re.fullmatch(rf"{BASE}/reset/[\w-]+", reset)
    assert "internal-host" not in page


def test_links_name_the_port_goalwise_serve_was_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """``goalwise serve --port 8791`` without GOALWISE_BASE_URL: links must not point at 8000."""
    import uvicorn

    from goalwise.cli.main import main
    from goalwise.config import get_settings

    monkeypatch.setenv("GOALWISE_HOST", "127.0.0.1")
    monkeypatch.setenv("GOALWISE_PORT", "8000")  # restored after the test
    monkeypatch.delenv("GOALWISE_BASE_URL", raising=False)
    seen: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.append(get_settings().public_base_url))
    assert main(["db", "upgrade"]) == 0
    assert main(["serve", "--port", "8791"]) == 0
    get_settings.cache_clear()
    assert seen == ["http://127.0.0.1:8791"]
