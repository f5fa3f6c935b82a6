"""Every get-or-create and idempotent write, sent by 16 callers at the same moment, on both databases.

On PostgreSQL two transactions can both find nothing and both insert; these tests start 16
threads behind a barrier so that they do, and check that nobody gets an error, exactly one row is
stored and every caller is handed the same row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any, TypeVar

import httpx2 as httpx
import pytest
from sqlalchemy import Table, func, select
from tests.support.cast import Cast
from tests.support.live_server import serve

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict
from goalwise.services.accounts import accounts
from goalwise.services.context import Context
from goalwise.services.measurement import (
    abc,
    assessments,
    checkins,
    episodes,
    journal,
    observations,
    phases,
    therapy_sessions,
)
from goalwise.services.reviews import gas, reviews
from goalwise.storage.tables import (
    abc_entries,
    care_links,
    goal_gas_scales,
    instrument_schedules,
    journal_entries,
    metrics,
    users,
)
from goalwise.storage.tables import episodes as episodes_table
from goalwise.storage.tables import observations as observations_table
from goalwise.storage.tables import (
    phases as phases_table,
)
from goalwise.storage.tables import (
    therapy_sessions as sessions_table,
)

T = TypeVar("T")
CALLERS = 16


def at_once(call: Callable[[int], T], n: int = CALLERS) -> list[T | BaseException]:
    """Run ``call(i)`` in ``n`` threads released together; each result or the exception raised."""
    barrier = threading.Barrier(n)

    def run(i: int) -> T | BaseException:
        barrier.wait()
        try:
            return call(i)
        except BaseException as exc:  # the test asserts on it
            return exc

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def no_errors(results: list[T | BaseException]) -> list[T]:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == [], [f"{type(e).__name__}: {e}" for e in errors][:3]
    return results  # type: ignore[return-value]


def count(ctx: Context, table: Table, client_id: int) -> int:
    with ctx.db.read() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(table).where(table.c.client_id == client_id)
            ).scalar()
        )


def test_retries_of_one_checkin_store_it_once_and_replay_it(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    assert a.client_id is not None
    results = no_errors(
        at_once(
            lambda _: checkins.checkin(ctx, a.actor, a.client_id, mood=6, anxiety=3, client_ref="phone-1")
        )
    )
    assert {tuple(o.id for o in r.observations) for r in results} == {
        tuple(o.id for o in results[0].observations)
    }
    assert len(results[0].observations) == 2
    assert sum(not r.replayed for r in results) == 1
    assert count(ctx, observations_table, a.client_id) == 2
    assert count(ctx, metrics, a.client_id) == 2  # mood and anxiety, each made once


def test_a_new_clients_first_checkins_create_each_metric_once(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    assert a.client_id is not None
    results = no_errors(at_once(lambda i: checkins.checkin(ctx, a.actor, a.client_id, mood=1 + i % 10)))
    assert len({r.observations[0].metric_key for r in results}) == 1
    assert count(ctx, observations_table, a.client_id) == CALLERS
    with ctx.db.read() as conn:
        ids = conn.execute(select(metrics.c.id).where(metrics.c.client_id == a.client_id)).scalars().all()
        used = conn.execute(
            select(observations_table.c.metric_id).where(observations_table.c.client_id == a.client_id)
        ).scalars()
        assert len(ids) == 1 and set(used) == set(ids)


def test_retries_of_one_logged_value_store_it_once(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    assert a.client_id is not None
    results = no_errors(
        at_once(lambda _: observations.log(ctx, a.actor, a.client_id, "sleep_hours", 7.5, client_ref="s-1"))
    )
    assert {r.id for r in results} == {results[0].id}
    assert count(ctx, observations_table, a.client_id) == 1
    assert count(ctx, metrics, a.client_id) == 1


def test_retries_of_one_episode_abc_entry_and_journal_entry_store_each_once(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    assert a.client_id is not None
    calls: list[tuple[Callable[[int], object], Table]] = [
        (
            lambda _: episodes.add_episode(ctx, a.actor, a.client_id, situation="bus", client_ref="e"),
            episodes_table,
        ),
        (
            lambda _: abc.add_entry(
                ctx, a.actor, a.client_id, antecedent="a", behaviour="b", consequence="c", client_ref="x"
            ),
            abc_entries,
        ),
        (lambda _: journal.add_entry(ctx, a.actor, a.client_id, "a day", client_ref="j"), journal_entries),
    ]
    for call, table in calls:
        results = no_errors(at_once(call))
        assert {r.id for r in results} == {results[0].id}, table.name  # type: ignore[attr-defined]
        assert count(ctx, table, a.client_id) == 1, table.name


def test_one_instrument_schedule_set_by_many_at_once_is_one_row(ctx: Context, cast: Cast) -> None:
    t, a = cast.therapist, cast.client_a
    assert a.client_id is not None
    results = no_errors(at_once(lambda _: assessments.set_schedule(ctx, t.actor, a.client_id, "phq9", 14)))
    assert {r.id for r in results} == {results[0].id}
    assert {r.every_days for r in results} == {14}
    assert count(ctx, instrument_schedules, a.client_id) == 1


def test_sessions_added_at_once_take_the_next_numbers_in_turn(ctx: Context, cast: Cast) -> None:
    t, a = cast.therapist, cast.client_a
    assert a.client_id is not None
    results = no_errors(
        at_once(lambda _: therapy_sessions.add_session(ctx, t.actor, a.client_id, date(2026, 1, 5)))
    )
    assert sorted(r.number for r in results) == list(range(1, CALLERS + 1))
    assert count(ctx, sessions_table, a.client_id) == CALLERS


def test_one_session_number_claimed_at_once_is_stored_once_and_the_rest_told(
    ctx: Context, cast: Cast
) -> None:
    t, a = cast.therapist, cast.client_a
    assert a.client_id is not None
    results = at_once(
        lambda _: therapy_sessions.add_session(ctx, t.actor, a.client_id, date(2026, 1, 5), number=3)
    )
    stored = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(stored) == 1 and stored[0].number == 3
    assert all(isinstance(r, Conflict) for r in refused) and len(refused) == CALLERS - 1
    assert count(ctx, sessions_table, a.client_id) == 1


def test_one_phase_per_day_holds_when_many_start_it_at_once(ctx: Context, cast: Cast) -> None:
    t, a = cast.therapist, cast.client_a
    assert a.client_id is not None
    day = date(2026, 1, 5)
    results = at_once(lambda i: phases.start_phase(ctx, t.actor, a.client_id, f"phase {i}", start_on=day))
    stored = [r for r in results if not isinstance(r, BaseException)]
    assert len(stored) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
    assert count(ctx, phases_table, a.client_id) == 1


def test_one_value_corrected_at_once_gets_one_newer_version(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    assert a.client_id is not None
    first = observations.log(ctx, a.actor, a.client_id, "mood", 4)
    results = at_once(lambda i: observations.edit(ctx, a.actor, a.client_id, first.id, value=1 + i % 10))
    stored = [r for r in results if not isinstance(r, BaseException)]
    assert len(stored) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
    with ctx.db.read() as conn:
        newer = conn.execute(
            select(observations_table.c.id).where(observations_table.c.replaces_id == first.id)
        ).scalars()
        assert list(newer) == [stored[0].id]


def test_one_email_registered_at_once_makes_one_account(ctx: Context, cast: Cast) -> None:
    results = at_once(
        lambda i: accounts.create_user(
            ctx, cast.admin.actor, email="new@example.org", name=f"New {i}", role="therapist"
        )
    )
    made = [r for r in results if not isinstance(r, BaseException)]
    assert len(made) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
    with ctx.db.read() as conn:
        found = conn.execute(select(func.count()).where(users.c.email == "new@example.org")).scalar_one()
    assert found == 1


def test_one_therapist_linked_at_once_is_one_care_link(ctx: Context, cast: Cast) -> None:
    a, t2 = cast.client_a, cast.other_therapist
    assert a.client_id is not None
    results = at_once(
        lambda _: accounts.link_therapist(ctx, Actor.system(), a.client_id, t2.user_id, consent=True)
    )
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
    with ctx.db.read() as conn:
        links = conn.execute(
            select(func.count()).where(
                care_links.c.client_id == a.client_id, care_links.c.therapist_id == t2.user_id
            )
        ).scalar_one()
    assert links == 1


def test_sixteen_identical_checkins_over_http_all_answer_2xx(ctx: Context, cast: Cast) -> None:
    from goalwise.web.app import create_app

    a = cast.client_a
    with serve(create_app(ctx.settings, ctx.db)) as base, httpx.Client(base_url=base, timeout=30) as http:
        url = f"/api/v1/clients/{a.client_id}/checkins"
        body = {"mood": 6, "sleep_hours": 7, "client_ref": "offline-42"}
        answers = no_errors(at_once(lambda _: http.post(url, json=body, headers=a.headers)))
        assert sorted({r.status_code for r in answers}) == [201]
        ids = {tuple(o["id"] for o in r.json()["observations"]) for r in answers}
        assert len(ids) == 1 and len(next(iter(ids))) == 2
        assert sum(not r.json()["replayed"] for r in answers) == 1
        # A client's very first check-ins, sent at once without a ref, each store their value.
        b = cast.client_b
        url = f"/api/v1/clients/{b.client_id}/checkins"
        firsts = no_errors(at_once(lambda i: http.post(url, json={"mood": 1 + i % 10}, headers=b.headers)))
        assert sorted({r.status_code for r in firsts}) == [201]
    assert count(ctx, observations_table, a.client_id) == 2
    assert b.client_id is not None and count(ctx, observations_table, b.client_id) == CALLERS


def test_reviews_recorded_at_once_take_the_next_numbers_in_turn(ctx: Context, cast: Cast) -> None:
    from tests.integration.test_review_service import TODAY, _goal

    goal = _goal(ctx, cast)
    days = [TODAY - timedelta(days=i) for i in range(8)]
    results = no_errors(
        at_once(
            lambda i: reviews.record(
                ctx,
                cast.therapist.actor,
                goal.client_id,
                {
                    "held_on": days[i].isoformat(),
                    "goals": [{"goal_id": goal.id, "gas_level": 0, "decision": "continue"}],
                },
            ),
            8,
        )
    )
    assert sorted(r.number for r in results) == list(range(1, 9))


def test_one_review_sent_many_times_at_once_is_stored_once(ctx: Context, cast: Cast) -> None:
    from tests.integration.test_review_service import TODAY, _goal

    goal = _goal(ctx, cast)
    body = {
        "held_on": TODAY.isoformat(),
        "notes": "Going well.",
        "goals": [{"goal_id": goal.id, "gas_level": 1, "decision": "continue", "reason": "on track"}],
    }
    results = no_errors(at_once(lambda _: reviews.record(ctx, cast.therapist.actor, goal.client_id, body)))
    assert {(r.id, r.number) for r in results} == {(results[0].id, 1)}
    assert len(reviews.list_reviews(ctx, cast.therapist.actor, goal.client_id)) == 1
    # Another review of the same kind on the same day is refused, naming held_on.
    other = {**body, "goals": [{"goal_id": goal.id, "gas_level": -1, "decision": "continue"}]}
    with pytest.raises(Conflict, match="held_on"):
        reviews.record(ctx, cast.therapist.actor, goal.client_id, other)
    assert len(reviews.list_reviews(ctx, cast.therapist.actor, goal.client_id)) == 1


def test_one_gas_scale_set_at_once_is_one_row(ctx: Context, cast: Cast) -> None:
    from tests.integration.test_review_service import _goal

    goal = _goal(ctx, cast)
    no_errors(at_once(lambda i: gas.set_scale(ctx, cast.therapist.actor, goal.id, {"weight": 1 + i % 3})))
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(goal_gas_scales.c.weight).where(goal_gas_scales.c.goal_id == goal.id)
        ).all()
    assert len(rows) == 1


def test_one_file_imported_at_once_is_stored_once_and_the_rest_skip_it(ctx: Context, cast: Cast) -> None:
    from goalwise.interop.imports.long_csv import parse_long_csv
    from goalwise.services.transfer.imports import run_import

    a = cast.client_a
    assert a.client_id is not None
    # The client has the metrics already (a first import creating them would make the rest wait).
    first = parse_long_csv(b"date,mood,steps\n2024-05-01,7,3000\n")
    run_import(ctx, a.actor, a.client_id, first, file_sha256="e" * 64)
    data = b"date,mood,steps\n2024-06-01,7,3000\n2024-06-02,6,4000\n2024-06-03,5,5000\n"
    results = no_errors(
        at_once(lambda _: run_import(ctx, a.actor, a.client_id, parse_long_csv(data), file_sha256="f" * 64))
    )
    assert sorted(r.imported for r in results) == [0] * (CALLERS - 1) + [6]
    assert all(r.skipped == 6 for r in results if r.imported == 0)
    assert count(ctx, observations_table, a.client_id) == 2 + 6
    assert count(ctx, metrics, a.client_id) == 2


def test_plan_steps_added_at_once_take_distinct_positions(ctx: Context, cast: Cast) -> None:
    from tests.integration.test_review_service import _goal

    from goalwise.services.goals import goal_plans

    goal = _goal(ctx, cast)
    added = no_errors(
        at_once(lambda i: goal_plans.add_item(ctx, cast.therapist.actor, goal.id, title=f"Step {i + 1}"))
    )
    # Each step added at the end of a plan that holds only these: positions 1..CALLERS, none shared.
    assert sorted(item.position for item in added) == list(range(1, CALLERS + 1))


def test_check_ins_at_once_hold_few_threads_on_sqlite(
    sqlite_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve check-ins at once: all stored, with at most ``SQLITE_SLOTS`` of them on worker threads
    at any moment (the rest wait on the event loop instead of crowding the writer lock)."""
    import asyncio
    import threading
    import time

    from tests.support.asgi import call, run_apart
    from tests.support.cast import make_cast

    from goalwise.services.measurement import checkins
    from goalwise.web import write_slots
    from goalwise.web.app import create_app

    cast = make_cast(sqlite_ctx)
    running, most, lock = [0], [0], threading.Lock()
    real = checkins.checkin

    def counted(*args: Any, **kwargs: Any) -> Any:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.05)  # long enough for the others to pile up
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(checkins, "checkin", counted)
    app = create_app(sqlite_ctx.settings, sqlite_ctx.db)
    url = f"/api/v1/clients/{cast.client_a.client_id}/checkins"

    async def run() -> list[int]:
        sent = [
            call(app, "POST", url, headers=cast.client_a.headers, body={"mood": 1 + n % 10})
            for n in range(12)
        ]
        return [status for status, _ in await asyncio.gather(*sent)]

    assert run_apart(run) == [201] * 12
    assert 1 < most[0] <= write_slots.SQLITE_SLOTS
