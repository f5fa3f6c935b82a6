"""The therapist's caseload at a glance: one row per linked client, in a fixed number of queries.

Each row holds what a therapist scans for: unacknowledged risk alerts, the latest PHQ-9 and GAD-7
with band and reliable-change category, goals off track, reviews due or overdue, and days since the
client last logged anything. A client *needs attention* with an open alert, a reliable
deterioration, a goal off track, an overdue review, or no activity for :data:`SILENT_DAYS` days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.measurement.observation import local_day
from goalwise.services.accounts import authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import local_now
from goalwise.services.progress.caseload_signals import ScoreState, latest_scores, off_track_goals
from goalwise.services.reviews.due import DueReview, due_in
from goalwise.storage.tables import alerts, assessments, care_links, clients, goals, observations

__all__ = ["FILTERS", "SILENT_DAYS", "SORTS", "CaseloadRow", "caseload", "check_view", "view"]

#: Days without any entry after which a client counts as silent.
SILENT_DAYS = 14
#: The caseload's filters, by the value of ``?show=``, with what they keep.
FILTERS: dict[str, str] = {
    "all": "Everyone",
    "attention": "Needs attention",
    "alerts": "Open risk alerts",
    "deterioration": "Reliable deterioration",
    "off-track": "Goals off track",
    "review-due": "Reviews due",
    "silent": f"No entries for {SILENT_DAYS} days or more",
    "invited": "Invitation not yet accepted",
}
#: The caseload's orders, by the value of ``?sort=``.
SORTS: dict[str, str] = {
    "attention": "Needs attention first",
    "name": "Name",
    "phq9": "Latest PHQ-9, highest first",
    "gad7": "Latest GAD-7, highest first",
    "activity": "Longest without entries first",
}


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One client on the caseload."""

    client_id: int
    name: str
    open_alerts: int
    active_goals: int
    last_logged_on: date | None
    consented: bool
    days_since_activity: int | None = None
    scores: dict[str, ScoreState] = field(default_factory=dict)
    off_track: tuple[str, ...] = ()
    reviews_due: tuple[DueReview, ...] = ()
    days_on_caseload: int = 0

    @property
    def overdue_reviews(self) -> int:
        """Reviews past their date."""
        return sum(1 for d in self.reviews_due if d.overdue_days > 0)

    @property
    def deteriorated(self) -> bool:
        """A reliable deterioration on PHQ-9 or GAD-7."""
        return any(s.deteriorated for s in self.scores.values())

    @property
    def silent(self) -> bool:
        """No entry for :data:`SILENT_DAYS` days or more (a client never logged counts from being added)."""
        days = self.days_on_caseload if self.days_since_activity is None else self.days_since_activity
        return days >= SILENT_DAYS

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the client needs attention, in plain words (empty when nothing does)."""
        found = []
        if self.open_alerts:
            found.append("open risk alert")
        if self.deteriorated:
            found.append("reliable deterioration")
        if self.off_track:
            found.append("goal off track")
        if self.overdue_reviews:
            found.append("review overdue")
        if self.consented and self.silent:
            found.append("no recent entries")
        return tuple(found)


def _aware(at: datetime) -> datetime:
    # SQLite hands back the stored UTC time without its zone.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _latest_activity(conn: Connection, ids: list[int]) -> dict[int, date]:
    found: dict[int, date] = {}
    # One index seek per client and table (a correlated max uses the (client_id, local_on) index),
    # instead of reading every day of every client's years of data to group them.
    latest = [
        select(func.max(table.c.local_on)).where(table.c.client_id == clients.c.id).scalar_subquery()
        for table in (observations, assessments)
    ]
    for client_id, *days in conn.execute(select(clients.c.id, *latest).where(clients.c.id.in_(ids))):
        seen = [day for day in days if day is not None]
        if seen:
            found[int(client_id)] = max(seen)
    return found


def _counts(conn: Connection, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    open_alerts = conn.execute(
        select(alerts.c.client_id, func.count())
        .where(alerts.c.client_id.in_(ids), alerts.c.acknowledged_at.is_(None))
        .group_by(alerts.c.client_id)
    ).all()
    active = conn.execute(
        select(goals.c.client_id, func.count())
        .where(goals.c.client_id.in_(ids), goals.c.status == "active")
        .group_by(goals.c.client_id)
    ).all()
    return {int(c): int(n) for c, n in open_alerts}, {int(c): int(n) for c, n in active}


def caseload(ctx: Context, actor: Actor) -> list[CaseloadRow]:
    """Linked clients with open risk alerts first, then by name (a therapist's own caseload only)."""
    if actor.role not in ("therapist", "admin") or actor.user_id is None:
        return []
    with ctx.db.read() as conn:
        linked = conn.execute(
            select(
                clients.c.id,
                clients.c.name,
                clients.c.timezone,
                care_links.c.consent_at,
                care_links.c.created_at,
            )
            .join(care_links, care_links.c.client_id == clients.c.id)
            .where(care_links.c.therapist_id == actor.user_id)
        ).all()
        ids = [int(r.id) for r in linked]
        if not ids:
            return []
        today = {int(r.id): local_now(r.timezone) for r in linked}
        open_alerts, active = _counts(conn, ids)
        last = _latest_activity(conn, ids)
        scores = latest_scores(conn, ids, ctx.settings)
        off_track = off_track_goals(conn, ids, today)
        due: dict[int, list[DueReview]] = {}
        for d in due_in(conn, linked):
            due.setdefault(d.client_id, []).append(d)
    rows = [
        CaseloadRow(
            r.id,
            r.name,
            open_alerts.get(r.id, 0),
            active.get(r.id, 0),
            last.get(r.id),
            r.consent_at is not None,
            max(0, (today[r.id] - last[r.id]).days) if r.id in last else None,
            scores.get(r.id, {}),
            tuple(off_track.get(r.id, ())),
            tuple(due.get(r.id, ())),
            max(0, (today[r.id] - local_day(_aware(r.created_at), r.timezone)).days),
        )
        for r in linked
    ]
    return sorted(rows, key=lambda row: (-row.open_alerts, row.name.lower()))


def check_view(show: str, sort: str) -> None:
    """``InvalidInput`` naming ``show`` or ``sort`` when either is not one of the caseload's choices."""
    problems = []
    if show not in FILTERS:
        hint = "use one of: " + ", ".join(FILTERS)
        problems.append(Problem("caseload.show", "show", f"{show!r:.40} is not a filter", hint))
    if sort not in SORTS:
        hint = "use one of: " + ", ".join(SORTS)
        problems.append(Problem("caseload.sort", "sort", f"{sort!r:.40} is not an order", hint))
    if problems:
        raise InvalidInput(problems)


_KEEP: dict[str, Callable[[CaseloadRow], bool]] = {
    "all": lambda r: True,
    "attention": lambda r: bool(r.reasons),
    "alerts": lambda r: r.open_alerts > 0,
    "deterioration": lambda r: r.deteriorated,
    "off-track": lambda r: bool(r.off_track),
    "review-due": lambda r: bool(r.reviews_due),
    "silent": lambda r: r.consented and r.silent,
    "invited": lambda r: not r.consented,
}


def _score(row: CaseloadRow, code: str) -> int:
    state = row.scores.get(code)
    return -1 if state is None else state.latest


_ORDER: dict[str, Callable[[CaseloadRow], tuple[Any, ...]]] = {
    "attention": lambda r: (-r.open_alerts, -len(r.reasons), r.name.lower()),
    "name": lambda r: (r.name.lower(),),
    "phq9": lambda r: (-_score(r, "phq9"), r.name.lower()),
    "gad7": lambda r: (-_score(r, "gad7"), r.name.lower()),
    "activity": lambda r: (-(r.days_since_activity if r.days_since_activity is not None else 10**6), r.name),
}


def view(ctx: Context, actor: Actor, *, show: str = "all", sort: str = "attention") -> list[CaseloadRow]:
    """The caseload filtered by ``show`` and ordered by ``sort`` (see :data:`FILTERS`, :data:`SORTS`).

    Clients with an open risk alert stay first in every order: an alert is never sorted out of sight.
    """
    authz.require_role(actor, "therapist")
    check_view(show, sort)
    rows = [r for r in caseload(ctx, actor) if _KEEP[show](r)]
    rows.sort(key=_ORDER[sort])
    rows.sort(key=lambda r: r.open_alerts == 0)
    return rows
