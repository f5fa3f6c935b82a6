"""Action plans: milestones and steps, done, next step and weekly completion rate, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from tests.integration.test_goal_service import panic
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans, goals
from goalwise.storage.tables import plan_items


@pytest.fixture
def goal_id(ctx: Context, cast: Cast) -> int:
    return goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, panic(), activate=True).id


def test_steps_under_milestones_come_in_order_and_the_next_step_waits_for_its_dependency(
    ctx: Context, cast: Cast, goal_id: int
) -> None:
    actor = cast.client_a.actor
    milestone = goal_plans.add_item(ctx, actor, goal_id, kind="milestone", title="3 or fewer a week")
    learn = goal_plans.add_item(ctx, actor, goal_id, title="Learn slow breathing", parent_id=milestone.id)
    practise = goal_plans.add_item(
        ctx,
        actor,
        goal_id,
        title="Practise 5 minutes daily",
        parent_id=milestone.id,
        depends_on_id=learn.id,
        micro=True,
    )
    plan = goal_plans.get_plan(ctx, actor, goal_id)
    assert [i.id for i in plan.items] == [milestone.id, learn.id, practise.id]
    assert [i.position for i in plan.items] == [1, 2, 3]
    assert plan.next_step is not None and plan.next_step.id == learn.id
    done = goal_plans.mark_done(ctx, actor, learn.id)
    assert done.done and done.done_on is not None
    assert goal_plans.next_item(ctx, actor, goal_id).id == practise.id  # type: ignore[union-attr]
    goal_plans.mark_done(ctx, actor, practise.id)
    assert goal_plans.next_item(ctx, actor, goal_id) is None
    undone = goal_plans.mark_done(ctx, actor, practise.id, done=False)
    assert not undone.done and undone.done_at is None


def test_weekly_completion_rate_counts_steps_due_that_week(ctx: Context, cast: Cast, goal_id: int) -> None:
    actor = cast.therapist.actor
    monday = date(2026, 11, 2)
    due = [monday, monday + timedelta(days=2), monday + timedelta(days=6), monday + timedelta(days=7)]
    items = [goal_plans.add_item(ctx, actor, goal_id, title=f"Step {n}", due_on=d) for n, d in enumerate(due)]
    # Done inside the week: the first two; the third is done only after the week ended.
    goal_plans.mark_done(ctx, actor, items[0].id, at=datetime(2026, 11, 3, 12, tzinfo=UTC))
    goal_plans.mark_done(ctx, actor, items[1].id, at=datetime(2026, 11, 4, 12, tzinfo=UTC))
    goal_plans.mark_done(ctx, actor, items[2].id, at=datetime(2026, 11, 10, 12, tzinfo=UTC))
    # Due that week: steps 0, 1 and 2 (step 3 falls in the next week); done by Sunday: 2 of 3.
    assert goal_plans.weekly_rate(ctx, actor, goal_id, monday) == pytest.approx(2 / 3)
    assert goal_plans.weekly_rate(ctx, actor, goal_id, monday - timedelta(days=7)) is None


def test_position_moves_an_item_and_renumbers_the_plan(ctx: Context, cast: Cast, goal_id: int) -> None:
    actor = cast.therapist.actor
    a, b, c = (goal_plans.add_item(ctx, actor, goal_id, title=t) for t in "abc")
    goal_plans.update_item(ctx, actor, c.id, position=1)
    d = goal_plans.add_item(ctx, actor, goal_id, title="d", position=2)
    assert [i.title for i in goal_plans.get_plan(ctx, actor, goal_id).items] == ["c", "d", "a", "b"]
    assert [i.position for i in goal_plans.get_plan(ctx, actor, goal_id).items] == [1, 2, 3, 4]
    assert {a.id, b.id, d.id} < {i.id for i in goal_plans.get_plan(ctx, actor, goal_id).items}


def test_bad_items_report_every_problem_and_store_nothing(ctx: Context, cast: Cast, goal_id: int) -> None:
    actor = cast.therapist.actor
    step = goal_plans.add_item(ctx, actor, goal_id, title="A step")
    with ctx.db.read() as conn:
        before = conn.execute(select(func.count()).select_from(plan_items)).scalar_one()
    with pytest.raises(InvalidInput) as caught:
        goal_plans.add_item(ctx, actor, goal_id, title=" ", kind="task", parent_id=step.id, depends_on_id=999)
    assert {p.field for p in caught.value.problems} == {"title", "kind", "parent_id", "depends_on_id"}
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(plan_items)).scalar_one() == before


def test_a_dependency_circle_is_refused(ctx: Context, cast: Cast, goal_id: int) -> None:
    actor = cast.therapist.actor
    first = goal_plans.add_item(ctx, actor, goal_id, title="First")
    second = goal_plans.add_item(ctx, actor, goal_id, title="Second", depends_on_id=first.id)
    with pytest.raises(InvalidInput) as caught:
        goal_plans.update_item(ctx, actor, first.id, depends_on_id=second.id)
    assert caught.value.problems[0].code == "plan-cycle"
    cleared = goal_plans.update_item(ctx, actor, second.id, depends_on_id=None, title="Second, any time")
    assert cleared.depends_on_id is None and cleared.title == "Second, any time"


def test_deleting_a_milestone_removes_its_steps(ctx: Context, cast: Cast, goal_id: int) -> None:
    actor = cast.therapist.actor
    milestone = goal_plans.add_item(ctx, actor, goal_id, kind="milestone", title="M")
    goal_plans.add_item(ctx, actor, goal_id, title="under M", parent_id=milestone.id)
    kept = goal_plans.add_item(ctx, actor, goal_id, title="free step")
    goal_plans.delete_item(ctx, actor, milestone.id)
    assert [i.id for i in goal_plans.get_plan(ctx, actor, goal_id).items] == [kept.id]


def test_others_get_not_found_and_supporters_cannot_write(ctx: Context, cast: Cast, goal_id: int) -> None:
    step = goal_plans.add_item(ctx, cast.client_a.actor, goal_id, title="Mine")
    for person in (cast.client_b, cast.other_therapist, cast.supporter):
        with pytest.raises(NotFound):
            goal_plans.get_plan(ctx, person.actor, goal_id)
        with pytest.raises(NotFound):
            goal_plans.add_item(ctx, person.actor, goal_id, title="Theirs")
        with pytest.raises(NotFound):
            goal_plans.mark_done(ctx, person.actor, step.id)
