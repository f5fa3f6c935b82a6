"""Use cases for SMART goals: create, read, revise, change status, history, check and readiness.

A goal row holds the latest revision; every change (an edit or a status change) appends a row to
``goal_revisions`` with who (``audit.actor_label``), when and why (encrypted), so nothing is ever
overwritten and the history is always retrievable (issue 3, "Goal model"; DESIGN.md, "Nothing is
lost"). The full draft is stored as JSON (``core.goal.draft_to_dict``); the columns beside it are
what lists filter and sort on.

Decisions recorded here because the issue leaves them open:

* **Saving versus activating.** A proposed goal may be unfinished: missing fields (no deadline
  yet, no baseline) only block activation. Input that is *wrong* blocks saving at all:
  unreadable values (wrong type, unknown metric kind, malformed date) and the codes in
  :data:`SAVE_BLOCKING` (a target or baseline off the metric's scale, a deadline before the
  start, a review cadence or ruler outside its range ...). Nothing is stored then.
* ``create(..., activate=True)`` with SMART errors stores nothing and raises ``InvalidInput``
  listing the errors, rather than quietly saving a proposed goal.
* Editing an ``active`` goal must keep it free of SMART errors; proposed and on-hold goals may
  be edited into an unfinished state (reactivation re-runs the check). Goals in a final status
  (achieved, revised, discontinued) are not edited: ``Conflict``.
* Context for the check: ``today`` is the client's local date and ``active_primary_goals`` counts
  the client's OTHER active primary goals. A deadline given as a number of sessions is read from
  the session schedule (the n-th planned or attended session after the start); without enough
  planned sessions it falls back to weekly sessions (``core.goal.implied_deadline``).
* Each goal with a metric gets its own metric row (key ``goal-<id>``) so observations can be
  logged against it. A revision updates that metric in place, unless values were logged and the
  revision changes what they mean (another kind, or another scale for a rating or instrument):
  then a new metric ``goal-<id>-r<revision>`` is made and the old values stay with the old
  metric. The check-in's standard metrics (mood, anxiety, sleep) are never reshaped by a goal.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from goalwise.core.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, NotFound, Problem
from goalwise.core.goal import Direction, GoalDraft, Priority, draft_to_dict, implied_deadline, parse_draft
from goalwise.core.lifecycle import (
    FHIR_LIFECYCLE,
    TERMINAL,
    GoalStatus,
    parse_status,
    transition_problems,
)
from goalwise.core.metric import MetricKind, MetricSpec
from goalwise.core.smart import check_goal, has_errors
from goalwise.core.smart_rules import A_LOW_CONFIDENCE
from goalwise.core.template import get_template
from goalwise.services import audit, authz
from goalwise.services.context import Context
from goalwise.services.records import (
    STANDARD_KEYS,
    as_utc,
    client_timezone,
    int_range_problem,
    local_now,
    text_problem,
)
from goalwise.storage.tables import goal_revisions, goals, metrics, observations, readiness, therapy_sessions

__all__ = [
    "READINESS_CONTEXTS",
    "REASON_CONTEXT",
    "SAVE_BLOCKING",
    "Goal",
    "Readiness",
    "Revision",
    "change_status",
    "check",
    "check_for_client",
    "create",
    "create_from_template",
    "get",
    "history",
    "list_goals",
    "list_readiness",
    "merge_patch",
    "record_readiness",
    "require_goal",
    "revise",
]

REASON_CONTEXT = b"goal_revisions.reason_enc"
READINESS_CONTEXTS = ("set", "review")
#: The goals.title column holds 200 characters; the spec keeps nothing longer either.
TITLE_LIMIT = 200
REASON_LIMIT = 2000

#: SMART codes that mean the input is wrong (not merely unfinished): they block saving at all.
SAVE_BLOCKING = frozenset(
    {
        "S-no-title",
        "M-target-off-scale",
        "M-baseline-off-scale",
        "M-scale-order",
        "M-unknown-instrument",
        "M-duration-unit",
        "A-ruler-range",
        "T-deadline-before-start",
        "T-sessions-range",
        "T-review-range",
    }
)


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


# -- shared helpers ---------------------------------------------------------------------------------


def _spec(value: Any) -> dict[str, Any]:
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


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _read(draft: GoalDraft | Mapping[str, object]) -> tuple[GoalDraft, list[Problem]]:
    if isinstance(draft, GoalDraft):
        return draft, []
    return parse_draft(draft)


@dataclass(frozen=True, slots=True)
class _Context:
    today: date
    active_primary: int
    session_days: tuple[date, ...]


def _context(conn: Connection, client_id: int, exclude_goal: int | None = None) -> _Context:
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
    return _Context(today, int(conn.execute(query).scalar_one()), tuple(days))


def _implied(draft: GoalDraft, session_days: Sequence[date]) -> date | None:
    """The date "within N sessions" implies: the N-th session after the start, else weekly sessions."""
    sessions, start = draft.deadline_sessions, draft.start_on
    if draft.deadline_on is not None or sessions is None or sessions < 1 or start is None:
        return None
    later = [day for day in session_days if day > start]
    return later[sessions - 1] if len(later) >= sessions else implied_deadline(start, sessions)


def _problems(
    draft: GoalDraft,
    parse_problems: Iterable[Problem],
    context: _Context,
    *,
    primary_others: int | None = None,
) -> list[Problem]:
    """Parse problems first, then the SMART check in context (fields with a parse problem skipped)."""
    parsed = list(parse_problems)
    implied = _implied(draft, context.session_days)
    checked = draft if implied is None else dataclasses.replace(draft, deadline_on=implied)
    others = context.active_primary if primary_others is None else primary_others
    found = check_goal(checked, today=context.today, active_primary_goals=others)
    found = [p for p in found if not any(_related(p.field, q.field) for q in parsed)]
    return [*parsed, *found]


def _limit_problems(draft: GoalDraft) -> list[Problem]:
    if draft.title is not None and len(draft.title) > TITLE_LIMIT:
        message = f"title has {len(draft.title)} characters; the limit is {TITLE_LIMIT}."
        return [Problem("S-title-too-long", "title", message, "Shorten the title; put details in behaviour.")]
    return []


def _save_blocking(problems: Iterable[Problem], parse_problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p in parse_problems or p.code in SAVE_BLOCKING]


def _activation_problems(current: str, problems: Sequence[Problem]) -> list[Problem]:
    moved = transition_problems(current, GoalStatus.ACTIVE, problems)
    if not moved:
        return []
    return [*(p for p in problems if p.severity == "error"), *moved]


def _reason_problem(reason: str | None, *, required: bool) -> Problem | None:
    found = text_problem("reason", reason, required=required, limit=REASON_LIMIT)
    if found is not None and found.code == "text-missing":
        return dataclasses.replace(found, hint="Say why, e.g. 'Target agreed at the week-6 review'.")
    return found


def _columns(draft: GoalDraft, implied: date | None) -> dict[str, Any]:
    return {
        "title": draft.title or "",
        "priority": (draft.priority or Priority.PRIMARY).value,
        "start_on": draft.start_on,
        "deadline_on": draft.deadline_on or implied,
        "review_every_weeks": draft.review_every_weeks,
        "spec": draft_to_dict(draft),
    }


# -- metrics ----------------------------------------------------------------------------------------


def _metric_values(draft: GoalDraft, metric: MetricSpec) -> dict[str, Any]:
    bounds = metric.bounds()
    low = high = None
    # Ratings and instruments are checked against their scale when a value is logged; a duration
    # only against its upper end (the minutes in the period). Counts, proportions (value of a
    # denominator) and checklists (0/1) have their own checks in core.observation.
    if metric.kind in (MetricKind.RATING, MetricKind.INSTRUMENT, MetricKind.DURATION) and bounds is not None:
        low, high = bounds
    unit = "minutes" if metric.kind is MetricKind.DURATION else metric.unit
    return {
        "label": (draft.title or "Goal")[:120],
        "kind": metric.kind.value,
        "unit": None if unit is None else unit[:40],
        "period": None if metric.period is None else metric.period.value,
        "scale_min": low,
        "scale_max": high,
        "higher_is_better": draft.direction is not Direction.DECREASE,
    }


def _same_values_scale(current: Any, values: Mapping[str, Any]) -> bool:
    """True when values logged against ``current`` still mean the same under ``values``: same kind
    and, for ratings and instruments, the same scale."""
    if current.kind != values["kind"]:
        return False
    if current.kind in (MetricKind.RATING.value, MetricKind.INSTRUMENT.value):
        return bool(current.scale_min == values["scale_min"] and current.scale_max == values["scale_max"])
    return True


def _sync_metric(conn: Connection, row: Any, draft: GoalDraft, revision: int, now: datetime) -> int | None:
    """The metric the goal's values are logged against after this revision (see the module docstring)."""
    if draft.metric is None:
        return row.metric_id  # type: ignore[no-any-return]
    values = _metric_values(draft, draft.metric)
    if row.metric_id is not None:
        current = conn.execute(select(metrics).where(metrics.c.id == row.metric_id)).first()
        # The check-in's standard metrics are shared; a goal never reshapes them.
        if current is not None and current.key not in STANDARD_KEYS:
            logged = conn.execute(
                select(observations.c.id).where(observations.c.metric_id == current.id).limit(1)
            ).first()
            if logged is None or _same_values_scale(current, values):
                conn.execute(update(metrics).where(metrics.c.id == current.id).values(**values))
                return int(current.id)
    key = f"goal-{row.id}" if revision == 1 else f"goal-{row.id}-r{revision}"
    new_id = conn.execute(
        insert(metrics)
        .values(client_id=row.client_id, key=key, created_at=now, **values)
        .returning(metrics.c.id)
    ).scalar_one()
    return int(new_id)


# -- reading ----------------------------------------------------------------------------------------


def _metric_keys(conn: Connection, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = conn.execute(select(metrics.c.id, metrics.c.key).where(metrics.c.id.in_(wanted)))
    return {int(r.id): str(r.key) for r in rows}


def _to_goal(row: Any, keys: Mapping[int, str], context: _Context | None) -> Goal:
    spec = _spec(row.spec)
    draft, parse_problems = parse_draft(spec)
    problems: tuple[Problem, ...] = ()
    implied = None
    if context is not None:
        implied = _implied(draft, context.session_days)
        own = row.status == GoalStatus.ACTIVE.value and row.priority == Priority.PRIMARY.value
        problems = tuple(
            _problems(draft, parse_problems, context, primary_others=context.active_primary - int(own))
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


def _load(conn: Connection, goal_id: int) -> Goal:
    row = conn.execute(select(goals).where(goals.c.id == goal_id)).one()
    return _to_goal(row, _metric_keys(conn, [row.metric_id]), _context(conn, row.client_id))


def _to_revision(ctx: Context, row: Any) -> Revision:
    return Revision(
        goal_id=int(row.goal_id),
        revision=int(row.revision),
        status=row.status,
        spec=_spec(row.spec),
        changed_by=row.changed_by,
        changed_at=as_utc(row.changed_at),
        reason=ctx.keys.decrypt(row.reason_enc, context=REASON_CONTEXT),
    )


def _add_revision(
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


# -- use cases --------------------------------------------------------------------------------------


def check(
    draft: GoalDraft | Mapping[str, object], *, today: date | None = None, active_primary_goals: int = 0
) -> list[Problem]:
    """The SMART check of a draft without any stored context (``core.smart.check_goal``); pure."""
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
    parsed, parse_problems = _read(draft)
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        return _problems(parsed, parse_problems, _context(conn, client_id, goal_id))


def create(
    ctx: Context,
    actor: Actor,
    client_id: int,
    draft: GoalDraft | Mapping[str, object],
    *,
    activate: bool = False,
    reason: str | None = None,
) -> Goal:
    """Store a new goal, ``proposed`` or (with ``activate``) ``active``; revision 1.

    Raises ``InvalidInput`` with every problem when the draft cannot be saved (see the module
    docstring), or cannot be activated; nothing is stored then. Readiness rulers in the draft
    are recorded with context "set".
    """
    parsed, parse_problems = _read(draft)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        return _create(ctx, conn, actor, client_id, parsed, parse_problems, activate, reason)


def create_from_template(
    ctx: Context,
    actor: Actor,
    client_id: int,
    template_id: str,
    *,
    baseline: float,
    start_on: date | None = None,
    deadline_on: date | None = None,
    activate: bool = False,
) -> Goal:
    """A goal from a template (``core.template``) with the client's baseline; the start defaults to
    the client's today and the deadline to the template's time frame."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        try:
            template = get_template(template_id)
        except NotFound as exc:
            raise InvalidInput(
                [Problem("template-unknown", "template_id", exc.message, "Run `goalwise goal templates`.")]
            ) from None
        start = start_on or local_now(client_timezone(conn, client_id))
        draft = template.fill(float(baseline), start, deadline_on)
        return _create(ctx, conn, actor, client_id, draft, [], activate, f"From template {template.id}")


def _create(
    ctx: Context,
    conn: Connection,
    actor: Actor,
    client_id: int,
    draft: GoalDraft,
    parse_problems: list[Problem],
    activate: bool,
    reason: str | None,
) -> Goal:
    context = _context(conn, client_id)
    problems = _problems(draft, parse_problems, context)
    blocking = [*_save_blocking(problems, parse_problems), *_limit_problems(draft)]
    reason_problem = _reason_problem(reason, required=False)
    if reason_problem is not None:
        blocking.append(reason_problem)
    if activate:
        blocking += [p for p in _activation_problems(GoalStatus.PROPOSED, problems) if p not in blocking]
    if blocking:
        raise InvalidInput(blocking)
    now = datetime.now(UTC)
    status = GoalStatus.ACTIVE if activate else GoalStatus.PROPOSED
    columns = _columns(draft, _implied(draft, context.session_days))
    goal_id = conn.execute(
        insert(goals)
        .values(
            client_id=client_id, status=status.value, revision=1, created_at=now, updated_at=now, **columns
        )
        .returning(goals.c.id)
    ).scalar_one()
    row = conn.execute(select(goals).where(goals.c.id == goal_id)).one()
    metric_id = _sync_metric(conn, row, draft, 1, now)
    if metric_id is not None:
        conn.execute(update(goals).where(goals.c.id == goal_id).values(metric_id=metric_id))
    _add_revision(ctx, conn, actor, goal_id, 1, status.value, columns["spec"], reason or "Goal created", now)
    if draft.importance is not None and draft.confidence is not None:
        conn.execute(
            insert(readiness).values(
                goal_id=goal_id,
                at=now,
                context="set",
                importance=draft.importance,
                confidence=draft.confidence,
            )
        )
    audit.record(conn, actor, "create", "goal", goal_id, client_id)
    return _load(conn, goal_id)


def get(ctx: Context, actor: Actor, goal_id: int) -> Goal:
    """One goal at its latest revision, with today's SMART problems; the view is audited."""
    with ctx.db.write() as conn:
        row = require_goal(conn, actor, goal_id)
        audit.record(conn, actor, "view", "goal", goal_id, row.client_id)
        return _load(conn, goal_id)


def list_goals(ctx: Context, actor: Actor, client_id: int, *, status: str | None = None) -> list[Goal]:
    """The client's goals, oldest first, optionally only those in ``status``; the view is audited."""
    wanted = None
    if status is not None:
        wanted = parse_status(status)
        if wanted is None:
            names = ", ".join(s.value for s in GoalStatus)
            raise InvalidInput(
                [
                    Problem(
                        "status-unknown", "status", f"Status '{status}' is unknown.", f"Use one of {names}."
                    )
                ]
            )
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        query = select(goals).where(goals.c.client_id == client_id)
        if wanted is not None:
            query = query.where(goals.c.status == wanted.value)
        rows = conn.execute(query.order_by(goals.c.id)).all()
        keys = _metric_keys(conn, (r.metric_id for r in rows))
        context = _context(conn, client_id)
        audit.record(conn, actor, "view", "goals", None, client_id)
        return [_to_goal(row, keys, context) for row in rows]


def merge_patch(target: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``target`` with ``patch`` applied as a JSON merge patch (RFC 7396): keys given replace,
    ``None`` removes, objects merge."""
    out = dict(target)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_patch(out[key], value)
        else:
            out[key] = value
    return out


def revise(
    ctx: Context,
    actor: Actor,
    goal_id: int,
    draft: GoalDraft | Mapping[str, Any],
    *,
    reason: str,
    merge: bool = False,
) -> Goal:
    """Store a new revision of the goal's draft (status unchanged) with who, when and why.

    ``draft`` replaces the stored draft, or with ``merge`` (a mapping) is applied to it as a JSON
    merge patch (:func:`merge_patch`). ``reason`` is required. The previous revisions stay as
    they were. Raises ``InvalidInput`` (nothing stored) for a draft that cannot be saved, or one
    with SMART errors while the goal is active; ``Conflict`` for a goal in a final status.
    """
    with ctx.db.write() as conn:
        row = require_goal(conn, actor, goal_id, write=True, lock=True)
        status = parse_status(row.status)
        if status in TERMINAL:
            raise Conflict(f"goal {goal_id} is {row.status}, which is final; start a new goal instead")
        if merge and not isinstance(draft, GoalDraft):
            draft = merge_patch(_spec(row.spec), draft)
        parsed, parse_problems = _read(draft)
        context = _context(conn, row.client_id, goal_id)
        problems = _problems(parsed, parse_problems, context)
        blocking = [*_save_blocking(problems, parse_problems), *_limit_problems(parsed)]
        reason_problem = _reason_problem(reason, required=True)
        if reason_problem is not None:
            blocking.append(reason_problem)
        if status is GoalStatus.ACTIVE and has_errors(problems):
            blocking += [p for p in problems if p.severity == "error" and p not in blocking]
            blocking.append(
                Problem(
                    "status-smart-errors",
                    "draft",
                    "An active goal cannot be revised into a draft with SMART errors.",
                    "Fix the errors listed, or put the goal on hold first.",
                )
            )
        if blocking:
            raise InvalidInput(blocking)
        now = datetime.now(UTC)
        revision = int(row.revision) + 1
        columns = _columns(parsed, _implied(parsed, context.session_days))
        metric_id = _sync_metric(conn, row, parsed, revision, now)
        conn.execute(
            update(goals)
            .where(goals.c.id == goal_id)
            .values(revision=revision, updated_at=now, metric_id=metric_id, **columns)
        )
        _add_revision(ctx, conn, actor, goal_id, revision, row.status, columns["spec"], reason, now)
        audit.record(conn, actor, "update", "goal", goal_id, row.client_id)
        return _load(conn, goal_id)


def change_status(
    ctx: Context, actor: Actor, goal_id: int, new_status: str, *, reason: str | None = None
) -> Goal:
    """Move the goal to ``new_status`` if the lifecycle table allows it (``core.lifecycle``).

    Activation re-runs the SMART check in the client's context and is refused while it finds
    errors. A new revision records the change with who, when and why.
    """
    with ctx.db.write() as conn:
        row = require_goal(conn, actor, goal_id, write=True, lock=True)
        wanted = parse_status(new_status)
        smart: list[Problem] = []
        if wanted is GoalStatus.ACTIVE:
            draft, parse_problems = parse_draft(_spec(row.spec))
            smart = _problems(draft, parse_problems, _context(conn, row.client_id, goal_id))
        problems = transition_problems(row.status, new_status, smart)
        if wanted is GoalStatus.ACTIVE and problems:
            problems = [*(p for p in smart if p.severity == "error"), *problems]
        reason_problem = _reason_problem(reason, required=False)
        if reason_problem is not None:
            problems.append(reason_problem)
        if problems:
            raise InvalidInput(problems)
        assert wanted is not None
        now = datetime.now(UTC)
        revision = int(row.revision) + 1
        conn.execute(
            update(goals)
            .where(goals.c.id == goal_id)
            .values(status=wanted.value, revision=revision, updated_at=now)
        )
        default = f"Status changed from {row.status} to {wanted.value}"
        _add_revision(ctx, conn, actor, goal_id, revision, wanted.value, row.spec, reason or default, now)
        audit.record(conn, actor, "status-change", "goal", goal_id, row.client_id)
        return _load(conn, goal_id)


def history(ctx: Context, actor: Actor, goal_id: int) -> list[Revision]:
    """Every revision of the goal, oldest first, with who, when and why; the view is audited."""
    with ctx.db.write() as conn:
        row = require_goal(conn, actor, goal_id)
        rows = conn.execute(
            select(goal_revisions)
            .where(goal_revisions.c.goal_id == goal_id)
            .order_by(goal_revisions.c.revision)
        ).all()
        audit.record(conn, actor, "view", "goal-revisions", goal_id, row.client_id)
        return [_to_revision(ctx, r) for r in rows]


def _advice(spec: Mapping[str, object], confidence: int) -> tuple[Problem, ...]:
    found = check_goal(spec, confidence=confidence)
    return tuple(p for p in found if p.code == A_LOW_CONFIDENCE)


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
        new_id = conn.execute(
            insert(readiness)
            .values(
                goal_id=goal_id,
                at=now,
                context=context,
                importance=int(importance),
                confidence=int(confidence),
            )
            .returning(readiness.c.id)
        ).scalar_one()
        audit.record(conn, actor, "create", "readiness", new_id, row.client_id)
        advice = _advice(_spec(row.spec), int(confidence))
    return Readiness(int(new_id), goal_id, now, context, int(importance), int(confidence), advice)


def list_readiness(ctx: Context, actor: Actor, goal_id: int) -> list[Readiness]:
    """Every readiness record of the goal, oldest first; the view is audited."""
    with ctx.db.write() as conn:
        row = require_goal(conn, actor, goal_id)
        rows = conn.execute(
            select(readiness).where(readiness.c.goal_id == goal_id).order_by(readiness.c.at, readiness.c.id)
        ).all()
        spec = _spec(row.spec)
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
