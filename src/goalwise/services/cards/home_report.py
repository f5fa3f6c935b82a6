"""The home report: a parent or supporter with a share of a card's goal sees the card's week.

It shows the week's days (the last seven to the client's today) with each day's percentage, whether it
met the goal (colour-coded on the page), the reward tier reached and the rater's comment, with a chart of
the last four weeks (``CHART_WEEKS``) so the week is seen against the weeks before. It is reached
only through a live share that includes the card's goal (``sharing.open_share``, which records the view).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from goalwise.core.accounts.actor import Actor
from goalwise.core.cards.card import Card
from goalwise.services.cards.card_days import DayView, days_between
from goalwise.services.cards.cards import card_view
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.services.sharing import sharing
from goalwise.storage.tables import cards

__all__ = ["CHART_WEEKS", "HomeCard", "home_for_share", "home_for_supporter", "shares_a_card"]

#: The home report's chart shows the last four weeks, so the week is seen against the weeks before.
CHART_WEEKS = 4


@dataclass(frozen=True, slots=True)
class HomeCard:
    """One shared card's week."""

    card: Card
    week: list[date]
    days: dict[date, DayView]
    recent: list[DayView]

    @property
    def latest(self) -> DayView | None:
        """The most recent rated day of the week."""
        return self.days[max(self.days)] if self.days else None


def _weeks(ctx: Context, client_id: int, goal_ids: list[int]) -> list[HomeCard]:
    out = []
    with ctx.db.read() as conn:
        today = local_now(client_timezone(conn, client_id))
        week = [today - timedelta(days=d) for d in range(6, -1, -1)]
        rows = conn.execute(
            select(cards)
            .where(cards.c.client_id == client_id, cards.c.goal_id.in_(goal_ids))
            .order_by(cards.c.id)
        ).all()
        for row in rows:
            recent = days_between(
                ctx, conn, row, today - timedelta(weeks=CHART_WEEKS) + timedelta(days=1), today
            )
            days = {d.on: d for d in recent if d.on >= week[0]}
            out.append(HomeCard(card_view(row).card, week, days, recent))
    return out


def home_for_share(
    ctx: Context, token: str, *, address: str | None = None, user_agent: str | None = None
) -> list[HomeCard]:
    """The cards whose goals a share link includes; ``NotFound`` for a revoked, expired or unknown link."""
    view = sharing.open_share(ctx, token, address=address, user_agent=user_agent)
    return _for_view(ctx, view)


def home_for_supporter(ctx: Context, actor: Actor, share_id: int) -> list[HomeCard]:
    """The same for a supporter account reading a share addressed to it."""
    view = sharing.open_share_for_supporter(ctx, actor, share_id)
    return _for_view(ctx, view)


def _for_view(ctx: Context, view: sharing.SharedView) -> list[HomeCard]:
    goal_ids = [int(g["id"]) for g in view.goals]
    if not goal_ids:
        return []
    with ctx.db.read() as conn:
        client_id = conn.execute(select(cards.c.client_id).where(cards.c.goal_id.in_(goal_ids))).scalar()
    return [] if client_id is None else _weeks(ctx, int(client_id), goal_ids)


def shares_a_card(ctx: Context, view: sharing.SharedView) -> bool:
    """True when a share's goals include a daily report card's goal (its page then links the home report)."""
    goal_ids = [int(g["id"]) for g in view.goals]
    if not goal_ids:
        return False
    with ctx.db.read() as conn:
        return (
            conn.execute(select(cards.c.id).where(cards.c.goal_id.in_(goal_ids)).limit(1)).first() is not None
        )
