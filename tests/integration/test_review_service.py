"""Recording reviews: decisions write goal history in the same transaction, a refused review stores
nothing, notes are encrypted, T-score with weights, reviews due and the summary; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.support.cast import Cast

from goalwise.core.errors import Forbidden, InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.measurement import observations
from goalwise.services.reviews import due, gas, reviews, summary
from goalwise.storage.tables import goal_revisions, review_goals
from goalwise.storage.tables import reviews as reviews_table

TODAY = datetime.now(UTC).date()


def _draft(title: str, **changes: Any) -> dict[str, Any]:
    start = TODAY - timedelta(days=35)
    data: dict[str, Any] = {
        "title": title,
        "behaviour": "Each panic attack (a sudden surge of intense fear that peaks within minutes) is logged "
        "in the app on the day it happens; the value is the number in the week.",
        "metric": {"kind": "count", "unit": "panic attacks", "period": "week"},
        "direction": "decrease",
        "baseline": {"value": 6, "source": "baseline_period"},
        "target": {"value": 2, "comparator": "<="},
        "start_on": start.isoformat(),
        "deadline_on": (start + timedelta(days=84)).isoformat(),
        "review_every_weeks": 4,
    }
    data.update(changes)
    return data


def _goal(ctx: Context, cast: Cast, title: str = "Fewer panic attacks", **changes: Any) -> goals.Goal:
    client = cast.client_a.client_id
    assert client is not None
    return goals.create(ctx, cast.therapist.actor, client, _draft(title, **changes), activate=True)


def _counts(ctx: Context) -> tuple[int, int, int]:
    with ctx.db.read() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (reviews_table, review_goals, goal_revisions)
        )


def test_adjust_leaves_a_revision_with_the_new_target_and_review_reason(ctx: Context, cast: Cast) -> None:
    goal = _goal(ctx, cast)
    new_deadline = TODAY + timedelta(days=60)
    body = {
        "held_on": TODAY.isoformat(),
        "notes": "Fewer attacks at work; the commute is still hard.",
        "goals": [
            {
                "goal_id": goal.id,
                "gas_level": -1,
                "decision": "adjust",
                "target": 3,
                "deadline_on": new_deadline.isoformat(),
                "reason": "two is too far for now",
            }
        ],
    }
    review = reviews.record(ctx, cast.therapist.actor, goal.client_id, body)
    assert review.number == 1 and review.kind == "goals"
    # One goal, weight 1, level -1: T = 50 + 10·(-1)/√(0.7 + 0.3) = 40.
    assert review.t_score == pytest.approx(40.0)
    # Default next date: held today plus the shortest cadence of the goals that stay active (4 weeks).
    assert review.next_review_on == TODAY + timedelta(weeks=4)
    changed = goals.get(ctx, cast.therapist.actor, goal.id)
    assert changed.revision == 2 and changed.status == "active"
    assert changed.spec["target"] == {"value": 3.0, "comparator": "<="}
    assert changed.deadline_on == new_deadline
    last = goals.history(ctx, cast.therapist.actor, goal.id)[-1]
    assert last.reason == "review 1: adjust: two is too far for now"
    assert last.changed_by == f"therapist:{cast.therapist.user_id}"
    shown = reviews.get_review(ctx, cast.client_a.actor, review.id)
    assert shown.notes == "Fewer attacks at work; the commute is still hard."
    assert [(g.goal_id, g.gas_level, g.decision, g.new_target) for g in shown.goals] == [
        (goal.id, -1, "adjust", 3.0)
    ]


def test_achieved_closes_the_goal_and_weights_enter_the_t_score(ctx: Context, cast: Cast) -> None:
    first = _goal(ctx, cast)
    second = _goal(ctx, cast, "Walk to work", review_every_weeks=6)
    gas.set_scale(ctx, cast.therapist.actor, first.id, {"weight": 2})
    body = {
        "held_on": TODAY.isoformat(),
        "goals": [
            {"goal_id": first.id, "gas_level": 1, "decision": "achieved", "reason": "two weeks at target"},
            {"goal_id": second.id, "gas_level": -1, "decision": "continue"},
        ],
    }
    review = reviews.record(ctx, cast.therapist.actor, first.client_id, body)
    # x = (1, -1), w = (2, 1): Σwx = 1; Σw² = 5; (Σw)² = 9; √(0.7·5 + 0.3·9) = √6.2;
    # T = 50 + 10/√6.2 = 54.0161.
    assert review.t_score == pytest.approx(50 + 10 / 6.2**0.5)
    assert review.t_score == pytest.approx(54.0161, abs=1e-4)
    assert goals.get(ctx, cast.therapist.actor, first.id).status == "achieved"
    assert (
        goals.history(ctx, cast.therapist.actor, first.id)[-1].reason
        == "review 1: achieved: two weeks at target"
    )
    # Only the walking goal stays active: next review in its 6 weeks.
    assert review.next_review_on == TODAY + timedelta(weeks=6)
    assert goals.history(ctx, cast.therapist.actor, second.id)[-1].reason == "review 1: continue"


def test_a_refused_review_stores_nothing_and_names_every_problem(ctx: Context, cast: Cast) -> None:
    goal = _goal(ctx, cast)
    other = _goal(ctx, cast, "Walk to work")
    before = _counts(ctx)
    body = {
        "held_on": TODAY.isoformat(),
        "notes": "should not be kept",
        "goals": [
            {"goal_id": other.id, "gas_level": 0, "decision": "achieved", "reason": "done"},
            {"goal_id": goal.id, "gas_level": 0, "decision": "adjust", "target": -3, "reason": "r"},
        ],
    }
    with pytest.raises(InvalidInput) as refused:
        reviews.record(ctx, cast.therapist.actor, goal.client_id, body)
    assert {p.field.split(".")[0] for p in refused.value.problems} == {"goals[1]"}
    assert any(p.field.startswith("goals[1].target") for p in refused.value.problems)
    assert _counts(ctx) == before
    # The other goal's status change was rolled back with the rest.
    assert goals.get(ctx, cast.therapist.actor, other.id).status == "active"
    with pytest.raises(InvalidInput) as bad:
        reviews.record(
            ctx, cast.therapist.actor, goal.client_id, {"held_on": "x", "goals": [{"gas_level": 4}]}
        )
    assert [p.field for p in bad.value.problems] == [
        "held_on",
        "goals[0].goal_id",
        "goals[0].gas_level",
        "goals[0].decision",
    ]


def test_only_the_linked_therapist_records_and_no_supporter_reads(ctx: Context, cast: Cast) -> None:
    goal = _goal(ctx, cast)
    body = {
        "held_on": TODAY.isoformat(),
        "goals": [{"goal_id": goal.id, "gas_level": 0, "decision": "continue"}],
    }
    with pytest.raises(Forbidden):
        reviews.record(ctx, cast.client_a.actor, goal.client_id, body)
    with pytest.raises(NotFound):
        reviews.record(ctx, cast.other_therapist.actor, goal.client_id, body)
    review = reviews.record(ctx, cast.therapist.actor, goal.client_id, body)
    for outsider in (cast.supporter, cast.other_therapist, cast.client_b):
        with pytest.raises(NotFound):
            reviews.get_review(ctx, outsider.actor, review.id)
        with pytest.raises(NotFound):
            reviews.list_reviews(ctx, outsider.actor, goal.client_id)


def test_notes_are_not_readable_in_the_database_file(sqlite_ctx: Context) -> None:
    from tests.support.cast import make_cast

    cast = make_cast(sqlite_ctx)
    goal = _goal(sqlite_ctx, cast)
    secret = "Talked about the argument with her brother"
    body = {
        "held_on": TODAY.isoformat(),
        "notes": secret,
        "goals": [
            {"goal_id": goal.id, "gas_level": 0, "decision": "continue", "reason": "steady brother-talk"}
        ],
    }
    reviews.record(sqlite_ctx, cast.therapist.actor, goal.client_id, body)
    path = sqlite_ctx.db.engine.url.database
    assert path is not None
    sqlite_ctx.db.dispose()
    data = b"".join(Path(p).read_bytes() for p in (path, path + "-wal") if Path(p).exists())
    assert b"argument with her brother" not in data
    assert b"steady brother-talk" not in data


def test_reviews_due_by_cadence_and_overdue_days(ctx: Context, cast: Cast) -> None:
    goal = _goal(ctx, cast)  # started 35 days ago, every 4 weeks: due 7 days ago
    found = due.reviews_due(ctx, cast.therapist.actor, as_of=TODAY)
    assert [(d.goal_id, d.due_on, d.reason, d.overdue_days) for d in found] == [
        (goal.id, TODAY - timedelta(days=7), "cadence", 7)
    ]
    assert due.reviews_due(ctx, cast.other_therapist.actor, as_of=TODAY) == []
    body = {
        "held_on": TODAY.isoformat(),
        "goals": [{"goal_id": goal.id, "gas_level": 0, "decision": "continue"}],
    }
    reviews.record(ctx, cast.therapist.actor, goal.client_id, body)
    assert due.client_reviews_due(ctx, cast.therapist.actor, goal.client_id, as_of=TODAY) == []
    later = due.client_reviews_due(
        ctx, cast.therapist.actor, goal.client_id, as_of=TODAY + timedelta(weeks=4)
    )
    assert [(d.due_on, d.overdue_days) for d in later] == [(TODAY + timedelta(weeks=4), 0)]


def test_summary_suggests_the_level_the_last_complete_weeks_point_to(ctx: Context, cast: Cast) -> None:
    goal = _goal(ctx, cast)
    assert goal.metric_key is not None
    monday = TODAY - timedelta(days=TODAY.weekday())
    # Last two complete weeks: 2 and 3 attacks (mean 2.5, between the target 2 and the baseline 6: -1).
    for week, count in ((2, 2), (1, 3)):
        for n in range(count):
            day = monday - timedelta(weeks=week) + timedelta(days=n)
            at = datetime.combine(day, time(12), tzinfo=UTC)
            observations.log(ctx, cast.client_a.actor, goal.client_id, goal.metric_key, 1, at=at)
    found = summary.review_summary(ctx, cast.therapist.actor, goal.client_id, as_of=TODAY)
    item = found["goals"][0]
    assert item["goal_id"] == goal.id and item["current_value"] == 2.5 and item["suggested_level"] == -1
    assert item["baseline"] == 6 and found["last_review"] is None
    assert [lv["level"] for lv in item["gas"]["levels"]] == [-2, -1, 0, 1, 2]


def test_export_holds_reviews_with_notes_levels_and_scales(ctx: Context, cast: Cast) -> None:
    import io
    import json
    import zipfile

    from goalwise.services.sharing import privacy

    goal = _goal(ctx, cast)
    gas.set_scale(ctx, cast.therapist.actor, goal.id, {"weight": 2})
    body = {
        "held_on": TODAY.isoformat(),
        "notes": "Exported note",
        "goals": [{"goal_id": goal.id, "gas_level": 0, "decision": "continue", "reason": "fine"}],
    }
    reviews.record(ctx, cast.therapist.actor, goal.client_id, body)
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_client(ctx, cast.client_a.actor, goal.client_id)))
    data = json.loads(archive.read("client.json"))
    assert [r["notes"] for r in data["reviews"]] == ["Exported note"]
    assert [(g["gas_level"], g["reason"]) for g in data["review_goals"]] == [(0, "fine")]
    assert [s["weight"] for s in data["goal_gas_scales"]] == [2.0]


def test_a_plan_review_repeats_the_needs_assessment_and_compares_it(ctx: Context, cast: Cast) -> None:
    from goalwise.services.goals import needs

    goal = _goal(ctx, cast)
    client = goal.client_id
    earlier = {
        "concerns": [{"area": "support_systems", "impact": "high", "priority": 1}],
        "needs": {"connection": 1},
    }
    needs.record(ctx, cast.therapist.actor, client, earlier, assessed_on=TODAY - timedelta(days=90))
    body = {
        "held_on": TODAY.isoformat(),
        "kind": "plan",
        "goals_fit": True,
        "needs": {
            "concerns": [{"area": "support_systems", "impact": "low", "priority": 2}],
            "needs": {"connection": 3},
        },
        "goals": [{"goal_id": goal.id, "gas_level": 0, "decision": "continue"}],
    }
    review = reviews.record(ctx, cast.therapist.actor, client, body)
    assert review.kind == "plan" and review.goals_fit is True and review.needs_assessment_id is not None
    plan = summary.review_summary(ctx, cast.therapist.actor, client, kind="plan", as_of=TODAY)["plan"]
    assert plan["changes"]["concerns"] == [
        {
            "area": "support_systems",
            "label": "",
            "before": {"impact": "high", "priority": 1},
            "after": {"impact": "low", "priority": 2},
        }
    ]
    assert plan["changes"]["needs"] == [{"need": "connection", "before": 1, "after": 3, "change": 2}]
    assert plan["active_goals"] == 1 and plan["question"].startswith("1 active goal(s)")


def test_add_steps_appends_the_steps_to_the_goals_plan(ctx: Context, cast: Cast) -> None:
    from goalwise.services.goals import goal_plans

    goal = _goal(ctx, cast)
    goal_plans.add_item(ctx, cast.therapist.actor, goal.id, title="Breathe out slowly")
    body = {
        "held_on": TODAY.isoformat(),
        "goals": [
            {
                "goal_id": goal.id,
                "gas_level": -1,
                "decision": "add-steps",
                "steps": ["Note the first sign of panic", "Walk one stop further"],
            }
        ],
    }
    reviews.record(ctx, cast.therapist.actor, goal.client_id, body)
    plan = goal_plans.get_plan(ctx, cast.therapist.actor, goal.id)
    assert [(i.position, i.title) for i in plan.items] == [
        (1, "Breathe out slowly"),
        (2, "Note the first sign of panic"),
        (3, "Walk one stop further"),
    ]
    assert goals.history(ctx, cast.therapist.actor, goal.id)[-1].reason == "review 1: add-steps"
    with pytest.raises(InvalidInput) as bad:
        reviews.record(
            ctx,
            cast.therapist.actor,
            goal.client_id,
            {**body, "goals": [{**body["goals"][0], "decision": "continue"}]},  # type: ignore[dict-item]
        )
    assert [p.field for p in bad.value.problems] == ["goals[0].steps"]


def test_summary_gives_each_questionnaire_first_last_review_current_and_reliable_change(
    ctx: Context, cast: Cast
) -> None:
    from goalwise.services.measurement import assessments

    goal = _goal(ctx, cast)
    client = goal.client_id
    noon = datetime.combine(TODAY, time(12), tzinfo=UTC)
    # PHQ-9 totals 16, then 12 (before the review), then 9: first 16, at the review 12, now 9;
    # 9 - 16 = -7, at least the 6 points of reliable change (NHS Talking Therapies): improvement.
    # Only the last has item 9 above 0, so one risk alert is raised (after the review).
    for days, answers in ((60, [2] * 8 + [0]), (20, [2] * 6 + [0] * 3), (1, [1] * 9)):
        assessments.record(ctx, cast.client_a.actor, client, "phq9", answers, at=noon - timedelta(days=days))
    review_day = TODAY - timedelta(days=10)
    body = {
        "held_on": review_day.isoformat(),
        "goals": [{"goal_id": goal.id, "gas_level": 0, "decision": "continue"}],
    }
    reviews.record(ctx, cast.therapist.actor, client, body)
    found = summary.review_summary(ctx, cast.therapist.actor, client, as_of=TODAY)
    phq9 = next(i for i in found["instruments"] if i["instrument"] == "phq9")
    assert (phq9["first"]["score"], phq9["at_last_review"]["score"], phq9["current"]["score"]) == (16, 12, 9)
    assert phq9["category"] == "reliable improvement" and phq9["reliable_change_points"] == 6
    assert found["since"] == review_day and found["last_review"]["number"] == 1
    assert [a["kind"] for a in found["alerts"]["raised"]] == ["item9_positive"]
    assert found["alerts"]["acknowledged"] == []


def test_the_caseload_counts_each_clients_goals_due_for_review(ctx: Context, cast: Cast) -> None:
    from goalwise.services.progress.caseload import caseload

    goal = _goal(ctx, cast)  # started 35 days ago, every 4 weeks: 7 days overdue (client's calendar)
    row = next(r for r in caseload(ctx, cast.therapist.actor) if r.client_id == goal.client_id)
    assert [d.goal_id for d in row.reviews_due] == [goal.id] and row.overdue_reviews == 1
    assert row.reviews_due[0].overdue_days in (6, 7, 8)
    body = {
        "held_on": TODAY.isoformat(),
        "goals": [{"goal_id": goal.id, "gas_level": 0, "decision": "continue"}],
    }
    reviews.record(ctx, cast.therapist.actor, goal.client_id, body)
    row = next(r for r in caseload(ctx, cast.therapist.actor) if r.client_id == goal.client_id)
    assert (row.reviews_due, row.overdue_reviews) == ((), 0)
