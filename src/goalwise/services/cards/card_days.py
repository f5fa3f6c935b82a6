"""Rating a card's day and reading its days back.

* A day's period is rated once; rating it again supersedes the earlier row (kept, stamped
  ``superseded_at``), so the day's history is never lost.
* After each rating the day's percentage is computed over all its current periods
  (``core.cards.day.day_score``) and stored as an observation of the card's goal metric: value = the
  day's percentage, denominator = 100, at 15:00 on the day in the client's time zone. Charts, the review's
  suggested level and the progress analysis read a proportion's values as they are, and the baseline
  reads value / denominator x 100, so all of them see the day's percentage on the goal's 0-100 scale
  (a week's pooled proportion is then the mean of its days' percentages). A re-rated day's
  observation is superseded by a new one that ``replaces_id`` it; a day left with only ``na`` keeps no
  current observation (it has no value), so every chart and analysis sees exactly the card's days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.cards.card import WHOLE_DAY, Card, Reward, card_from_dict
from goalwise.core.cards.day import day_score, ratings_list, reward_reached
from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.accounts import audit
from goalwise.services.context import Context
from goalwise.services.goals.goal_metrics import metric_keys
from goalwise.services.measurement.observations import insert_observation, observation_values
from goalwise.services.measurement.record_store import client_timezone, local_now, resolve_metric
from goalwise.storage.tables import card_ratings, goals, observations

__all__ = ["COMMENT_CONTEXT", "DayView", "day_problems", "days_between", "rate_in"]

COMMENT_CONTEXT = b"card_ratings.comment_enc"
COMMENT_LIMIT = 500
_RATED_AT = time(15, 0)


@dataclass(frozen=True, slots=True)
class DayView:
    """One rated day: its periods' ratings, percentage, whether it met the goal, the reward reached."""

    on: date
    yes: int
    no: int
    percent: float | None
    met: bool | None
    reward: Reward | None
    periods: dict[str, list[str]] = field(default_factory=dict)
    comment: str | None = None
    rated_by: str = ""


def day_problems(card: Card, on: date, period: str | None, today: date) -> tuple[str, list[Problem]]:
    """The period's stored name and every problem with the day and period asked for."""
    problems = []
    if on > today:
        problems.append(
            Problem(
                "card-day-future", "on", f"{on.isoformat()} is after today.", "Rate today or a day before."
            )
        )
    if on < date(1900, 1, 1):
        problems.append(
            Problem("card-day-early", "on", f"{on.isoformat()} is before 1900.", "Check the year.")
        )
    if not card.periods:
        if period not in (None, "", WHOLE_DAY):
            problems.append(
                Problem(
                    "card-period",
                    "period",
                    f"This card has no periods; {period!r} is not one.",
                    "Leave the period out.",
                )
            )
        return WHOLE_DAY, problems
    names = {p.lower(): p for p in card.periods}
    if period is None or period.strip().lower() not in names:
        problems.append(
            Problem(
                "card-period",
                "period",
                "The card is rated by period; no period was given."
                if period is None
                else f"Period {period!r} is not on the card.",
                f"Use one of {', '.join(card.periods)}.",
            )
        )
        return "", problems
    return names[period.strip().lower()], problems


def _current(conn: Connection, card_id: int, start: date, end: date) -> list[Any]:
    return list(
        conn.execute(
            select(card_ratings)
            .where(
                card_ratings.c.card_id == card_id,
                card_ratings.c.superseded_at.is_(None),
                card_ratings.c.rated_on >= start,
                card_ratings.c.rated_on <= end,
            )
            .order_by(card_ratings.c.rated_on, card_ratings.c.id)
        )
    )


def days_between(ctx: Context, conn: Connection, row: Any, start: date, end: date) -> list[DayView]:
    """The card's rated days from ``start`` to ``end``, oldest first."""
    card = card_from_dict(row.spec)
    by_day: dict[date, list[Any]] = {}
    for rating in _current(conn, row.id, start, end):
        by_day.setdefault(rating.rated_on, []).append(rating)
    return [_day(ctx, card, on, rows) for on, rows in sorted(by_day.items())]


def _day(ctx: Context, card: Card, on: date, rows: list[Any]) -> DayView:
    periods = {r.period: list(r.ratings) for r in rows}
    score = day_score(periods.values())
    percent = score.percent
    comments = [ctx.keys.decrypt(r.comment_enc, context=COMMENT_CONTEXT) for r in rows if r.comment_enc]
    return DayView(
        on,
        score.yes,
        score.no,
        percent,
        None if percent is None else percent >= card.goal_percent,
        reward_reached(percent, card.rewards),
        periods,
        "; ".join(c for c in comments if c) or None,
        rows[-1].rated_by,
    )


def rate_in(
    ctx: Context,
    conn: Connection,
    actor: Actor,
    row: Any,
    on: date,
    period: str | None,
    ratings: dict[int, str],
    *,
    comment: str | None = None,
    rated_by: str,
) -> DayView:
    """Store one period's ratings of the card's day (caller's transaction); update the goal's value."""
    card = card_from_dict(row.spec)
    tz = client_timezone(conn, row.client_id)
    name, problems = day_problems(card, on, period, local_now(tz))
    text = (comment or "").strip()
    if len(text) > COMMENT_LIMIT:
        problems.append(
            Problem("card-comment", "comment", f"The comment is {len(text)} characters.", "Keep it to 500.")
        )
    if problems:
        raise InvalidInput(problems)
    now = datetime.now(UTC)
    same = (card_ratings.c.card_id == row.id, card_ratings.c.rated_on == on, card_ratings.c.period == name)
    conn.execute(
        update(card_ratings).where(*same, card_ratings.c.superseded_at.is_(None)).values(superseded_at=now)
    )
    rating_id = conn.execute(
        insert(card_ratings)
        .values(
            client_id=row.client_id,
            card_id=row.id,
            rated_on=on,
            period=name,
            ratings=ratings_list(ratings, len(card.targets)),
            comment_enc=ctx.keys.encrypt(text or None, context=COMMENT_CONTEXT),
            rated_by=rated_by,
            created_at=now,
        )
        .returning(card_ratings.c.id)
    ).scalar_one()
    day = days_between(ctx, conn, row, on, on)[0]
    _store_value(ctx, conn, row, on, day, tz, now)
    audit.record(conn, actor, "rate", "card", rating_id, row.client_id)
    return day


def _store_value(
    ctx: Context, conn: Connection, row: Any, on: date, day: DayView, tz: str, now: datetime
) -> None:
    metric_id = conn.execute(select(goals.c.metric_id).where(goals.c.id == row.goal_id)).scalar()
    key = metric_keys(conn, [metric_id]).get(int(metric_id)) if metric_id is not None else None
    metric = resolve_metric(conn, row.client_id, key, now) if key else None
    if metric is None:
        return
    current = (
        observations.c.metric_id == metric_id,
        observations.c.local_on == on,
        observations.c.superseded_at.is_(None),
    )
    old = conn.execute(select(observations.c.id).where(*current)).scalar()
    if old is not None:
        conn.execute(update(observations).where(observations.c.id == old).values(superseded_at=now))
    if day.percent is None:
        return
    at = datetime.combine(on, _RATED_AT, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    insert_observation(
        conn,
        observation_values(
            ctx,
            metric,
            client_id=row.client_id,
            at=at,
            timezone=tz,
            value=day.percent,
            denominator=100.0,
            now=now,
            replaces_id=old,
        ),
    )
