"""The measurement JSON API on both databases: risk end to end, idempotency, authorization, errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Table, func, select
from tests.support.cast import PASSWORD, Cast

from goalwise.services.context import Context
from goalwise.storage.tables import (
    abc_entries,
    alerts,
    assessments,
    audit_events,
    episodes,
    journal_entries,
    metrics,
    observations,
    phases,
    therapy_sessions,
)

PHQ9_ITEM9 = [0, 0, 0, 0, 0, 0, 0, 0, 1]


def _count(ctx: Context, table: Table) -> int:
    with ctx.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_phq9_item9_end_to_end_crisis_alert_and_acknowledgement(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    a = cast.client_a
    response = api.post(
        f"/api/v1/clients/{a.client_id}/assessments",
        json={"instrument": "phq9", "answers": PHQ9_ITEM9},
        headers=a.headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert "116 123" in body["crisis"] and "988" not in body["crisis"]  # client A lives in Europe/London
    assert "item9_positive" in body["flags"]
    assert body["disclaimer"] == "Goalwise supports care; it does not diagnose."
    (alert_id,) = body["alert_ids"]

    caseload = api.get("/api/v1/alerts", headers=cast.therapist.headers).json()
    assert [(x["id"], x["client_id"], x["acknowledged_at"]) for x in caseload] == [
        (alert_id, a.client_id, None)
    ]
    assert api.get("/api/v1/alerts", headers=cast.other_therapist.headers).json() == []

    no_note = api.post(
        f"/api/v1/alerts/{alert_id}/acknowledge", json={"note": " "}, headers=cast.therapist.headers
    )
    assert no_note.status_code == 422 and no_note.json()["problems"][0]["field"] == "note"
    stranger = api.post(
        f"/api/v1/alerts/{alert_id}/acknowledge", json={"note": "x"}, headers=cast.other_therapist.headers
    )
    assert stranger.status_code == 404
    client = api.post(f"/api/v1/alerts/{alert_id}/acknowledge", json={"note": "x"}, headers=a.headers)
    assert client.status_code == 403

    done = api.post(
        f"/api/v1/alerts/{alert_id}/acknowledge",
        json={"note": "Called; safe"},
        headers=cast.therapist.headers,
    )
    assert done.status_code == 200
    acked = done.json()
    assert acked["acknowledged_by"] == cast.therapist.user_id and acked["acknowledged_at"] is not None
    assert acked["note"] == "Called; safe"
    assert api.get("/api/v1/alerts", headers=cast.therapist.headers).json() == []
    with ctx.db.read() as conn:
        audit = conn.execute(select(audit_events).where(audit_events.c.action == "acknowledge")).one()
    assert (audit.object_id, audit.actor) == (str(alert_id), f"therapist:{cast.therapist.user_id}")


def test_posting_the_same_observation_twice_with_a_client_ref_stores_one_row(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    a = cast.client_a
    payload = {"metric": "mood", "value": 6, "client_ref": "3f1c-offline-1", "note": "after the walk"}
    first = api.post(f"/api/v1/clients/{a.client_id}/observations", json=payload, headers=a.headers)
    second = api.post(f"/api/v1/clients/{a.client_id}/observations", json=payload, headers=a.headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert _count(ctx, observations) == 1
    listed = api.get(
        f"/api/v1/clients/{a.client_id}/observations?metric=mood", headers=cast.therapist.headers
    )
    assert [o["value"] for o in listed.json()] == [6.0]


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"metric": "mood", "value": 11}, "value", "Mood is 11; it runs from 1 to 10."),
        ({"metric": "sleep_hours", "value": -2}, "value", "cannot be negative"),
        ({"metric": "mood", "value": 5, "at": "2999-01-01T00:00:00Z"}, "at", "more than a day in the future"),
        ({"metric": "heart_rate", "value": 70}, "metric", "There is no metric 'heart_rate'"),
    ],
)
def test_bad_observations_get_one_problem_shape_and_store_nothing(
    api: TestClient, ctx: Context, cast: Cast, payload: dict[str, Any], field: str, fragment: str
) -> None:
    a = cast.client_a
    response = api.post(f"/api/v1/clients/{a.client_id}/observations", json=payload, headers=a.headers)
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False and body["status"] == 422
    assert body["problems"][0]["field"] == field and fragment in body["problems"][0]["message"]
    assert body["problems"][0]["hint"]
    assert (_count(ctx, observations), _count(ctx, metrics)) == (0, 0)


def test_bad_assessments_name_the_item_and_store_nothing(api: TestClient, ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    url = f"/api/v1/clients/{a.client_id}/assessments"
    off = api.post(url, json={"instrument": "gad7", "answers": [0, 0, 4, 0, 0, 0, 0]}, headers=a.headers)
    assert off.status_code == 422
    assert off.json()["problems"][0]["message"] == "GAD-7 item 3 is 4; answers run from 0 to 3."
    blanks = api.post(
        url, json={"instrument": "phq9", "answers": [None, None, None, 1, 1, 1, 1, 1, 1]}, headers=a.headers
    )
    assert [p["field"] for p in blanks.json()["problems"]] == ["answers[1]", "answers[2]", "answers[3]"]
    assert (_count(ctx, assessments), _count(ctx, alerts)) == (0, 0)


def test_a_checkin_and_its_errors_over_the_api(api: TestClient, ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    url = f"/api/v1/clients/{a.client_id}/checkins"
    bad = api.post(url, json={"mood": 11, "anxiety": 3, "sleep_hours": 7}, headers=a.headers)
    assert bad.status_code == 422 and [p["field"] for p in bad.json()["problems"]] == ["mood"]
    assert _count(ctx, observations) == 0
    good = api.post(url, json={"mood": 7, "anxiety": 3, "sleep_hours": 7}, headers=a.headers)
    assert good.status_code == 201
    assert [o["metric"] for o in good.json()["observations"]] == ["mood", "anxiety", "sleep_hours"]
    keys = [m["key"] for m in api.get(f"/api/v1/clients/{a.client_id}/metrics", headers=a.headers).json()]
    assert keys == ["anxiety", "mood", "sleep_hours"]


def test_a_checkin_looks_its_caller_up_like_every_other_write(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    """The check-in authenticates inside its own threadpool call; the answers are the usual ones."""
    from goalwise.services.accounts import login_sessions

    a = cast.client_a
    url = f"/api/v1/clients/{a.client_id}/checkins"
    # Anonymous: 401 before the body is read (an invalid body does not turn it into a 422).
    assert api.post(url, json={"mood": "not a number"}).status_code == 401
    assert api.post(url, json={"mood": 5}, headers={"Authorization": "Bearer gw_unknown"}).status_code == 401
    _, read_only = login_sessions.create_api_token(ctx, a.actor, name="ro", scope="read")
    refused = api.post(url, json={"mood": 5}, headers={"Authorization": f"Bearer {read_only}"})
    assert refused.status_code == 403 and "read-only" in refused.json()["error"]
    # A browser session: the CSRF token must come in the header.
    api.get("/login")
    api.post(
        "/login",
        data={"email": a.email, "password": PASSWORD, "pre_token": api.cookies.get("goalwise_pre", "")},
    )
    assert api.post(url, json={"mood": 5}).status_code == 403
    page = api.get("/account").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert api.post(url, json={"mood": 5}, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert _count(ctx, observations) == 1


_READS = (
    "observations",
    "metrics",
    "episodes",
    "abc",
    "abc/summary",
    "journal",
    "sessions",
    "phases",
    "assessments",
    "alerts",
)
_WRITES: dict[str, dict[str, Any]] = {
    "observations": {"metric": "mood", "value": 5},
    "checkins": {"mood": 5},
    "episodes": {"situation": "bus"},
    "abc": {"antecedent": "a", "behaviour": "b", "consequence": "c"},
    "assessments": {"instrument": "phq9", "answers": PHQ9_ITEM9},
    "phases": {"name": "Baseline", "baseline": True},
    "sessions": {"held_on": "2024-01-08"},
}


def test_others_get_404_on_client_a_records_and_a_supporter_cannot_write(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    a = cast.client_a
    for person in (cast.client_b, cast.other_therapist):
        for path in _READS:
            assert (
                api.get(f"/api/v1/clients/{a.client_id}/{path}", headers=person.headers).status_code == 404
            ), path
    for person in (cast.supporter, cast.client_b, cast.other_therapist):
        for path, payload in _WRITES.items():
            response = api.post(f"/api/v1/clients/{a.client_id}/{path}", json=payload, headers=person.headers)
            assert response.status_code == 404, path
        journal = api.post(
            f"/api/v1/clients/{a.client_id}/journal", json={"body": "x"}, headers=person.headers
        )
        assert journal.status_code == 404
    tables = (
        observations,
        episodes,
        abc_entries,
        assessments,
        alerts,
        phases,
        therapy_sessions,
        journal_entries,
    )
    assert [_count(ctx, t) for t in tables] == [0] * len(tables)


def test_the_journal_is_written_by_the_client_and_shared_entries_reach_the_therapist(
    api: TestClient, cast: Cast
) -> None:
    a = cast.client_a
    url = f"/api/v1/clients/{a.client_id}/journal"
    assert api.post(url, json={"body": "therapist note"}, headers=cast.therapist.headers).status_code == 404
    private = api.post(url, json={"body": "just for me", "triggers": ["crowds"]}, headers=a.headers).json()
    assert private["private"] is True and private["triggers"] == ["crowds"]
    assert api.get(url, headers=cast.therapist.headers).json() == []
    shared = api.patch(f"{url}/{private['id']}", json={"private": False}, headers=a.headers)
    assert shared.status_code == 200
    assert [e["body"] for e in api.get(url, headers=cast.therapist.headers).json()] == ["just for me"]


def test_baseline_and_phases_over_the_api(api: TestClient, cast: Cast) -> None:
    a = cast.client_a
    base = f"/api/v1/clients/{a.client_id}"
    missing = api.get(f"{base}/baseline", headers=a.headers)
    assert missing.status_code == 200 and missing.json()["phase_id"] is None
    assert "goalwise phase start" in missing.json()["message"]
    short = api.post(
        f"{base}/phases", json={"name": "Baseline", "baseline": True, "days": 30}, headers=a.headers
    )
    assert short.status_code == 422 and short.json()["problems"][0]["field"] == "days"
    started = api.post(
        f"{base}/phases",
        json={"name": "Baseline", "baseline": True, "start_on": "2024-03-01"},
        headers=cast.therapist.headers,
    )
    assert started.status_code == 201 and started.json()["planned_days"] == 14
    for day in (1, 2, 3):
        api.post(
            f"{base}/observations",
            json={"metric": "mood", "value": 5, "at": f"2024-03-0{day}T12:00:00Z"},
            headers=a.headers,
        )
    report = api.get(f"{base}/baseline?metric=mood&as_of=2024-03-03", headers=a.headers).json()
    assert report["metrics"][0]["verdict"].startswith("too short: 4 more days needed")


def test_abc_summary_over_the_api(api: TestClient, cast: Cast) -> None:
    a = cast.client_a
    url = f"/api/v1/clients/{a.client_id}/abc"
    for antecedent in ("asked to tidy", "asked to tidy", "tired"):
        entry = {
            "antecedent": antecedent,
            "behaviour": "shouting",
            "consequence": "left alone",
            "at": "2024-01-15T18:30:00Z",
        }
        assert api.post(url, json=entry, headers=a.headers).status_code == 201
    summary = api.get(f"{url}/summary", headers=cast.therapist.headers).json()
    assert summary["behaviours"][0]["antecedents"] == [
        {"text": "asked to tidy", "count": 2},
        {"text": "tired", "count": 1},
    ]
    assert summary["by_band"]["evening"] == 3 and summary["by_hour"][18] == 3


def test_instruments_are_public_with_exact_wording(api: TestClient) -> None:
    listed = api.get("/api/v1/instruments")
    assert listed.status_code == 200
    assert [i["code"] for i in listed.json()] == ["phq9", "gad7", "phq2", "gad2", "hamd17", "who5"]
    phq9 = api.get("/api/v1/instruments/PHQ-9").json()
    assert phq9["risk_items"] == [9] and len(phq9["items"]) == 9
    assert [o["score"] for o in phq9["items"][8]["options"]] == [0, 1, 2, 3]
    assert api.get("/api/v1/instruments/bdi").status_code == 404


def test_every_measurement_route_declares_its_access_policy(api: TestClient) -> None:
    schema = api.get("/openapi.json").json()
    mine = {
        (path, method): spec.get("x-access")
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
        if any(
            part in path
            for part in (
                "observations",
                "checkins",
                "metrics",
                "episodes",
                "/abc",
                "journal",
                "sessions",
                "phases",
                "baseline",
                "assessments",
                "schedules",
                "instruments",
                "alerts",
            )
        )
    }
    assert mine and None not in mine.values()
    assert mine[("/api/v1/clients/{client_id}/observations", "post")] == "client-record-write"
    assert mine[("/api/v1/clients/{client_id}/observations", "get")] == "client-record"
    assert mine[("/api/v1/alerts/{alert_id}/acknowledge", "post")] == "linked-therapist"
    assert mine[("/api/v1/instruments", "get")] == "public"
