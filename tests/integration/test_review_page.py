"""The review page (issues 12 and 13): the data summary, a GAS level and decision per goal, recorded
whole or not at all with problems beside their goal, and the goal page showing the new revision."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.storage.tables import reviews


def _goal(ctx: Context, cast: Cast, title: str, target: float) -> goals.Goal:
    draft = {
        "title": title,
        "behaviour": "Walk outside for 20 minutes or more, counted once per walk, logged in the evening.",
        "metric": {"kind": "count", "unit": "walks", "period": "week"},
        "direction": "increase",
        "baseline": {"value": 1, "source": "entered"},
        "target": {"value": target, "comparator": ">="},
        "start_on": (date.today() - timedelta(days=30)).isoformat(),
        "deadline_on": (date.today() + timedelta(weeks=6)).isoformat(),
        "review_every_weeks": 4,
    }
    assert cast.client_a.client_id is not None
    return goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, draft, activate=True)


def test_review_page_shows_the_summary_to_the_therapist_only(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    _goal(ctx, cast, "Walk more", 3)
    a = cast.client_a.client_id
    page = api.get(f"/clients/{a}/review", headers=cast.therapist.headers)
    assert page.status_code == 200
    assert (
        "Walk more" in page.text
        and "expected outcome" in page.text.lower()
        and "does not diagnose" in page.text
    )
    assert api.get(f"/clients/{a}/review", headers=cast.client_a.headers).status_code == 403
    assert api.get(f"/clients/{a}/review", headers=cast.other_therapist.headers).status_code == 404


def test_a_refused_review_names_each_problem_beside_its_goal_and_stores_nothing(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    _goal(ctx, cast, "Walk more", 3)
    _goal(ctx, cast, "Call a friend", 2)
    a = cast.client_a.client_id
    form = {
        "held_on": date.today().isoformat(),
        "goal0_id": "",
        "goal1_id": "",
    }
    page = api.get(f"/clients/{a}/review", headers=cast.therapist.headers)
    ids = [part.split('"', 1)[0] for part in page.text.split('_id" value="')[1:]]
    form |= {"goal0_id": ids[0], "goal0_decision": "adjust", "goal1_id": ids[1], "goal1_level": "1"}
    response = api.post(f"/clients/{a}/review", headers=cast.therapist.headers, data=form)
    assert response.status_code == 422
    first = response.text.split('id="goal0-h"', 1)[1].split("</fieldset>", 1)[0]
    assert "The GAS level must be a whole number from -2 to 2" in first
    assert "adjusts the goal but gives no new target" in first
    with ctx.db.read() as conn:
        assert conn.execute(select(reviews)).first() is None
    assert 'name="goal1_level" value="1" checked' in response.text  # what was typed is kept


def test_a_review_adjusts_a_target_and_the_goal_page_shows_the_revision(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    walk = _goal(ctx, cast, "Walk more", 3)
    call = _goal(ctx, cast, "Call a friend", 2)
    a = cast.client_a.client_id
    form = {
        "held_on": date.today().isoformat(),
        "notes": "Walking went well; calls are hard.",
        "goal0_id": str(walk.id),
        "goal0_level": "1",
        "goal0_decision": "adjust",
        "goal0_target": "4",
        "goal0_reason": "Three walks came easily",
        "goal1_id": str(call.id),
        "goal1_level": "-1",
        "goal1_decision": "continue",
    }
    response = api.post(
        f"/clients/{a}/review", headers=cast.therapist.headers, data=form, follow_redirects=False
    )
    assert response.status_code == 303
    done = api.get(response.headers["location"], headers=cast.therapist.headers)
    assert "The review is recorded" in done.text and "new target 4" in done.text
    assert goals.get(ctx, cast.therapist.actor, walk.id).spec["target"]["value"] == 4
    goal_page = api.get(f"/clients/{a}/goals/{walk.id}", headers=cast.therapist.headers).text
    history = goal_page.split('id="history-h"', 1)[1]
    assert "review 1" in history and "Three walks came easily" in history and "Therapist One" in history


def test_a_plan_review_repeats_the_needs_assessment_and_asks_whether_the_goals_fit(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    from goalwise.services.goals import needs

    walk = _goal(ctx, cast, "Walk more", 3)
    a = cast.client_a.client_id
    assert a is not None
    needs.record(
        ctx,
        cast.therapist.actor,
        a,
        {"concerns": [{"area": "support_systems", "impact": "high", "priority": 1}], "needs": {"safety": 2}},
        assessed_on=date.today() - timedelta(days=90),
    )
    page = api.get(f"/clients/{a}/review?kind=plan", headers=cast.therapist.headers)
    assert page.status_code == 200 and "The plan: needs and concerns again" in page.text
    assert "1 active goal(s): is there a need the plan does not yet work on?" in page.text
    assert 'name="concern1_area"' in page.text and 'name="need_safety" value="2" checked' in page.text
    form = {
        "kind": "plan",
        "held_on": date.today().isoformat(),
        "goal0_id": str(walk.id),
        "goal0_level": "0",
        "goal0_decision": "continue",
        "goals_fit": "no",
        "concern1_area": "support_systems",
        "concern1_impact": "medium",
        "concern1_priority": "oops",
        "need_safety": "4",
    }
    refused = api.post(f"/clients/{a}/review", headers=cast.therapist.headers, data=form)
    assert refused.status_code == 422 and "Row 1" in refused.text
    with ctx.db.read() as conn:
        assert conn.execute(select(reviews)).first() is None
    done = api.post(
        f"/clients/{a}/review",
        headers=cast.therapist.headers,
        data=form | {"concern1_priority": "2"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    latest = needs.latest(ctx, cast.therapist.actor, a)
    assert latest is not None and latest.assessment.concerns[0].impact.value == "medium"
    with ctx.db.read() as conn:
        row = conn.execute(select(reviews)).one()
    assert row.kind == "plan" and row.goals_fit is False and row.needs_assessment_id == latest.id


def test_a_review_form_sent_twice_records_one_review_and_another_that_day_is_refused(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    walk = _goal(ctx, cast, "Walk more", 3)
    a = cast.client_a.client_id
    form = {
        "held_on": date.today().isoformat(),
        "notes": "Walking went well.",
        "goal0_id": str(walk.id),
        "goal0_level": "1",
        "goal0_decision": "adjust",
        "goal0_target": "4",
        "goal0_reason": "Three walks came easily",
    }
    for _ in range(2):
        response = api.post(
            f"/clients/{a}/review", headers=cast.therapist.headers, data=form, follow_redirects=False
        )
        assert response.status_code == 303
    other = {**form, "goal0_level": "-1", "goal0_decision": "continue", "goal0_target": ""}
    refused = api.post(f"/clients/{a}/review", headers=cast.therapist.headers, data=other)
    assert refused.status_code == 409
    # Said on the review form itself, with what was typed kept, not on a bare error page.
    assert "was already held on" in refused.text and "Give this review another date" in refused.text
    assert 'name="goal0_level"' in refused.text and "Walking went well." in refused.text
    with ctx.db.read() as conn:
        assert conn.execute(select(reviews.c.number).where(reviews.c.client_id == a)).scalars().all() == [1]
    assert goals.get(ctx, cast.therapist.actor, walk.id).spec["target"]["value"] == 4
