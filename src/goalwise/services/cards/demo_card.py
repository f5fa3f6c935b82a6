"""The demo clinic's daily report card: a child client, a card rated by a teacher, four weeks of school days.

Deterministic (seeded) and quick: one transaction for all the ratings. The ratings improve over the weeks
(the chance of a yes rises from about 45 % to 85 %), so the chart, the reward tiers and the shaping check
have something to show.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import accounts
from goalwise.services.cards import cards, raters
from goalwise.services.cards.card_days import rate_in
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.storage import user_repo
from goalwise.storage.tables import cards as cards_table

__all__ = ["DEMO_CARD", "add_demo_card"]

DEMO_CARD = {
    "title": "Sam's school day",
    "rated_by": "teacher",
    "goal_percent": 75,
    "targets": [
        {"text": "Follows directions", "criterion": "with 3 or fewer reminders"},
        {"text": "Starts work", "criterion": "within 2 minutes of the task being set"},
        {"text": "Keeps hands and feet to self", "criterion": "no more than one reminder"},
        {"text": "Hands in homework", "criterion": "on the day it is due"},
    ],
    "rewards": [
        {"at_percent": 50, "reward": "15 minutes of games after dinner"},
        {"at_percent": 75, "reward": "A trip to the park"},
        {"at_percent": 100, "reward": "Choose Friday's dinner"},
    ],
}
WEEKS = 4


def _school_days(end_on: date) -> list[date]:
    days = [end_on - timedelta(days=d) for d in range(WEEKS * 7)]
    return sorted(d for d in days if d.weekday() < 5)


def add_demo_card(ctx: Context, therapist_user_id: int, end_on: date, seed: int = 7) -> int:
    """Add the child client, the card, a teacher's link and four weeks of ratings; the values stored."""
    with ctx.db.read() as conn:
        user = user_repo.get_user(conn, therapist_user_id)
    assert user is not None
    therapist = accounts.actor_for(user)
    child = clients.add_client(ctx, therapist, "Sam B. (demo, age 9)", "Europe/London", consent=True)
    card = cards.create_card(ctx, therapist, child.id, DEMO_CARD)
    rater, _ = raters.invite_rater(
        ctx, therapist, card.id, "Ms Patel (class teacher)", email="patel@school.example"
    )
    rng = random.Random(seed)
    days = _school_days(end_on)
    stored = 0
    with ctx.db.write() as conn:
        row = conn.execute(cards_table.select().where(cards_table.c.id == card.id)).one()
        for i, day in enumerate(days):
            chance = 0.45 + 0.4 * i / max(len(days) - 1, 1)
            ratings = {t: "yes" if rng.random() < chance else "no" for t in range(1, 4)}
            ratings[4] = "na" if day.weekday() in (0, 4) else ("yes" if rng.random() < chance else "no")
            comment = "Great focus in maths today." if i == len(days) - 1 else None
            actor = Actor.anonymous()
            rated = rate_in(
                ctx, conn, actor, row, day, None, ratings, comment=comment, rated_by=f"rater:{rater.id}"
            )
            stored += rated.percent is not None
    return stored
