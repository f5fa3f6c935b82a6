"""The web skeleton: health, home page, one error shape, security headers, schema check."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from goalwise.config import Settings
from goalwise.core.errors import StorageError
from goalwise.storage.engine import Database
from goalwise.web.app import create_app


@pytest.fixture
def client(db: Database, settings: Settings) -> TestClient:
    return TestClient(create_app(settings, db))


def test_healthz_is_ok_on_a_migrated_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_home_page_names_goalwise(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1>Goalwise</h1>" in response.text
    assert "SMART" in response.text
    assert 'href="/static/app.css"' in response.text


def test_api_errors_have_one_json_shape(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error": "There is no page at this address.",
        "problems": [],
        "status": 404,
    }


def test_browser_errors_are_html_pages(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/healthz", "/static/app.css", "/missing"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"]


def test_openapi_is_served(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["info"]["title"] == "Goalwise"


def test_app_refuses_an_unmigrated_database(tmp_path: Path, settings: Settings) -> None:
    empty = Database.from_url(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StorageError, match="goalwise db upgrade"):
        create_app(settings, empty)


def test_healthz_reports_a_database_that_fell_behind(tmp_path: Path, settings: Settings) -> None:
    empty = Database.from_url(f"sqlite:///{tmp_path / 'empty.db'}")
    app = create_app(settings, empty, check_schema=False)
    response = TestClient(app).get("/healthz")
    assert response.status_code == 503
    assert response.json()["ok"] is False
    assert "goalwise db upgrade" in response.json()["error"]


def test_malformed_json_names_the_body_and_the_fix(client: TestClient) -> None:
    response = client.post(
        "/api/v1/goals/check", content=b'{"title": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert (problem["field"], problem["code"]) == ("body", "request-json")
    assert "JSON object" in problem["hint"]
