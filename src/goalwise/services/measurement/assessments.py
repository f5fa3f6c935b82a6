"""Standardized assessments: record and list them, and the schedule of when each is due.

Scoring is ``core.instruments.score`` (CLINICAL.md §1-§2): PHQ-9 proration by the NHS rule
(§1.6), HAM-D-17 bands from the setting ``hamd_banding`` (§2.3). A risk item (PHQ-9 item 9 of 1
or more, §1.3; the HAM-D-17 suicide item) is never imputed or hidden: recording it creates an
alert for the client's therapists in the SAME transaction as the assessment, and the result
carries the crisis text of the client's own region (services/clinic/client_settings.py) so that
every shell shows it at once (DESIGN.md, "Safety"). A blank risk item is stored as blank and the
result asks for it.

Schedules say an instrument is given every N days from a start date; its status on an explicit
``as_of`` is ``upcoming``, ``due`` (from the due day to :data:`DUE_GRACE_DAYS` days after) or
``overdue``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select

from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Forbidden, InvalidInput
from goalwise.core.instruments import Instrument, Score
from goalwise.core.measurement.observation import local_day
from goalwise.services.accounts import audit, authz
from goalwise.services.clinic import client_settings
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import (
    as_utc,
    client_timezone,
    future_problem,
    int_range_problem,
    local_now,
    planned_day_problem,
    resolve_at,
)
from goalwise.storage.conflict import upsert
from goalwise.storage.tables import alerts, assessments, instrument_schedules

__all__ = [
    "CLINICIAN_RATED",
    "DISCLAIMER",
    "DUE_GRACE_DAYS",
    "Assessment",
    "Recorded",
    "Schedule",
    "ScheduleStatus",
    "list_assessments",
    "record",
    "schedule_status",
    "schedules",
    "session_scores",
    "set_schedule",
    "store_scored",
]

#: Shown wherever scores are shown (DESIGN.md, "Safety").
DISCLAIMER = "Goalwise supports care; it does not diagnose."
#: Instruments a clinician rates; a client cannot record them about themself.
CLINICIAN_RATED = frozenset({"hamd17"})
#: Days after the due day during which an assessment is "due" rather than "overdue".
DUE_GRACE_DAYS = 3


@dataclass(frozen=True, slots=True)
class Assessment:
    """A stored assessment."""

    id: int
    client_id: int
    instrument: str
    answers: tuple[int | None, ...]
    total: float
    severity: str
    flags: tuple[str, ...]
    prorated: bool
    at: datetime
    local_on: date
    session_no: int | None


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording an assessment returns: the row, the full score, and what must be shown now.

    ``crisis`` is the crisis-resources text when a risk flag fired (None otherwise);
    ``alert_ids`` are the alerts created for the therapists; ``notices`` say what else to do
    (e.g. ask a blank risk item).
    """

    assessment: Assessment
    score: Score
    crisis: str | None
    alert_ids: tuple[int, ...]
    notices: tuple[str, ...]
    disclaimer: str = DISCLAIMER


def _to_assessment(row: Any) -> Assessment:
    return Assessment(
        id=row.id,
        client_id=row.client_id,
        instrument=row.instrument,
        answers=tuple(row.answers),
        total=float(row.total),
        severity=row.severity,
        flags=tuple(row.flags),
        prorated=bool(row.prorated),
        at=as_utc(row.at),
        local_on=row.local_on,
        session_no=row.session_no,
    )


def _notices(instrument: Instrument, result: Score) -> tuple[str, ...]:
    notes = [
        f"{instrument.abbreviation} item {rule.item} was left blank; it is a risk item and is never "
        "imputed: ask it and record the answer."
        for rule in instrument.risk_items
        if rule.missing_flag is not None and rule.missing_flag in result.flags
    ]
    if result.prorated:
        missing = ", ".join(str(n) for n in result.missing_items)
        notes.append(f"Scored with item(s) {missing} missing: the total is prorated (NHS rule).")
    return tuple(notes)


def record(
    ctx: Context,
    actor: Actor,
    client_id: int,
    code: str,
    answers: Sequence[int | None],
    *,
    at: datetime | None = None,
    session_no: int | None = None,
) -> Recorded:
    """Score and store one administration of instrument ``code`` (answers in item order, None blank).

    Raises ``InvalidInput`` naming every bad item (e.g. ``answers[4]``: "PHQ-9 item 4 is 5;
    answers run from 0 to 3.") or field; nothing is stored then. When a risk flag fires, one
    alert per flag is stored with the assessment and ``crisis`` holds the crisis text.
    """
    instrument = instruments.get(code)
    banding = ctx.settings.hamd_banding if instrument.code == "hamd17" else None
    now = datetime.now(UTC)
    problems = [p for p in (int_range_problem("session_no", session_no, 1, 10_000),) if p]
    result: Score | None = None
    try:
        result = instruments.score(instrument.code, answers, banding=banding)
    except InvalidInput as exc:
        problems[:0] = exc.problems
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        if instrument.code in CLINICIAN_RATED and actor.role == "client":
            raise Forbidden(f"{instrument.abbreviation} is clinician-rated; the therapist records it")
        tz = client_timezone(conn, client_id)
        when = resolve_at(at, tz, now)
        if (late := future_problem(when, now)) is not None:
            problems.append(late)
        if problems or result is None:
            raise InvalidInput(problems)
        new_id = conn.execute(
            insert(assessments)
            .values(
                client_id=client_id,
                instrument=instrument.code,
                answers=list(answers),
                total=float(result.total),
                severity=result.severity,
                flags=list(result.flags),
                prorated=result.prorated,
                at=when,
                local_on=local_day(when, tz),
                session_no=session_no,
                created_at=now,
            )
            .returning(assessments.c.id)
        ).scalar_one()
        audit.record(conn, actor, "create", "assessment", new_id, client_id)
        alert_ids = _raise_alerts(conn, actor, instrument, result, client_id, int(new_id), now)
        row = conn.execute(select(assessments).where(assessments.c.id == new_id)).one()
        crisis = _crisis(ctx, conn, instrument, result, client_id)
    return Recorded(_to_assessment(row), result, crisis, alert_ids, _notices(instrument, result))


def _crisis(
    ctx: Context, conn: Connection, instrument: Instrument, result: Score, client_id: int
) -> str | None:
    """What must be shown at once when a risk flag fired: the crisis resources for a client's own
    answers, or, for an item a clinician rates (HAM-D-17 item 3), a text addressed to the clinician."""
    fired = [rule for rule in instrument.risk_items if rule.flag in result.flags]
    if not fired:
        return None
    to_clinician = [rule.clinician_alert for rule in fired if rule.clinician_alert]
    if to_clinician:
        return " ".join(to_clinician)
    # The client's own region (chosen, or from their time zone), not the installation's.
    return client_settings.crisis_text_in(conn, ctx, client_id)


def _raise_alerts(
    conn: Connection,
    actor: Actor,
    instrument: Instrument,
    result: Score,
    client_id: int,
    assessment_id: int,
    now: datetime,
) -> tuple[int, ...]:
    """One open alert per risk flag that fired, in the caller's transaction."""
    fired = [rule.flag for rule in instrument.risk_items if rule.flag in result.flags]
    ids = []
    for kind in fired:
        alert_id = conn.execute(
            insert(alerts)
            .values(client_id=client_id, kind=kind, assessment_id=assessment_id, created_at=now)
            .returning(alerts.c.id)
        ).scalar_one()
        audit.record(conn, actor, "create", "alert", alert_id, client_id)
        ids.append(int(alert_id))
    return tuple(ids)


def list_assessments(
    ctx: Context, actor: Actor, client_id: int, *, code: str | None = None
) -> list[Assessment]:
    """The client's assessments by time, optionally of one instrument. Audited."""
    instrument = instruments.get(code) if code is not None else None
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        query = select(assessments).where(assessments.c.client_id == client_id)
        if instrument is not None:
            query = query.where(assessments.c.instrument == instrument.code)
        rows = conn.execute(query.order_by(assessments.c.at, assessments.c.id)).all()
        audit.record(conn, actor, "view", "assessments", None, client_id)
        return [_to_assessment(row) for row in rows]


def session_scores(ctx: Context, actor: Actor, client_id: int, code: str) -> list[tuple[int, float]]:
    """(session number, total) of instrument ``code``, by session; the last one given in a session
    counts. These feed the sudden-gains analysis (Tang & DeRubeis 1999; issue 4, "Therapy sessions")."""
    by_session: dict[int, float] = {}
    for item in list_assessments(ctx, actor, client_id, code=code):
        if item.session_no is not None:
            by_session[item.session_no] = item.total
    return sorted(by_session.items())


@dataclass(frozen=True, slots=True)
class Schedule:
    """Instrument ``instrument`` is given every ``every_days`` days from ``start_on``."""

    id: int
    client_id: int
    instrument: str
    every_days: int
    start_on: date


@dataclass(frozen=True, slots=True)
class ScheduleStatus:
    """A schedule on ``as_of``: the last time it was given, when it is due next, and its status."""

    schedule: Schedule
    last_on: date | None
    due_on: date
    status: str


def schedule_status(start_on: date, every_days: int, last_on: date | None, as_of: date) -> tuple[date, str]:
    """(due day, status) of a schedule: due on ``start_on`` until given on or after it, then
    ``every_days`` after the last time; ``upcoming`` before the due day, ``due`` up to
    :data:`DUE_GRACE_DAYS` days after it, ``overdue`` later."""
    due = start_on if last_on is None or last_on < start_on else last_on + timedelta(days=every_days)
    if as_of < due:
        return due, "upcoming"
    if as_of <= due + timedelta(days=DUE_GRACE_DAYS):
        return due, "due"
    return due, "overdue"


def set_schedule(
    ctx: Context, actor: Actor, client_id: int, code: str, every_days: int, *, start_on: date | None = None
) -> Schedule:
    """Give instrument ``code`` every ``every_days`` days (1-365) from ``start_on`` (default today);
    replaces the client's earlier schedule for that instrument."""
    instrument = instruments.get(code)
    problems = [p for p in (int_range_problem("every_days", every_days, 1, 365),) if p]
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        today = local_now(client_timezone(conn, client_id))
        problems += [p for p in (planned_day_problem(start_on, today, "start_on"),) if p]
        if problems:
            raise InvalidInput(problems)
        day = start_on or today
        where = (
            instrument_schedules.c.client_id == client_id,
            instrument_schedules.c.instrument == instrument.code,
        )
        values = {"every_days": int(every_days), "start_on": day}
        new = {"client_id": client_id, "instrument": instrument.code, "created_at": datetime.now(UTC)}
        # One schedule per instrument: two first schedules at once update one row, not fail.
        upsert(conn, instrument_schedules, {**new, **values}, ("client_id", "instrument"), values)
        row = conn.execute(select(instrument_schedules).where(*where)).one()
        audit.record(conn, actor, "update", "instrument_schedule", row.id, client_id)
        return Schedule(row.id, client_id, row.instrument, row.every_days, row.start_on)


def schedules(
    ctx: Context, actor: Actor, client_id: int, *, as_of: date | None = None
) -> list[ScheduleStatus]:
    """The client's schedules with their status on ``as_of``, most pressing first.

    Pass ``as_of`` for a reproducible answer; None means today in the client's time zone.
    """
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        as_of = as_of or local_now(client_timezone(conn, client_id))
        rows = conn.execute(
            select(instrument_schedules).where(instrument_schedules.c.client_id == client_id)
        ).all()
        last = dict(
            conn.execute(
                select(assessments.c.instrument, func.max(assessments.c.local_on))
                .where(assessments.c.client_id == client_id, assessments.c.local_on <= as_of)
                .group_by(assessments.c.instrument)
            ).all()
        )
    found = []
    for row in rows:
        schedule = Schedule(row.id, client_id, row.instrument, row.every_days, row.start_on)
        due, status = schedule_status(row.start_on, row.every_days, last.get(row.instrument), as_of)
        found.append(ScheduleStatus(schedule, last.get(row.instrument), due, status))
    rank = {"overdue": 0, "due": 1, "upcoming": 2}
    return sorted(found, key=lambda s: (rank[s.status], s.due_on, s.schedule.instrument))


def store_scored(
    conn: Connection,
    actor: Actor,
    client_id: int,
    instrument: Instrument,
    answers: Sequence[int | None],
    result: Score,
    when: datetime,
    timezone: str,
    now: datetime,
) -> int:
    """Store one scored administration in the caller's transaction (an import's), audited, with one
    open alert per risk flag that fired, exactly as :func:`record` does; returns its id."""
    new_id = int(
        conn.execute(
            insert(assessments)
            .values(
                client_id=client_id,
                instrument=instrument.code,
                answers=list(answers),
                total=float(result.total),
                severity=result.severity,
                flags=list(result.flags),
                prorated=result.prorated,
                at=when,
                local_on=local_day(when, timezone),
                created_at=now,
            )
            .returning(assessments.c.id)
        ).scalar_one()
    )
    audit.record(conn, actor, "create", "assessment", new_id, client_id)
    _raise_alerts(conn, actor, instrument, result, client_id, new_id, now)
    return new_id
