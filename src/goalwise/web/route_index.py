"""Find a request's route among the few that could match it, not by trying all 190 in turn.

Starlette matches a request by trying every route of the table in order, each with a regular
expression; a page near the end of the table paid for 150 failed matches, and a phone's check-in
for 60 (a tenth of its time on the server). ``RouteIndex`` sits first in the table and tries, in
the same order, only the routes whose path has as many segments as the request's and whose last
segment is the request's last segment (or a parameter). A route it cannot reason about (a mount,
a ``{name:path}`` parameter) is always tried. So the first full match, and the first partial match
(a wrong method, answered 405), are the ones Starlette's own walk would find.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette._utils import get_route_path
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound, Route
from starlette.types import Receive, Scope, Send

__all__ = ["RouteIndex", "index_routes"]

_CHOSEN = "goalwise.route"

#: (number of "/" in the path, its last segment, or None where the route has a parameter there).
_Key = tuple[int, str | None]


def _key(route: BaseRoute) -> _Key | None:
    """Where ``route`` is filed, or None when it must be tried for every request."""
    if not isinstance(route, Route) or ":path}" in route.path:
        return None
    # No other parameter type matches a "/", so the count of "/" is fixed.
    last = route.path.rsplit("/", 1)[-1]
    return route.path.count("/"), (None if "{" in last else last)


class RouteIndex(BaseRoute):
    """The routes of a table, filed by the shape of their path (see the module docstring)."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self._routes = list(routes)
        self._always: list[int] = []
        self._filed: dict[_Key, list[int]] = {}
        for position, route in enumerate(self._routes):
            key = _key(route)
            if key is None:
                self._always.append(position)
            else:
                self._filed.setdefault(key, []).append(position)
        self._merged: dict[_Key, tuple[BaseRoute, ...]] = {}

    def _candidates(self, path: str) -> tuple[BaseRoute, ...]:
        slashes = path.count("/")
        last = path.rsplit("/", 1)[-1]
        # A last segment no route names shares the list of "a parameter there": the cache
        # stays as small as the table, whatever paths are requested.
        key: _Key = (slashes, last if (slashes, last) in self._filed else None)
        found = self._merged.get(key)
        if found is None:
            positions = set(self._always) | set(self._filed.get((slashes, None), ()))
            if key[1] is not None:
                positions |= set(self._filed[key])
            found = tuple(self._routes[p] for p in sorted(positions))
            self._merged[key] = found
        return found

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """The first full match among the candidates, else the first partial one, else none."""
        if scope["type"] != "http":
            return Match.NONE, {}
        path = get_route_path(scope)
        partial: tuple[Match, Scope] | None = None
        for route in self._candidates(path):
            match, child = route.matches(scope)
            if match is Match.FULL:
                return match, {**child, _CHOSEN: route}
            if match is Match.PARTIAL and partial is None:
                partial = (match, {**child, _CHOSEN: route})
        return partial or (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the request to the route ``matches`` chose."""
        route: BaseRoute = scope.pop(_CHOSEN)
        scope["route"] = route
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """Never: ``url_for`` finds names on the routes themselves, which stay in the table."""
        raise NoMatchFound(name, path_params)


def index_routes(routes: list[BaseRoute]) -> None:
    """Put a ``RouteIndex`` of ``routes`` at their front (call once, after the last route is added).

    The routes stay in the table behind the index: the OpenAPI schema and ``url_for`` read them,
    and a request the index does not match walks them as before (a 404, or a slash redirect).
    """
    routes.insert(0, RouteIndex([r for r in routes if not isinstance(r, RouteIndex)]))
