"""Daily report cards through the services: the card's goal, ratings as its observations, re-rating with
history, and the rater's private link (only its card; ends on revocation and expiry)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.cards import card_reading, cards, raters
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.measurement import observations
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.services.progress import progress
from goalwise.services.reviews import summary
from goalwise.storage.tables import audit_events, card_raters, card_ratings

CARD: dict[str, Any] = {
    "title": "School day card",
    "rated_by": "teacher",
    "goal_percent": 80,
    "periods": ["morning", "afternoon"],
    "targets": [
        {"text": "Follows directions", "criterion": "with 3 or fewer reminders"},
        {"text": "Starts work", "criterion": "within 2 minutes"},
        {"text": "Keeps hands to self"},
    ],
    "rewards": [{"at_percent": 50, "reward": "Games"}, {"at_percent": 100, "reward": "Choose dinner"}],
}


def _today(ctx: Context, cast: Cast) -> date:
    with ctx.db.read() as conn:
        assert cast.client_a.client_id is not None
        return local_now(client_timezone(conn, cast.client_a.client_id))


@pytest.fixture
def card(ctx: Context, cast: Cast) -> cards.CardView:
    assert cast.client_a.client_id is not None
    return cards.create_card(ctx, cast.therapist.actor, cast.client_a.client_id, CARD)


def test_a_card_has_its_own_active_smart_goal(ctx: Context, cast: Cast, card: cards.CardView) -> None:
    goal = goals.get(ctx, cast.therapist.actor, card.goal_id)
    assert goal.status == "active" and goal.client_id == card.client_id
    spec = goal.spec
    assert spec["metric"]["kind"] == "proportion" and spec["direction"] == "increase"
    assert spec["target"] == {"value": 80.0, "comparator": ">="}


def test_the_card_goal_is_rated_on_the_card_not_in_the_check_in(
    ctx: Context, cast: Cast, card: cards.CardView
) -> None:
    found = {m.key: m for m in observations.list_metrics(ctx, cast.therapist.actor, card.client_id)}
    assert found[f"goal-{card.goal_id}"].in_checkin is False and found["mood"].in_checkin is True


def test_only_the_linked_therapist_makes_a_card(ctx: Context, cast: Cast) -> None:
    assert cast.client_a.client_id is not None
    with pytest.raises(NotFound):
        cards.create_card(ctx, cast.other_therapist.actor, cast.client_a.client_id, CARD)
    with pytest.raises(InvalidInput) as caught:
        cards.create_card(ctx, cast.therapist.actor, cast.client_a.client_id, {**CARD, "targets": []})
    assert caught.value.problems[0].field == "targets"
    assert cards.list_cards(ctx, cast.therapist.actor, cast.client_a.client_id) == []


def test_ratings_are_the_goal_metric_observations_and_re_rating_keeps_history(
    ctx: Context, cast: Cast, card: cards.CardView
) -> None:
    actor, today = cast.therapist.actor, _today(ctx, cast)
    day = today - timedelta(days=1)
    first = card_reading.rate(ctx, actor, card.id, day, "1=yes,2=no,3=na", period="morning")
    assert first.percent == 50.0 and first.reward is not None and first.reward.reward == "Games"
    both = card_reading.rate(ctx, actor, card.id, day, "1=yes,2=yes,3=yes", period="afternoon")
    assert both.percent == 80.0 and both.met is True  # 4 of 5 counted
    again = card_reading.rate(ctx, actor, card.id, day, "1=yes,2=yes,3=na", period="morning", comment="Great")
    assert again.percent == 100.0 and again.reward is not None and again.reward.reward == "Choose dinner"
    key = f"goal-{card.goal_id}"
    stored = observations.list_observations(ctx, actor, card.client_id, metric=key)
    assert [(o.local_on, o.value, o.denominator) for o in stored] == [(day, 100.0, 100.0)]
    with ctx.db.read() as conn:
        history = conn.execute(select(card_ratings).where(card_ratings.c.card_id == card.id)).all()
    assert len(history) == 3 and sum(r.superseded_at is not None for r in history) == 1
    # The goal's chart and analysis read the card's day like any proportion.
    analysis = progress.analyse_metric(ctx, actor, card.client_id, key)
    # The goal's chart plots the day's percentage on the goal's scale, labelled against its 80 % target.
    assert [(on, value, label) for on, value, label in analysis.labelled] == [(day, 100.0, "met")]
    assert analysis.goal is not None and analysis.goal.value == 80.0
    shown = card_reading.show(ctx, actor, card.id)
    assert [(d.on, d.percent, d.comment) for d in shown.days] == [(day, 100.0, "Great")]


def test_a_day_of_only_na_has_no_value_in_the_chart(ctx: Context, cast: Cast, card: cards.CardView) -> None:
    actor, today = cast.therapist.actor, _today(ctx, cast)
    card_reading.rate(ctx, actor, card.id, today, "1=yes", period="morning")
    day = card_reading.rate(ctx, actor, card.id, today, "1=na,2=na,3=na", period="morning")
    assert day.percent is None
    assert observations.list_observations(ctx, actor, card.client_id, metric=f"goal-{card.goal_id}") == []


def test_an_unknown_rating_or_period_stores_nothing(ctx: Context, cast: Cast, card: cards.CardView) -> None:
    actor, today = cast.therapist.actor, _today(ctx, cast)
    for ratings, period in (("1=maybe", "morning"), ("4=yes", "morning"), ("1=yes", "lunch")):
        with pytest.raises(InvalidInput):
            card_reading.rate(ctx, actor, card.id, today, ratings, period=period)
    with pytest.raises(InvalidInput) as caught:
        card_reading.rate(ctx, actor, card.id, today + timedelta(days=2), "1=yes", period="morning")
    assert caught.value.problems[0].field == "on"
    with ctx.db.read() as conn:
        assert conn.execute(select(card_ratings)).all() == []


def test_a_rater_link_reaches_only_its_card(ctx: Context, cast: Cast, card: cards.CardView) -> None:
    info, token = raters.invite_rater(
        ctx, cast.therapist.actor, card.id, "Ms Patel", email="patel@school.org"
    )
    assert ctx.link(raters.rater_path(token)).startswith(ctx.settings.public_base_url + "/rate/")
    page = raters.open_rater(ctx, token)
    assert page.card.title == "School day card" and page.rater_name == "Ms Patel"
    assert page.days[0] == page.today and len(page.days) in (1, 2)
    day = raters.rate_by_link(
        ctx, token, page.today, ["yes", "yes", "no"], period="afternoon", comment="Calm"
    )
    assert day.percent == 66.7
    with pytest.raises(InvalidInput):  # a day the link does not open
        raters.rate_by_link(ctx, token, page.today - timedelta(days=10), ["yes"], period="morning")
    listed = raters.list_raters(ctx, cast.client_a.actor, card.client_id)
    assert [(r.name, r.card_title, r.active(datetime.now(UTC))) for r in listed] == [
        ("Ms Patel", "School day card", True)
    ]
    with ctx.db.read() as conn:
        stored = conn.execute(select(card_raters.c.token_hash)).scalar_one()
        actions = {
            r.action
            for r in conn.execute(select(audit_events).where(audit_events.c.object_type == "card_rater"))
        }
    assert token not in stored and {"invite", "view"} <= actions
    with pytest.raises(NotFound):
        raters.invite_rater(ctx, cast.other_therapist.actor, card.id, "Mr X")
    with pytest.raises(NotFound):
        raters.list_raters(ctx, cast.client_b.actor, card.client_id)
    assert info.id > 0


def test_a_rater_link_ends_on_revocation_and_expiry(ctx: Context, cast: Cast, card: cards.CardView) -> None:
    _, token = raters.invite_rater(ctx, cast.therapist.actor, card.id, "Ms Patel")
    assert raters.revoke_rater(ctx, cast.therapist.actor, card.id, "Ms Patel") == 1
    with pytest.raises(NotFound):
        raters.open_rater(ctx, token)
    with pytest.raises(NotFound):
        raters.rate_by_link(ctx, token, _today(ctx, cast), ["yes"], period="morning")
    _, later = raters.invite_rater(ctx, cast.therapist.actor, card.id, "Ms Patel")
    raters.open_rater(ctx, later)
    with ctx.db.write() as conn:
        conn.execute(update(card_raters).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    with pytest.raises(NotFound):
        raters.open_rater(ctx, later)


def test_the_review_suggests_raising_a_criterion_after_three_good_weeks(
    ctx: Context, cast: Cast, card: cards.CardView
) -> None:
    actor, today = cast.therapist.actor, _today(ctx, cast)
    assert cast.client_a.client_id is not None
    for back in range(21):  # three weeks, every day: 2 of 3 met in the morning and all in the afternoon
        day = today - timedelta(days=back)
        card_reading.rate(ctx, actor, card.id, day, "1=yes,2=yes,3=no", period="morning")
        card_reading.rate(ctx, actor, card.id, day, "1=yes,2=yes,3=yes", period="afternoon")
    found = summary.review_summary(ctx, actor, cast.client_a.client_id)
    item = next(g for g in found["goals"] if g["goal_id"] == card.goal_id)
    # 5 of 6 = 83.3 % each day, above the goal of 80 %: 3 of the last 3 weeks met on most days.
    assert item["card"]["suggest"] is True and "raising a criterion" in item["card"]["message"]
    assert item["current_value"] == pytest.approx(83.3)
