"""Short lists for pages: a client's goals at a glance and whether a risk alert is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import authz
from goalwise.services.context import Context
from goalwise.storage.tables import alerts, goals, metrics

__all__ = ["GoalBrief", "goal_briefs", "has_open_risk"]


@dataclass(frozen=True, slots=True)
class GoalBrief:
    """A goal as a list shows it; ``metric_key`` names its logged metric (None for none yet)."""

    id: int
    title: str
    status: str
    deadline_on: date | None
    metric_key: str | None


def goal_briefs(ctx: Context, actor: Actor, client_id: int) -> list[GoalBrief]:
    """The client's goals, oldest first, if the actor may read the client's records."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        rows = conn.execute(
            select(goals.c.id, goals.c.title, goals.c.status, goals.c.deadline_on, metrics.c.key)
            .outerjoin(metrics, metrics.c.id == goals.c.metric_id)
            .where(goals.c.client_id == client_id)
            .order_by(goals.c.id)
        ).all()
    return [GoalBrief(r.id, r.title, r.status, r.deadline_on, r.key) for r in rows]


def has_open_risk(ctx: Context, actor: Actor, client_id: int) -> bool:
    """True while a risk alert on the client is unacknowledged (the client then sees crisis resources)."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        found = conn.execute(
            select(alerts.c.id)
            .where(alerts.c.client_id == client_id, alerts.c.acknowledged_at.is_(None))
            .limit(1)
        ).first()
    return found is not None
