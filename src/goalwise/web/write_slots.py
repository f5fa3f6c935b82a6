"""How check-ins reach their worker threads: a few threads of their own, first come first served.

SQLite runs one write at a time. With a waiting room of phones checking in together, every
check-in took a worker thread and queued on the process's writer lock, and a lock hands itself to
whichever thread wakes first, so some check-ins waited while later ones passed. Now each database
has a lane of at most :data:`SQLITE_SLOTS` threads for check-ins: one writing while the next look
their callers up; the other check-ins wait in the lane's queue, in order of arrival, holding no
thread. Measured with ``make bench`` (32 callers): the 99th percentile wait went from 159 ms to
66 ms at the same throughput. PostgreSQL writes run side by side, so there the lane has as many
threads as the connection pool has connections (``pool_size`` plus ``max_overflow``).

The lane is a queue from the C library and an asyncio future per check-in, settled from the
thread with ``call_soon_threadsafe``: the general-purpose hop (``anyio.to_thread`` with a
capacity limiter, its cancel scopes and run-variables) cost a check-in a seventh of the event
loop's time. A check-in whose request was abandoned (a timeout, a client gone) before its turn is
skipped; one already running finishes on its thread and commits whole or not at all, as every
write does (see ``web/timeout.py``). Idle threads end after :data:`IDLE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from goalwise.services.context import Context

__all__ = ["IDLE_SECONDS", "SQLITE_SLOTS", "run_write"]

#: Check-ins on worker threads at once on SQLite: one writing, the next ones reading.
SQLITE_SLOTS = 3
#: A lane's thread with nothing to do for this long ends (the lane starts another when needed).
IDLE_SECONDS = 10.0

_T = TypeVar("_T")
_Job = tuple[Callable[[], Any], "asyncio.Future[Any]", asyncio.AbstractEventLoop]


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    """On the event loop: hand the thread's outcome to the waiting request, unless it gave up."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class _Lane:
    """At most ``threads`` worker threads taking jobs from one queue, in order of arrival.

    ``_idle`` counts the threads waiting for a job, under ``_lock``: a thread counts itself in
    before it waits and out when it stops waiting, so the count never outlives the threads (a
    thread that ends after an idle wait leaves no count behind for a later job to rely on).
    """

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._live = 0

    def submit(self, job: _Job) -> None:
        """Queue ``job``; start a thread when more jobs wait than threads do and the lane has room."""
        self._jobs.put(job)
        with self._lock:
            if self._jobs.qsize() > self._idle and self._live < self.threads:
                self._live += 1
                threading.Thread(target=self._work, name="goalwise-write", daemon=True).start()

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            try:
                job = self._jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    self._idle -= 1
                    # Checked under the lock ``submit`` starts threads under: a job queued before
                    # this is taken here; one queued after finds no waiting thread and starts one.
                    if self._jobs.empty():
                        self._live -= 1
                        return
                continue
            with self._lock:
                self._idle -= 1
            _run(job)
            del job  # hold no request's objects while idle


def _run(job: _Job) -> None:
    """Run a job on this thread and hand its outcome to its event loop; skip one given up on."""
    fn, future, loop = job
    if future.done():  # a request abandoned before its turn is not run
        return
    try:
        result, error = fn(), None
    except BaseException as exc:  # handed to the request, which raises it on its own loop
        result, error = None, exc
    with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
        loop.call_soon_threadsafe(_settle, future, result, error)


_lanes: weakref.WeakKeyDictionary[object, _Lane] = weakref.WeakKeyDictionary()
_lanes_lock = threading.Lock()


def _threads_for(ctx: Context) -> int:
    if ctx.db.dialect == "sqlite":
        return SQLITE_SLOTS
    pool = ctx.db.engine.pool
    size = getattr(pool, "size", lambda: 5)()
    overflow = max(0, getattr(pool, "_max_overflow", 10))
    return max(1, size + overflow)


def _lane(ctx: Context) -> _Lane:
    lane = _lanes.get(ctx.db)
    if lane is None:
        with _lanes_lock:
            lane = _lanes.get(ctx.db)
            if lane is None:
                lane = _lanes[ctx.db] = _Lane(_threads_for(ctx))
    return lane


async def run_write(ctx: Context, fn: Callable[[], _T]) -> _T:
    """``fn()`` on one of the database's write threads, once one is free; its result or error."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()
    _lane(ctx).submit((fn, future, loop))
    return await future
