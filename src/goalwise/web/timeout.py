"""A request that takes longer than ``GOALWISE_REQUEST_TIMEOUT_SECONDS`` answers 503.

The person sees "try again" instead of a page that never loads, and the process stops waiting
on it. Work already handed to a thread finishes on its own (PostgreSQL's statement timeout,
``GOALWISE_DB_STATEMENT_TIMEOUT_SECONDS``, bounds the database part); a write either commits
whole or not at all, as always.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestTimeoutMiddleware"]

_BODY = b"The server took too long to answer; please try again in a moment."


class _Watch:
    """The running requests of one event loop, with their deadlines, and the loop's one timer."""

    def __init__(self, loop: asyncio.AbstractEventLoop, tick: float) -> None:
        self.loop = loop
        self.tick = tick
        self.deadlines: dict[asyncio.Task[Any], float] = {}
        self.expired: set[asyncio.Task[Any]] = set()
        self.timer: asyncio.TimerHandle | None = None

    def add(self, task: asyncio.Task[Any], seconds: float) -> None:
        self.deadlines[task] = self.loop.time() + seconds
        if self.timer is None:
            self.timer = self.loop.call_at(self.loop.time() + self.tick, self.look)

    def remove(self, task: asyncio.Task[Any]) -> None:
        del self.deadlines[task]
        self.expired.discard(task)

    def look(self) -> None:
        """Cancel every request past its deadline; look again in a tick while any is running."""
        self.timer = None
        now = self.loop.time()
        for task, deadline in list(self.deadlines.items()):
            if deadline <= now and task not in self.expired:
                self.expired.add(task)
                task.cancel()
        if self.deadlines:
            self.timer = self.loop.call_at(now + self.tick, self.look)


class RequestTimeoutMiddleware:
    """Answer 503 when the app has not finished a request within ``seconds`` (0: no limit).

    One timer per event loop watches every running request, instead of one timer per request
    (``asyncio.timeout`` schedules and cancels a timer on every request, a few per cent of a
    check-in's time): a request's task is noted with its deadline, and while any request runs the
    timer looks every ``tick`` seconds (a tenth of ``seconds``, at most one) and cancels the tasks
    past their deadline, which then answer 503. A request may so run up to one tick longer.
    """

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self.tick = min(1.0, max(seconds / 10, 0.01))
        self._watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Watch] = (
            weakref.WeakKeyDictionary()
        )

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

        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        watch = self._watches.get(loop)
        if watch is None:
            watch = self._watches[loop] = _Watch(loop, self.tick)
        watch.add(task, self.seconds)
        cancelling = task.cancelling()
        try:
            await self.app(scope, receive, tracking_send)
        except asyncio.CancelledError:
            # Ours only when the watch cancelled this task and nobody else did too (a server
            # shutting down): then it is a timeout, as with ``asyncio.timeout``.
            if task not in watch.expired or task.uncancel() > cancelling or started:
                raise
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"5")],
                }
            )
            await send({"type": "http.response.body", "body": _BODY})
        finally:
            watch.remove(task)
