"""The check-ins' lane of write threads (``web/write_slots.py``): results, errors, order, abandoning."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from tests.support.asgi import run_apart

from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.context import Context
from goalwise.web import write_slots


def test_a_result_and_an_error_come_back_to_the_caller(sqlite_ctx: Context) -> None:
    def refuse() -> None:
        raise InvalidInput([Problem("x", "mood", "bad", "fix it")])

    async def run() -> None:
        assert await write_slots.run_write(sqlite_ctx, lambda: threading.current_thread().name) == (
            "goalwise-write"
        )
        with pytest.raises(InvalidInput):
            await write_slots.run_write(sqlite_ctx, refuse)

    run_apart(run)


def test_jobs_run_in_order_of_arrival_on_at_most_the_lanes_threads(sqlite_ctx: Context) -> None:
    started: list[int] = []
    running, most, lock = [0], [0], threading.Lock()

    def job(n: int) -> int:
        with lock:
            started.append(n)
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return n

    async def run() -> list[int]:
        waits = []
        for n in range(12):
            waits.append(asyncio.ensure_future(write_slots.run_write(sqlite_ctx, lambda n=n: job(n))))
            await asyncio.sleep(0)  # arrive one after another
        return list(await asyncio.gather(*waits))

    assert run_apart(run) == list(range(12))
    assert most[0] == write_slots.SQLITE_SLOTS
    # The first SQLITE_SLOTS start together; every later one starts after all that came before it.
    assert sorted(started[: write_slots.SQLITE_SLOTS]) == list(range(write_slots.SQLITE_SLOTS))
    assert started[write_slots.SQLITE_SLOTS :] == list(range(write_slots.SQLITE_SLOTS, 12))


def test_a_request_abandoned_before_its_turn_is_not_run(sqlite_ctx: Context) -> None:
    gate = threading.Event()
    ran: list[str] = []

    def blocker() -> None:
        gate.wait(10)
        ran.append("blocker")

    async def run() -> None:
        busy = [asyncio.ensure_future(write_slots.run_write(sqlite_ctx, blocker)) for _ in range(3)]
        await asyncio.sleep(0.05)  # every thread of the lane is taken
        late = asyncio.ensure_future(write_slots.run_write(sqlite_ctx, lambda: ran.append("late")))
        await asyncio.sleep(0.01)
        late.cancel()  # e.g. the request timed out while waiting
        gate.set()
        await asyncio.gather(*busy)
        with pytest.raises(asyncio.CancelledError):
            await late
        # Whatever came after still runs.
        await write_slots.run_write(sqlite_ctx, lambda: ran.append("after"))

    run_apart(run)
    assert ran == ["blocker"] * 3 + ["after"]


def test_idle_threads_end_and_the_lane_starts_new_ones(
    sqlite_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write_slots, "IDLE_SECONDS", 0.05)

    def live() -> int:
        return sum(1 for t in threading.enumerate() if t.name == "goalwise-write" and t.is_alive())

    async def run() -> None:
        before = live()
        await asyncio.gather(*(write_slots.run_write(sqlite_ctx, lambda: time.sleep(0.02)) for _ in range(3)))
        deadline = time.monotonic() + 5
        while live() > before and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert live() <= before
        assert await write_slots.run_write(sqlite_ctx, lambda: 42) == 42

    run_apart(run)


def test_after_a_burst_and_a_rest_the_next_check_in_is_run_at_once(
    sqlite_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sixteen check-ins on a lane of three threads, then a rest longer than the threads' idle
    time: every thread ends, and the next check-in must start a new one, not wait in the queue
    (the lane once kept a count of idle threads that had ended, and such a check-in waited until
    the request timed out)."""
    monkeypatch.setattr(write_slots, "IDLE_SECONDS", 0.05)

    async def run() -> None:
        burst = [write_slots.run_write(sqlite_ctx, lambda n=n: n) for n in range(16)]
        assert await asyncio.gather(*burst) == list(range(16))
        for _ in range(3):
            await asyncio.sleep(0.3)  # every thread of the lane ends
            assert await asyncio.wait_for(write_slots.run_write(sqlite_ctx, lambda: "served"), 5) == "served"

    run_apart(run)
