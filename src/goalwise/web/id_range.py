"""Numbers in the address that no record can have: 404 for a path id, 422 for a query value.

Record ids are 64-bit integers in both databases. A path such as ``/clients/9223372036854775808``
names nothing, so it answers 404 like any other missing record; before this check SQLite refused to
bind the number and the request failed with 500. A whole number in the query string outside the
same range (``?client_id=1e30`` is not one; ``?client_id=99999999999999999999`` is) answers 422
naming the parameter. The check runs before routing, so every route, present and future, gets it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from goalwise.core.errors import Problem
from goalwise.web.errors import error_response

__all__ = ["ID_MAX", "IdRangeMiddleware", "in_id_range"]

#: The largest id a record can have (a signed 64-bit integer).
ID_MAX = 2**63 - 1

_WHOLE = re.compile(r"[+-]?\d+")


def in_id_range(text: str) -> bool:
    """False when ``text`` is a whole number that no signed 64-bit column can hold."""
    if not _WHOLE.fullmatch(text):
        return True
    digits = text.lstrip("+-").lstrip("0")
    # Compare lengths first: int() of thousands of digits is slow, and refused past 4300.
    return len(digits) <= 19 and -ID_MAX - 1 <= int(text) <= ID_MAX


def _query_problems(query: str) -> list[Problem]:
    return [
        Problem(
            "number-out-of-range",
            name[:40],
            f"{name[:40]} is a number with {len(value)} characters, too large for any record or count.",
            f"Use a whole number up to {ID_MAX}.",
        )
        for name, value in parse_qsl(query, keep_blank_values=True)
        if not in_id_range(value.strip())
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
        if not all(in_id_range(unquote(part)) for part in scope["path"].split("/")):
            response = error_response(Request(scope), 404, "There is no record with this id.")
        elif problems := _query_problems(scope.get("query_string", b"").decode("latin-1")):
            response = error_response(Request(scope), 422, problems[0].message, problems)
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)
