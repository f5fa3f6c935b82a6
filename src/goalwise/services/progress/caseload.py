"""The therapist's caseload at a glance: one row per linked client, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.reviews.due import due_in
from goalwise.storage.tables import alerts, care_links, clients, goals, observations

__all__ = ["CaseloadRow", "caseload"]


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One client on the caseload."""

    client_id: int
    name: str
    open_alerts: int
    active_goals: int
    last_logged_on: date | None
    consented: bool
    #: Active goals due for review (``services.reviews.due``), and the most days one is overdue.
    reviews_due: int = 0
    most_overdue_days: int | None = None


def caseload(ctx: Context, actor: Actor) -> list[CaseloadRow]:
    """Linked clients with open risk alerts first, then by name."""
    if actor.role not in ("therapist", "admin") or actor.user_id is None:
        return []
    with ctx.db.read() as conn:
        linked = conn.execute(
            select(clients.c.id, clients.c.name, clients.c.timezone, care_links.c.consent_at)
            .join(care_links, care_links.c.client_id == clients.c.id)
            .where(care_links.c.therapist_id == actor.user_id)
        ).all()
        ids = [r.id for r in linked]
        if not ids:
            return []
        open_alerts = dict(
            conn.execute(
                select(alerts.c.client_id, func.count())
                .where(alerts.c.client_id.in_(ids), alerts.c.acknowledged_at.is_(None))
                .group_by(alerts.c.client_id)
            ).all()
        )
        active = dict(
            conn.execute(
                select(goals.c.client_id, func.count())
                .where(goals.c.client_id.in_(ids), goals.c.status == "active")
                .group_by(goals.c.client_id)
            ).all()
        )
        last = dict(
            conn.execute(
                select(observations.c.client_id, func.max(observations.c.local_on))
                .where(observations.c.client_id.in_(ids))
                .group_by(observations.c.client_id)
            ).all()
        )
        due: dict[int, list[int]] = {}
        for found in due_in(conn, linked):
            due.setdefault(found.client_id, []).append(found.overdue_days)
    rows = [
        CaseloadRow(
            r.id,
            r.name,
            int(open_alerts.get(r.id, 0)),
            int(active.get(r.id, 0)),
            last.get(r.id),
            r.consent_at is not None,
            len(due.get(r.id, [])),
            max(due[r.id]) if r.id in due else None,
        )
        for r in linked
    ]
    return sorted(rows, key=lambda row: (-row.open_alerts, row.name.lower()))
