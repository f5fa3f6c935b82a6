"""Importance and confidence rulers of a goal, at goal setting and at reviews, with MI advice.

The rulers run from 0 to 10 (Miller & Rollnick 2013, *Motivational Interviewing*, 3rd ed.). They
are recorded with context "set" (when the goal is made, from the draft's rulers) or "review".
Confidence below 7 comes back with the A-low-confidence advice of the SMART check (a smaller
first step; ``core.smart_rules.A_LOW_CONFIDENCE``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.smart import check_goal
from goalwise.core.smart_rules import A_LOW_CONFIDENCE
from goalwise.services.accounts import audit
from goalwise.services.context import Context
from goalwise.services.goals.goal_rows import require_goal, spec_of
from goalwise.services.measurement.record_store import as_utc, int_range_problem
from goalwise.storage.tables import readiness

__all__ = ["READINESS_CONTEXTS", "Readiness", "insert_readiness", "list_readiness", "record_readiness"]

READINESS_CONTEXTS = ("set", "review")


@dataclass(frozen=True, slots=True)
class Readiness:
    """Importance and confidence rulers (0-10) at goal setting or a review, with MI advice."""

    id: int
    goal_id: int
    at: datetime
    context: str
    importance: int
    confidence: int
    advice: tuple[Problem, ...] = ()


def _advice(spec: Mapping[str, object], confidence: int) -> tuple[Problem, ...]:
    found = check_goal(spec, confidence=confidence)
    return tuple(p for p in found if p.code == A_LOW_CONFIDENCE)


def insert_readiness(
    conn: Connection, goal_id: int, at: datetime, context: str, importance: int, confidence: int
) -> int:
    """Store one readiness record (values already checked) and return its id."""
    new_id = conn.execute(
        insert(readiness)
        .values(goal_id=goal_id, at=at, context=context, importance=importance, confidence=confidence)
        .returning(readiness.c.id)
    ).scalar_one()
    return int(new_id)


def record_readiness(
    ctx: Context, actor: Actor, goal_id: int, *, importance: int, confidence: int, context: str = "review"
) -> Readiness:
    """Record the importance and confidence rulers (0-10; Miller & Rollnick 2013, *Motivational
    Interviewing*, 3rd ed.) at goal setting ("set") or a review ("review").

    Confidence below 7 comes back with the A-low-confidence advice (a smaller first step).
    """
    problems = [
        p
        for p in (
            int_range_problem("importance", importance, 0, 10),
            int_range_problem("confidence", confidence, 0, 10),
        )
        if p
    ]
    if context not in READINESS_CONTEXTS:
        problems.append(
            Problem("readiness-context", "context", f"context '{context}' is unknown.", "Use set or review.")
        )
    if problems:
        raise InvalidInput(problems)
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        row = require_goal(conn, actor, goal_id, write=True)
        new_id = insert_readiness(conn, goal_id, now, context, int(importance), int(confidence))
        audit.record(conn, actor, "create", "readiness", new_id, row.client_id)
        advice = _advice(spec_of(row.spec), int(confidence))
    return Readiness(new_id, goal_id, now, context, int(importance), int(confidence), advice)


def list_readiness(ctx: Context, actor: Actor, goal_id: int) -> list[Readiness]:
    """Every readiness record of the goal, oldest first; the view is audited."""
    with ctx.db.write() as conn:
        row = require_goal(conn, actor, goal_id)
        rows = conn.execute(
            select(readiness).where(readiness.c.goal_id == goal_id).order_by(readiness.c.at, readiness.c.id)
        ).all()
        spec = spec_of(row.spec)
        audit.record(conn, actor, "view", "readiness", goal_id, row.client_id)
    return [
        Readiness(
            int(r.id),
            goal_id,
            as_utc(r.at),
            r.context,
            r.importance,
            r.confidence,
            _advice(spec, r.confidence),
        )
        for r in rows
    ]
