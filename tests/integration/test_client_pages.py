"""The client's own pages (issue 14): only the client reaches them, a passed deadline is said,
times are the client's local times, bad input is named beside its field and nothing is stored."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from tests.support.cast import Cast, make_cast

from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.measurement import assessments
from goalwise.services.progress.progress import local_today
from goalwise.storage.tables import abc_entries, clients, observations
from goalwise.storage.tables import goals as goals_table
from goalwise.web.app import create_app

TZ = "Pacific/Auckland"  # far from UTC, so a time shown in UTC would be caught


@pytest.fixture
def site(sqlite_ctx: Context) -> Iterator[tuple[TestClient, Cast]]:
    cast = make_cast(sqlite_ctx)
    with sqlite_ctx.db.write() as conn:
        conn.execute(update(clients).where(clients.c.id == cast.client_a.client_id).values(timezone=TZ))
    with TestClient(create_app(sqlite_ctx.settings, sqlite_ctx.db), follow_redirects=False) as client:
        yield client, cast


def _goal(ctx: Context, cast: Cast, *, deadline_days: int) -> int:
    today = local_today(TZ)
    draft = {
        "title": "Walk outside more",
        "behaviour": "Walk outside for 20 minutes or more, counted once per walk, logged in the evening.",
        "metric": {"kind": "count", "unit": "walks", "period": "week"},
        "direction": "increase",
        "baseline": {"value": 1, "source": "entered"},
        "target": {"value": 3, "comparator": ">="},
        "start_on": (today - timedelta(weeks=10)).isoformat(),
        "deadline_on": (today + timedelta(days=deadline_days)).isoformat(),
        "review_every_weeks": 4,
    }
    assert cast.client_a.client_id is not None
    created = goals.create(ctx, cast.therapist.actor, cast.client_a.client_id, draft)
    goals.change_status(ctx, cast.therapist.actor, created.id, "active", reason="Agreed")
    return created.id


def test_only_the_client_reaches_their_own_pages(site: tuple[TestClient, Cast], sqlite_ctx: Context) -> None:
    client, cast = site
    goal_id = _goal(sqlite_ctx, cast, deadline_days=30)
    for path in (f"/my/goals/{goal_id}", "/my/journal", "/my/abc", "/my/log", "/my/propose"):
        assert client.get(path, headers=cast.client_a.headers).status_code == 200, path
        assert client.get(path, headers=cast.therapist.headers).status_code == 404, path
    assert client.get(f"/my/goals/{goal_id}", headers=cast.client_b.headers).status_code == 404


def test_a_passed_deadline_is_said_with_the_next_review_on_today_and_the_goal_page(
    site: tuple[TestClient, Cast], sqlite_ctx: Context
) -> None:
    client, cast = site
    goal_id = _goal(sqlite_ctx, cast, deadline_days=30)
    with sqlite_ctx.db.write() as conn:  # the deadline passes while the goal is still active
        conn.execute(
            update(goals_table)
            .where(goals_table.c.id == goal_id)
            .values(deadline_on=local_today(TZ) - timedelta(days=3))
        )
    for path in ("/dashboard", f"/my/goals/{goal_id}"):
        text = client.get(path, headers=cast.client_a.headers).text
        assert "has passed" in text and "next review" in text, path


def test_journal_times_are_the_clients_local_times(
    site: tuple[TestClient, Cast], sqlite_ctx: Context
) -> None:
    client, cast = site
    before = datetime.now(UTC)
    response = client.post("/my/journal", headers=cast.client_a.headers, data={"body": "A calmer day."})
    assert response.status_code == 303
    page = client.get("/my/journal", headers=cast.client_a.headers).text
    local = before.astimezone(ZoneInfo(TZ))
    shown = [
        (local + timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M") for m in (0, 1)
    ]  # the minute may turn during the request
    assert any(s in page for s in shown)
    assert "private" in page


def test_a_bad_abc_entry_is_named_beside_its_field_and_nothing_is_stored(
    site: tuple[TestClient, Cast], sqlite_ctx: Context
) -> None:
    client, cast = site
    response = client.post(
        "/my/abc",
        headers=cast.client_a.headers,
        data={"antecedent": "Email", "behaviour": "", "consequence": "Relief", "intensity": "lots"},
    )
    assert response.status_code == 422
    assert 'id="intensity-error"' in response.text and 'id="behaviour-error"' in response.text
    assert "intensity is not a number" in response.text.lower()
    assert ">Email</textarea>" in response.text  # what was typed stays
    with sqlite_ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(abc_entries)).scalar_one() == 0


def test_a_value_is_logged_on_an_earlier_day_and_a_future_day_is_refused(
    site: tuple[TestClient, Cast], sqlite_ctx: Context
) -> None:
    client, cast = site
    goal_id = _goal(sqlite_ctx, cast, deadline_days=30)
    today = local_today(TZ)
    form = {"metric": "walks", "value": "2"}
    page = client.get(f"/my/log?goal={goal_id}", headers=cast.client_a.headers).text
    key = page.split('<option value="', 1)[1].split('"', 1)[0]  # the goal's metric comes first, chosen
    form["metric"] = key
    refused = client.post(
        "/my/log",
        headers=cast.client_a.headers,
        data={**form, "day": (today + timedelta(days=1)).isoformat()},
    )
    assert refused.status_code == 422 and 'id="day-error"' in refused.text
    stored = client.post(
        "/my/log",
        headers=cast.client_a.headers,
        data={**form, "day": (today - timedelta(days=3)).isoformat()},
    )
    assert stored.status_code == 303 and stored.headers["location"].startswith(f"/my/goals/{goal_id}")
    with sqlite_ctx.db.read() as conn:
        days = conn.execute(select(observations.c.local_on, observations.c.value)).all()
    assert [(d.local_on, d.value) for d in days] == [(today - timedelta(days=3), 2.0)]


def test_today_lists_a_questionnaire_that_is_due(site: tuple[TestClient, Cast], sqlite_ctx: Context) -> None:
    client, cast = site
    assert cast.client_a.client_id is not None
    assessments.set_schedule(sqlite_ctx, cast.therapist.actor, cast.client_a.client_id, "phq9", 14)
    text = client.get("/dashboard", headers=cast.client_a.headers).text
    due = text.split('id="due-h"', 1)[1].split("</section>", 1)[0]
    assert "Patient Health Questionnaire-9" in due and "due now" in due


def test_today_after_every_goal_is_achieved_does_not_speak_of_a_first_goal(
    site: tuple[TestClient, Cast], sqlite_ctx: Context
) -> None:
    client, cast = site
    text = client.get("/dashboard", headers=cast.client_a.headers).text
    assert "first SMART goal" in text  # no goal yet: the first one is still to come
    goal_id = _goal(sqlite_ctx, cast, deadline_days=30)
    goals.change_status(sqlite_ctx, cast.therapist.actor, goal_id, "achieved", reason="Done")
    text = client.get("/dashboard", headers=cast.client_a.headers).text
    assert "first SMART goal" not in text
    assert "No active goals yet" not in text
    assert "Your goals so far are done" in text
    assert "propose" in text and "with your therapist" in text


def test_the_account_page_shows_every_time_once_in_the_clients_zone(
    site: tuple[TestClient, Cast], sqlite_ctx: Context
) -> None:
    from goalwise.services.sharing import sharing

    client, cast = site
    info, _ = sharing.create_share(
        sqlite_ctx, cast.client_a.actor, label="Mum", sections=["assessments"], goal_ids=[], expires_days=30
    )
    sharing.revoke_share(sqlite_ctx, cast.client_a.actor, info.id)
    text = client.get("/account", headers=cast.client_a.headers).text
    assert "UTC" not in text  # sessions and tokens too, not only the shares
    assert f"({TZ})" not in text and ") )" not in text  # no nested brackets, no stray space
    assert f"Times are in {TZ} time" in text
    ended = datetime.now(UTC).astimezone(ZoneInfo(TZ)).strftime("%Y-%m-%d")
    words = re.sub(r"<[^>]+>", "", text)
    assert re.search(rf"\(ended {ended} \d\d:\d\d\)", words), "the end time is the client's, in one bracket"
    assert "<title>Account</div>" not in text


def test_the_smart_check_on_the_propose_page_speaks_to_the_client_without_field_names(
    site: tuple[TestClient, Cast],
) -> None:
    client, cast = site
    form = {"text": "I want to feel better", "action": "check"}
    page = client.post("/my/propose", headers=cast.client_a.headers, data=form)
    assert page.status_code == 200
    assert "Your words say &#39;feel better&#39;" in page.text or "Your words say 'feel better'" in page.text
    assert "text says" not in page.text
    assert "<strong>Specific:</strong>" in page.text and "<strong>Time-bound:</strong>" in page.text


def test_the_checkin_page_names_a_unit_only_where_it_says_more_than_the_label(
    site: tuple[TestClient, Cast], sqlite_ctx: Context
) -> None:
    from tests.support.walk_goal import insert_walk_goal

    client, cast = site
    a = cast.client_a.client_id
    assert a is not None
    for title, key, label in (("Walk more", "walks", "Walks"), ("Get outside", "outside", "Time outside")):
        insert_walk_goal(sqlite_ctx, a, title, key=key, label=label, days=14, period="week")
    page = client.get(f"/clients/{a}/checkin", headers=cast.client_a.headers).text
    assert "Walks today" in page and "Walks (walks)" not in page  # the unit only repeats the label
    assert "Time outside (walks) today" in page
