"""Reviews due: the active goals whose review has come, per therapist (the caseload) and per client.

A goal is due when its last review (or its start) plus its cadence has passed, or when its
deadline has passed without a review deciding about it (``core.reviews.review.due_goal``); the
days overdue are counted in the client's own calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.reviews.review import due_goal
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import local_now
from goalwise.storage.tables import care_links, clients, goals, review_goals, reviews

__all__ = ["DueReview", "client_reviews_due", "reviews_due", "therapist_reviews_due"]


@dataclass(frozen=True, slots=True)
class DueReview:
    """One active goal due for review."""

    client_id: int
    goal_id: int
    title: str
    due_on: date
    reason: str
    overdue_days: int


def _reviewed_on(conn: Connection, goal_ids: Sequence[int]) -> dict[int, list[date]]:
    found: dict[int, list[date]] = {g: [] for g in goal_ids}
    rows = conn.execute(
        select(review_goals.c.goal_id, reviews.c.held_on)
        .join(reviews, reviews.c.id == review_goals.c.review_id)
        .where(review_goals.c.goal_id.in_(goal_ids))
    ).all()
    for r in rows:
        found[int(r.goal_id)].append(r.held_on)
    return found


def due_in(conn: Connection, client_rows: Sequence[Any], as_of: date | None = None) -> list[DueReview]:
    """The due goals of the clients given (rows with ``id`` and ``timezone``), most overdue first;
    ``as_of`` defaults to each client's own today."""
    zones = {int(c.id): c.timezone for c in client_rows}
    rows = conn.execute(
        select(goals)
        .where(goals.c.client_id.in_(list(zones)), goals.c.status == "active")
        .order_by(goals.c.id)
    ).all()
    reviewed = _reviewed_on(conn, [int(r.id) for r in rows])
    found = []
    for row in rows:
        today = as_of or local_now(zones[int(row.client_id)])
        start = row.start_on or row.created_at.date()
        due = due_goal(
            int(row.id), start, row.review_every_weeks, row.deadline_on, reviewed[int(row.id)], today
        )
        if due is not None:
            found.append(
                DueReview(
                    int(row.client_id), due.goal_id, row.title, due.due_on, due.reason, due.overdue_days
                )
            )
    return sorted(found, key=lambda d: (-d.overdue_days, d.client_id, d.goal_id))


def reviews_due(ctx: Context, actor: Actor, *, as_of: date | None = None) -> list[DueReview]:
    """The goals due for review among the clients the actor sees: a therapist's linked clients, a
    client's own goals, every client for the local operator; nothing for other roles."""
    with ctx.db.read() as conn:
        query = select(clients.c.id, clients.c.timezone)
        if actor.is_system:
            pass
        elif actor.role in ("therapist", "admin") and actor.user_id is not None:
            query = query.join(care_links, care_links.c.client_id == clients.c.id).where(
                care_links.c.therapist_id == actor.user_id
            )
        elif actor.role == "client" and actor.client_id is not None:
            query = query.where(clients.c.id == actor.client_id)
        else:
            return []
        client_rows = conn.execute(query).all()
        return due_in(conn, client_rows, as_of) if client_rows else []


def client_reviews_due(
    ctx: Context, actor: Actor, client_id: int, *, as_of: date | None = None
) -> list[DueReview]:
    """The client's goals due for review (the client overview shows them); audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        rows = conn.execute(select(clients.c.id, clients.c.timezone).where(clients.c.id == client_id)).all()
        audit.record(conn, actor, "view", "reviews-due", None, client_id)
        return due_in(conn, rows, as_of)


def therapist_reviews_due(ctx: Context, actor: Actor, *, as_of: date | None = None) -> list[DueReview]:
    """:func:`reviews_due` for the caseload: ``Forbidden`` for anyone but a therapist (or the operator)."""
    authz.require_role(actor, "therapist")
    return reviews_due(ctx, actor, as_of=as_of)
