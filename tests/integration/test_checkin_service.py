"""The daily check-in on both databases: all values checked first, then stored in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Table, func, insert, select
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.measurement import checkins
from goalwise.storage.tables import goals, metrics, observations


def _count(ctx: Context, table: Table) -> int:
    with ctx.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _goal_metric(ctx: Context, client_id: int, key: str = "panic", status: str = "active") -> None:
    """A count metric behind a goal in ``status`` (the goals service is not needed for this)."""
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        metric_id = conn.execute(
            insert(metrics)
            .values(
                client_id=client_id,
                key=key,
                label="Panic attacks",
                kind="count",
                period="day",
                higher_is_better=False,
                created_at=now,
            )
            .returning(metrics.c.id)
        ).scalar_one()
        conn.execute(
            insert(goals).values(
                client_id=client_id,
                metric_id=metric_id,
                status=status,
                title="Fewer panic attacks",
                priority="primary",
                spec={},
                revision=1,
                created_at=now,
                updated_at=now,
            )
        )


def test_a_checkin_stores_every_value_at_one_instant(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    at = datetime(2024, 5, 2, 20, 0, tzinfo=UTC)
    done = checkins.checkin(
        ctx, a.actor, a.client_id, mood=6, anxiety=4, sleep_hours=7.5, note="ok day", at=at
    )
    assert [(o.metric_key, o.value) for o in done.observations] == [
        ("mood", 6.0),
        ("anxiety", 4.0),
        ("sleep_hours", 7.5),
    ]
    assert {o.at for o in done.observations} == {at}
    assert [o.note for o in done.observations] == ["ok day", None, None]  # the note rides on mood
    assert not done.replayed


def test_todays_active_goal_metrics_join_the_checkin(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    _goal_metric(ctx, a.client_id, "panic", "active")
    _goal_metric(ctx, a.client_id, "old_goal", "achieved")
    asked = checkins.checkin_metrics(ctx, a.actor, a.client_id)
    assert [m.key for m in asked] == ["mood", "anxiety", "sleep_hours", "panic"]
    done = checkins.checkin(ctx, a.actor, a.client_id, mood=5, goal_values={"panic": 2})
    assert [(o.metric_key, o.value) for o in done.observations] == [("mood", 5.0), ("panic", 2.0)]


def test_every_value_is_checked_before_anything_is_stored(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    _goal_metric(ctx, a.client_id)
    metrics_before = _count(ctx, metrics)
    with pytest.raises(InvalidInput) as info:
        checkins.checkin(
            ctx,
            a.actor,
            a.client_id,
            mood=11,
            anxiety=3,
            sleep_hours=-1,
            goal_values={"panic": 1.5, "steps": 900},
        )
    fields = {p.field: p.message for p in info.value.problems}
    assert set(fields) == {"mood", "sleep_hours", "goal_values.panic", "goal_values.steps"}
    assert fields["mood"] == "Mood is 11; it runs from 1 to 10."
    assert "whole number" in fields["goal_values.panic"]
    # anxiety=3 was fine, but a check-in is stored whole or not at all.
    assert _count(ctx, observations) == 0
    assert _count(ctx, metrics) == metrics_before


def test_an_empty_checkin_says_what_to_give(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    with pytest.raises(InvalidInput) as info:
        checkins.checkin(ctx, a.actor, a.client_id)
    assert info.value.problems[0].code == "checkin-empty"
    assert "mood" in info.value.problems[0].hint


def test_a_standard_metric_sent_as_a_goal_value_is_refused(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    with pytest.raises(InvalidInput) as info:
        checkins.checkin(ctx, a.actor, a.client_id, goal_values={"mood": 5})
    assert info.value.problems[0].field == "goal_values.mood"


def test_a_retried_checkin_is_stored_once(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    first = checkins.checkin(ctx, a.actor, a.client_id, mood=6, anxiety=4, client_ref="offline-7")
    again = checkins.checkin(ctx, a.actor, a.client_id, mood=6, anxiety=4, client_ref="offline-7")
    assert again.replayed
    assert [o.id for o in again.observations] == [o.id for o in first.observations]
    assert _count(ctx, observations) == 2


def test_the_checkin_note_is_encrypted(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    checkins.checkin(ctx, a.actor, a.client_id, mood=3, note="could not face the bus")
    with ctx.db.read() as conn:
        raw = bytes(
            conn.execute(
                select(observations.c.note_enc).where(observations.c.note_enc.is_not(None))
            ).scalar_one()
        )
    assert b"bus" not in raw


def test_a_supporter_or_another_client_cannot_check_in(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    for person in (cast.supporter, cast.client_b, cast.other_therapist):
        with pytest.raises(NotFound):
            checkins.checkin(ctx, person.actor, a.client_id, mood=5)
    assert _count(ctx, observations) == 0
