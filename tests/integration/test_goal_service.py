"""The goal service: create, check, revise, status changes, history, readiness and authorization,
on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from tests.support.cast import Cast

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.measurement import observations
from goalwise.storage.tables import audit_events, goal_revisions, metrics, readiness, therapy_sessions
from goalwise.storage.tables import goals as goals_table


def today() -> date:
    # Client A lives in Europe/London; a day either side of UTC midnight is the same for these tests
    # because every date below is at least a week from the edges that matter.
    return datetime.now(UTC).date()


def panic(**changes: Any) -> dict[str, Any]:
    """Issue 3's acceptance draft: panic attacks from 5 to 2 per week in 10 weeks, reviewed every 4 weeks."""
    start = today()
    data: dict[str, Any] = {
        "title": "Fewer panic attacks",
        "behaviour": "Each panic attack (a sudden surge of intense fear that peaks within minutes) is logged "
        "in the app on the day it happens; the value is the number in the week.",
        "metric": {"kind": "count", "unit": "panic attacks", "period": "week"},
        "direction": "decrease",
        "baseline": {"value": 5, "source": "baseline_period"},
        "target": {"value": 2, "comparator": "<="},
        "start_on": start.isoformat(),
        "deadline_on": (start + timedelta(days=70)).isoformat(),
        "review_every_weeks": 4,
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def counts(ctx: Context) -> tuple[int, ...]:
    with ctx.db.read() as conn:
        return tuple(
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (goals_table, goal_revisions, metrics, readiness, audit_events)
        )


def test_feel_better_yields_s_m_and_t_problems_with_suggestions() -> None:
    problems = goals.check({"title": "I want to feel better"})
    letters = {p.code[0] for p in problems if p.severity == "error"}
    assert {"S", "M", "T"} <= letters
    vague = next(p for p in problems if p.code == "S-vague-phrase")
    assert vague.field == "title" and vague.suggestion  # a concrete rewrite, not empty
    assert all(p.suggestion for p in problems)


def test_full_panic_draft_creates_an_active_goal_with_its_own_metric(ctx: Context, cast: Cast) -> None:
    goal = goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, panic(), activate=True)
    assert goal.status == "active" and goal.revision == 1
    assert [p for p in goal.problems if p.severity == "error"] == []
    assert goal.metric_key == f"goal-{goal.id}"
    assert goal.deadline_on == today() + timedelta(days=70)
    with ctx.db.read() as conn:
        metric = conn.execute(select(metrics).where(metrics.c.id == goal.metric_id)).one()
    assert (metric.kind, metric.unit, metric.period, metric.higher_is_better) == (
        "count",
        "panic attacks",
        "week",
        False,
    )
    # The check-in can now log against the goal's metric.
    logged = observations.log(ctx, cast.client_a.actor, cast.client_a.client_id, goal.metric_key, 3)
    assert logged.metric_key == goal.metric_key


def test_three_edits_leave_four_revisions_with_who_when_and_why(ctx: Context, cast: Cast) -> None:
    client_id = cast.client_a.client_id
    goal = goals.create(ctx, cast.therapist.actor, client_id, panic(), reason="Agreed in session 2")
    edits = [
        (cast.therapist.actor, {"review_every_weeks": 6}, "Reviews every 6 weeks suit the schedule"),
        (cast.client_a.actor, {"title": "Fewer panic attacks at work"}, "My words for it"),
        (cast.therapist.actor, {"target": {"value": 3, "comparator": "<="}}, "Smaller first step"),
    ]
    draft = panic()
    for actor, change, why in edits:
        draft = {**draft, **change}
        goal = goals.revise(ctx, actor, goal.id, draft, reason=why)
    assert goal.revision == 4 and goal.title == "Fewer panic attacks at work"
    assert goal.spec["target"] == {"value": 3.0, "comparator": "<="}
    revisions = goals.history(ctx, cast.therapist.actor, goal.id)
    assert [r.revision for r in revisions] == [1, 2, 3, 4]
    t, a = f"therapist:{cast.therapist.user_id}", f"client:{cast.client_a.user_id}"
    assert [r.changed_by for r in revisions] == [t, t, a, t]
    assert [r.reason for r in revisions] == [
        "Agreed in session 2",
        "Reviews every 6 weeks suit the schedule",
        "My words for it",
        "Smaller first step",
    ]
    assert all(r.changed_at.tzinfo is not None for r in revisions)
    assert revisions == sorted(revisions, key=lambda r: r.changed_at)
    # Nothing was overwritten: the first revision still holds the first draft.
    assert revisions[0].spec["review_every_weeks"] == 4
    assert revisions[0].spec["target"]["value"] == 2
    with ctx.db.read() as conn:
        stored = conn.execute(select(goal_revisions.c.reason_enc).where(goal_revisions.c.goal_id == goal.id))
        assert all(b"Smaller" not in bytes(blob) for (blob,) in stored)  # reasons are encrypted


@pytest.mark.parametrize(
    ("change", "field", "fix"),
    [
        (
            {"metric": {"kind": "rating", "scale_min": 0, "scale_max": 10}, "direction": "increase",
             "baseline": 3, "target": {"value": 12, "comparator": ">="}},
            "target.value",
            "between 0 and 10",
        ),
        ({"deadline_on": "2000-01-01"}, "deadline_on", "deadline_on"),
        ({"metric": {"kind": "steps", "unit": "steps", "period": "day"}}, "metric.kind", "count"),
        ({"baseline": "five"}, "baseline", "Enter a number"),
        ({"start_on": "5th of May"}, "start_on", "YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_the_fix_and_saves_nothing(
    ctx: Context, cast: Cast, change: dict[str, Any], field: str, fix: str
) -> None:
    before = counts(ctx)
    with pytest.raises(InvalidInput) as caught:
        goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, panic(**change))
    problem = next(p for p in caught.value.problems if p.field == field)
    assert fix in problem.message + " " + problem.suggestion
    assert counts(ctx) == before


def test_every_problem_is_reported_at_once(ctx: Context, cast: Cast) -> None:
    bad = panic(deadline_on="2000-01-01", baseline="five", metric={"kind": "steps"})
    with pytest.raises(InvalidInput) as caught:
        goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, bad)
    assert {"deadline_on", "baseline", "metric.kind"} <= {p.field for p in caught.value.problems}


def test_an_unfinished_goal_is_saved_as_proposed_but_not_activated(ctx: Context, cast: Cast) -> None:
    goal = goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, panic(deadline_on=None))
    assert goal.status == "proposed"
    assert "T-no-deadline" in [p.code for p in goal.problems]
    before = counts(ctx)
    with pytest.raises(InvalidInput) as caught:
        goals.change_status(ctx, cast.therapist.actor, goal.id, "active")
    codes = [p.code for p in caught.value.problems]
    assert "T-no-deadline" in codes and "status-smart-errors" in codes
    assert counts(ctx) == before
    assert goals.get(ctx, cast.therapist.actor, goal.id).status == "proposed"


def test_activate_on_create_with_errors_saves_nothing(ctx: Context, cast: Cast) -> None:
    before = counts(ctx)
    with pytest.raises(InvalidInput) as caught:
        goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, panic(behaviour=None), activate=True)
    assert "S-no-behaviour" in [p.code for p in caught.value.problems]
    assert counts(ctx) == before


def test_status_follows_the_lifecycle_table(ctx: Context, cast: Cast) -> None:
    actor = cast.therapist.actor
    goal = goals.create(ctx, actor, cast.client_a.client_id, panic())
    with pytest.raises(InvalidInput) as caught:
        goals.change_status(ctx, actor, goal.id, "achieved")  # proposed -> achieved is not allowed
    assert caught.value.problems[0].code == "status-not-allowed"
    goal = goals.change_status(ctx, actor, goal.id, "active", reason="Agreed")
    goal = goals.change_status(ctx, actor, goal.id, "on-hold", reason="Holiday")  # FHIR spelling works
    assert goal.status == "on_hold" and goal.fhir_lifecycle == "on-hold"
    goal = goals.change_status(ctx, actor, goal.id, "active")
    goal = goals.change_status(ctx, actor, goal.id, "achieved")
    with pytest.raises(InvalidInput):
        goals.change_status(ctx, actor, goal.id, "active")  # achieved is final
    with pytest.raises(Conflict):
        goals.revise(ctx, actor, goal.id, panic(), reason="Too late")
    statuses = [r.status for r in goals.history(ctx, actor, goal.id)]
    assert statuses == ["proposed", "active", "on_hold", "active", "achieved"]
    assert goals.history(ctx, actor, goal.id)[2].reason == "Holiday"


def test_an_active_goal_cannot_be_revised_into_smart_errors(ctx: Context, cast: Cast) -> None:
    goal = goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, panic(), activate=True)
    with pytest.raises(InvalidInput) as caught:
        goals.revise(ctx, cast.therapist.actor, goal.id, panic(deadline_on=None), reason="Open-ended")
    assert "T-no-deadline" in [p.code for p in caught.value.problems]
    assert goals.get(ctx, cast.therapist.actor, goal.id).revision == 1


def test_a_revision_needs_a_reason(ctx: Context, cast: Cast) -> None:
    goal = goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, panic())
    with pytest.raises(InvalidInput) as caught:
        goals.revise(ctx, cast.therapist.actor, goal.id, panic(), reason="  ")
    assert [p.field for p in caught.value.problems] == ["reason"]


def test_other_people_get_not_found_and_supporters_cannot_write(ctx: Context, cast: Cast) -> None:
    goal = goals.create(ctx, cast.client_a.actor, cast.client_a.client_id, panic())
    for person in (cast.client_b, cast.other_therapist, cast.supporter, cast.admin):
        with pytest.raises(NotFound):
            goals.get(ctx, person.actor, goal.id)
        with pytest.raises(NotFound):
            goals.list_goals(ctx, person.actor, cast.client_a.client_id)
        with pytest.raises(NotFound):
            goals.revise(ctx, person.actor, goal.id, panic(), reason="Not mine")
        with pytest.raises(NotFound):
            goals.create(ctx, person.actor, cast.client_a.client_id, panic())
    assert goals.get(ctx, cast.therapist.actor, goal.id).id == goal.id
    assert [g.id for g in goals.list_goals(ctx, Actor.system(), cast.client_a.client_id)] == [goal.id]


def test_list_filters_by_status_and_rejects_unknown_status(ctx: Context, cast: Cast) -> None:
    client_id, actor = cast.client_a.client_id, cast.therapist.actor
    first = goals.create(ctx, actor, client_id, panic(), activate=True)
    goals.create(ctx, actor, client_id, panic(title="Walk more"))
    assert [g.id for g in goals.list_goals(ctx, actor, client_id, status="active")] == [first.id]
    assert len(goals.list_goals(ctx, actor, client_id)) == 2
    with pytest.raises(InvalidInput) as caught:
        goals.list_goals(ctx, actor, client_id, status="finished")
    assert caught.value.problems[0].field == "status"


def test_a_fourth_active_primary_goal_gets_the_r_warning(ctx: Context, cast: Cast) -> None:
    client_id, actor = cast.client_a.client_id, cast.therapist.actor
    made = [goals.create(ctx, actor, client_id, panic(), activate=True) for _ in range(3)]
    assert all("R-too-many-primary" not in [p.code for p in g.problems] for g in made)
    fourth = goals.create(ctx, actor, client_id, panic(), activate=True)  # a warning does not block
    assert "R-too-many-primary" in [p.code for p in fourth.problems]
    secondary = goals.check_for_client(ctx, actor, client_id, panic(priority="secondary"))
    assert "R-too-many-primary" not in [p.code for p in secondary]


def test_a_deadline_in_sessions_is_read_from_the_session_schedule(ctx: Context, cast: Cast) -> None:
    client_id, start = cast.client_a.client_id, today()
    planned = [start + timedelta(days=d) for d in (0, 10, 20, 31, 45)]  # irregular, not weekly
    with ctx.db.write() as conn:
        conn.execute(
            insert(therapy_sessions),
            [
                {"client_id": client_id, "number": n, "held_on": day, "status": "planned", "instruments": [],
                 "created_at": datetime.now(UTC)}
                for n, day in enumerate(planned, start=1)
            ],
        )  # fmt: skip
    goal = goals.create(ctx, cast.therapist.actor, client_id, panic(deadline_on=None, deadline_sessions=3))
    # Sessions after the start: day 10, 20, 31 -> the third is start + 31 days.
    assert goal.implied_deadline_on == start + timedelta(days=31)
    assert goal.deadline_on == start + timedelta(days=31)
    assert "T-no-deadline" not in [p.code for p in goal.problems]


def test_a_new_metric_kind_after_logging_keeps_the_old_values(ctx: Context, cast: Cast) -> None:
    client_id, actor = cast.client_a.client_id, cast.therapist.actor
    goal = goals.create(ctx, actor, client_id, panic(), activate=True)
    old_key = goal.metric_key
    assert old_key is not None
    observations.log(ctx, actor, client_id, old_key, 4)
    rating = panic(
        metric={"kind": "rating", "scale_min": 0, "scale_max": 10},
        baseline=6,
        target={"value": 3, "comparator": "<="},
    )
    goal = goals.revise(ctx, actor, goal.id, rating, reason="Rate intensity instead")
    assert goal.metric_key == f"goal-{goal.id}-r2"
    assert [o.value for o in observations.list_observations(ctx, actor, client_id, metric=old_key)] == [4]
    observations.log(ctx, actor, client_id, goal.metric_key, 5)
    # A new title keeps the meaning of the values: the same metric, relabelled.
    goal = goals.revise(ctx, actor, goal.id, {**rating, "title": "Calmer mornings"}, reason="Clearer")
    assert goal.metric_key == f"goal-{goal.id}-r2"


def test_a_goal_from_a_template_starts_today_and_is_active(ctx: Context, cast: Cast) -> None:
    goal = goals.create_from_template(
        ctx, cast.therapist.actor, cast.client_a.client_id, "panic-reduce", baseline=5, activate=True
    )
    assert goal.status == "active"
    assert goal.spec["target"] == {"value": 2.0, "comparator": "<="}  # 5 x 0.4
    assert goal.start_on is not None and abs((goal.start_on - today()).days) <= 1
    with pytest.raises(InvalidInput) as caught:
        goals.create_from_template(ctx, cast.therapist.actor, cast.client_a.client_id, "nope", baseline=5)
    assert caught.value.problems[0].field == "template_id"


def test_readiness_is_recorded_at_setting_and_review_with_low_confidence_advice(
    ctx: Context, cast: Cast
) -> None:
    actor = cast.client_a.actor
    goal = goals.create(ctx, actor, cast.client_a.client_id, panic(importance=9, confidence=8))
    review = goals.record_readiness(ctx, actor, goal.id, importance=8, confidence=5)
    assert [a.code for a in review.advice] == ["A-low-confidence"]
    assert "smaller first step" in review.advice[0].suggestion
    history = goals.list_readiness(ctx, actor, goal.id)
    assert [(r.context, r.importance, r.confidence) for r in history] == [("set", 9, 8), ("review", 8, 5)]
    assert history[0].advice == ()
    with pytest.raises(InvalidInput) as caught:
        goals.record_readiness(ctx, actor, goal.id, importance=11, confidence=-1, context="later")
    assert {p.field for p in caught.value.problems} == {"importance", "confidence", "context"}
    with pytest.raises(NotFound):
        goals.record_readiness(ctx, cast.supporter.actor, goal.id, importance=5, confidence=5)


def test_every_change_is_audited(ctx: Context, cast: Cast) -> None:
    actor = cast.therapist.actor
    goal = goals.create(ctx, actor, cast.client_a.client_id, copy.deepcopy(panic()))
    goals.revise(ctx, actor, goal.id, panic(title="Calmer mornings"), reason="Clearer")
    goals.change_status(ctx, actor, goal.id, "active")
    with ctx.db.read() as conn:
        actions = conn.execute(
            select(audit_events.c.action)
            .where(audit_events.c.object_type == "goal", audit_events.c.object_id == str(goal.id))
            .order_by(audit_events.c.id)
        ).scalars()
        assert list(actions) == ["create", "update", "status-change"]


def _move_dates(ctx: Context, goal_id: int, start: date, deadline: date) -> None:
    """Put a stored goal's start and deadline in the past, as if it had been set long ago."""
    with ctx.db.write() as conn:
        stored = conn.execute(select(goals_table.c.spec).where(goals_table.c.id == goal_id)).scalar_one()
        spec = goals.spec_of(stored)
        spec.update(start_on=start.isoformat(), deadline_on=deadline.isoformat())
        conn.execute(
            goals_table.update()
            .where(goals_table.c.id == goal_id)
            .values(spec=spec, start_on=start, deadline_on=deadline)
        )


def test_closed_goals_are_not_flagged_for_a_past_deadline(ctx: Context, cast: Cast) -> None:
    # Started 100 days ago with a 70-day deadline: the deadline was 30 days ago. An active goal
    # still gets T-deadline-past; an achieved or discontinued one is closed and does not.
    actor, client_id = cast.therapist.actor, cast.client_a.client_id
    start, deadline = today() - timedelta(days=100), today() - timedelta(days=30)
    found: dict[str, list[str]] = {}
    for final in ("active", "achieved", "discontinued"):
        goal = goals.create(ctx, actor, client_id, panic(title=f"Fewer panic attacks ({final})"))
        goal = goals.change_status(ctx, actor, goal.id, "active")
        if final != "active":
            goal = goals.change_status(ctx, actor, goal.id, final)
        _move_dates(ctx, goal.id, start, deadline)
        found[final] = [p.code for p in goals.get(ctx, actor, goal.id).problems]
    assert "T-deadline-past" in found["active"]
    assert "T-deadline-past" not in found["achieved"]
    assert "T-deadline-past" not in found["discontinued"]
