"""Server errors, cache and transport headers, and notices: what a live server answers and logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError
from tests.integration.test_web_auth import login
from tests.support.cast import Cast

from goalwise import __version__
from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.services.sharing import sharing
from goalwise.storage.engine import Database
from goalwise.web.app import create_app
from goalwise.web.logsafe import RedactFilter, log_config
from goalwise.web.notices import NOTICES
from goalwise.web.render import redirect

SECRET = "private-note-4711"


def _failing_app(settings: Settings, db: Database) -> FastAPI:
    app = create_app(settings, db)

    def explode() -> None:
        # What a duplicate-key race looks like: the exception text carries the SQL parameters.
        raise IntegrityError(
            "INSERT INTO observations (note) VALUES (?)", {"note": SECRET}, Exception(SECRET)
        )

    app.add_api_route("/api/v1/explode", explode, name="explode")
    app.add_api_route("/explode", explode, name="explode_page")
    return app


def test_a_server_error_answers_500_with_security_headers_and_logs_type_and_route_only(
    sqlite_db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # raise_server_exceptions stays on: an exception that escapes the app resets the connection.
    with TestClient(_failing_app(settings, sqlite_db)) as client:
        api = client.get("/api/v1/explode")
        page = client.get("/explode")
    assert api.status_code == 500
    assert api.json()["status"] == 500 and SECRET not in api.text
    assert page.status_code == 500 and "text/html" in page.headers["content-type"]
    for response in (api, page):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
    logged = "\n".join(caplog.text.splitlines() + [r.getMessage() for r in caplog.records])
    assert SECRET not in logged
    assert "IntegrityError" in logged and "explode" in logged
    assert all(record.exc_info is None for record in caplog.records)


def test_the_server_log_configuration_drops_tracebacks_and_exception_text() -> None:
    config = log_config("INFO")
    assert config["loggers"]["sqlalchemy"]["level"] == "WARNING"
    assert config["loggers"]["uvicorn.access"]["level"] == "CRITICAL"
    record = logging.LogRecord(
        "uvicorn.error", logging.ERROR, __file__, 1, "Exception in ASGI application", (), None
    )
    try:
        raise IntegrityError("UPDATE x SET mood=?", {"mood": SECRET}, Exception(SECRET))
    except IntegrityError:
        import sys

        record.exc_info = sys.exc_info()
    assert RedactFilter().filter(record)
    line = logging.Formatter("%(message)s").format(record)
    assert SECRET not in line
    assert line == "Exception in ASGI application (IntegrityError)"


def test_logged_in_pages_json_and_share_pages_are_not_cached(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    _, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Mum", sections=["assessments"], goal_ids=[]
    )
    assert api.get(f"/s/{token}").headers["cache-control"] == "no-store"
    assert api.get("/api/v1/me", headers=cast.client_a.headers).headers["cache-control"] == "no-store"
    assert login(api, cast.client_a.email) == 303
    assert api.get("/dashboard").headers["cache-control"] == "no-store"
    assert "no-store" not in api.get("/static/app.css").headers.get("cache-control", "")


def test_hsts_only_when_cookies_are_secure(sqlite_db: Database, settings: Settings) -> None:
    plain = TestClient(create_app(settings, sqlite_db)).get("/")
    assert "strict-transport-security" not in plain.headers
    secure = settings.model_copy(update={"cookie_secure": True})
    answer = TestClient(create_app(secure, sqlite_db)).get("/")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")


def test_the_version_is_shown_to_logged_in_people_only(api: TestClient, cast: Cast) -> None:
    assert __version__ not in api.get("/").text
    login_page = api.get("/login").text
    assert __version__ not in login_page
    assert "Goalwise supports care" in login_page and "None" not in login_page  # no empty slot
    assert login(api, cast.therapist.email) == 303
    assert f"Goalwise {__version__}" in api.get("/dashboard").text


def test_the_public_api_schema_names_the_api_version_not_the_package_version(api: TestClient) -> None:
    schema = api.get("/openapi.json")
    assert schema.json()["info"]["version"] == "1"
    assert f'"{__version__}"' not in schema.text


def test_a_notice_shows_only_text_from_the_fixed_list(api: TestClient) -> None:
    forged = api.get("/login", params={"notice": "Your session expired; log in at evil.example"})
    assert "evil.example" not in forged.text
    known = api.get("/login", params={"notice": "logged-out"})
    assert NOTICES["logged-out"] in known.text
    with pytest.raises(ValueError, match="unknown notice"):
        redirect("/login", "Any words at all")


def test_serve_hides_the_server_header_and_redacts_uvicorn_logs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from goalwise.cli.main import main

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    assert main(["db", "upgrade"]) == 0
    assert main(["serve"]) == 0
    capsys.readouterr()
    assert seen["server_header"] is False
    assert seen["access_log"] is False
    config = seen["log_config"]
    assert isinstance(config, dict) and config["handlers"]["default"]["filters"] == ["redact"]


def test_serve_refuses_to_start_in_one_line_when_the_key_file_is_gone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from goalwise.cli.main import main
    from goalwise.config import get_settings

    started: list[bool] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(True))
    assert main(["db", "upgrade"]) == 0
    assert main(["client", "add", "Robin", "--timezone", "UTC"]) == 0  # the key now guards stored data
    get_settings().resolved_secret_key_file.unlink()
    capsys.readouterr()
    assert main(["serve"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert started == [] and len(lines) == 1 and "key" in lines[0]


@pytest.fixture
def _restore_logging() -> Iterator[None]:
    """uvicorn applies its log configuration to the whole process; put the test run's back."""
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy", "goalwise")
    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level) for name in names}
    propagate = {name: logging.getLogger(name).propagate for name in names}
    yield
    for name, (handlers, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate[name]


@pytest.mark.usefixtures("_restore_logging")
def test_a_live_server_answers_a_server_error_without_reset_traceback_or_server_header(
    sqlite_db: Database, settings: Settings, capfd: pytest.CaptureFixture[str]
) -> None:
    import json
    import socket
    import threading
    import time
    import urllib.error
    import urllib.request

    import uvicorn

    from goalwise.cli.serve import serve_options

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        _failing_app(settings, sqlite_db), host="127.0.0.1", port=port, **serve_options(settings)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/explode?mood=7", timeout=10)
        answer = caught.value
        body = json.loads(answer.read())  # a whole answer, not a reset connection
    finally:
        server.should_exit = True
        thread.join(10)
    assert answer.code == 500 and body["status"] == 500
    assert "server" not in answer.headers and answer.headers["cache-control"] == "no-store"
    logged = capfd.readouterr().err
    assert "IntegrityError" in logged and "explode" in logged
    assert SECRET not in logged and "Traceback" not in logged and "mood=7" not in logged


def test_every_notice_code_a_page_redirects_with_is_in_the_list() -> None:
    """A code missing from web/notices.py would fail only when someone submits that form."""
    import ast
    from pathlib import Path

    import goalwise.web as web

    used = set()
    for path in Path(web.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            is_redirect = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "redirect"
            if is_redirect and len(node.args) > 1:  # type: ignore[attr-defined]
                used |= {c.value for c in ast.walk(node.args[1]) if isinstance(c, ast.Constant) and c.value}
    assert used and used <= set(NOTICES)
