"""Daily report cards on the web: the therapist's pages, the rater's phone page, the home report, the API."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from tests.integration.test_card_service import CARD
from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.services.sharing import sharing

FORM = {
    "title": "School day card",
    "rated_by": "teacher",
    "goal_percent": "75",
    "target1_text": "Follows directions",
    "target1_criterion": "with 3 or fewer reminders",
    "target2_text": "Starts work",
    "reward1_at": "50",
    "reward1_text": "Games",
    "reward2_at": "100",
    "reward2_text": "Choose dinner",
}


def _make(api: TestClient, cast: Cast) -> tuple[str, str]:
    made = api.post(
        f"/clients/{cast.client_a.client_id}/cards",
        data=FORM,
        headers=cast.therapist.headers,
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    page = made.headers["location"].split("?")[0]
    invited = api.post(f"{page}/raters", data={"name": "Ms Patel"}, headers=cast.therapist.headers)
    assert invited.status_code == 200
    link = re.search(r'<code class="copy">([^<]+)</code>', invited.text)
    assert link is not None and link.group(1).startswith("http")
    return page, "/rate/" + link.group(1).rsplit("/rate/", 1)[1]


def test_therapist_makes_a_card_and_a_rater_rates_today(api: TestClient, cast: Cast) -> None:
    page, rate = _make(api, cast)
    opened = api.get(rate)
    assert opened.status_code == 200 and "School day card" in opened.text and "Ms Patel" in opened.text
    assert "Client A" not in opened.text  # the link shows the card, nothing of the record
    today = re.search(r'name="on" value="([0-9-]+)"', opened.text)
    assert today is not None
    saved = api.post(
        rate,
        data={"on": today.group(1), "t1": "yes", "t2": "no", "comment": "Good focus"},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("notice=card-rated")
    shown = api.get(page, headers=cast.therapist.headers)
    assert shown.status_code == 200 and "50 %" in shown.text and "Good focus" in shown.text
    assert "Games" in shown.text and "Ms Patel" in shown.text and "data:image/svg+xml" in shown.text


def test_bad_card_form_names_the_field_and_stores_nothing(api: TestClient, cast: Cast) -> None:
    bad = FORM | {"goal_percent": "150", "target1_text": "", "target1_criterion": "", "target2_text": ""}
    answer = api.post(f"/clients/{cast.client_a.client_id}/cards", data=bad, headers=cast.therapist.headers)
    assert answer.status_code == 422
    assert "goal_percent" in answer.text and "The card has 0 target behaviours" in answer.text
    listed = api.get(f"/clients/{cast.client_a.client_id}/cards", headers=cast.therapist.headers)
    assert "No card yet" in listed.text


def test_a_rater_refused_day_is_named_and_the_link_ends(api: TestClient, cast: Cast) -> None:
    page, rate = _make(api, cast)
    refused = api.post(rate, data={"on": "2020-01-06", "t1": "yes"})
    assert refused.status_code == 422 and "cannot be rated with this link" in refused.text
    shown = api.get(page, headers=cast.therapist.headers)
    rater = re.search(r'action="/card-raters/(\d+)/revoke"', shown.text)
    assert rater is not None
    ended = api.post(
        f"/card-raters/{rater.group(1)}/revoke",
        data={"back": page},
        headers=cast.therapist.headers,
        follow_redirects=False,
    )
    assert ended.status_code == 303
    assert api.get(rate).status_code == 404 and api.post(rate, data={"t1": "yes"}).status_code == 404


def test_home_report_shows_the_day_percent_and_reward(ctx: Context, api: TestClient, cast: Cast) -> None:
    page, rate = _make(api, cast)
    api.post(rate, data={"t1": "yes", "t2": "yes", "comment": "Great day"})
    goal_id = int(re.search(r"/goals/(\d+)", api.get(page, headers=cast.therapist.headers).text).group(1))  # type: ignore[union-attr]
    _, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[goal_id]
    )
    assert f'href="/s/{token}/card"' in api.get(f"/s/{token}").text  # the share page links the card
    home = api.get(f"/s/{token}/card")
    assert home.status_code == 200
    assert "100 %" in home.text and "Choose dinner" in home.text and "Great day" in home.text
    assert "day-met" in home.text
    own = api.get(page, headers=cast.client_a.headers)
    assert own.status_code == 200 and "100 %" in own.text and "Revise the card" not in own.text
    assert api.get(page, headers=cast.client_b.headers).status_code == 404


def _json(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_api_makes_rates_shows_and_ends_raters(api: TestClient, cast: Cast) -> None:
    h = cast.therapist.headers
    made = _json(api.post(f"/api/v1/clients/{cast.client_a.client_id}/cards", json=CARD, headers=h), 201)
    cid = made["id"]
    assert made["goal_id"] > 0 and len(made["targets"]) == 3
    link = _json(api.post(f"/api/v1/cards/{cid}/raters", json={"name": "Ms Patel"}, headers=h), 201)
    assert link["link"].startswith("http") and link["link"].endswith(link["path"])
    token = link["path"].rsplit("/", 1)[1]
    opened = _json(api.get(f"/api/v1/rate/{token}"))
    assert opened["card"]["title"] == "School day card" and opened["days"][0] == opened["today"]
    day = _json(api.post(f"/api/v1/rate/{token}", json={"ratings": "1=yes,2=no,3=na", "period": "morning"}))
    assert day["percent"] == 50.0
    bad = api.post(
        f"/api/v1/cards/{cid}/ratings", json={"on": opened["today"], "ratings": "1=maybe"}, headers=h
    )
    assert bad.status_code == 422 and "maybe" in bad.text
    shown = _json(api.get(f"/api/v1/cards/{cid}", headers=h))
    assert [d["percent"] for d in shown["days"]] == [50.0]
    assert _json(api.post(f"/api/v1/cards/{cid}/raters/revoke", json={"name": "Ms Patel"}, headers=h)) == {
        "ended": 1
    }
    assert api.get(f"/api/v1/rate/{token}").status_code == 404


def test_the_clients_sharing_page_lists_and_ends_rater_links(api: TestClient, cast: Cast) -> None:
    _, rate = _make(api, cast)
    account = api.get("/account", headers=cast.client_a.headers)
    assert "Ms Patel rates “School day card”" in account.text
    rater = re.search(r'action="/card-raters/(\d+)/revoke"', account.text)
    assert rater is not None
    ended = api.post(
        f"/card-raters/{rater.group(1)}/revoke",
        data={"back": "/account"},
        headers=cast.client_a.headers,
        follow_redirects=False,
    )
    assert ended.status_code == 303 and api.get(rate).status_code == 404
    client_page = api.get(f"/clients/{cast.client_a.client_id}", headers=cast.therapist.headers)
    assert f'href="/clients/{cast.client_a.client_id}/cards"' in client_page.text


def test_revising_a_card_keeps_its_earlier_version_and_moves_the_goal(api: TestClient, cast: Cast) -> None:
    page, rate = _make(api, cast)
    raised = FORM | {
        "goal_percent": "85",
        "target1_criterion": "with 1 reminder or none",
        "reason": "3 good weeks",
    }
    answer = api.post(f"{page}/edit", data=raised, headers=cast.therapist.headers, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("notice=card-revised")
    shown = api.get(page, headers=cast.therapist.headers).text
    assert "version 2" in shown and "Earlier versions" in shown and "with 3 or fewer reminders" in shown
    goal_id = re.search(r"/goals/(\d+)", shown)
    assert goal_id is not None
    goal = api.get(f"/api/v1/goals/{goal_id.group(1)}", headers=cast.therapist.headers).json()
    assert goal["draft"]["target"]["value"] == 85.0 and goal["revision"] == 2
    assert api.get(rate).status_code == 200  # the rater's link goes on working with the new version
