"""Therapy sessions: number, date, planned/attended/cancelled, and the instruments given.

Sessions give two things to the rest of Goalwise: session-by-session scores for the sudden-gains
analysis (assessments carry the session number), and the calendar behind a goal deadline
written in sessions ("within 6 sessions"): :func:`date_within_sessions` reads it from the
schedule of sessions that are planned or attended (cancelled ones do not count).

Whoever may write the client's records (the client, a linked therapist, the local operator) may
keep the schedule; supporters never write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, NotFound, Problem
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import (
    client_timezone,
    future_day_problem,
    int_range_problem,
    local_now,
    planned_day_problem,
)
from goalwise.storage.conflict import insert_once
from goalwise.storage.tables import therapy_sessions

__all__ = [
    "STATUSES",
    "TherapySession",
    "add_session",
    "date_within_sessions",
    "list_sessions",
    "nth_session_after",
    "session_dates",
    "update_session",
]

STATUSES = ("planned", "attended", "cancelled")


@dataclass(frozen=True, slots=True)
class TherapySession:
    """One session of a client's therapy."""

    id: int
    client_id: int
    number: int
    held_on: date
    status: str
    instruments: tuple[str, ...]


def _to_session(row: Any) -> TherapySession:
    return TherapySession(row.id, row.client_id, row.number, row.held_on, row.status, tuple(row.instruments))


def _problems(
    conn: Connection, client_id: int, status: str | None, held_on: date | None, codes: Sequence[str] | None
) -> tuple[list[Problem], list[str]]:
    problems: list[Problem] = []
    if status is not None and status not in STATUSES:
        problems.append(
            Problem(
                "session-status",
                "status",
                f"Status {status!r:.20} is unknown.",
                f"Use one of {', '.join(STATUSES)}.",
            )
        )
    if held_on is not None:
        today = local_now(client_timezone(conn, client_id))
        # An attended session has happened; a planned one may lie ahead, within the planning range.
        check = future_day_problem if status == "attended" else planned_day_problem
        if (bad := check(held_on, today, "held_on")) is not None:
            problems.append(bad)
    normalised: list[str] = []
    for position, code in enumerate(codes or (), start=1):
        try:
            normalised.append(instruments.get(code).code)
        except InvalidInput as exc:
            problems.extend(
                Problem(p.code, f"instruments[{position}]", p.message, p.hint) for p in exc.problems
            )
    return problems, list(dict.fromkeys(normalised))


def add_session(
    ctx: Context,
    actor: Actor,
    client_id: int,
    held_on: date,
    *,
    status: str = "planned",
    number: int | None = None,
    instruments_given: Sequence[str] = (),
) -> TherapySession:
    """Add a session (numbered after the last one unless ``number`` is given).

    Raises ``InvalidInput`` (unknown status or instrument, number below 1, an attended session
    in the future), ``Conflict`` when the number is taken.
    """
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        problems, codes = _problems(conn, client_id, status, held_on, instruments_given)
        if number is not None and (bad := int_range_problem("number", number, 1, 10_000)):
            problems.append(bad)
        if problems:
            raise InvalidInput(problems)
        values = {"held_on": held_on, "status": status, "instruments": codes, "created_at": datetime.now(UTC)}
        new_id = _insert_session(conn, client_id, number, values)
        audit.record(conn, actor, "create", "therapy_session", new_id, client_id)
        return _to_session(
            conn.execute(select(therapy_sessions).where(therapy_sessions.c.id == new_id)).one()
        )


def _insert_session(conn: Connection, client_id: int, number: int | None, values: dict[str, Any]) -> int:
    """Insert session ``number`` (or the next number); ``Conflict`` when a given number is taken.

    Two sessions added at once both see the same last number: the one that loses the unique
    (client_id, number) takes the next, instead of failing.
    """
    for _ in range(_NUMBER_TRIES):
        wanted = number
        if wanted is None:
            last = conn.execute(
                select(func.max(therapy_sessions.c.number)).where(therapy_sessions.c.client_id == client_id)
            ).scalar()
            wanted = int(last or 0) + 1
        new_id = insert_once(
            conn,
            therapy_sessions,
            {"client_id": client_id, "number": wanted, **values},
            ("client_id", "number"),
        )
        if new_id is not None:
            return new_id
        if number is not None:
            break
    raise Conflict(f"session {wanted} already exists; change it instead, or leave the number out")


_NUMBER_TRIES = 20


def update_session(
    ctx: Context,
    actor: Actor,
    client_id: int,
    number: int,
    *,
    status: str | None = None,
    held_on: date | None = None,
    instruments_given: Sequence[str] | None = None,
) -> TherapySession:
    """Change a session's status, date or instruments (omitted values stay as they were)."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        where = (therapy_sessions.c.client_id == client_id, therapy_sessions.c.number == number)
        row = conn.execute(select(therapy_sessions).where(*where)).first()
        if row is None:
            raise NotFound(f"session {number} not found")
        new_status = status or row.status
        problems, codes = _problems(conn, client_id, new_status, held_on or row.held_on, instruments_given)
        if problems:
            raise InvalidInput(problems)
        values: dict[str, Any] = {"status": new_status, "held_on": held_on or row.held_on}
        if instruments_given is not None:
            values["instruments"] = codes
        conn.execute(update(therapy_sessions).where(*where).values(**values))
        audit.record(conn, actor, "update", "therapy_session", row.id, client_id)
        return _to_session(conn.execute(select(therapy_sessions).where(*where)).one())


def list_sessions(ctx: Context, actor: Actor, client_id: int) -> list[TherapySession]:
    """The client's sessions by number."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        rows = conn.execute(
            select(therapy_sessions)
            .where(therapy_sessions.c.client_id == client_id)
            .order_by(therapy_sessions.c.number)
        )
        return [_to_session(row) for row in rows]


def session_dates(ctx: Context, actor: Actor, client_id: int) -> list[date]:
    """The dates of the client's planned and attended sessions, in order (cancelled ones left out)."""
    return sorted(s.held_on for s in list_sessions(ctx, actor, client_id) if s.status != "cancelled")


def nth_session_after(dates: Sequence[date], n: int, as_of: date) -> date | None:
    """The date of the ``n``-th session after ``as_of`` (a session on ``as_of`` itself does not
    count: a goal set in today's session is due within the next ``n``); None when the schedule
    holds fewer than ``n`` later sessions."""
    if n < 1:
        raise ValueError("n must be 1 or more")
    later = sorted(d for d in dates if d > as_of)
    return later[n - 1] if len(later) >= n else None


def date_within_sessions(
    ctx: Context, actor: Actor, client_id: int, n: int, *, as_of: date | None = None
) -> date | None:
    """The date implied by "within ``n`` sessions" from ``as_of``, read from the session schedule.

    ``as_of`` None means today in the client's time zone. None when fewer than ``n`` sessions are
    planned after ``as_of``: plan them first.
    """
    dates = session_dates(ctx, actor, client_id)
    if as_of is None:
        with ctx.db.read() as conn:
            as_of = local_now(client_timezone(conn, client_id))
    return nth_session_after(dates, n, as_of)
