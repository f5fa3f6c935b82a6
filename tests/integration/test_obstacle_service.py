"""Obstacles: log with a strategy, record whether it helped, and pattern-rule suggestions from the
stored data; on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from tests.integration.test_goal_service import panic
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.goals import goals, obstacles
from goalwise.services.measurement import observations
from goalwise.storage.tables import goal_obstacles


def this_monday() -> date:
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.weekday())


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def started_five_weeks_ago(ctx: Context, cast: Cast, **changes: object) -> goals.Goal:
    start = this_monday() - timedelta(weeks=5)
    draft = panic(
        start_on=start.isoformat(), deadline_on=(start + timedelta(weeks=20)).isoformat(), **changes
    )
    return goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, draft, activate=True)


def test_an_obstacle_is_logged_with_its_strategy_and_later_whether_it_helped(
    ctx: Context, cast: Cast
) -> None:
    goal = started_five_weeks_ago(ctx, cast)
    logged = obstacles.log(
        ctx, cast.client_a.actor, goal.id, "perfectionism", "micro_actions", note="Felt stuck"
    )
    assert logged.helped is None and logged.outcome_at is None
    assert logged.obstacle_name == "Perfectionism" and "micro-actions" in logged.strategy_text
    own = obstacles.log(
        ctx, cast.client_a.actor, goal.id, "time_conflicts", "own", note="Practise on the bus"
    )
    assert own.strategy_text == "Practise on the bus"
    helped = obstacles.record_outcome(ctx, cast.therapist.actor, logged.id, helped=True)
    assert helped.helped is True and helped.outcome_at is not None
    assert [
        (o.obstacle_id, o.helped) for o in obstacles.list_for_goal(ctx, cast.client_a.actor, goal.id)
    ] == [
        ("perfectionism", True),
        ("time_conflicts", None),
    ]
    with ctx.db.read() as conn:
        blobs = conn.execute(select(goal_obstacles.c.note_enc)).scalars().all()
    assert all(b"bus" not in bytes(b) and b"stuck" not in bytes(b) for b in blobs)


@pytest.mark.parametrize(
    ("obstacle", "strategy", "note", "field"),
    [
        ("boredom", "micro_actions", None, "obstacle_id"),
        ("perfectionism", "time_bound", None, "strategy_id"),
        ("perfectionism", "own", None, "note"),
        ("perfectionism", None, None, "strategy_id"),
    ],
)
def test_bad_obstacle_logs_name_the_field_and_store_nothing(
    ctx: Context, cast: Cast, obstacle: str, strategy: str | None, note: str | None, field: str
) -> None:
    goal = started_five_weeks_ago(ctx, cast)
    with pytest.raises(InvalidInput) as caught:
        obstacles.log(ctx, cast.client_a.actor, goal.id, obstacle, strategy, note)
    assert caught.value.problems[0].field == field
    assert caught.value.problems[0].suggestion
    assert obstacles.list_for_goal(ctx, cast.client_a.actor, goal.id) == []


def test_others_get_not_found_and_supporters_cannot_write(ctx: Context, cast: Cast) -> None:
    goal = started_five_weeks_ago(ctx, cast)
    logged = obstacles.log(ctx, cast.client_a.actor, goal.id, "avoidance", "graded_steps")
    for person in (cast.client_b, cast.other_therapist, cast.supporter):
        with pytest.raises(NotFound):
            obstacles.log(ctx, person.actor, goal.id, "avoidance", "graded_steps")
        with pytest.raises(NotFound):
            obstacles.record_outcome(ctx, person.actor, logged.id, helped=False)
        with pytest.raises(NotFound):
            obstacles.suggest(ctx, person.actor, cast.client_a.client_id)


def test_missed_weeks_and_a_silent_week_suggest_setbacks_and_procrastination(
    ctx: Context, cast: Cast
) -> None:
    client_id, actor = cast.client_a.client_id, cast.client_a.actor
    goal = started_five_weeks_ago(ctx, cast)
    assert goal.metric_key is not None
    # A week back, so that "yesterday" below is in the past whatever day the test runs.
    monday = this_monday() - timedelta(weeks=1)
    # Weekly target: 2 or fewer. Four complete weeks: 1, then 4, 3, 5 panic attacks (3 misses running).
    for weeks_back, attacks in ((4, 1), (3, 4), (2, 3), (1, 5)):
        wednesday = monday - timedelta(weeks=weeks_back) + timedelta(days=2)
        observations.log(ctx, actor, client_id, goal.metric_key, attacks, at=noon(wednesday))
    found = obstacles.suggest(ctx, actor, client_id, as_of=monday)
    assert [(s.goal_id, s.obstacle_id) for s in found] == [
        (goal.id, "procrastination"),
        (goal.id, "setbacks"),
    ]
    # The last entry was the Wednesday before: 5 days before Monday.
    assert found[0].reason == "Nothing logged for 5 days since the last entry."
    assert [s.id for s in found[1].strategies][:2] == ["micro_actions", "adjust_target"]
    # Logged yesterday, and the current week (not yet complete) is not judged: only setbacks remain.
    observations.log(ctx, actor, client_id, goal.metric_key, 0, at=noon(monday + timedelta(days=1)))
    later = obstacles.suggest(ctx, actor, client_id, as_of=monday + timedelta(days=2))
    assert [s.obstacle_id for s in later] == ["setbacks"]


def test_weeks_that_meet_the_target_suggest_nothing(ctx: Context, cast: Cast) -> None:
    client_id, actor = cast.client_a.client_id, cast.client_a.actor
    goal = started_five_weeks_ago(ctx, cast)
    assert goal.metric_key is not None
    monday = this_monday()
    for weeks_back in (3, 2, 1):
        observations.log(
            ctx, actor, client_id, goal.metric_key, 2, at=noon(monday - timedelta(days=7 * weeks_back - 5))
        )
    assert obstacles.suggest(ctx, actor, client_id, as_of=monday) == []


def test_proportion_weeks_are_pooled_percentages(ctx: Context, cast: Cast) -> None:
    client_id, actor = cast.client_a.client_id, cast.client_a.actor
    start = this_monday() - timedelta(weeks=4)
    goal = goals.create_from_template(
        ctx,
        cast.therapist.actor,
        client_id,
        "conversations-80pct",
        baseline=40,
        start_on=start,
        activate=True,
    )
    assert goal.metric_key is not None
    for weeks_back in (3, 2, 1):
        tuesday = this_monday() - timedelta(weeks=weeks_back) + timedelta(days=1)
        # 3 of 5 and 1 of 1 encounters: pooled 4 of 6 = 67%, below the 80% target (a mean of the
        # two days' proportions, (60% + 100%) / 2 = 80%, would wrongly count as met).
        observations.log(ctx, actor, client_id, goal.metric_key, 3, denominator=5, at=noon(tuesday))
        saturday = tuesday + timedelta(days=4)  # the last entry is 2 days before as_of: not silent
        observations.log(ctx, actor, client_id, goal.metric_key, 1, denominator=1, at=noon(saturday))
    found = obstacles.suggest(ctx, actor, client_id, goal_id=goal.id, as_of=this_monday())
    assert [s.obstacle_id for s in found] == ["setbacks"]


def test_more_than_three_active_primary_goals_suggest_a_priority_conflict(ctx: Context, cast: Cast) -> None:
    made = [started_five_weeks_ago(ctx, cast) for _ in range(4)]
    found = obstacles.suggest(ctx, cast.therapist.actor, cast.client_a.client_id, as_of=this_monday())
    conflict = [s for s in found if s.obstacle_id == "priority_conflicts"]
    assert len(conflict) == 1 and conflict[0].goal_id is None
    assert "4 primary goals" in conflict[0].reason
    # Asked about one goal, only that goal's own rules answer.
    one = obstacles.suggest(
        ctx, cast.therapist.actor, cast.client_a.client_id, goal_id=made[0].id, as_of=this_monday()
    )
    assert {s.goal_id for s in one} == {made[0].id}
    with pytest.raises(NotFound):
        obstacles.suggest(ctx, cast.client_b.actor, cast.client_b.client_id, goal_id=made[0].id)
