"""Use cases for SMART goals: create, read, revise, change status and history.

A goal row holds the latest revision; every change (an edit or a status change) appends a row to
``goal_revisions`` with who (``audit.actor_label``), when and why (encrypted), so nothing is ever
overwritten and the history is always retrievable (issue 3, "Goal model"; DESIGN.md, "Nothing is
lost"). The full draft is stored as JSON (``core.goal.draft_to_dict``); the columns beside it are
what lists filter and sort on.

The parts live in modules of their own, and every name callers use is re-exported here:

* ``goal_rows``: the ``Goal`` and ``Revision`` values, ``require_goal`` and the stored rows;
* ``goal_context``: the SMART check in the client's context (``check``, ``check_for_client``);
* ``goal_save_rules``: what blocks saving or activating (``SAVE_BLOCKING``);
* ``goal_metrics``: the metric row each goal's values are logged against;
* ``readiness``: the importance and confidence rulers (``record_readiness``, ``list_readiness``).

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
* Context for the check (today, other active primary goals, deadlines in sessions): see
  ``goal_context``. Metric rows across revisions: see ``goal_metrics``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, NotFound, Problem
from goalwise.core.goal import GoalDraft, parse_draft
from goalwise.core.lifecycle import TERMINAL, GoalStatus, parse_status, transition_problems
from goalwise.core.smart import has_errors
from goalwise.core.template import get_template
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.goals.goal_context import (
    check,
    check_for_client,
    implied_on,
    load_context,
    read_draft,
    smart_problems,
)
from goalwise.services.goals.goal_metrics import metric_keys, sync_metric
from goalwise.services.goals.goal_rows import (
    REASON_CONTEXT,
    Goal,
    Revision,
    add_revision,
    goal_columns,
    load_goal,
    require_goal,
    spec_of,
    to_goal,
    to_revision,
)
from goalwise.services.goals.goal_save_rules import (
    REASON_LIMIT,  # noqa: F401 - re-exported: the limits were always importable from here
    SAVE_BLOCKING,
    TITLE_LIMIT,  # noqa: F401
    activation_problems,
    limit_problems,
    reason_problem,
    save_blocking,
)
from goalwise.services.goals.readiness import (
    READINESS_CONTEXTS,
    Readiness,
    insert_readiness,
    list_readiness,
    record_readiness,
)
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.storage.tables import goal_revisions, goals

__all__ = [
    "READINESS_CONTEXTS",
    "REASON_CONTEXT",
    "SAVE_BLOCKING",
    "Goal",
    "Readiness",
    "Revision",
    "change_status",
    "change_status_in",
    "check",
    "check_for_client",
    "create",
    "create_from_template",
    "create_in",
    "get",
    "history",
    "list_goals",
    "list_readiness",
    "merge_patch",
    "record_readiness",
    "require_goal",
    "revise",
    "revise_in",
]

# -- use cases --------------------------------------------------------------------------------------


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
    with ctx.db.write() as conn:
        return create_in(ctx, conn, actor, client_id, draft, activate=activate, reason=reason)


def create_in(
    ctx: Context,
    conn: Connection,
    actor: Actor,
    client_id: int,
    draft: GoalDraft | Mapping[str, object],
    *,
    activate: bool = False,
    reason: str | None = None,
) -> Goal:
    """:func:`create` in the caller's transaction, so a use case that makes a goal with something else
    (a daily report card) stores both or neither."""
    parsed, parse_problems = read_draft(draft)
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
    context = load_context(conn, client_id)
    problems = smart_problems(draft, parse_problems, context)
    blocking = [*save_blocking(problems, parse_problems), *limit_problems(draft, context.today)]
    bad_reason = reason_problem(reason, required=False)
    if bad_reason is not None:
        blocking.append(bad_reason)
    if activate:
        blocking += [p for p in activation_problems(GoalStatus.PROPOSED, problems) if p not in blocking]
    if blocking:
        raise InvalidInput(blocking)
    now = datetime.now(UTC)
    status = GoalStatus.ACTIVE if activate else GoalStatus.PROPOSED
    columns = goal_columns(draft, implied_on(draft, context.session_days))
    goal_id = conn.execute(
        insert(goals)
        .values(
            client_id=client_id, status=status.value, revision=1, created_at=now, updated_at=now, **columns
        )
        .returning(goals.c.id)
    ).scalar_one()
    row = conn.execute(select(goals).where(goals.c.id == goal_id)).one()
    metric_id = sync_metric(conn, row, draft, 1, now)
    if metric_id is not None:
        conn.execute(update(goals).where(goals.c.id == goal_id).values(metric_id=metric_id))
    add_revision(ctx, conn, actor, goal_id, 1, status.value, columns["spec"], reason or "Goal created", now)
    if draft.importance is not None and draft.confidence is not None:
        insert_readiness(conn, goal_id, now, "set", draft.importance, draft.confidence)
    audit.record(conn, actor, "create", "goal", goal_id, client_id)
    return load_goal(conn, goal_id)


def get(ctx: Context, actor: Actor, goal_id: int) -> Goal:
    """One goal at its latest revision, with today's SMART problems; the view is audited."""
    with ctx.db.write() as conn:
        row = require_goal(conn, actor, goal_id)
        audit.record(conn, actor, "view", "goal", goal_id, row.client_id)
        return load_goal(conn, goal_id)


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
        keys = metric_keys(conn, (r.metric_id for r in rows))
        context = load_context(conn, client_id)
        audit.record(conn, actor, "view", "goals", None, client_id)
        return [to_goal(row, keys, context) for row in rows]


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
        return revise_in(ctx, conn, actor, goal_id, draft, reason=reason, merge=merge)


def revise_in(
    ctx: Context,
    conn: Connection,
    actor: Actor,
    goal_id: int,
    draft: GoalDraft | Mapping[str, Any],
    *,
    reason: str,
    merge: bool = False,
) -> Goal:
    """:func:`revise` inside the caller's open transaction (a review revises goals with its own writes)."""
    row = require_goal(conn, actor, goal_id, write=True, lock=True)
    status = parse_status(row.status)
    if status in TERMINAL:
        raise Conflict(f"goal {goal_id} is {row.status}, which is final; start a new goal instead")
    if merge and not isinstance(draft, GoalDraft):
        draft = merge_patch(spec_of(row.spec), draft)
    parsed, parse_problems = read_draft(draft)
    context = load_context(conn, row.client_id, goal_id)
    problems = smart_problems(parsed, parse_problems, context)
    blocking = [*save_blocking(problems, parse_problems), *limit_problems(parsed, context.today)]
    bad_reason = reason_problem(reason, required=True)
    if bad_reason is not None:
        blocking.append(bad_reason)
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
    columns = goal_columns(parsed, implied_on(parsed, context.session_days))
    metric_id = sync_metric(conn, row, parsed, revision, now)
    conn.execute(
        update(goals)
        .where(goals.c.id == goal_id)
        .values(revision=revision, updated_at=now, metric_id=metric_id, **columns)
    )
    add_revision(ctx, conn, actor, goal_id, revision, row.status, columns["spec"], reason, now)
    audit.record(conn, actor, "update", "goal", goal_id, row.client_id)
    return load_goal(conn, goal_id)


def change_status(
    ctx: Context, actor: Actor, goal_id: int, new_status: str, *, reason: str | None = None
) -> Goal:
    """Move the goal to ``new_status`` if the lifecycle table allows it (``core.lifecycle``).

    Activation re-runs the SMART check in the client's context and is refused while it finds
    errors. A new revision records the change with who, when and why.
    """
    with ctx.db.write() as conn:
        return change_status_in(ctx, conn, actor, goal_id, new_status, reason=reason)


def change_status_in(
    ctx: Context, conn: Connection, actor: Actor, goal_id: int, new_status: str, *, reason: str | None = None
) -> Goal:
    """:func:`change_status` inside the caller's open transaction."""
    row = require_goal(conn, actor, goal_id, write=True, lock=True)
    wanted = parse_status(new_status)
    smart: list[Problem] = []
    if wanted is GoalStatus.ACTIVE:
        draft, parse_problems = parse_draft(spec_of(row.spec))
        smart = smart_problems(draft, parse_problems, load_context(conn, row.client_id, goal_id))
    problems = transition_problems(row.status, new_status, smart)
    if wanted is GoalStatus.ACTIVE and problems:
        problems = [*(p for p in smart if p.severity == "error"), *problems]
    bad_reason = reason_problem(reason, required=False)
    if bad_reason is not None:
        problems.append(bad_reason)
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
    add_revision(ctx, conn, actor, goal_id, revision, wanted.value, row.spec, reason or default, now)
    audit.record(conn, actor, "status-change", "goal", goal_id, row.client_id)
    return load_goal(conn, goal_id)


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
        return [to_revision(ctx, r) for r in rows]
