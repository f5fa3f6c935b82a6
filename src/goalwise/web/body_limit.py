"""A request body larger than the limit is refused with 413 before anything parses it.

Without a limit a 20 MB anonymous JSON body grew the server by 600 MB while it was parsed. The
limit is ``GOALWISE_MAX_BODY_BYTES`` (1 MB by default: the largest legitimate form, a journal page
of 20,000 characters, is far below it). A route that needs more (a file import) names its path
prefix in :data:`LARGER_BODIES`.

Pure ASGI: a declared ``Content-Length`` above the limit is answered at once, without reading the
body; a body without one (chunked) is counted as it streams, and the first chunk past the limit
stops the request with the same 413.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from goalwise.core.errors import Problem
from goalwise.web.api.transfer.imports import IMPORT_MAX_BODY_BYTES, IMPORT_PATH
from goalwise.web.errors import error_response

__all__ = ["LARGER_BODIES", "BodyLimitMiddleware", "too_large_message"]

#: Path prefixes that accept bodies up to the given number of bytes (imports of files).
LARGER_BODIES: Mapping[str, int] = {
    # File imports (the upload page and the API): a decade of Daylio entries is a few megabytes.
    IMPORT_PATH: IMPORT_MAX_BODY_BYTES,
    f"/api/v1{IMPORT_PATH}": IMPORT_MAX_BODY_BYTES,
}


def too_large_message(limit: int) -> str:
    """What a client that sent too much is told."""
    return f"The request body is larger than {limit} bytes; send less, or split it into several requests."


def _declared_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimitMiddleware:
    """Refuses request bodies over ``limit`` bytes (or a larger limit for a path in ``larger``)."""

    def __init__(self, app: ASGIApp, limit: int, larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.larger = dict(LARGER_BODIES if larger is None else larger)

    def limit_for(self, path: str) -> int:
        """The limit for a request to ``path``."""
        return max([self.limit, *(n for prefix, n in self.larger.items() if path.startswith(prefix))])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            problem = Problem("body-too-large", "body", too_large_message(limit), "Send a smaller body.")
            response = error_response(Request(scope), 413, problem.message, [problem])
            response.headers["connection"] = "close"
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, too_large_message(limit))
            return message

        await self.app(scope, counted, send)
