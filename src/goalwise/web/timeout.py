"""A request that takes longer than ``GOALWISE_REQUEST_TIMEOUT_SECONDS`` answers 503.

The person sees "try again" instead of a page that never loads, and the process stops waiting
on it. Work already handed to a thread finishes on its own (PostgreSQL's statement timeout,
``GOALWISE_DB_STATEMENT_TIMEOUT_SECONDS``, bounds the database part); a write either commits
whole or not at all, as always.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestTimeoutMiddleware"]

_BODY = b"The server took too long to answer; please try again in a moment."


class RequestTimeoutMiddleware:
    """Answer 503 when the app has not finished a request within ``seconds`` (0: no limit)."""

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            # ``asyncio.timeout`` cancels this task in place; ``wait_for`` would start a task per request.
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if started:  # the answer is already on its way; nothing clear can be sent now
                raise
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"5")],
                }
            )
            await send({"type": "http.response.body", "body": _BODY})
