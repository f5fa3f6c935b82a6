"""The review JSON API: record, read, summary, reviews due and GAS scales; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.integration.test_review_service import _draft
from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.storage.tables import reviews

V1 = "/api/v1"
TODAY = datetime.now(UTC).date()


def _goal(api: TestClient, cast: Cast) -> int:
    body = {"draft": _draft("Fewer panic attacks"), "activate": True, "reason": "Agreed in session"}
    response = api.post(
        f"{V1}/clients/{cast.client_a.client_id}/goals", json=body, headers=cast.therapist.headers
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_record_then_read_the_review_with_its_notes(api: TestClient, cast: Cast) -> None:
    goal = _goal(api, cast)
    client = cast.client_a.client_id
    body = {
        "held_on": TODAY.isoformat(),
        "notes": "Steady week.",
        "goals": [
            {"goal_id": goal, "gas_level": -2, "decision": "discontinue", "reason": "no longer relevant"}
        ],
    }
    made = api.post(f"{V1}/clients/{client}/reviews", json=body, headers=cast.therapist.headers)
    assert made.status_code == 201, made.text
    review = made.json()
    # One goal at -2, weight 1: T = 50 + 10·(-2)/1 = 30. No goal stays active: no next date.
    assert review["t_score"] == 30.0 and review["next_review_on"] is None and review["number"] == 1
    listed = api.get(f"{V1}/clients/{client}/reviews", headers=cast.client_a.headers).json()
    assert [r["id"] for r in listed] == [review["id"]] and listed[0]["notes"] is None
    shown = api.get(f"{V1}/reviews/{review['id']}", headers=cast.client_a.headers).json()
    assert shown["notes"] == "Steady week." and shown["goals"][0]["decision"] == "discontinue"
    goal_now = api.get(f"{V1}/goals/{goal}", headers=cast.therapist.headers).json()
    assert goal_now["status"] == "discontinued"
    assert api.get(f"{V1}/reviews/{review['id']}", headers=cast.supporter.headers).status_code == 404


def test_a_bad_review_is_422_naming_every_field_and_stores_nothing(
    api: TestClient, cast: Cast, ctx: Context
) -> None:
    goal = _goal(api, cast)
    body = {
        "held_on": TODAY.isoformat(),
        "goals": [
            {"goal_id": goal, "gas_level": "high", "decision": "continue"},
            {"goal_id": 999_999, "gas_level": 0, "decision": "adjust", "reason": "x"},
        ],
    }
    response = api.post(
        f"{V1}/clients/{cast.client_a.client_id}/reviews", json=body, headers=cast.therapist.headers
    )
    assert response.status_code == 422
    fields = [p["field"] for p in response.json()["problems"]]
    # The unknown goal is named beside the input's own problems.
    assert fields == ["goals[0].gas_level", "goals[1].target", "goals[1].goal_id"]
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(reviews)).scalar_one() == 0


def test_clients_cannot_record_reviews(api: TestClient, cast: Cast) -> None:
    goal = _goal(api, cast)
    body = {
        "held_on": TODAY.isoformat(),
        "goals": [{"goal_id": goal, "gas_level": 0, "decision": "continue"}],
    }
    url = f"{V1}/clients/{cast.client_a.client_id}/reviews"
    assert api.post(url, json=body, headers=cast.client_a.headers).status_code == 403
    assert api.post(url, json=body, headers=cast.other_therapist.headers).status_code == 404


def test_due_lists_and_summary(api: TestClient, cast: Cast) -> None:
    goal = _goal(api, cast)
    due = api.get(f"{V1}/reviews-due", headers=cast.therapist.headers).json()
    assert [(d["goal_id"], d["reason"]) for d in due] == [(goal, "cadence")]
    assert due[0]["due_on"] == (TODAY - timedelta(days=due[0]["overdue_days"])).isoformat()
    assert api.get(f"{V1}/reviews-due", headers=cast.other_therapist.headers).json() == []
    assert api.get(f"{V1}/reviews-due", headers=cast.client_a.headers).status_code == 403
    mine = api.get(
        f"{V1}/clients/{cast.client_a.client_id}/reviews-due", headers=cast.client_a.headers
    ).json()
    assert [d["goal_id"] for d in mine] == [goal]
    found = api.get(
        f"{V1}/clients/{cast.client_a.client_id}/reviews/summary?kind=plan", headers=cast.therapist.headers
    ).json()
    assert [g["goal_id"] for g in found["goals"]] == [goal]
    assert found["plan"]["active_goals"] == 1 and "1 active goal" in found["plan"]["question"]


def test_gas_scale_read_and_weight_set(api: TestClient, cast: Cast) -> None:
    goal = _goal(api, cast)
    shown = api.get(f"{V1}/goals/{goal}/gas", headers=cast.client_a.headers).json()
    assert shown["weight"] == 1.0 and len(shown["levels"]) == 5
    changed = api.put(f"{V1}/goals/{goal}/gas", json={"weight": 4}, headers=cast.therapist.headers)
    assert changed.status_code == 200 and changed.json()["weight"] == 4.0
    assert (
        api.put(f"{V1}/goals/{goal}/gas", json={"weight": 4}, headers=cast.client_a.headers).status_code
        == 403
    )
    bad = api.put(f"{V1}/goals/{goal}/gas", json={"levels": [{"level": 0}]}, headers=cast.therapist.headers)
    assert bad.status_code == 422
    assert "levels[0].description" in [p["field"] for p in bad.json()["problems"]]


def test_t_score_chart_is_an_svg_with_one_point_per_review(api: TestClient, cast: Cast) -> None:
    goal = _goal(api, cast)
    client = cast.client_a.client_id
    chart = f"{V1}/clients/{client}/reviews/t-scores.svg"
    assert api.get(chart, headers=cast.therapist.headers).status_code == 404  # no review yet
    body = {
        "held_on": TODAY.isoformat(),
        "goals": [{"goal_id": goal, "gas_level": 1, "decision": "continue"}],
    }
    assert (
        api.post(f"{V1}/clients/{client}/reviews", json=body, headers=cast.therapist.headers).status_code
        == 201
    )
    response = api.get(chart, headers=cast.client_a.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "GAS T-score" in response.text and 'role="img"' in response.text
    assert api.get(chart, headers=cast.supporter.headers).status_code == 404
