"""The therapist's caseload page: scores with band and reliable change, filters and orders, and adding
or inviting a client from it (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.services.measurement import assessments
from goalwise.storage.tables import care_links, clients, users


def _phq9(ctx: Context, cast: Cast, total: int, days_ago: int) -> None:
    # Items 1-8 only: item 9 stays 0 so no risk alert mixes into these rows.
    answers = [0] * 9
    left = total
    for i in range(8):
        answers[i] = min(3, left)
        left -= answers[i]
    at = datetime.now(UTC) - timedelta(days=days_ago)
    assessments.record(ctx, cast.therapist.actor, cast.client_a.client_id, "phq9", answers, at=at)


def test_caseload_shows_band_and_reliable_deterioration(api: TestClient, ctx: Context, cast: Cast) -> None:
    _phq9(ctx, cast, 5, 30)  # 5: mild
    _phq9(ctx, cast, 14, 1)  # 14: moderate; +9 >= 6 points is a reliable deterioration
    page = api.get("/dashboard", headers=cast.therapist.headers)
    assert page.status_code == 200
    row = page.text.split("Client A</a>", 1)[1].split("</tr>", 1)[0]
    assert "14" in row and "moderate" in row and "reliable deterioration" in row
    assert 'class="risk"' in row
    kept = api.get("/dashboard?show=deterioration", headers=cast.therapist.headers)
    assert "Client A" in kept.text
    assert "Client A" in api.get("/dashboard?show=attention&sort=phq9", headers=cast.therapist.headers).text
    assert "Client A" not in api.get("/dashboard?show=invited", headers=cast.therapist.headers).text


def test_caseload_without_deterioration_is_not_filtered_in(api: TestClient, ctx: Context, cast: Cast) -> None:
    _phq9(ctx, cast, 14, 30)
    _phq9(ctx, cast, 12, 1)  # -2: no reliable change
    text = api.get("/dashboard?show=deterioration", headers=cast.therapist.headers).text
    assert "Client A" not in text and "No client matches" in text
    assert "no reliable change" in api.get("/dashboard", headers=cast.therapist.headers).text


def test_caseload_query_garbage_is_422_naming_the_field(api: TestClient, cast: Cast) -> None:
    for query, field in (("show=everything", "show"), ("sort=%00", "sort"), ("show=&sort=", "show")):
        response = api.get(f"/dashboard?{query}", headers=cast.therapist.headers)
        assert response.status_code == 422, query
        assert f"<strong>{field}</strong>" in response.text


def test_empty_caseload_tells_how_to_add_a_client_in_the_browser(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    with ctx.db.write() as conn:
        conn.execute(care_links.delete().where(care_links.c.therapist_id == cast.other_therapist.user_id))
    text = api.get("/dashboard", headers=cast.other_therapist.headers).text
    assert 'href="/clients/new"' in text and "No clients yet" in text
    assert "POST /api" not in text and "goalwise client" not in text


def test_adding_a_client_without_email_records_consent_and_lists_them(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    form = {"name": "Robin Fields", "timezone": "Europe/Berlin", "email": "", "consent": "yes"}
    response = api.post("/clients/new", headers=cast.therapist.headers, data=form, follow_redirects=False)
    assert response.status_code == 303
    with ctx.db.read() as conn:
        row = conn.execute(select(clients).where(clients.c.name == "Robin Fields")).one()
        link = conn.execute(select(care_links).where(care_links.c.client_id == row.id)).one()
    assert response.headers["location"].startswith(f"/clients/{row.id}")
    assert row.timezone == "Europe/Berlin" and link.therapist_id == cast.therapist.user_id
    assert link.consent_at is not None
    assert "Robin Fields" in api.get("/dashboard", headers=cast.therapist.headers).text


def test_inviting_a_client_shows_an_absolute_link(api: TestClient, ctx: Context, cast: Cast) -> None:
    form = {"name": "Sam Lee", "timezone": "Asia/Tokyo", "email": "sam@example.org", "consent": "yes"}
    response = api.post("/clients/new", headers=cast.therapist.headers, data=form)
    assert response.status_code == 200
    assert ctx.link("/invite/") in response.text and ctx.link("/invite/").startswith("http")
    with ctx.db.read() as conn:
        assert conn.execute(select(users).where(users.c.email == "sam@example.org")).one().role == "client"


def test_add_client_form_shows_every_problem_next_to_its_field(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    form = {"name": "", "timezone": "Mars/Olympus", "email": "", "consent": ""}
    response = api.post("/clients/new", headers=cast.therapist.headers, data=form)
    assert response.status_code == 422
    for field in ("name", "timezone", "consent"):
        assert f'id="{field}-error"' in response.text, field
    assert 'value="Mars/Olympus"' in response.text  # what was typed stays in the form
    with ctx.db.read() as conn:
        assert conn.execute(select(clients).where(clients.c.timezone == "Mars/Olympus")).first() is None


def test_add_client_page_offers_iana_zones(api: TestClient, cast: Cast) -> None:
    text = api.get("/clients/new", headers=cast.therapist.headers).text
    assert '<option value="Europe/London">' in text and "<datalist" in text
    assert api.get("/clients/new", headers=cast.client_a.headers).status_code == 403


def test_an_alert_on_the_caseload_comes_first_with_its_time_in_the_client_zone(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    assessments.record(ctx, cast.client_a.actor, cast.client_a.client_id, "phq9", [0] * 8 + [1])
    text = api.get("/dashboard?sort=name", headers=cast.therapist.headers).text
    raised = text.split("Raised", 1)[1].split("</p>", 1)[0]
    assert "(Europe/London)" in raised and " UTC" not in raised
    assert 'class="alert-row"' in text.split("<tbody>", 1)[1].split("</tr>", 1)[0]
