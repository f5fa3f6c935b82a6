"""Numbers in the address that no record can have: 404 for a path id, 422 for a query value.

Record ids are 64-bit integers in both databases. A path such as ``/clients/9223372036854775808``
names nothing, so it answers 404 like any other missing record; before this check SQLite refused to
bind the number and the request failed with 500. A whole number outside the same range in a query
parameter that the API declares as a number (``?client_id=99999999999999999999``), or in the
``client`` filter of ``/admin``, answers 422 naming the parameter; free text such as ``?text=`` may
hold any digits. The check runs before routing, so every route, present and future, gets it.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from goalwise.core.errors import Problem
from goalwise.web.errors import error_response

__all__ = ["ID_MAX", "IdRangeMiddleware", "in_id_range"]

#: The largest id a record can have (a signed 64-bit integer).
ID_MAX = 2**63 - 1

_WHOLE = re.compile(r"[+-]?\d+")
#: A number that no 64-bit id can hold has at least 19 digits (ID_MAX has 19).
_LONG_RUN = re.compile(r"\d{19}")


def in_id_range(text: str) -> bool:
    """False when ``text`` is a whole number that no signed 64-bit column can hold."""
    if not _WHOLE.fullmatch(text):
        return True
    digits = text.lstrip("+-").lstrip("0") or "0"
    # Compare lengths first: int() of thousands of digits is slow, and refused past 4300.
    if len(digits) > 19:
        return False
    value = -int(digits) if text.startswith("-") else int(digits)
    return -ID_MAX - 1 <= value <= ID_MAX


#: Query parameters of the HTML pages that hold numbers (the API's come from its schema).
PAGE_NUMBER_PARAMETERS = frozenset({"client"})


def _number_parameters(app: Any) -> frozenset[str]:
    """The query parameters the API declares as integers or numbers (read once from the schema)."""
    found = getattr(app.state, "number_query_parameters", None)
    if found is None:
        found = PAGE_NUMBER_PARAMETERS | {
            parameter["name"]
            for operations in app.openapi().get("paths", {}).values()
            for operation in operations.values()
            for parameter in operation.get("parameters", [])
            if parameter.get("in") == "query" and re.search(r'"(integer|number)"', json.dumps(parameter))
        }
        app.state.number_query_parameters = found
    return frozenset(found)


def _query_problems(query: str, numbers: frozenset[str]) -> list[Problem]:
    return [
        Problem(
            "number-out-of-range",
            name[:40],
            f"{name[:40]} is a number with {len(value)} characters, too large for any record or count.",
            f"Use a whole number up to {ID_MAX}.",
        )
        for name, value in parse_qsl(query, keep_blank_values=True)
        if name in numbers and not in_id_range(value.strip())
    ]


class IdRangeMiddleware:
    """Answers 404 for an out-of-range id in the path and 422 for one in the query string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = None
        path: str = scope["path"]
        # Only a run of 19 digits can be out of range (or a %-escape hide one): most paths skip the check.
        if (_LONG_RUN.search(path) or "%" in path) and not all(
            in_id_range(unquote(p)) for p in path.split("/")
        ):
            response = error_response(Request(scope), 404, "There is no record with this id.")
        elif scope.get("query_string") and (
            problems := _query_problems(
                scope["query_string"].decode("latin-1"), _number_parameters(scope["app"])
            )
        ):
            response = error_response(Request(scope), 422, problems[0].message, problems)
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)
