"""The route index picks the route Starlette's own walk of the table would pick, for every route.

For each route of the real app a concrete path is made (each parameter filled in), and for each
method the index's answer (full, partial or no match, and which route) is compared with the first
full match, else first partial match, of a walk over every route in table order.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Match, Route

from goalwise.services.context import Context
from goalwise.web.app import create_app
from goalwise.web.route_index import RouteIndex

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _walk(routes: list[BaseRoute], scope: dict[str, object]) -> tuple[Match, BaseRoute | None]:
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return match, route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return (Match.PARTIAL, partial) if partial is not None else (Match.NONE, None)


def _scope(method: str, path: str) -> dict[str, object]:
    return {"type": "http", "method": method, "path": path, "root_path": ""}


def _paths(app: FastAPI) -> list[str]:
    """A concrete path for every route, plus near misses (a trailing slash, an unknown last word)."""
    paths = set()
    for route in app.router.routes:
        if isinstance(route, Route):
            path = re.sub(r"\{[^}:]+:path\}", "a/b.css", route.path)
            path = re.sub(r"\{[^}]+\}", "7", path)
            paths |= {path, path + "/", path.rsplit("/", 1)[0] + "/nothing-here"}
    return sorted(paths | {"/", "/static/app.css", "/api/v1", "/api/v1/clients/x/checkins", "//"})


@pytest.fixture
def app(sqlite_ctx: Context) -> FastAPI:
    return create_app(sqlite_ctx.settings, sqlite_ctx.db)


def test_index_is_first_and_indexes_every_other_route(app: FastAPI) -> None:
    index, *rest = app.router.routes
    assert isinstance(index, RouteIndex)
    assert len(rest) > 150  # the whole table is behind it
    assert not any(isinstance(r, RouteIndex) for r in rest)


def test_index_matches_what_walking_the_table_matches(app: FastAPI) -> None:
    index, *rest = app.router.routes
    assert isinstance(index, RouteIndex)
    compared = 0
    for path in _paths(app):
        for method in METHODS:
            scope = _scope(method, path)
            expected, route = _walk(rest, scope)
            got, child = index.matches(scope)
            assert got is expected, (method, path)
            assert child.get("goalwise.route") is route, (method, path)
            compared += 1
    assert compared > 1000


def test_index_tries_few_routes_for_a_check_in(app: FastAPI) -> None:
    index = app.router.routes[0]
    assert isinstance(index, RouteIndex)
    tried = index._candidates("/api/v1/clients/7/checkins")
    assert len(tried) < 10
    assert any(getattr(r, "path", "") == "/api/v1/clients/{client_id}/checkins" for r in tried)


def test_requests_through_the_index(app: FastAPI) -> None:
    """Served end to end: a page, a 405 with its Allow header, a 404, a slash redirect, a static file."""
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/login").status_code == 200
        wrong = client.delete("/login")
        assert wrong.status_code == 405
        assert "GET" in wrong.headers["allow"]
        assert client.get("/api/v1/clients/7/nothing-here").status_code == 404
        assert client.get("/healthz/").status_code in (307, 308)
        assert client.get("/static/app.css").status_code == 200
