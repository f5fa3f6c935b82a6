"""The check-in's direct way in (``web/direct.py``) answers exactly as FastAPI's handler would.

Every request below goes to two apps on the same database: the app as served, and the same app
with the check-in route given back its FastAPI handler. Errors must match byte for byte (they
store nothing, so both apps see the same database); a stored check-in must store the same rows.
A spy on FastAPI's handler shows which requests the direct way served itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import func, select
from starlette.types import Receive, Scope, Send
from tests.support.cast import PASSWORD, Cast, make_cast

from goalwise.services.accounts import login_sessions
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.measurement import checkins
from goalwise.storage.tables import audit_events, observations
from goalwise.web.api.measurement.observations import CheckinIn, CheckinOut, ObservationOut, checkin_json
from goalwise.web.app import create_app
from goalwise.web.direct import DirectJson

_PATH = "/api/v1/clients/{client_id}/checkins"


def _route(app: Any) -> APIRoute:
    (route,) = [r for r in app.router.routes if isinstance(r, APIRoute) and r.path == _PATH]
    return route


class _Spy:
    """Counts the requests FastAPI's own handler answers."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await self.inner(scope, receive, send)


@pytest.fixture
def pair(ctx: Context) -> Iterator[tuple[TestClient, TestClient, _Spy]]:
    """(the app as served, the app with FastAPI's handler only, the spy on the first's fallback)."""
    direct_app, plain_app = create_app(ctx.settings, ctx.db), create_app(ctx.settings, ctx.db)
    direct = _route(direct_app).app
    assert isinstance(direct, DirectJson)
    spy = direct.fallback = _Spy(direct.fallback)
    plain = _route(plain_app)
    plain.app = plain.app.fallback  # type: ignore[attr-defined]
    with TestClient(direct_app) as one, TestClient(plain_app) as two:
        yield one, two, spy


def _count(ctx: Context) -> tuple[int, int]:
    with ctx.db.read() as conn:
        return (
            int(conn.execute(select(func.count()).select_from(observations)).scalar_one()),
            int(conn.execute(select(func.count()).select_from(audit_events)).scalar_one()),
        )


def _both(pair: tuple[TestClient, TestClient, _Spy], path: str, **kwargs: Any) -> tuple[Any, Any]:
    direct, plain, _ = pair
    return direct.post(path, **kwargs), plain.post(path, **kwargs)


def test_every_refused_check_in_gets_fastapis_answer_and_stores_nothing(
    pair: tuple[TestClient, TestClient, _Spy], ctx: Context, cast: Cast
) -> None:
    a = cast.client_a
    url = f"/api/v1/clients/{a.client_id}/checkins"
    _, read_only = login_sessions.create_api_token(ctx, a.actor, name="ro", scope="read")
    json_header = {**a.headers, "Content-Type": "application/json"}
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("value out of range", url, {"json": {"mood": 11}, "headers": a.headers}),
        ("wrong type", url, {"json": {"mood": "good"}, "headers": a.headers}),
        ("no value", url, {"json": {}, "headers": a.headers}),
        ("a list, not an object", url, {"json": [5], "headers": a.headers}),
        ("a bare number", url, {"json": 5, "headers": a.headers}),
        ("broken JSON", url, {"content": b'{"mood": 5', "headers": json_header}),
        ("not UTF-8", url, {"content": b'{"mood": "\xff"}', "headers": json_header}),
        ("empty body", url, {"content": b"", "headers": json_header}),
        ("nested too deep", url, {"content": b"[" * 100_000 + b"]" * 100_000, "headers": json_header}),
        ("a huge number", url, {"content": b'{"mood": 1e999}', "headers": json_header}),
        ("no content type", url, {"content": b'{"mood": 5}', "headers": a.headers}),
        (
            "text content type",
            url,
            {"content": b'{"mood": 5}', "headers": {**a.headers, "Content-Type": "text/plain"}},
        ),
        ("unknown goal metric", url, {"json": {"goal_values": {"nope": 1}}, "headers": a.headers}),
        (
            "a time in the future",
            url,
            {"json": {"mood": 5, "at": "2999-01-01T00:00:00Z"}, "headers": a.headers},
        ),
        ("anonymous", url, {"json": {"mood": 5}}),
        ("anonymous, bad field", url, {"json": {"mood": "good"}}),
        ("anonymous, broken JSON", url, {"content": b"{", "headers": {"Content-Type": "application/json"}}),
        ("unknown token", url, {"json": {"mood": 5}, "headers": {"Authorization": "Bearer gw_unknown"}}),
        ("read-only token", url, {"json": {"mood": 5}, "headers": {"Authorization": f"Bearer {read_only}"}}),
        (
            "another client's record",
            f"/api/v1/clients/{cast.client_b.client_id}/checkins",
            {"json": {"mood": 5}, "headers": a.headers},
        ),
        ("a supporter", url, {"json": {"mood": 5}, "headers": cast.supporter.headers}),
        (
            "an id that is not a number",
            "/api/v1/clients/abc/checkins",
            {"json": {"mood": 5}, "headers": a.headers},
        ),
        ("a fractional id", "/api/v1/clients/1.5/checkins", {"json": {"mood": 5}, "headers": a.headers}),
        (
            "an id past 64 bits",
            "/api/v1/clients/99999999999999999999/checkins",
            {"json": {"mood": 5}, "headers": a.headers},
        ),
        ("no such client", "/api/v1/clients/987654/checkins", {"json": {"mood": 5}, "headers": a.headers}),
    ]
    before = _count(ctx)
    for name, path, kwargs in cases:
        mine, theirs = _both(pair, path, **kwargs)
        assert mine.status_code >= 400, name
        assert (mine.status_code, mine.headers.get("content-type"), mine.content) == (
            theirs.status_code,
            theirs.headers.get("content-type"),
            theirs.content,
        ), name
    assert _count(ctx) == before


def test_a_well_formed_check_in_is_served_directly_and_stores_what_fastapis_would(
    pair: tuple[TestClient, TestClient, _Spy], ctx: Context, cast: Cast
) -> None:
    a = cast.client_a
    url = f"/api/v1/clients/{a.client_id}/checkins"
    direct, plain, spy = pair
    start = _count(ctx)

    def added() -> tuple[int, int]:
        now = _count(ctx)
        return now[0] - start[0], now[1] - start[1]

    body = {"mood": 6, "anxiety": 4, "sleep_hours": 7.5, "note": "slept well", "at": "2026-11-02T08:00:00Z"}
    mine = direct.post(url, json={**body, "client_ref": "phone-1"}, headers=a.headers)
    theirs = plain.post(url, json={**body, "client_ref": "phone-2"}, headers=a.headers)
    assert spy.calls == 0  # served without FastAPI's handler
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.headers["content-type"] == theirs.headers["content-type"] == "application/json"

    def shape(answer: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [(o["metric"], o["value"], o["at"], o["note"]) for o in answer["observations"]]

    assert shape(mine.json()) == shape(theirs.json())
    assert shape(mine.json()) == [
        ("mood", 6.0, "2026-11-02T08:00:00Z", "slept well"),
        ("anxiety", 4.0, "2026-11-02T08:00:00Z", None),
        ("sleep_hours", 7.5, "2026-11-02T08:00:00Z", None),
    ]
    assert added() == (6, 2)  # three values each, one audit event each
    # A retry with the same ref is answered from what was stored, directly too.
    again = direct.post(url, json={**body, "client_ref": "phone-1"}, headers=a.headers)
    assert again.status_code == 201 and again.json()["replayed"] is True and spy.calls == 0
    assert added() == (6, 2)
    # Content type with parameters, and "0"-padded ids, as FastAPI reads them.
    padded = f"/api/v1/clients/000{a.client_id}/checkins"
    raw = b'{"mood": 5, "at": "2026-11-03T08:00:00Z"}'
    headers = {**a.headers, "Content-Type": "Application/JSON; charset=utf-8"}
    assert direct.post(padded, content=raw, headers=headers).status_code == 201
    assert spy.calls == 0 and added() == (7, 3)


def test_a_browser_session_check_in_needs_its_csrf_header_on_the_direct_way_too(
    pair: tuple[TestClient, TestClient, _Spy], ctx: Context, cast: Cast
) -> None:
    a = cast.client_a
    direct, _, spy = pair
    url = f"/api/v1/clients/{a.client_id}/checkins"
    direct.get("/login")
    direct.post(
        "/login",
        data={"email": a.email, "password": PASSWORD, "pre_token": direct.cookies.get("goalwise_pre", "")},
    )
    refused = direct.post(url, json={"mood": 5})
    assert refused.status_code == 403 and "security token" in refused.json()["error"]
    page = direct.get("/account").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert direct.post(url, json={"mood": 5}, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert spy.calls == 0 and _count(ctx)[0] == 1


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["5", " 5", "1e3", "NaN", "inf", "true", "1_000", "2026-11-02T08:00:00Z", "2026-11-02"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
_KEYS = st.sampled_from(["mood", "anxiety", "sleep_hours", "note", "goal_values", "at", "client_ref", "x"])


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=6))
def test_what_the_direct_way_accepts_fastapis_way_accepts_alike(document: dict[str, Any]) -> None:
    """The direct way parses and checks a body in one go (``model_validate_json``); FastAPI's way
    parses with ``json.loads`` and checks the object. Whatever the first accepts, the second
    accepts with the same values (what the first refuses goes to FastAPI anyway)."""
    raw = json.dumps(document).encode()
    try:
        direct = CheckinIn.model_validate_json(raw)
    except ValidationError:
        return
    assert repr(CheckinIn.model_validate(json.loads(raw)).model_dump()) == repr(direct.model_dump())


def test_the_check_in_answer_is_the_response_models_json(sqlite_ctx: Context) -> None:
    """``checkin_json`` writes the same bytes as ``CheckinOut`` would, for values with and without
    notes, denominators and refs."""
    cast = make_cast(sqlite_ctx)
    a = cast.client_a
    assert a.client_id is not None
    goal = goals.create_from_template(
        sqlite_ctx,
        cast.therapist.actor,
        a.client_id,
        "conversations-80pct",
        baseline=40,
        start_on=datetime.now(UTC).date() - timedelta(days=7),
        activate=True,
    )
    assert goal.metric_key is not None
    done = checkins.checkin(
        sqlite_ctx,
        a.actor,
        a.client_id,
        mood=6.5,
        sleep_hours=7,
        note="a quiet day",
        goal_values={goal.metric_key: (2, 3)},
        client_ref="phone-7",
    )
    model = CheckinOut(
        at=done.at,
        local_on=done.local_on,
        observations=[ObservationOut.of(o) for o in done.observations],
        replayed=done.replayed,
    )
    assert checkin_json(done) == model.model_dump_json().encode()
    assert [o["denominator"] for o in json.loads(checkin_json(done))["observations"]] == [None, None, 3.0]
