"""The goal JSON API: check, templates, suggestions, goals, revisions, plans, needs and obstacles,
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.integration.test_goal_service import panic, today
from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.storage.tables import goal_revisions, goals, metrics

V1 = "/api/v1"

# Issue 3's acceptance draft, starting today and due in 10 weeks: the public check's today is the
# date in GOALWISE_TIMEZONE, so fixed dates would turn into a past deadline.
_TODAY = datetime.now(UTC).date()
PANIC_DATED = {
    **panic(),
    "start_on": _TODAY.isoformat(),
    "deadline_on": (_TODAY + timedelta(days=70)).isoformat(),
}


def letters(problems: list[dict[str, Any]], severity: str = "error") -> set[str]:
    return {p["code"][0] for p in problems if p["severity"] == severity}


def stored(ctx: Context) -> tuple[int, int, int]:
    with ctx.db.read() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (goals, goal_revisions, metrics)
        )


def new_goal(api: TestClient, cast: Cast, draft: dict[str, Any] | None = None, activate: bool = False) -> int:
    body = {"draft": draft or panic(), "activate": activate, "reason": "Agreed in session"}
    response = api.post(
        f"{V1}/clients/{cast.client_a.client_id}/goals", json=body, headers=cast.therapist.headers
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_feel_better_yields_s_m_and_t_problems_for_anyone(api: TestClient) -> None:
    response = api.post(f"{V1}/goals/check", json={"title": "I want to feel better"})
    assert response.status_code == 200
    problems = response.json()["problems"]
    assert {"S", "M", "T"} <= letters(problems)
    assert set(problems[0]) == {"code", "field", "severity", "message", "suggestion"}
    assert all(p["suggestion"] for p in problems)
    text = api.post(f"{V1}/goals/check-text", json={"text": "I want to feel better"}).json()["problems"]
    assert {"S", "M", "T"} <= {p["code"][0] for p in text}
    vague = next(p for p in text if p["code"] == "S-vague-phrase")
    assert "feel better" in vague["message"]


def test_the_full_panic_draft_has_no_errors(api: TestClient) -> None:
    problems = api.post(f"{V1}/goals/check", json=PANIC_DATED).json()["problems"]
    assert [p for p in problems if p["severity"] == "error"] == []


def test_the_public_check_reports_a_deadline_already_past(api: TestClient) -> None:
    late = {
        **PANIC_DATED,
        "start_on": (_TODAY - timedelta(days=75)).isoformat(),
        "deadline_on": (_TODAY - timedelta(days=5)).isoformat(),
    }
    problems = api.post(f"{V1}/goals/check", json=late).json()["problems"]
    assert [p["code"] for p in problems if p["code"].startswith("T")] == ["T-deadline-past"]


def test_malformed_json_gets_the_one_error_shape(api: TestClient) -> None:
    response = api.post(
        f"{V1}/goals/check",
        content=b'{"title": "Fewer panic attacks",',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"ok", "error", "problems", "status"}
    assert body["ok"] is False and body["status"] == 422 and body["problems"]


def test_a_wrong_type_is_a_problem_naming_the_field_not_a_validation_error(api: TestClient) -> None:
    response = api.post(
        f"{V1}/goals/check", json={**PANIC_DATED, "baseline": "five", "metric": {"kind": "steps"}}
    )
    assert response.status_code == 200
    by_field = {p["field"]: p for p in response.json()["problems"]}
    assert "must be a number" in by_field["baseline"]["message"]
    assert "count" in by_field["metric.kind"]["suggestion"]


def test_templates_and_suggestions_are_public(api: TestClient) -> None:
    templates = api.get(f"{V1}/goal-templates").json()
    assert len(templates) >= 12
    panic_reduce = next(t for t in templates if t["id"] == "panic-reduce")
    assert panic_reduce["metric"] == {"kind": "count", "unit": "panic attacks", "period": "week"}
    found = api.post(f"{V1}/goal-suggestions", json={"text": "I want fewer panic attacks"}).json()
    assert found["templates"][0]["template_id"].startswith("panic")
    assert {q["id"] for q in found["questions"]} >= {"baseline", "deadline"}


def test_three_edits_leave_four_revisions_with_who_when_and_why(api: TestClient, cast: Cast) -> None:
    goal_id = new_goal(api, cast)
    edits = [
        (cast.therapist, {"review_every_weeks": 6}, "Reviews every 6 weeks"),
        (cast.client_a, {"title": "Fewer panic attacks at work"}, "My own words"),
        (cast.therapist, {"target": {"value": 3}}, "A smaller first step"),
    ]
    for person, change, why in edits:
        response = api.patch(
            f"{V1}/goals/{goal_id}", json={"draft": change, "reason": why}, headers=person.headers
        )
        assert response.status_code == 200, response.text
    goal = api.get(f"{V1}/goals/{goal_id}", headers=cast.client_a.headers).json()
    assert goal["revision"] == 4
    # The patch merged: the target kept its comparator and the review cadence stayed at 6.
    assert goal["draft"]["target"] == {"value": 3, "comparator": "<="}
    assert goal["draft"]["review_every_weeks"] == 6 and goal["title"] == "Fewer panic attacks at work"
    revisions = api.get(f"{V1}/goals/{goal_id}/revisions", headers=cast.therapist.headers).json()
    t, a = f"therapist:{cast.therapist.user_id}", f"client:{cast.client_a.user_id}"
    assert [(r["revision"], r["changed_by"], r["reason"]) for r in revisions] == [
        (1, t, "Agreed in session"),
        (2, t, "Reviews every 6 weeks"),
        (3, a, "My own words"),
        (4, t, "A smaller first step"),
    ]
    assert [r["changed_at"] for r in revisions] == sorted(r["changed_at"] for r in revisions)
    assert revisions[0]["draft"]["target"]["value"] == 2  # the first version is kept as it was


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"metric": {"kind": "rating", "scale_min": 0, "scale_max": 10}, "direction": "increase",
          "baseline": 3, "target": {"value": 12}}, "target.value"),
        ({"deadline_on": "2000-01-01"}, "deadline_on"),
        ({"metric": {"kind": "steps"}}, "metric.kind"),
        ({"review_every_weeks": "often"}, "review_every_weeks"),
    ],
)  # fmt: skip
def test_bad_input_gives_problems_naming_the_field_and_saves_nothing(
    api: TestClient, cast: Cast, ctx: Context, change: dict[str, Any], field: str
) -> None:
    before = stored(ctx)
    response = api.post(
        f"{V1}/clients/{cast.client_a.client_id}/goals",
        json={"draft": {**panic(), **change}},
        headers=cast.therapist.headers,
    )
    assert response.status_code == 422
    problem = next(p for p in response.json()["problems"] if p["field"] == field)
    assert problem["suggestion"]
    assert stored(ctx) == before


def test_malformed_json_on_create_saves_nothing(api: TestClient, cast: Cast, ctx: Context) -> None:
    before = stored(ctx)
    response = api.post(
        f"{V1}/clients/{cast.client_a.client_id}/goals",
        content=b'{"draft": {"title": "x"',
        headers={**cast.therapist.headers, "content-type": "application/json"},
    )
    assert response.status_code == 422 and response.json()["ok"] is False
    assert stored(ctx) == before


def test_a_goal_with_errors_cannot_be_activated_and_transitions_follow_the_table(
    api: TestClient, cast: Cast
) -> None:
    unfinished = new_goal(api, cast, panic(deadline_on=None))
    url, headers = f"{V1}/goals/{unfinished}/status", cast.therapist.headers
    refused = api.post(url, json={"status": "active"}, headers=headers)
    assert refused.status_code == 422
    assert {"T-no-deadline", "status-smart-errors"} <= {p["code"] for p in refused.json()["problems"]}
    goal_id = new_goal(api, cast, activate=True)
    assert api.get(f"{V1}/goals/{goal_id}", headers=headers).json()["status"] == "active"
    back = api.post(f"{V1}/goals/{goal_id}/status", json={"status": "proposed"}, headers=headers)
    assert back.status_code == 422 and back.json()["problems"][0]["code"] == "status-not-allowed"
    achieved = {"status": "achieved", "reason": "2 a week for 4 weeks"}
    done = api.post(f"{V1}/goals/{goal_id}/status", json=achieved, headers=headers).json()
    assert (done["status"], done["fhir_lifecycle_status"], done["revision"]) == ("achieved", "completed", 2)


def test_create_from_a_template(api: TestClient, cast: Cast) -> None:
    body = {"template": {"template_id": "phq9-below-10", "baseline": 16}, "activate": True}
    response = api.post(
        f"{V1}/clients/{cast.client_a.client_id}/goals", json=body, headers=cast.client_a.headers
    )
    assert response.status_code == 201, response.text
    goal = response.json()
    assert goal["status"] == "active" and goal["draft"]["metric"] == {
        "kind": "instrument",
        "instrument": "phq9",
    }
    both = api.post(
        f"{V1}/clients/{cast.client_a.client_id}/goals",
        json={**body, "draft": panic()},
        headers=cast.client_a.headers,
    )
    assert both.status_code == 422 and both.json()["problems"][0]["code"] == "goal-source"


def test_other_people_get_404_supporters_cannot_write_and_anonymous_gets_401(
    api: TestClient, cast: Cast
) -> None:
    goal_id = new_goal(api, cast)
    for person in (cast.client_b, cast.other_therapist, cast.supporter, cast.admin):
        h = person.headers
        assert api.get(f"{V1}/goals/{goal_id}", headers=h).status_code == 404
        assert api.get(f"{V1}/goals/{goal_id}/revisions", headers=h).status_code == 404
        assert api.get(f"{V1}/clients/{cast.client_a.client_id}/goals", headers=h).status_code == 404
        patch = api.patch(f"{V1}/goals/{goal_id}", json={"draft": {}, "reason": "x"}, headers=h)
        assert patch.status_code == 404
        created = api.post(
            f"{V1}/clients/{cast.client_a.client_id}/goals", json={"draft": panic()}, headers=h
        )
        assert created.status_code == 404
        assert api.post(f"{V1}/goals/{goal_id}/plan-items", json={"title": "x"}, headers=h).status_code == 404
    assert api.get(f"{V1}/goals/{goal_id}").status_code == 401
    listed = api.get(f"{V1}/clients/{cast.client_a.client_id}/goals", headers=cast.client_a.headers).json()
    assert [g["id"] for g in listed] == [goal_id]


def test_readiness_rulers_with_low_confidence_advice(api: TestClient, cast: Cast) -> None:
    goal_id = new_goal(api, cast)
    url = f"{V1}/goals/{goal_id}/readiness"
    made = api.post(url, json={"importance": 9, "confidence": 4}, headers=cast.client_a.headers)
    assert made.status_code == 201
    assert [a["code"] for a in made.json()["advice"]] == ["A-low-confidence"]
    bad = api.post(url, json={"importance": 12, "confidence": 4}, headers=cast.client_a.headers)
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "importance"
    assert len(api.get(url, headers=cast.therapist.headers).json()) == 1


def test_plan_items_next_step_and_done(api: TestClient, cast: Cast) -> None:
    goal_id = new_goal(api, cast, activate=True)
    h = cast.client_a.headers
    url = f"{V1}/goals/{goal_id}/plan-items"
    first = api.post(
        url, json={"title": "Learn slow breathing", "due_on": today().isoformat()}, headers=h
    ).json()
    second = api.post(
        url, json={"title": "Practise daily", "depends_on_id": first["id"], "micro": True}, headers=h
    )
    assert second.status_code == 201
    plan = api.get(url, headers=h).json()
    assert [i["title"] for i in plan["items"]] == ["Learn slow breathing", "Practise daily"]
    assert plan["next_step"]["id"] == first["id"] and plan["weekly_completion_rate"] == 0.0
    done = api.post(f"{V1}/plan-items/{first['id']}/done", headers=h)
    assert done.status_code == 200 and done.json()["done"] is True
    plan = api.get(url, headers=h).json()
    assert plan["next_step"]["id"] == second.json()["id"] and plan["weekly_completion_rate"] == 1.0
    bad = api.post(url, json={"title": "", "kind": "task"}, headers=h)
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["problems"]} == {"title", "kind"}
    assert api.post(f"{V1}/plan-items/{first['id']}/done", headers=cast.supporter.headers).status_code == 404


def test_needs_are_recorded_and_order_the_suggestions(api: TestClient, cast: Cast) -> None:
    url = f"{V1}/clients/{cast.client_a.client_id}/needs"
    body = {
        "concerns": [{"area": "support_systems", "impact": "high", "priority": 1}],
        "needs": {"connection": 1},
    }
    made = api.post(url, json=body, headers=cast.client_a.headers)
    assert made.status_code == 201 and made.json()["assessment"]["needs"] == {"connection": 1}
    view = api.get(url, headers=cast.therapist.headers).json()
    assert view["latest"]["id"] == made.json()["id"]
    assert view["suggestions"]["templates"][0]["template_id"] == "social-interactions"
    bad = api.post(
        url,
        json={"concerns": [{"area": "x", "impact": "high", "priority": 1}], "needs": {"safety": 9}},
        headers=cast.client_a.headers,
    )
    assert bad.status_code == 422
    assert {"concerns[0].area", "needs.safety"} <= {p["field"] for p in bad.json()["problems"]}
    assert api.get(url, headers=cast.client_b.headers).status_code == 404


def test_obstacles_are_logged_their_outcome_recorded_and_suggested(api: TestClient, cast: Cast) -> None:
    start = today() - timedelta(weeks=5)
    draft = panic(start_on=start.isoformat(), deadline_on=(start + timedelta(weeks=20)).isoformat())
    goal_id = new_goal(api, cast, draft, activate=True)
    catalog = api.get(f"{V1}/obstacles").json()
    assert len(catalog) == 10 and catalog[0]["id"] == "unclear_goals"
    h = cast.client_a.headers
    logged = api.post(
        f"{V1}/goals/{goal_id}/obstacles",
        json={"obstacle_id": "procrastination", "strategy_id": "time_bound"},
        headers=h,
    )
    assert logged.status_code == 201 and logged.json()["helped"] is None
    outcome = api.post(f"{V1}/goal-obstacles/{logged.json()['id']}/outcome", json={"helped": True}, headers=h)
    assert outcome.status_code == 200 and outcome.json()["helped"] is True
    assert [o["helped"] for o in api.get(f"{V1}/goals/{goal_id}/obstacles", headers=h).json()] == [True]
    # Nothing was ever logged since the start 5 weeks ago: procrastination.
    found = api.get(f"{V1}/clients/{cast.client_a.client_id}/obstacle-suggestions", headers=h).json()
    assert [(s["goal_id"], s["obstacle_id"]) for s in found] == [(goal_id, "procrastination")]
    bad = api.post(f"{V1}/goals/{goal_id}/obstacles", json={"obstacle_id": "boredom"}, headers=h)
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["problems"]} >= {"obstacle_id"}
    other = cast.other_therapist.headers
    assert (
        api.get(f"{V1}/clients/{cast.client_a.client_id}/obstacle-suggestions", headers=other).status_code
        == 404
    )
    assert api.post(f"{V1}/goal-obstacles/{logged.json()['id']}/outcome", json={"helped": False},
                    headers=cast.supporter.headers).status_code == 404  # fmt: skip


def test_huge_ids_are_not_found_not_a_server_error(api: TestClient, cast: Cast) -> None:
    # No goal can have an id beyond 64 bits: it does not exist, like any other missing goal.
    assert api.get(f"{V1}/goals/{2**70}", headers=cast.therapist.headers).status_code == 404
