"""Recording a review, and reading the reviews held (issue 12, "Recording a review").

A review is stored whole or not at all: its row, each goal's level and decision, the goal
revisions or status changes the decisions make, the repeated needs assessment of a plan review and
the audit event share one transaction, and every problem found (in the input, or in what a decision
would do to its goal) is reported at once, each naming its field (``goals[0].gas_level``).

Each decision writes to the goal's history with who, when and ``review N: <decision>: <reason>``
as its reason: ``adjust`` a new revision with the new target and/or deadline (checked as any goal
edit is), ``achieved`` and ``discontinue`` a status change, ``continue`` and ``add-steps`` a revision
that keeps the goal as it is (``add-steps`` also appends its ``steps`` to the goal's plan). The
notes are client content, encrypted like the journal (``reviews.notes_enc``), as are the
decisions' reasons. The T-score is Kiresuk-Sherman's with each goal's GAS weight and rho 0.3
(``goalwise.analytics.gas.t_score``; CLINICAL.md §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from goalwise.analytics.gas import t_score
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, NotFound, Problem
from goalwise.core.need import parse_assessment
from goalwise.core.reviews.review import (
    DECISION_STATUS,
    MAX_ID,
    Decision,
    GoalDecision,
    ReviewInput,
    next_review_on,
    parse_review,
)
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.goals import goals as goal_service
from goalwise.services.goals.goal_rows import add_revision, spec_of
from goalwise.services.goals.needs import insert_assessment
from goalwise.services.measurement.record_store import as_utc, client_timezone, earliest_problem, local_now
from goalwise.services.reviews.gas import scales_of
from goalwise.services.reviews.suggestion import suggested_levels
from goalwise.storage.conflict import lock_client
from goalwise.storage.tables import goals, plan_items, review_goals, reviews

__all__ = ["Review", "ReviewGoal", "get_review", "list_reviews", "record"]

NOTES_CONTEXT = b"reviews.notes_enc"
REASON_CONTEXT = b"review_goals.reason_enc"
_REVIEWABLE = ("active", "on_hold")


@dataclass(frozen=True, slots=True)
class ReviewGoal:
    """One goal as a review scored it and what it decided."""

    goal_id: int
    title: str
    gas_level: int
    suggested_level: int | None
    weight: float
    decision: str
    reason: str | None
    new_target: float | None
    new_deadline_on: date | None


@dataclass(frozen=True, slots=True)
class Review:
    """A review held; ``notes`` is None in lists (read one review to see them)."""

    id: int
    client_id: int
    number: int
    kind: str
    held_on: date
    next_review_on: date | None
    t_score: float | None
    notes: str | None
    goals: tuple[ReviewGoal, ...]
    needs_assessment_id: int | None
    goals_fit: bool | None
    created_by: str
    created_at: datetime


def _require_therapist(actor: Actor) -> None:
    # Reviews are held by the client's therapist; a client reads them, a supporter never does.
    authz.require_role(actor, "therapist")


def _raw_goal_ids(data: object) -> list[tuple[int, int]]:
    """(index, goal id) of each listed goal whose id is a whole number, read from the raw input, so
    that an unknown or closed goal is reported beside the input's other problems."""
    raw = data.get("goals") if isinstance(data, Mapping) else None
    found = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        goal_id = item.get("goal_id") if isinstance(item, Mapping) else None
        if isinstance(goal_id, int) and not isinstance(goal_id, bool) and 0 < goal_id <= MAX_ID:
            found.append((index, goal_id))
    return found


def _goal_rows(conn: Connection, client_id: int, data: object) -> tuple[dict[int, Any], list[Problem]]:
    listed = _raw_goal_ids(data)
    ids = [goal_id for _, goal_id in listed]
    rows = {int(r.id): r for r in conn.execute(select(goals).where(goals.c.id.in_(ids))).all()} if ids else {}
    problems = []
    for index, goal_id in listed:
        row = rows.get(goal_id)
        where = f"goals[{index}].goal_id"
        if row is None or int(row.client_id) != client_id:
            problems.append(
                Problem("review-goal-unknown", where, f"{where} is not a goal of this client.", "")
            )
        elif row.status not in _REVIEWABLE:
            problems.append(
                Problem(
                    "review-goal-closed",
                    where,
                    f"{where} is {row.status}; a review scores active and on-hold goals.",
                    "Leave it out of the review.",
                )
            )
    return rows, problems


def _adjust_patch(row: Any, item: GoalDecision, where: str) -> tuple[dict[str, Any], list[Problem]]:
    patch: dict[str, Any] = {}
    if item.deadline_on is not None:
        patch["deadline_on"] = item.deadline_on.isoformat()
        patch["deadline_sessions"] = None
    if item.target is not None:
        current = spec_of(row.spec).get("target")
        if isinstance(current, Mapping) and ("low" in current or "high" in current):
            return {}, [
                Problem(
                    "review-target-range",
                    f"{where}.target",
                    f"{where}.target is one number, but this goal's target is a range.",
                    "Edit the range with `goalwise goal revise`, then record the review as 'continue'.",
                )
            ]
        patch["target"] = {**current, "value": item.target} if isinstance(current, Mapping) else item.target
    return patch, []


def _prefixed(problems: list[Problem], where: str) -> list[Problem]:
    return [Problem(p.code, f"{where}.{p.field}", p.message, p.hint, p.severity) for p in problems]


def _note_in_history(ctx: Context, conn: Connection, actor: Actor, goal_id: int, reason: str) -> None:
    """A revision that keeps the goal as it is and records the review in its history."""
    row = conn.execute(select(goals).where(goals.c.id == goal_id).with_for_update()).one()
    now = datetime.now(UTC)
    revision = int(row.revision) + 1
    conn.execute(update(goals).where(goals.c.id == goal_id).values(revision=revision, updated_at=now))
    add_revision(ctx, conn, actor, goal_id, revision, row.status, row.spec, reason, now)


def _add_steps(conn: Connection, row: Any, steps: tuple[str, ...]) -> None:
    """Append an ``add-steps`` decision's steps to the end of the goal's plan."""
    if not steps:
        return
    last = conn.execute(
        select(func.max(plan_items.c.position)).where(plan_items.c.goal_id == row.id)
    ).scalar()
    now = datetime.now(UTC)
    conn.execute(
        insert(plan_items),
        [
            {
                "goal_id": row.id,
                "client_id": row.client_id,
                "kind": "step",
                "position": int(last or 0) + number,
                "title": title,
                "micro": False,
                "created_at": now,
            }
            for number, title in enumerate(steps, start=1)
        ],
    )


def _apply(
    ctx: Context, conn: Connection, actor: Actor, row: Any, item: GoalDecision, number: int, where: str
) -> list[Problem]:
    """Write what ``item`` decides to the goal's history; the problems it meets, named under ``where``."""
    reason = f"review {number}: {item.decision.value}" + (f": {item.reason}" if item.reason else "")
    status = DECISION_STATUS[item.decision]
    try:
        if item.decision is Decision.ADJUST:
            patch, problems = _adjust_patch(row, item, where)
            if problems:
                return problems
            goal_service.revise_in(ctx, conn, actor, item.goal_id, patch, reason=reason, merge=True)
        elif status is not None:
            goal_service.change_status_in(ctx, conn, actor, item.goal_id, status, reason=reason)
        else:
            _note_in_history(ctx, conn, actor, item.goal_id, reason)
            _add_steps(conn, row, item.steps)
    except InvalidInput as exc:
        return _prefixed(list(exc.problems), where)
    except Conflict as exc:
        return [Problem("review-goal-final", f"{where}.decision", exc.message, "")]
    return []


def _staying_cadences(conn: Connection, client_id: int) -> list[int | None]:
    rows = conn.execute(
        select(goals.c.review_every_weeks).where(goals.c.client_id == client_id, goals.c.status == "active")
    ).all()
    return [r.review_every_weeks for r in rows]


def _insert_review(
    ctx: Context, conn: Connection, actor: Actor, client_id: int, review: ReviewInput, number: int
) -> int:
    return int(
        conn.execute(
            insert(reviews)
            .values(
                client_id=client_id,
                number=number,
                kind=review.kind.value,
                held_on=review.held_on,
                notes_enc=ctx.keys.encrypt(review.notes, context=NOTES_CONTEXT),
                goals_fit=review.goals_fit,
                created_by=audit.actor_label(actor),
                created_at=datetime.now(UTC),
            )
            .returning(reviews.c.id)
        ).scalar_one()
    )


def _plan_needs(
    ctx: Context, conn: Connection, actor: Actor, client_id: int, review: ReviewInput
) -> tuple[int | None, list[Problem]]:
    if review.needs is None:
        return None, []
    assessment, problems = parse_assessment(review.needs)
    if problems:
        return None, _prefixed(problems, "needs")
    day = review.held_on
    return insert_assessment(ctx, conn, actor, client_id, assessment, day, datetime.now(UTC)), []


def _same_content(stored: Review, review: ReviewInput) -> bool:
    decided = [
        (g.goal_id, g.gas_level, g.decision, g.reason, g.new_target, g.new_deadline_on) for g in stored.goals
    ]
    asked = [
        (g.goal_id, g.gas_level, g.decision.value, g.reason, g.target, g.deadline_on) for g in review.goals
    ]
    return (
        decided == asked
        and stored.notes == review.notes
        and stored.goals_fit == review.goals_fit
        and review.next_review_on in (None, stored.next_review_on)
    )


def _held_same_day(ctx: Context, conn: Connection, client_id: int, review: ReviewInput) -> Review | None:
    """The stored review of this kind held the same day when ``review`` repeats it (a form sent
    twice, a retry); ``Conflict`` naming ``held_on`` when it says something else; None when there
    is none. The caller holds the client's lock, so two submissions at once see each other."""
    found = conn.execute(
        select(reviews.c.id).where(
            reviews.c.client_id == client_id,
            reviews.c.kind == review.kind.value,
            reviews.c.held_on == review.held_on,
        )
    ).scalar()
    if found is None:
        return None
    stored = _load(ctx, conn, int(found), with_notes=True)
    if _same_content(stored, review):
        return stored
    raise Conflict(
        f"held_on: review {stored.number} of this kind was already held on {review.held_on.isoformat()}; "
        "give another held_on, or leave that review as it is"
    )


def record(ctx: Context, actor: Actor, client_id: int, data: Mapping[str, object]) -> Review:
    """Record a review from REVIEW.json (``core.reviews.review``), whole or not at all.

    One review of each kind a day: a repeat of the day's review (the same content) answers with
    the stored one; a different one raises ``Conflict`` naming ``held_on``. Raises ``InvalidInput``
    with every problem (nothing is stored then), ``Forbidden`` for an actor who is not a
    therapist, ``NotFound`` for a client the therapist is not linked to.
    """
    _require_therapist(actor)
    parsed, problems = parse_review(data)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        lock_client(conn, client_id)  # reviews are numbered per client: one numbering at a time
        if parsed is not None and (same_day := _held_same_day(ctx, conn, client_id, parsed)) is not None:
            return same_day
        rows, goal_problems = _goal_rows(conn, client_id, data)
        today = local_now(client_timezone(conn, client_id))
        if parsed is not None and (early := earliest_problem(parsed.held_on, "held_on")) is not None:
            problems.append(early)
        elif parsed is not None and parsed.held_on > today:
            problems.append(
                Problem("review-future", "held_on", "held_on is after today.", "Record reviews held.")
            )
        problems += goal_problems
        if parsed is None or problems:
            raise InvalidInput(problems)
        number = (
            int(
                conn.execute(
                    select(func.coalesce(func.max(reviews.c.number), 0)).where(
                        reviews.c.client_id == client_id
                    )
                ).scalar_one()
            )
            + 1
        )
        review_id = _insert_review(ctx, conn, actor, client_id, parsed, number)
        picked = [rows[g.goal_id] for g in parsed.goals]
        scales = scales_of(conn, picked)
        suggested = suggested_levels(conn, picked, scales, parsed.held_on)
        for index, item in enumerate(parsed.goals):
            problems += _apply(ctx, conn, actor, rows[item.goal_id], item, number, f"goals[{index}]")
            conn.execute(
                insert(review_goals).values(
                    review_id=review_id,
                    goal_id=item.goal_id,
                    gas_level=item.gas_level,
                    suggested_level=suggested[item.goal_id],
                    weight=scales[item.goal_id].weight,
                    decision=item.decision.value,
                    reason_enc=ctx.keys.encrypt(item.reason, context=REASON_CONTEXT),
                    new_target=item.target,
                    new_deadline_on=item.deadline_on,
                )
            )
        needs_id, needs_problems = _plan_needs(ctx, conn, actor, client_id, parsed)
        problems += needs_problems
        if problems:
            raise InvalidInput(problems)  # the transaction rolls back: nothing is stored
        levels = [g.gas_level for g in parsed.goals]
        score = t_score(levels, [scales[g.goal_id].weight for g in parsed.goals]) if levels else None
        next_on = parsed.next_review_on or next_review_on(parsed.held_on, _staying_cadences(conn, client_id))
        conn.execute(
            update(reviews)
            .where(reviews.c.id == review_id)
            .values(t_score=score, next_review_on=next_on, needs_assessment_id=needs_id)
        )
        audit.record(conn, actor, "create", "review", review_id, client_id)
        return _load(ctx, conn, review_id, with_notes=True)


def _load_goals(ctx: Context, conn: Connection, review_ids: list[int]) -> dict[int, list[ReviewGoal]]:
    found: dict[int, list[ReviewGoal]] = {i: [] for i in review_ids}
    rows = conn.execute(
        select(review_goals, goals.c.title)
        .join(goals, goals.c.id == review_goals.c.goal_id)
        .where(review_goals.c.review_id.in_(review_ids))
        .order_by(review_goals.c.id)
    ).all()
    for r in rows:
        found[int(r.review_id)].append(
            ReviewGoal(
                int(r.goal_id),
                r.title,
                int(r.gas_level),
                r.suggested_level,
                float(r.weight),
                r.decision,
                ctx.keys.decrypt(r.reason_enc, context=REASON_CONTEXT),
                r.new_target,
                r.new_deadline_on,
            )
        )
    return found


def _to_review(ctx: Context, row: Any, found: list[ReviewGoal], with_notes: bool) -> Review:
    return Review(
        id=int(row.id),
        client_id=int(row.client_id),
        number=int(row.number),
        kind=row.kind,
        held_on=row.held_on,
        next_review_on=row.next_review_on,
        t_score=row.t_score,
        notes=ctx.keys.decrypt(row.notes_enc, context=NOTES_CONTEXT) if with_notes else None,
        goals=tuple(found),
        needs_assessment_id=row.needs_assessment_id,
        goals_fit=row.goals_fit,
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
    )


def _load(ctx: Context, conn: Connection, review_id: int, *, with_notes: bool) -> Review:
    row = conn.execute(select(reviews).where(reviews.c.id == review_id)).one()
    return _to_review(ctx, row, _load_goals(ctx, conn, [review_id])[review_id], with_notes)


def reviews_in(ctx: Context, conn: Connection, client_id: int) -> list[Review]:
    """The client's reviews, oldest first, without notes, read in the caller's transaction."""
    rows = conn.execute(
        select(reviews).where(reviews.c.client_id == client_id).order_by(reviews.c.held_on, reviews.c.number)
    ).all()
    found = _load_goals(ctx, conn, [int(r.id) for r in rows])
    return [_to_review(ctx, r, found[int(r.id)], False) for r in rows]


def list_reviews(ctx: Context, actor: Actor, client_id: int) -> list[Review]:
    """The client's reviews, oldest first, with levels and decisions but not the notes; audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        audit.record(conn, actor, "view", "reviews", None, client_id)
        return reviews_in(ctx, conn, client_id)


def get_review(ctx: Context, actor: Actor, review_id: int) -> Review:
    """One review with its notes, levels and decisions; ``NotFound`` for a review the actor may not
    read (a supporter never reads one). Audited."""
    with ctx.db.write() as conn:
        row = conn.execute(select(reviews.c.client_id).where(reviews.c.id == review_id)).first()
        if row is None:
            raise NotFound(f"review {review_id} not found")
        try:
            authz.require_client(conn, actor, int(row.client_id))
        except NotFound:
            raise NotFound(f"review {review_id} not found") from None
        audit.record(conn, actor, "view", "review", review_id, int(row.client_id))
        return _load(ctx, conn, review_id, with_notes=True)
