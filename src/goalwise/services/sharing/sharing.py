"""Sharing: a client shows chosen parts of their record to a supporter through a revocable link.

The link carries a 256-bit random token; only its SHA-256 hash is stored. Opening a share
checks that it is neither revoked nor expired, records the view (the client sees every view),
and returns only the sections and goals the client chose, read-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from goalwise.analytics import aggregate
from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, NotFound
from goalwise.core.sharing import SECTIONS, validate_share
from goalwise.services.accounts import audit
from goalwise.services.accounts.secret_token import hash_token, new_token
from goalwise.services.context import Context
from goalwise.services.measurement.observations import ON_SCALE
from goalwise.services.measurement.record_store import local_now
from goalwise.storage import client_repo, user_repo
from goalwise.storage.tables import (
    assessments,
    episodes,
    goals,
    journal_entries,
    metrics,
    observations,
    plan_items,
    share_views,
    shares,
)

__all__ = [
    "SUMMED_KINDS",
    "ShareInfo",
    "SharedView",
    "create_share",
    "list_shares",
    "open_share",
    "open_share_for_supporter",
    "revoke_share",
    "shares_for_supporter",
]

_MSG = b"shares.message_enc"
#: Goal fields a supporter sees with a shared goal.
SHARED_GOAL_FIELDS = ("title", "direction", "target", "metric", "deadline_on")
#: Metric kinds whose values add up over a day (and a week), as on the goal page
#: (``services.progress.progress``); every other kind (ratings, proportions, scores) is averaged.
SUMMED_KINDS = ("count", "duration", "checklist")


@dataclass(frozen=True, slots=True)
class ShareInfo:
    """A share as its client sees it, with every view."""

    id: int
    label: str
    sections: list[str]
    goal_ids: list[int]
    message: str | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    supporter_id: int | None
    views: list[datetime] = field(default_factory=list)

    def active(self, now: datetime) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and self.expires_at > now


@dataclass(frozen=True, slots=True)
class SharedView:
    """What a supporter sees: the banner facts and the shared sections only.

    ``today`` is the client's local day when the share was opened (their time zone, as on their own
    pages): the supporter's "now", "this week so far" and the last months of values are counted to it.
    A goal's ``daily`` holds one value a local day, made as the goal page makes it (``_goal_days``).
    """

    client_name: str
    label: str
    message: str | None
    sections: list[str]
    expires_at: datetime
    today: date
    goals: list[dict[str, Any]] = field(default_factory=list)
    milestones: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    journal: list[dict[str, Any]] = field(default_factory=list)
    episodes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def section_labels(self) -> list[str]:
        """Human labels of the shared sections, for the banner."""
        labels = {s.key: s.label for s in SECTIONS}
        return [labels[s] for s in self.sections]


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _own_client(actor: Actor) -> int:
    if actor.role != "client" or actor.client_id is None:
        raise NotFound("shares are made by clients for their own records")
    return actor.client_id


def create_share(
    ctx: Context,
    actor: Actor,
    *,
    label: str,
    sections: list[str],
    goal_ids: list[int],
    message: str = "",
    expires_days: int | None = None,
    supporter_email: str | None = None,
    now: datetime | None = None,
) -> tuple[ShareInfo, str]:
    """A client shares chosen goals and sections; returns the share and its link token (shown once).

    With ``supporter_email`` of a supporter account, the share is also listed for that account; any
    other email is answered the same way and the share is reached only by its link.
    """
    client_id = _own_client(actor)
    now = now or datetime.now(UTC)
    days = ctx.settings.share_default_days if expires_days is None else expires_days
    with ctx.db.write() as conn:
        own = set(conn.execute(select(goals.c.id).where(goals.c.client_id == client_id)).scalars())
        problems = validate_share(label, sections, goal_ids, own, message, days)
        # Listed for a supporter account with this email; otherwise only the link reaches anyone. The
        # answer is the same either way, so sharing does not tell which emails have accounts.
        supporter = user_repo.get_user_by_email(conn, supporter_email) if supporter_email else None
        supporter_id = supporter.id if supporter is not None and supporter.role == "supporter" else None
        if problems:
            raise InvalidInput(problems)
        token = new_token()
        share_id = conn.execute(
            insert(shares)
            .values(
                client_id=client_id,
                supporter_id=supporter_id,
                label=label.strip(),
                token_hash=hash_token(token),
                sections=sorted(set(sections), key=[s.key for s in SECTIONS].index),
                goal_ids=sorted(set(goal_ids)),
                message_enc=ctx.keys.encrypt(message.strip() or None, context=_MSG),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
            .returning(shares.c.id)
        ).scalar_one()
        audit.record(conn, actor, "share", "share", share_id, client_id)
        info = _load(conn, ctx, share_id)
    return info, token


def _load(conn: Connection, ctx: Context, share_id: int) -> ShareInfo:
    row = conn.execute(select(shares).where(shares.c.id == share_id)).one()
    views = (
        conn.execute(
            select(share_views.c.at)
            .where(share_views.c.share_id == share_id)
            .order_by(share_views.c.at.desc())
        )
        .scalars()
        .all()
    )
    return _info(ctx, row, [_utc(v) for v in views])  # type: ignore[misc]


def _info(ctx: Context, row: Any, views: list[datetime]) -> ShareInfo:
    return ShareInfo(
        row.id,
        row.label,
        list(row.sections),
        list(row.goal_ids),
        ctx.keys.decrypt(row.message_enc, context=_MSG),
        _utc(row.created_at),  # type: ignore[arg-type]
        _utc(row.expires_at),
        _utc(row.revoked_at),
        row.supporter_id,
        views,
    )  # type: ignore[arg-type]


def list_shares(ctx: Context, actor: Actor) -> list[ShareInfo]:
    """The client's shares, newest first, each with its views."""
    client_id = _own_client(actor)
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(shares).where(shares.c.client_id == client_id).order_by(shares.c.created_at.desc())
        ).all()
        ids = [r.id for r in rows]
        seen: dict[int, list[datetime]] = {i: [] for i in ids}
        if ids:
            for share_id, at in conn.execute(
                select(share_views.c.share_id, share_views.c.at)
                .where(share_views.c.share_id.in_(ids))
                .order_by(share_views.c.at.desc())
            ):
                seen[share_id].append(_utc(at))  # type: ignore[arg-type]
    return [_info(ctx, r, seen[r.id]) for r in rows]


def revoke_share(ctx: Context, actor: Actor, share_id: int) -> None:
    """End a share at once; its link stops working on the next request."""
    client_id = _own_client(actor)
    with ctx.db.write() as conn:
        row = conn.execute(
            select(shares).where(shares.c.id == share_id, shares.c.client_id == client_id)
        ).first()
        if row is None:
            raise NotFound(f"share {share_id} not found")
        if row.revoked_at is None:
            conn.execute(update(shares).where(shares.c.id == share_id).values(revoked_at=datetime.now(UTC)))
        audit.record(conn, actor, "revoke", "share", share_id, client_id)


def shares_for_supporter(
    ctx: Context, actor: Actor, now: datetime | None = None
) -> list[tuple[int, str, str]]:
    """Active shares addressed to a supporter account: (share id, client name, label)."""
    now = now or datetime.now(UTC)
    if actor.role != "supporter" or actor.user_id is None:
        return []
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(shares).where(shares.c.supporter_id == actor.user_id, shares.c.revoked_at.is_(None))
        ).all()
        out = []
        for row in rows:
            if _utc(row.expires_at) > now:  # type: ignore[operator]
                client = client_repo.get_client(conn, row.client_id)
                out.append((row.id, client.name if client else "", row.label))
    return out


def open_share(
    ctx: Context,
    token: str,
    *,
    address: str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
    record: bool = True,
) -> SharedView:
    """The supporter's read-only view; ``NotFound`` for an unknown, revoked or expired link.

    ``record=False`` reads without counting a view: for a chart image of a page already counted."""
    now = now or datetime.now(UTC)
    with ctx.db.write() as conn:
        row = conn.execute(select(shares).where(shares.c.token_hash == hash_token(token))).first()
        return _open(conn, ctx, row, Actor.anonymous(address, user_agent), now, record)


def open_share_for_supporter(
    ctx: Context, actor: Actor, share_id: int, *, now: datetime | None = None, record: bool = True
) -> SharedView:
    """A supporter account opens a share addressed to it; ``NotFound`` when revoked, expired or not theirs."""
    now = now or datetime.now(UTC)
    with ctx.db.write() as conn:
        row = conn.execute(select(shares).where(shares.c.id == share_id)).first()
        if row is not None and (actor.role != "supporter" or row.supporter_id != actor.user_id):
            row = None
        return _open(conn, ctx, row, actor, now, record)


def _record_view(conn: Connection, row: Any, viewer: Actor, now: datetime) -> None:
    """One view: counted on the client's share list and in the audit log ("who saw my records")."""
    conn.execute(
        insert(share_views).values(
            share_id=row.id,
            at=now,
            address=viewer.address,
            user_agent=(viewer.user_agent or "")[:200] or None,
        )
    )
    audit.record(conn, viewer, "view", "share", row.id, row.client_id)


def _open(
    conn: Connection, ctx: Context, row: Any, viewer: Actor, now: datetime, record: bool = True
) -> SharedView:
    """Check the share is live, record the view (the client sees it), and collect the shared data."""
    if row is None or row.revoked_at is not None or _utc(row.expires_at) <= now:  # type: ignore[operator]
        raise NotFound("this share is not available: it was revoked, has expired, or never existed")
    if record:
        _record_view(conn, row, viewer, now)
    client = client_repo.get_client(conn, row.client_id)
    assert client is not None
    # The client's day, not the UTC date: near midnight in Auckland or Los Angeles they differ.
    today = local_now(client.timezone, now)
    view = SharedView(
        client.name,
        row.label,
        ctx.keys.decrypt(row.message_enc, context=_MSG),
        list(row.sections),
        _utc(row.expires_at),  # type: ignore[arg-type]
        today,
    )
    _fill(conn, ctx, view, row.client_id, list(row.goal_ids), today)
    return view


def _goal_days(conn: Connection, metric_id: int, kind: str, since: date) -> list[aggregate.Point]:
    """A goal metric's values since ``since``, one a local day as the goal page makes them
    (``analytics.summary.metric_summary``: ``aggregate.daily``): the day's total for counts and
    durations (``SUMMED_KINDS``), the mean of the day's values otherwise, so a mood of 6 in the
    morning and 8 at night is a day of 7, not 14."""
    rows = conn.execute(
        select(observations.c.local_on, ON_SCALE)
        .where(
            observations.c.metric_id == metric_id,
            observations.c.superseded_at.is_(None),
            observations.c.local_on >= since,
        )
        .order_by(observations.c.local_on, observations.c.at)
    ).all()
    how: aggregate.How = "sum" if kind in SUMMED_KINDS else "mean"
    return aggregate.daily([aggregate.Point(on, float(value)) for on, value in rows], how=how)


def _fill(
    conn: Connection, ctx: Context, view: SharedView, client_id: int, goal_ids: list[int], today: date
) -> None:
    if "goals" in view.sections and goal_ids:
        # About four months, from a Monday: a weekly goal's first calendar week is then whole, not
        # cut by the window (and read as a week with little logged).
        start = today - timedelta(days=120)
        since = start - timedelta(days=start.weekday())
        for g in conn.execute(
            select(goals, metrics.c.kind.label("metric_kind"))
            .outerjoin(metrics, metrics.c.id == goals.c.metric_id)
            .where(goals.c.client_id == client_id, goals.c.id.in_(goal_ids))
            .order_by(goals.c.id)
        ):
            daily = _goal_days(conn, g.metric_id, str(g.metric_kind), since) if g.metric_id else []
            spec = g.spec if isinstance(g.spec, dict) else json.loads(g.spec)
            view.goals.append(
                {
                    "id": g.id,
                    "title": g.title,
                    "status": g.status,
                    # Only what a supporter needs to follow progress: not the behaviour definition,
                    # the baseline or the readiness ratings, which stay between client and therapist.
                    "spec": {k: spec[k] for k in SHARED_GOAL_FIELDS if k in spec},
                    "daily": [(p.on, p.value) for p in daily],
                }
            )
    if "milestones" in view.sections and goal_ids:
        for p in conn.execute(
            select(plan_items)
            .where(plan_items.c.client_id == client_id, plan_items.c.goal_id.in_(goal_ids))
            .order_by(plan_items.c.goal_id, plan_items.c.position)
        ):
            view.milestones.append(
                {
                    "goal_id": p.goal_id,
                    "kind": p.kind,
                    "title": p.title,
                    "due_on": p.due_on,
                    "done": p.done_at is not None,
                }
            )
    if "assessments" in view.sections:
        for a in conn.execute(
            select(assessments)
            .where(assessments.c.client_id == client_id)
            .order_by(assessments.c.local_on.desc())
            .limit(50)
        ):
            view.assessments.append(
                {
                    "instrument": a.instrument,
                    "on": a.local_on,
                    "total": a.total,
                    "total_text": instruments.total_text(a.total, bool(a.prorated)),
                    "severity": a.severity,
                }
            )
    if "journal" in view.sections:
        for j in conn.execute(
            select(journal_entries)
            .where(journal_entries.c.client_id == client_id, journal_entries.c.private.is_(False))
            .order_by(journal_entries.c.at.desc())
            .limit(50)
        ):
            view.journal.append(
                {"on": j.local_on, "body": ctx.keys.decrypt(j.body_enc, context=b"journal_entries.body_enc")}
            )
    if "episodes" in view.sections:
        for e in conn.execute(
            select(episodes).where(episodes.c.client_id == client_id).order_by(episodes.c.at.desc()).limit(50)
        ):
            view.episodes.append(
                {
                    "on": e.local_on,
                    "emotion": e.emotion,
                    "intensity": e.intensity,
                    "coping_rating": e.coping_rating,
                }
            )
