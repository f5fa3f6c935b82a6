"""Risk alerts: open alerts on a therapist's caseload, and acknowledging them with a note.

An alert is created with the assessment whose risk item fired (``services.assessments``). It
stays open until a therapist linked to the client acknowledges it with a note; the note is
encrypted, who and when are recorded, and the acknowledgement is audited (DESIGN.md,
"Safety"; issue 4, "Risk"). The local operator at the command line may acknowledge too; the
audit log then names ``system:cli``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, NotFound, Problem
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import as_utc, text_problem
from goalwise.storage.tables import alerts, assessments, care_links, clients, users

__all__ = ["Alert", "acknowledge", "describe", "list_alerts", "open_alerts"]

NOTE_CONTEXT = b"alerts.note_enc"


@dataclass(frozen=True, slots=True)
class Alert:
    """A risk alert. ``note`` is shown to therapists and the local operator only."""

    id: int
    client_id: int
    client_name: str
    kind: str
    description: str
    assessment_id: int | None
    instrument: str | None
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: int | None
    acknowledged_by_name: str | None
    note: str | None


def describe(kind: str) -> str:
    """Plain words for an alert kind, read from the instruments' risk rules."""
    for instrument in instruments.all_instruments():
        for rule in instrument.risk_items:
            if rule.flag == kind:
                # The short form for the caseload; the rule and its source live in the instrument data.
                return (
                    f"{instrument.abbreviation} item {rule.item} answered above zero: "
                    "a suicide-risk assessment is needed"
                )
    return kind.replace("_", " ")


def _query() -> Any:
    return (
        select(
            alerts,
            clients.c.name.label("client_name"),
            assessments.c.instrument,
            users.c.name.label("acknowledged_by_name"),
        )
        .join(clients, clients.c.id == alerts.c.client_id)
        .outerjoin(assessments, assessments.c.id == alerts.c.assessment_id)
        .outerjoin(users, users.c.id == alerts.c.acknowledged_by)
    )


def _to_alert(ctx: Context, actor: Actor, row: Any) -> Alert:
    clinician = actor.is_system or actor.role in ("therapist", "admin")
    return Alert(
        id=row.id,
        client_id=row.client_id,
        client_name=row.client_name,
        kind=row.kind,
        description=describe(row.kind),
        assessment_id=row.assessment_id,
        instrument=row.instrument,
        created_at=as_utc(row.created_at),
        acknowledged_at=None if row.acknowledged_at is None else as_utc(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
        acknowledged_by_name=row.acknowledged_by_name,
        note=ctx.keys.decrypt(row.note_enc, context=NOTE_CONTEXT) if clinician else None,
    )


def open_alerts(ctx: Context, actor: Actor) -> list[Alert]:
    """Unacknowledged alerts the caller may see, oldest first: a therapist's linked clients, a
    client's own, everyone's for the local operator; nothing for other roles."""
    query = _query().where(alerts.c.acknowledged_at.is_(None))
    if actor.is_system:
        pass
    elif actor.role in ("therapist", "admin") and actor.user_id is not None:
        linked = select(care_links.c.client_id).where(care_links.c.therapist_id == actor.user_id)
        query = query.where(alerts.c.client_id.in_(linked))
    elif actor.role == "client" and actor.client_id is not None:
        query = query.where(alerts.c.client_id == actor.client_id)
    else:
        return []
    with ctx.db.read() as conn:
        rows = conn.execute(query.order_by(alerts.c.created_at, alerts.c.id)).all()
    return [_to_alert(ctx, actor, row) for row in rows]


def list_alerts(
    ctx: Context, actor: Actor, client_id: int, *, include_acknowledged: bool = False
) -> list[Alert]:
    """One client's alerts, oldest first; open ones only unless ``include_acknowledged``."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        query = _query().where(alerts.c.client_id == client_id)
        if not include_acknowledged:
            query = query.where(alerts.c.acknowledged_at.is_(None))
        rows = conn.execute(query.order_by(alerts.c.created_at, alerts.c.id)).all()
    return [_to_alert(ctx, actor, row) for row in rows]


def _load(conn: Connection, alert_id: int) -> Any:
    return conn.execute(_query().where(alerts.c.id == alert_id)).first()


def acknowledge(ctx: Context, actor: Actor, alert_id: int, note: str) -> Alert:
    """Acknowledge an open alert with a note (required; stored encrypted), recording who and when.

    Only a therapist linked to the client (or the local operator) may: others get ``Forbidden``
    (another role) or ``NotFound`` (a therapist not linked). An alert already acknowledged
    raises ``Conflict``. The acknowledgement is audited in the same transaction.
    """
    authz.require_role(actor, "therapist")
    if not (note or "").strip():
        raise InvalidInput(
            [
                Problem(
                    "note-missing",
                    "note",
                    "An alert is acknowledged with a note.",
                    "Write what was done, e.g. 'Called the client; safety plan reviewed.'",
                )
            ]
        )
    if (too_long := text_problem("note", note, limit=4000)) is not None:
        raise InvalidInput([too_long])
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        row = _load(conn, alert_id)
        if row is None:
            raise NotFound(f"alert {alert_id} not found")
        authz.require_client(conn, actor, row.client_id, write=True)
        if row.acknowledged_at is not None:
            raise Conflict(f"alert {alert_id} was already acknowledged")
        conn.execute(
            update(alerts)
            .where(alerts.c.id == alert_id)
            .values(
                acknowledged_at=now,
                acknowledged_by=actor.user_id,
                note_enc=ctx.keys.encrypt(note.strip(), context=NOTE_CONTEXT),
            )
        )
        audit.record(conn, actor, "acknowledge", "alert", alert_id, row.client_id)
        return _to_alert(ctx, actor, _load(conn, alert_id))
