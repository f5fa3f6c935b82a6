"""The demo clinic: deterministic, complete, and refused on a database with data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput
from goalwise.services.accounts.accounts import actor_for
from goalwise.services.cards import home_report
from goalwise.services.cards.demo_card import DEMO_CARD
from goalwise.services.clinic.demo import DEMO_ACCOUNTS, load_demo
from goalwise.services.clinic.demo_data import generate_clients
from goalwise.services.clinic.demo_reviews import review_history
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import local_now
from goalwise.services.sharing import family
from goalwise.storage import user_repo
from goalwise.storage.tables import (
    alerts,
    assessments,
    card_raters,
    card_ratings,
    cards,
    care_links,
    clients,
    goals,
    observations,
    users,
)


def test_demo_loads_accounts_clients_goals_and_one_risk_alert(ctx: Context) -> None:
    result = load_demo(ctx, Actor.system(), n_clients=4, days=60, seed=3, end_on=date(2026, 6, 30))
    with ctx.db.read() as conn:
        count = lambda t: conn.execute(select(func.count()).select_from(t)).scalar_one()  # noqa: E731
        assert count(clients) == 4 + 1  # and the child with a daily report card
        assert count(users) == len(DEMO_ACCOUNTS) == 5
        assert count(care_links) == 4 + 1
        assert count(observations) == result.observations > 4 * 60  # several metrics a day
        assert count(assessments) == result.assessments
        active = conn.execute(select(func.count()).where(goals.c.status == "active")).scalar_one()
        assert 2 * 4 + 1 <= active <= 3 * 4 + 1  # each client keeps 2-3 goals; the card has its own
        assert count(cards) == 1 and count(card_raters) == 1 and count(card_ratings) == 20
        # Client index 1 answers PHQ-9 item 9 with 1 once (fortnightly from day 0: session 3 is day 28).
        assert count(alerts) == 1
        linked = conn.execute(select(users.c.client_id).where(users.c.role == "client")).scalars().all()
        assert sorted(linked) == sorted(conn.execute(select(clients.c.id).limit(2)).scalars().all())


def test_the_demo_supporter_reads_the_childs_report_card_at_home(ctx: Context, api: TestClient) -> None:
    # The card's client lives in London; its ratings run to the day before that day (the school days
    # of the 4 weeks ending then), so the home report's week and its 4-week chart hold them.
    today = local_now("Europe/London")
    end_on = today - timedelta(days=1)
    load_demo(ctx, Actor.system(), n_clients=2, days=30, seed=3, end_on=end_on)
    with ctx.db.read() as conn:
        user = user_repo.get_user_by_email(conn, "supporter@demo.goalwise.test")
    assert user is not None
    supporter = actor_for(user)
    (child,) = [c for c in family.family_view(ctx, supporter) if c.client_name.startswith("Sam B.")]
    (share,) = child.shares
    assert share.view.sections == ["goals"] and share.share_id is not None
    (card,) = home_report.home_for_supporter(ctx, supporter, share.share_id)
    assert card.card.title == DEMO_CARD["title"]
    # Rated: the weekdays from end_on - 27 to end_on. The chart shows today - 27 (= end_on - 26) to
    # today, so every rated day but end_on - 27; the week is today - 6 to today.
    rated = [end_on - timedelta(days=d) for d in range(27) if (end_on - timedelta(days=d)).weekday() < 5]
    assert [d.on for d in card.recent] == sorted(rated)
    assert sorted(card.days) == [d for d in sorted(rated) if d >= today - timedelta(days=6)]
    # The teacher's comment is on the last school day rated (end_on itself on a weekday).
    assert card.latest is not None and card.latest.on == max(rated)
    assert card.latest.comment == "Great focus in maths today."
    # And on the supporter's pages after logging in with the demo password.
    api.get("/login")
    logged_in = api.post(
        "/login",
        data={
            "email": "supporter@demo.goalwise.test",
            "password": "demo-supporter-pass",
            "pre_token": api.cookies.get("goalwise_pre", ""),
        },
        follow_redirects=False,
    )
    assert logged_in.status_code == 303
    page = api.get(f"/shared-with-me/{share.share_id}")
    assert page.status_code == 200 and f'href="/shared-with-me/{share.share_id}/card"' in page.text
    # The card's goal is a percentage of targets met, worded as on the card's own pages.
    (goal,) = share.goals
    assert goal.target_text == f"at least {DEMO_CARD['goal_percent']:g} % of targets met"
    assert goal.target_text in page.text and goal.now_text.split(" (")[0].endswith(" % of targets met")
    home = api.get(f"/shared-with-me/{share.share_id}/card")
    assert home.status_code == 200 and DEMO_CARD["title"] in home.text.replace("&#39;", "'")
    assert "Great focus in maths today." in home.text
    # The family dashboard, where a supporter lands after logging in, links the card too.
    landing = api.get("/dashboard")
    assert "Sam B. (demo, age 9)" in landing.text
    assert f'href="/shared-with-me/{share.share_id}/card"' in landing.text


def test_demo_refuses_a_database_with_data(ctx: Context) -> None:
    load_demo(ctx, Actor.system(), n_clients=2, days=30, seed=1, end_on=date(2026, 1, 31))
    with pytest.raises(Conflict):
        load_demo(ctx, Actor.system(), n_clients=2, days=30, seed=1)


def test_demo_data_by_default_ends_before_now(ctx: Context) -> None:
    """Check-ins are stamped 20:00 local time: a demo ending today would put them ahead of a visitor's."""
    load_demo(ctx, Actor.system(), n_clients=2, days=30, seed=3)
    now = datetime.now(UTC)
    with ctx.db.read() as conn:
        latest = [conn.execute(select(func.max(t.c.at))).scalar_one() for t in (observations, assessments)]
    assert all(at is not None and at.replace(tzinfo=at.tzinfo or UTC) <= now for at in latest)


def test_demo_validates_its_arguments(ctx: Context) -> None:
    with pytest.raises(InvalidInput) as info:
        load_demo(ctx, Actor.system(), n_clients=1, days=5)
    assert {p.field for p in info.value.problems} == {"clients", "days"}


def test_generation_is_deterministic_and_independent_of_batching() -> None:
    end = date(2026, 5, 1)
    whole = list(generate_clients(6, 45, 11, end))
    split = list(generate_clients(3, 45, 11, end)) + list(generate_clients(3, 45, 11, end, start_index=3))
    assert [c.metrics[0].values for c in whole] == [c.metrics[0].values for c in split]
    assert [c.assessments for c in whole] == [c.assessments for c in split]
    other = list(generate_clients(6, 45, 12, end))
    assert [c.metrics[0].values for c in whole] != [c.metrics[0].values for c in other]


def test_review_history_is_deterministic_for_a_seed() -> None:
    end = date(2026, 5, 1)
    first = [review_history(c, end) for c in generate_clients(6, 200, 11, end)]
    again = [review_history(c, end) for c in generate_clients(6, 200, 11, end)]
    assert first == again and any(h.reviews for h in first)
    other = [review_history(c, end) for c in generate_clients(6, 200, 12, end)]
    assert first != other


def test_generated_values_stay_on_their_scales() -> None:
    for client in generate_clients(5, 120, 2, date(2026, 5, 1)):
        assert 14 <= client.baseline_days <= 21
        for metric in client.metrics:
            for _, value in metric.values:
                if metric.scale_min is not None:
                    assert metric.scale_min <= value <= metric.scale_max  # type: ignore[operator]
                assert value >= 0
        for a in client.assessments:
            assert all(0 <= x <= 3 for x in a.answers)
