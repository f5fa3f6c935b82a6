"""The SMART check of a goal in its client's context: today, other primary goals, session deadlines.

``core.smart.check_goal`` (Doran 1981, *Management Review* 70(11):35-36; the rules of issue 3)
is pure; what it needs from storage is gathered here (issue 3, "Goal model").

Decisions recorded here because the issue leaves them open:

* ``today`` is the client's local date and ``active_primary_goals`` counts the client's OTHER
  active primary goals. A deadline given as a number of sessions is read from the session
  schedule (the n-th planned or attended session after the start); without enough planned
  sessions it falls back to weekly sessions (``core.goal.implied_deadline``).
* A field with a parse problem is not checked again: the user sees the parse problem only, not
  a second SMART problem about the same field.
* A closed goal (achieved, discontinued or revised: ``core.lifecycle.TERMINAL``) is not flagged
  for a deadline that has passed: its deadline is history, not something to fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Problem
from goalwise.core.goal import GoalDraft, Priority, implied_deadline, parse_draft
from goalwise.core.lifecycle import TERMINAL, GoalStatus
from goalwise.core.smart import check_goal
from goalwise.core.smart_rules import T_DEADLINE_PAST
from goalwise.services.accounts import authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.storage.tables import goals, therapy_sessions

__all__ = [
    "CheckContext",
    "check",
    "check_for_client",
    "implied_on",
    "load_context",
    "read_draft",
    "smart_problems",
]


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What the SMART check needs from storage: the client's local date, how many active primary
    goals they have (one goal left out, if asked) and the days of their non-cancelled sessions."""

    today: date
    active_primary: int
    session_days: tuple[date, ...]


def read_draft(draft: GoalDraft | Mapping[str, object]) -> tuple[GoalDraft, list[Problem]]:
    """``draft`` as a value with its parse problems (``core.goal.parse_draft``); a value has none."""
    if isinstance(draft, GoalDraft):
        return draft, []
    return parse_draft(draft)


def load_context(conn: Connection, client_id: int, exclude_goal: int | None = None) -> CheckContext:
    """The check context of the client; ``exclude_goal`` is not counted among the active primary goals."""
    today = local_now(client_timezone(conn, client_id))
    query = select(func.count()).where(
        goals.c.client_id == client_id,
        goals.c.status == GoalStatus.ACTIVE.value,
        goals.c.priority == Priority.PRIMARY.value,
    )
    if exclude_goal is not None:
        query = query.where(goals.c.id != exclude_goal)
    days = conn.execute(
        select(therapy_sessions.c.held_on)
        .where(therapy_sessions.c.client_id == client_id, therapy_sessions.c.status != "cancelled")
        .order_by(therapy_sessions.c.held_on)
    ).scalars()
    return CheckContext(today, int(conn.execute(query).scalar_one()), tuple(days))


def implied_on(draft: GoalDraft, session_days: Sequence[date]) -> date | None:
    """The date "within N sessions" implies: the N-th session after the start, else weekly sessions
    (``core.goal.implied_deadline``). None when the draft has a date deadline or no session count."""
    sessions, start = draft.deadline_sessions, draft.start_on
    if draft.deadline_on is not None or sessions is None or sessions < 1 or start is None:
        return None
    later = [day for day in session_days if day > start]
    return later[sessions - 1] if len(later) >= sessions else implied_deadline(start, sessions)


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def smart_problems(
    draft: GoalDraft,
    parse_problems: Iterable[Problem],
    context: CheckContext,
    *,
    primary_others: int | None = None,
    status: str | None = None,
) -> list[Problem]:
    """Parse problems first, then the SMART check in context (``core.smart.check_goal``, Doran 1981),
    fields with a parse problem skipped. ``primary_others`` overrides the context's count; a closed
    ``status`` (module docstring) drops the past-deadline problem."""
    parsed = list(parse_problems)
    implied = implied_on(draft, context.session_days)
    checked = draft if implied is None else dataclasses.replace(draft, deadline_on=implied)
    others = context.active_primary if primary_others is None else primary_others
    found = check_goal(checked, today=context.today, active_primary_goals=others)
    found = [p for p in found if not any(_related(p.field, q.field) for q in parsed)]
    if status is not None and status in {s.value for s in TERMINAL}:
        found = [p for p in found if p.code != T_DEADLINE_PAST]
    return [*parsed, *found]


def check(
    draft: GoalDraft | Mapping[str, object],
    *,
    today: date | None = None,
    timezone: str = "UTC",
    active_primary_goals: int = 0,
) -> list[Problem]:
    """The SMART check of a draft without any stored client (``core.smart.check_goal``).

    Without a client there is still a today: ``today`` when given, else today's date in
    ``timezone`` (callers pass the installation's default, ``GOALWISE_TIMEZONE``), so a deadline
    already past is reported.
    """
    if today is None:
        today = datetime.now(UTC).astimezone(ZoneInfo(timezone)).date()
    return check_goal(draft, today=today, active_primary_goals=active_primary_goals)


def check_for_client(
    ctx: Context,
    actor: Actor,
    client_id: int,
    draft: GoalDraft | Mapping[str, object],
    *,
    goal_id: int | None = None,
) -> list[Problem]:
    """The SMART check of a draft for this client: their local date, their other active primary
    goals (``goal_id`` left out) and their session schedule."""
    parsed, parse_problems = read_draft(draft)
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        return smart_problems(parsed, parse_problems, load_context(conn, client_id, goal_id))
