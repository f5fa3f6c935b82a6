"""Phases of care: start a baseline or an intervention phase, and list them.

A baseline runs 14 days by default, 7-21 allowed (the 2-3 weeks of the method; issue 4,
"Phases and baseline"; ``core.phase``). An intervention phase has a name ("CBT module 1",
"medication change") and a start date. A phase lasts until the next one starts; a baseline's
``planned_days`` is its plan, used to say how far it has come. Whoever may write the client's
records (the client, a linked therapist, the local operator) may start a phase: a client knows
best when, say, a medication changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, Problem
from goalwise.core.measurement.phase import BASELINE_DAYS_DEFAULT, Phase, PhaseKind, validate_phase
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import (
    client_timezone,
    int_range_problem,
    local_now,
    planned_day_problem,
)
from goalwise.storage.conflict import lock_client
from goalwise.storage.tables import phases

__all__ = ["PhaseSpan", "list_phases", "phase_spans", "read_phases", "start_phase"]


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """A phase and its last day: the day before the next phase starts (None while it runs)."""

    phase: Phase
    end_on: date | None


def _to_phase(row: Any) -> Phase:
    return Phase(row.id, row.client_id, row.kind, row.name, row.start_on, row.planned_days)


def read_phases(conn: Connection, client_id: int) -> list[Phase]:
    """The client's phases by start date (no authorization: for services that checked already)."""
    rows = conn.execute(
        select(phases).where(phases.c.client_id == client_id).order_by(phases.c.start_on, phases.c.id)
    )
    return [_to_phase(row) for row in rows]


def phase_spans(items: list[Phase]) -> list[PhaseSpan]:
    """Each phase with its last day, in start order."""
    ordered = sorted(items, key=lambda p: p.start_on)
    return [
        PhaseSpan(phase, ordered[i + 1].start_on - timedelta(days=1) if i + 1 < len(ordered) else None)
        for i, phase in enumerate(ordered)
    ]


def start_phase(
    ctx: Context,
    actor: Actor,
    client_id: int,
    name: str,
    *,
    baseline: bool = False,
    days: int | None = None,
    start_on: date | None = None,
) -> Phase:
    """Start a phase on ``start_on`` (default: today in the client's time zone).

    A baseline plans ``days`` days (default 14; 7-21 allowed); an intervention may plan ``days``
    (1 or more) or leave it open. Raises ``InvalidInput`` for a blank name or a baseline length
    outside 7-21, ``Conflict`` when another phase already starts that day.
    """
    kind: PhaseKind = "baseline" if baseline else "intervention"
    planned = days if days is not None or not baseline else BASELINE_DAYS_DEFAULT
    # The shells call the length "days"; the core names it for the baseline it checks.
    problems = [
        Problem(p.code, "days", p.message, p.hint) if p.field == "baseline_days" else p
        for p in validate_phase(kind, name, planned)
    ]
    if not baseline and (bad := int_range_problem("days", planned, 1, 3650)):
        problems.append(bad)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        if problems:
            raise InvalidInput(problems)
        today = local_now(client_timezone(conn, client_id))
        if (bad := planned_day_problem(start_on, today, "start_on")) is not None:
            raise InvalidInput([bad])
        day = start_on or today
        lock_client(conn, client_id)  # "one phase per day" has no unique constraint behind it
        clash = conn.execute(
            select(phases.c.id).where(phases.c.client_id == client_id, phases.c.start_on == day)
        ).first()
        if clash is not None:
            raise Conflict(f"a phase already starts on {day.isoformat()}; start this one on another day")
        new_id = conn.execute(
            insert(phases)
            .values(
                client_id=client_id,
                kind=kind,
                name=name.strip(),
                start_on=day,
                planned_days=planned,
                created_at=datetime.now(UTC),
            )
            .returning(phases.c.id)
        ).scalar_one()
        audit.record(conn, actor, "create", "phase", new_id, client_id)
        return Phase(int(new_id), client_id, kind, name.strip(), day, planned)


def list_phases(ctx: Context, actor: Actor, client_id: int) -> list[PhaseSpan]:
    """The client's phases by start date, each with its last day."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        return phase_spans(read_phases(conn, client_id))
