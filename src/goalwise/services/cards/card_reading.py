"""Rating a card as a signed-in user, reading a card with its days and hit rates, and the shaping check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.cards.card import card_from_dict
from goalwise.core.cards.day import Shaping, day_score, hit_rates, parse_ratings, shaping
from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.accounts import audit
from goalwise.services.cards.card_days import DayView, days_between, rate_in
from goalwise.services.cards.cards import CardView, card_view, require_card
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.storage.tables import card_ratings, cards

__all__ = ["CardShow", "rate", "read_ratings", "show"]

SHOW_WEEKS = 8


@dataclass(frozen=True, slots=True)
class CardShow:
    """A card with its days (oldest first), each target's hit rate over them, and the shaping check."""

    view: CardView
    days: list[DayView]
    hit_rates: list[float | None]
    shaping: Shaping
    today: date


def read_ratings(value: str | Sequence[str], targets: int) -> dict[int, str]:
    """Ratings as ``"1=yes,2=no"`` or as a list in target order; ``InvalidInput`` naming each bad one."""
    listed = [] if isinstance(value, str) else [f"{i}={r}" for i, r in enumerate(value, start=1)]
    text = value if isinstance(value, str) else ",".join(listed)
    ratings, problems = parse_ratings(text, targets)
    if problems:
        raise InvalidInput(problems)
    return ratings


def rate(
    ctx: Context,
    actor: Actor,
    card_id: int,
    on: date,
    ratings: str | Sequence[str],
    *,
    period: str | None = None,
    comment: str | None = None,
) -> DayView:
    """Rate a day (or one period of it) of the card; a second rating of the same period replaces the first."""
    with ctx.db.write() as conn:
        row = require_card(conn, actor, card_id, write=True)
        parsed = read_ratings(ratings, len(card_view(row).card.targets))
        return rate_in(
            ctx, conn, actor, row, on, period, parsed, comment=comment, rated_by=audit.actor_label(actor)
        )


def show(
    ctx: Context, actor: Actor, card_id: int, *, start: date | None = None, end: date | None = None
) -> CardShow:
    """The card with its rated days from ``start`` to ``end`` (default: the last eight weeks to today)."""
    with ctx.db.write() as conn:
        row = require_card(conn, actor, card_id)
        today = local_now(client_timezone(conn, row.client_id))
        last = end or today
        first = start or last - timedelta(weeks=SHOW_WEEKS)
        if first > last:
            raise InvalidInput([Problem("card-range", "start", "The start is after the end.", "Swap them.")])
        days = days_between(ctx, conn, row, first, last)
        audit.record(conn, actor, "view", "card", card_id, row.client_id)
    view = card_view(row)
    rates = hit_rates(view.card, (d.periods.values() for d in days))
    percents = {d.on: d.percent for d in days}
    return CardShow(view, days, rates, shaping(percents, view.card.goal_percent, last), today)


def shaping_in(conn: Connection, goal_id: int, today: date) -> dict[str, Any] | None:
    """For a card's goal, the shaping check over the last three weeks to ``today`` (for the review
    summary, in the caller's transaction, authorized by the caller); None for a goal without a card."""
    row = conn.execute(select(cards.c.id, cards.c.spec).where(cards.c.goal_id == goal_id)).first()
    if row is None:
        return None
    start = today - timedelta(weeks=3) + timedelta(days=1)
    rated: dict[date, list[list[str]]] = {}
    for on, ratings in conn.execute(
        select(card_ratings.c.rated_on, card_ratings.c.ratings).where(
            card_ratings.c.card_id == row.id,
            card_ratings.c.superseded_at.is_(None),
            card_ratings.c.rated_on >= start,
            card_ratings.c.rated_on <= today,
        )
    ):
        rated.setdefault(on, []).append(list(ratings))
    percents = {on: day_score(periods).percent for on, periods in rated.items()}
    found = shaping(percents, card_from_dict(row.spec).goal_percent, today)
    return {"card_id": int(row.id), "suggest": found.suggest, "message": found.message}
