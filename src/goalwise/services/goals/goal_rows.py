"""A stored goal and its revisions: the values the services return and the rows behind them.

A goal row holds the latest revision; every change (an edit or a status change) appends a row to
``goal_revisions`` with who (``audit.actor_label``), when and why (encrypted), so nothing is ever
overwritten and the history is always retrievable (issue 3, "Goal model"; DESIGN.md, "Nothing is
lost"). The full draft is stored as JSON (``core.goal.draft_to_dict``); the columns beside it are
what lists filter and sort on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound, Problem
from goalwise.core.goal import GoalDraft, Priority, draft_to_dict, parse_draft
from goalwise.core.lifecycle import FHIR_LIFECYCLE, GoalStatus, parse_status
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.goals.goal_context import CheckContext, implied_on, load_context, smart_problems
from goalwise.services.goals.goal_metrics import metric_keys
from goalwise.services.measurement.record_store import as_utc
from goalwise.storage.tables import goal_revisions, goals

__all__ = [
    "REASON_CONTEXT",
    "Goal",
    "Revision",
    "add_revision",
    "goal_columns",
    "load_goal",
    "require_goal",
    "spec_of",
    "to_goal",
    "to_revision",
]

REASON_CONTEXT = b"goal_revisions.reason_enc"


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored version of a goal: its status and draft, who changed it, when and why."""

    goal_id: int
    revision: int
    status: str
    spec: dict[str, Any]
    changed_by: str
    changed_at: datetime
    reason: str | None


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal at its latest revision, with the SMART problems it has today.

    ``implied_deadline_on`` is the date a deadline in sessions implies (None otherwise).
    """

    id: int
    client_id: int
    status: str
    title: str
    priority: str
    start_on: date | None
    deadline_on: date | None
    implied_deadline_on: date | None
    review_every_weeks: int | None
    spec: dict[str, Any]
    revision: int
    metric_id: int | None
    metric_key: str | None
    created_at: datetime
    updated_at: datetime
    problems: tuple[Problem, ...] = ()

    @property
    def draft(self) -> GoalDraft:
        """The stored draft as a value."""
        return parse_draft(self.spec)[0]

    @property
    def fhir_lifecycle(self) -> str:
        """FHIR Goal.lifecycleStatus for the status (CLINICAL.md §6.1)."""
        status = parse_status(self.status)
        return FHIR_LIFECYCLE[status] if status else "proposed"


def spec_of(value: Any) -> dict[str, Any]:
    """A stored draft as a dict, whether the driver returns JSON text or a decoded value."""
    return dict(json.loads(value) if isinstance(value, str) else value or {})


def require_goal(
    conn: Connection, actor: Actor, goal_id: int, *, write: bool = False, lock: bool = False
) -> Any:
    """The goal row if ``actor`` may read (or write) its client's records; ``NotFound`` otherwise.

    The goal's client decides (``authz.require_client``); the message never says whether the goal
    exists. ``lock`` takes a row lock (PostgreSQL) so concurrent revisions number correctly.
    """
    query = select(goals).where(goals.c.id == goal_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"goal {goal_id} not found")
    try:
        authz.require_client(conn, actor, row.client_id, write=write)
    except NotFound:
        raise NotFound(f"goal {goal_id} not found") from None
    return row


def goal_columns(draft: GoalDraft, implied: date | None) -> dict[str, Any]:
    """The goal row's columns for ``draft``; a deadline in sessions is stored as the date it implies."""
    return {
        "title": draft.title or "",
        "priority": (draft.priority or Priority.PRIMARY).value,
        "start_on": draft.start_on,
        "deadline_on": draft.deadline_on or implied,
        "review_every_weeks": draft.review_every_weeks,
        "spec": draft_to_dict(draft),
    }


def to_goal(row: Any, keys: Mapping[int, str], context: CheckContext | None) -> Goal:
    """The goal row as a value; with a ``context``, its SMART problems today (the goal itself not
    counted among the other active primary goals)."""
    spec = spec_of(row.spec)
    draft, parse_problems = parse_draft(spec)
    problems: tuple[Problem, ...] = ()
    implied = None
    if context is not None:
        implied = implied_on(draft, context.session_days)
        own = row.status == GoalStatus.ACTIVE.value and row.priority == Priority.PRIMARY.value
        problems = tuple(
            smart_problems(
                draft,
                parse_problems,
                context,
                primary_others=context.active_primary - int(own),
                status=row.status,
            )
        )
    return Goal(
        id=int(row.id),
        client_id=int(row.client_id),
        status=row.status,
        title=row.title,
        priority=row.priority,
        start_on=row.start_on,
        deadline_on=row.deadline_on,
        implied_deadline_on=implied,
        review_every_weeks=row.review_every_weeks,
        spec=spec,
        revision=int(row.revision),
        metric_id=None if row.metric_id is None else int(row.metric_id),
        metric_key=None if row.metric_id is None else keys.get(int(row.metric_id)),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        problems=problems,
    )


def load_goal(conn: Connection, goal_id: int) -> Goal:
    """The stored goal as a value, checked in its client's context."""
    row = conn.execute(select(goals).where(goals.c.id == goal_id)).one()
    return to_goal(row, metric_keys(conn, [row.metric_id]), load_context(conn, row.client_id))


def to_revision(ctx: Context, row: Any) -> Revision:
    """A ``goal_revisions`` row as a value, its reason decrypted."""
    return Revision(
        goal_id=int(row.goal_id),
        revision=int(row.revision),
        status=row.status,
        spec=spec_of(row.spec),
        changed_by=row.changed_by,
        changed_at=as_utc(row.changed_at),
        reason=ctx.keys.decrypt(row.reason_enc, context=REASON_CONTEXT),
    )


def add_revision(
    ctx: Context,
    conn: Connection,
    actor: Actor,
    row_id: int,
    revision: int,
    status: str,
    spec: Any,
    reason: str | None,
    now: datetime,
) -> None:
    """Append revision ``revision`` of the goal with who (``audit.actor_label``), when and why (encrypted)."""
    conn.execute(
        insert(goal_revisions).values(
            goal_id=row_id,
            revision=revision,
            status=status,
            spec=spec,
            changed_by=audit.actor_label(actor),
            changed_at=now,
            reason_enc=ctx.keys.encrypt(reason.strip() if reason else None, context=REASON_CONTEXT),
        )
    )
