"""Blocking work handed to a thread through asyncio's own executor hop.

The services are synchronous (SQLAlchemy on SQLite or PostgreSQL); an endpoint awaits them on a
thread so the event loop keeps serving other requests. Starlette's ``run_in_threadpool`` goes
through anyio's worker threads (a capacity limiter, a shielded cancel scope, run-variables): counted
with callgrind on a bare endpoint doing one INSERT, that hop cost about 460,000 instructions a
request, ``loop.run_in_executor`` about 150,000 (the endpoint itself, without a hop, 570,000).

The work runs in a copy of the caller's context variables, as anyio runs it. A request cancelled
while its work runs (the request timeout) stops waiting at once and answers; the work itself runs
to its end on its thread (a write commits whole or not at all), as with anyio.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["THREADS", "run_blocking"]

#: Threads for blocking work: as many as anyio's default capacity, which the app used before.
THREADS = 40

_P = ParamSpec("_P")
_T = TypeVar("_T")
_POOL = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="goalwise-work")


async def run_blocking(fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """``fn(*args, **kwargs)`` on a worker thread; its result, or its exception."""
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_POOL, call)
