"""Settings, crisis lines by region, questionnaire history, sharing names and the family dashboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from tests.integration.test_web_auth import csrf_of, login
from tests.support.cast import Cast
from tests.support.walk_goal import insert_walk_goal

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.core.measurement import crisis
from goalwise.services.clinic import client_settings
from goalwise.services.context import Context
from goalwise.services.measurement import assessments
from goalwise.services.progress import questionnaire_history
from goalwise.services.sharing import sharing
from goalwise.storage.tables import plan_items


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("Europe/London", "uk"),
        ("Europe/Dublin", "ie"),
        ("America/Chicago", "us"),
        ("America/Indiana/Indianapolis", "us"),
        ("America/Toronto", "ca"),
        ("Australia/Sydney", "au"),
        ("Pacific/Auckland", "nz"),
        ("Europe/Berlin", "de"),
        ("Europe/Paris", "fr"),
        ("Asia/Tokyo", "other"),
        ("UTC", None),
        ("Etc/GMT+5", None),
    ],
)
def test_the_time_zone_points_to_its_country_s_lines(zone: str, region: str | None) -> None:
    assert crisis.region_for_timezone(zone) == region


def test_every_region_names_its_national_numbers() -> None:
    numbers = {r.code: r.text for r in crisis.REGIONS}
    assert "116 123" in numbers["uk"] and "999" in numbers["uk"] and "option 2" in numbers["uk"]
    assert "988" in numbers["us"] and "911" in numbers["us"]
    assert "116 123" in numbers["ie"] and "112" in numbers["ie"]
    assert "988" in numbers["ca"] and "911" in numbers["ca"]
    assert "13 11 14" in numbers["au"] and "000" in numbers["au"]
    assert "1737" in numbers["nz"] and "111" in numbers["nz"]
    assert "0800 111 0 111" in numbers["de"] and "112" in numbers["de"]
    assert "3114" in numbers["fr"] and "112" in numbers["fr"]
    assert crisis.crisis_text("other", "Call the clinic on 01234") == "Call the clinic on 01234"
    assert "988" not in crisis.crisis_text("other", None)


def test_a_client_in_london_gets_uk_lines_after_phq9_item9(ctx: Context, cast: Cast) -> None:
    a = cast.client_a  # Europe/London; the clinic's default region is the US
    done = assessments.record(ctx, a.actor, a.client_id, "phq9", [0] * 8 + [1])  # type: ignore[arg-type]
    assert done.crisis is not None and "116 123" in done.crisis and "988" not in done.crisis
    b = cast.client_b  # America/New_York
    done_b = assessments.record(ctx, b.actor, b.client_id, "phq9", [0] * 8 + [1])  # type: ignore[arg-type]
    assert done_b.crisis is not None and "988" in done_b.crisis


def test_a_chosen_region_wins_over_the_time_zone_and_bad_values_are_named(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    cid = int(a.client_id)  # type: ignore[arg-type]
    saved = client_settings.save_settings(ctx, a.actor, cid, timezone="Europe/London", region="ie")
    assert saved.region == "ie" and "112" in client_settings.client_crisis_text(ctx, a.actor, cid)
    with pytest.raises(InvalidInput) as info:
        client_settings.save_settings(ctx, a.actor, cid, timezone="Mars/Base", region="xx")
    assert {p.field for p in info.value.problems} == {"timezone", "crisis_region"}
    assert client_settings.read_settings(ctx, a.actor, cid).chosen_region == "ie"  # nothing half stored
    with pytest.raises(NotFound):  # another client cannot change A's settings
        client_settings.save_settings(ctx, cast.client_b.actor, cid, timezone="UTC", region="")


def test_a_utc_client_gets_the_clinic_default(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    cid = int(a.client_id)  # type: ignore[arg-type]
    client_settings.save_settings(ctx, a.actor, cid, timezone="UTC", region="")
    assert client_settings.client_crisis_text(ctx, a.actor, cid) == ctx.settings.resolved_crisis_text


def test_settings_page_saves_and_names_a_bad_time_zone(api: TestClient, cast: Cast) -> None:
    assert login(api, "a@example.org") == 303
    page = api.get("/settings")
    assert page.status_code == 200 and "116 123" in page.text and "calendar-feed" in page.text
    token = csrf_of(api)
    bad = api.post("/settings", data={"timezone": "Europe/Londn", "crisis_region": "", "csrf_token": token})
    assert bad.status_code == 422 and 'id="timezone-error"' in bad.text and "Europe/Londn" in bad.text
    good = api.post(
        "/settings", data={"timezone": "Australia/Perth", "crisis_region": "", "csrf_token": token}
    )
    assert good.status_code == 200 and "13 11 14" in good.text and "Saved." in good.text


def test_settings_are_a_clients_own_page(api: TestClient, cast: Cast) -> None:
    assert login(api, "t1@example.org") == 303
    assert api.get("/settings").status_code == 404


def test_questionnaire_history_in_plain_words(ctx: Context, cast: Cast, api: TestClient) -> None:
    a = cast.client_a
    cid = int(a.client_id)  # type: ignore[arg-type]
    for answers in ([2] * 8 + [0], [2, 2, 2, 2, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 0, 0, 0, 0]):
        assessments.record(ctx, a.actor, cid, "phq9", answers)  # type: ignore[arg-type]
    found = questionnaire_history.history(ctx, a.actor, cid, "phq9")
    # 16 -> 12 -> 5: 7 lower than last time, 11 lower than the start; 16 >= 10 and 5 < 10: recovered.
    assert [s.total for s in found.scores] == [16.0, 12.0, 5.0]
    assert (found.since_last, found.since_start, found.category) == (-7, -11, "recovered")
    assert "7 points lower than last time (better)" in found.change_text
    assert "reliable recovery" in found.category_text
    assert login(api, "a@example.org") == 303
    page = api.get(f"/clients/{cid}/assessments/phq9")
    assert page.status_code == 200 and "does not diagnose" in page.text and "<img" in page.text
    assert "reliable recovery" in page.text
    assert api.get(f"/clients/{cid}/assessments/nope").status_code == 404


def test_one_score_says_what_comes_next(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    cid = int(a.client_id)  # type: ignore[arg-type]
    assessments.record(ctx, a.actor, cid, "gad7", [1] * 7)  # type: ignore[arg-type]
    found = questionnaire_history.history(ctx, a.actor, cid, "gad7")
    assert found.category is None and "After your next GAD-7" in found.category_text


def _walk_goal(ctx: Context, client_id: int, title: str, days: int) -> int:
    key = f"walks-{title[:5]}"
    _, gid = insert_walk_goal(ctx, client_id, title, key=key, label="Walks", days=days, period=None)
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        conn.execute(
            insert(plan_items).values(
                client_id=client_id,
                goal_id=gid,
                kind="milestone",
                title="First walk to the park",
                position=0,
                done_at=now,
                created_at=now,
            )
        )
    return gid


def test_family_dashboard_shows_each_client_and_only_shared_goals(
    ctx: Context, cast: Cast, api: TestClient
) -> None:
    a, b = cast.client_a, cast.client_b
    walk = _walk_goal(ctx, int(a.client_id), "Walk three times a week", 40)  # type: ignore[arg-type]
    _walk_goal(ctx, int(a.client_id), "Unshared goal title", 10)  # type: ignore[arg-type]
    b_goal = _walk_goal(ctx, int(b.client_id), "Swim on Saturdays", 20)  # type: ignore[arg-type]
    sharing.create_share(
        ctx,
        a.actor,
        label="Dad",
        sections=["goals", "milestones"],
        goal_ids=[walk],
        message="Ask me about my walks on Sunday.",
        supporter_email="sup@example.org",
    )
    sharing.create_share(
        ctx, b.actor, label="Dad", sections=["goals"], goal_ids=[b_goal], supporter_email="sup@example.org"
    )
    assert login(api, "sup@example.org") == 303
    assert api.get("/dashboard", follow_redirects=False).headers["location"] == "/family"
    page = api.get("/family").text
    assert page.count("<h2") >= 2 and "Client A" in page and "Client B" in page
    assert "Walk three times a week" in page and "Swim on Saturdays" in page
    assert "Unshared goal title" not in page and "PRIVATE-DEFINITION" not in page
    assert "at least 3 walks a week" in page and "more is better" in page
    assert "First walk to the park" in page and "Ask me about my walks on Sunday." in page
    assert 'role="note"' in page and "<img" in page


def test_share_page_has_a_heading_and_the_goal_in_words(ctx: Context, cast: Cast, api: TestClient) -> None:
    a = cast.client_a
    walk = _walk_goal(ctx, int(a.client_id), "Walk three times a week", 30)  # type: ignore[arg-type]
    _, token = sharing.create_share(ctx, a.actor, label="Mum", sections=["goals"], goal_ids=[walk])
    page = api.get(f"/s/{token}").text
    assert re.search(r"<h1>Client A.s progress, shared with you</h1>", page)
    assert "Walk three times a week" in page and "at least 3 walks a week" in page
    assert f'src="/s/{token}/chart.svg?goal=0"' in page  # the chart is an image of its own
    image = api.get(f"/s/{token}/chart.svg?goal=0")
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/svg+xml")
    svg = image.text
    assert "Walks a week" in svg and "target" in svg  # the y axis label and the target line's label
    assert "trend" not in svg.lower()  # no statistical trend line for a supporter


def test_account_names_shared_goals_and_plain_actions(ctx: Context, cast: Cast, api: TestClient) -> None:
    a = cast.client_a
    walk = _walk_goal(ctx, int(a.client_id), "Walk three times a week", 5)  # type: ignore[arg-type]
    _, token = sharing.create_share(ctx, a.actor, label="Mum", sections=["goals"], goal_ids=[walk])
    api.get(f"/s/{token}")
    assert login(api, "a@example.org") == 303
    page = api.get("/account").text
    assert "Walk three times a week" in page and f"goals {walk}" not in page
    assert "opened your share for Mum" in page
    assert "anonymous" not in page and "client:" not in page


def test_chart_images_follow_the_share_and_count_no_extra_view(
    ctx: Context, cast: Cast, api: TestClient
) -> None:
    a = cast.client_a
    walk = _walk_goal(ctx, int(a.client_id), "Walk three times a week", 30)  # type: ignore[arg-type]
    info, token = sharing.create_share(ctx, a.actor, label="Mum", sections=["goals"], goal_ids=[walk])
    api.get(f"/s/{token}")
    assert api.get(f"/s/{token}/chart.svg?goal=0").status_code == 200
    assert api.get(f"/s/{token}/chart.svg?goal=1").status_code == 404  # one goal shared
    (listed,) = sharing.list_shares(ctx, a.actor)
    assert len(listed.views) == 1  # the page counted; its image did not
    sharing.revoke_share(ctx, a.actor, info.id)
    assert api.get(f"/s/{token}/chart.svg?goal=0").status_code == 404


def test_a_client_makes_a_calendar_link_from_settings_and_returns_there(api: TestClient, cast: Cast) -> None:
    assert login(api, "a@example.org") == 303
    token = csrf_of(api)
    made = api.post(f"/clients/{cast.client_a.client_id}/calendar-feed", data={"csrf_token": token})
    assert made.status_code == 200 and "/calendar/gwcal_" in made.text and 'href="/settings"' in made.text
    revoked = api.post(
        f"/clients/{cast.client_a.client_id}/calendar-feed/revoke",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert revoked.headers["location"].startswith("/settings?notice=calendar-revoked")
