"""Use cases for action plans: milestones and steps under a goal, done or not, and what comes next.

A plan is the ``plan_items`` rows of one goal (issue 3, "Action plans"): milestones (``kind``
"milestone") and steps ("step"), ordered by ``position`` across the goal. A step may sit under a
milestone (``parent_id``), be a micro-action (``micro``), have a due date, and depend on one other
step (``depends_on_id``). The pure rules (next step, weekly completion rate, plan problems) are
``core.action_plan``; this module stores, authorizes and audits.

Decisions recorded here because the issue leaves them open:

* Milestones do not nest and have no dependency; only steps sit under a milestone and depend
  on another step of the same goal. A change that would make a dependency circle is refused.
* New items go to the end of the plan; ``position`` moves an item (later items shift along).
* "Done" is stored as the instant (``done_at``); the weekly completion rate reads the client's
  local day of it. The week runs Monday to Sunday of the client's calendar by default.
* Deleting an item removes the steps under it (a milestone's steps) and clears dependencies on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.action_plan import Milestone, Step, next_step, validate_plan, weekly_completion_rate
from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.core.measurement.observation import local_day
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.goals.goals import require_goal
from goalwise.services.measurement.record_store import (
    as_utc,
    client_timezone,
    local_now,
    planned_day_problem,
    text_problem,
)
from goalwise.storage.conflict import lock_client
from goalwise.storage.tables import plan_items

__all__ = [
    "KINDS",
    "Plan",
    "PlanItem",
    "add_item",
    "delete_item",
    "get_plan",
    "mark_done",
    "next_item",
    "update_item",
    "weekly_rate",
]

KINDS = ("milestone", "step")
TITLE_LIMIT = 200
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A milestone or step as stored; ``done_on`` is the client's local day it was marked done."""

    id: int
    goal_id: int
    client_id: int
    kind: str
    parent_id: int | None
    position: int
    title: str
    due_on: date | None
    micro: bool
    depends_on_id: int | None
    done_at: datetime | None
    done_on: date | None
    created_at: datetime

    @property
    def done(self) -> bool:
        """True once marked done."""
        return self.done_at is not None


@dataclass(frozen=True, slots=True)
class Plan:
    """A goal's plan: items in order, the next step, and the completion rate of one week."""

    goal_id: int
    items: tuple[PlanItem, ...]
    next_step: PlanItem | None
    week_start: date
    weekly_completion_rate: float | None


def _to_item(row: Any, timezone: str) -> PlanItem:
    done_at = None if row.done_at is None else as_utc(row.done_at)
    return PlanItem(
        id=int(row.id),
        goal_id=int(row.goal_id),
        client_id=int(row.client_id),
        kind=row.kind,
        parent_id=None if row.parent_id is None else int(row.parent_id),
        position=int(row.position),
        title=row.title,
        due_on=row.due_on,
        micro=bool(row.micro),
        depends_on_id=None if row.depends_on_id is None else int(row.depends_on_id),
        done_at=done_at,
        done_on=None if done_at is None else local_day(done_at, timezone),
        created_at=as_utc(row.created_at),
    )


def _items(conn: Connection, goal_id: int, timezone: str) -> list[PlanItem]:
    rows = conn.execute(
        select(plan_items)
        .where(plan_items.c.goal_id == goal_id)
        .order_by(plan_items.c.position, plan_items.c.id)
    )
    return [_to_item(row, timezone) for row in rows]


def _steps(items: Sequence[PlanItem]) -> list[Step]:
    return [
        Step(
            id=str(i.id),
            title=i.title,
            order=i.position,
            due_on=i.due_on,
            done=i.done,
            done_on=i.done_on,
            micro=i.micro,
            depends_on=() if i.depends_on_id is None else (str(i.depends_on_id),),
            milestone_id=None if i.parent_id is None else str(i.parent_id),
        )
        for i in items
        if i.kind == "step"
    ]


def _milestones(items: Sequence[PlanItem]) -> list[Milestone]:
    return [
        Milestone(str(i.id), i.title, i.position, i.due_on, i.done) for i in items if i.kind == "milestone"
    ]


def _require_item(conn: Connection, actor: Actor, item_id: int, *, write: bool = False) -> Any:
    row = conn.execute(select(plan_items).where(plan_items.c.id == item_id)).first()
    if row is None:
        raise NotFound(f"plan item {item_id} not found")
    try:
        authz.require_client(conn, actor, row.client_id, write=write)
    except NotFound:
        raise NotFound(f"plan item {item_id} not found") from None
    return row


def _shape_problems(
    items: Sequence[PlanItem],
    kind: str,
    parent_id: int | None,
    depends_on_id: int | None,
    self_id: int | None,
) -> list[Problem]:
    """Problems with where an item sits: its kind, its milestone and the step it depends on."""
    by_id = {i.id: i for i in items}
    problems: list[Problem] = []
    if kind not in KINDS:
        problems.append(Problem("plan-kind", "kind", f"kind '{kind}' is unknown.", "Use milestone or step."))
    if parent_id is not None:
        parent = by_id.get(parent_id)
        if kind == "milestone":
            problems.append(
                Problem(
                    "plan-parent",
                    "parent_id",
                    "A milestone cannot sit under another item.",
                    "Leave parent_id out.",
                )
            )
        elif parent is None or parent.kind != "milestone":
            problems.append(
                Problem(
                    "plan-parent",
                    "parent_id",
                    f"parent_id {parent_id} is not a milestone of this goal.",
                    "Use the id of one of the goal's milestones (see the plan list).",
                )
            )
    if depends_on_id is not None:
        dep = by_id.get(depends_on_id)
        if kind == "milestone":
            problems.append(
                Problem(
                    "plan-dependency", "depends_on_id", "Only steps depend on other steps.", "Leave it out."
                )
            )
        elif dep is None or dep.kind != "step" or depends_on_id == self_id:
            problems.append(
                Problem(
                    "plan-dependency",
                    "depends_on_id",
                    f"depends_on_id {depends_on_id} is not another step of this goal.",
                    "Use the id of another step of the same goal.",
                )
            )
    return problems


def _field_problems(title: str | None, *, required: bool) -> list[Problem]:
    found = text_problem("title", title, required=required, limit=TITLE_LIMIT, multiline=False)
    if found is not None and found.code == "text-missing":
        found = Problem(
            "plan-no-title",
            "title",
            "The item has no title.",
            "Say what to do, e.g. 'Walk to the corner shop'.",
        )
    return [] if found is None else [found]


def _place(conn: Connection, goal_id: int, item_id: int, position: int | None) -> None:
    """Put the item at ``position`` (1-based; None or past the end: last) and renumber the plan."""
    ids = [
        int(i)
        for i in conn.execute(
            select(plan_items.c.id)
            .where(plan_items.c.goal_id == goal_id, plan_items.c.id != item_id)
            .order_by(plan_items.c.position, plan_items.c.id)
        ).scalars()
    ]
    index = len(ids) if position is None else max(0, min(position - 1, len(ids)))
    ids.insert(index, item_id)
    renumber = (
        update(plan_items).where(plan_items.c.id == bindparam("item")).values(position=bindparam("pos"))
    )
    conn.execute(renumber, [{"item": found, "pos": number} for number, found in enumerate(ids, start=1)])


def add_item(
    ctx: Context,
    actor: Actor,
    goal_id: int,
    *,
    title: str,
    kind: str = "step",
    due_on: date | None = None,
    parent_id: int | None = None,
    micro: bool = False,
    depends_on_id: int | None = None,
    position: int | None = None,
) -> PlanItem:
    """Add a milestone or step to the goal's plan (at the end, or at ``position``, 1-based).

    Raises ``InvalidInput`` with every problem (no title, unknown kind, a parent that is not a
    milestone of this goal, a dependency that is not a step of this goal); nothing is stored then.
    """
    with ctx.db.write() as conn:
        goal = require_goal(conn, actor, goal_id, write=True)
        # Positions are numbered per plan with no unique constraint behind them: two steps added
        # at once (two tabs, a phone and a laptop) would both take "last + 1" on PostgreSQL.
        lock_client(conn, goal.client_id)
        tz = client_timezone(conn, goal.client_id)
        items = _items(conn, goal_id, tz)
        problems = _field_problems(title, required=True) + _shape_problems(
            items, kind, parent_id, depends_on_id, None
        )
        problems += [p for p in (planned_day_problem(due_on, local_now(tz), "due_on"),) if p]
        if problems:
            raise InvalidInput(problems)
        last = conn.execute(
            select(func.max(plan_items.c.position)).where(plan_items.c.goal_id == goal_id)
        ).scalar()
        new_id = conn.execute(
            insert(plan_items)
            .values(
                goal_id=goal_id,
                client_id=goal.client_id,
                kind=kind,
                parent_id=parent_id,
                position=int(last or 0) + 1,
                title=title.strip(),
                due_on=due_on,
                micro=bool(micro),
                depends_on_id=depends_on_id,
                created_at=datetime.now(UTC),
            )
            .returning(plan_items.c.id)
        ).scalar_one()
        if position is not None:
            _place(conn, goal_id, int(new_id), position)
        audit.record(conn, actor, "create", "plan-item", new_id, goal.client_id)
        return _to_item(conn.execute(select(plan_items).where(plan_items.c.id == new_id)).one(), tz)


def update_item(
    ctx: Context,
    actor: Actor,
    item_id: int,
    *,
    title: str | None = None,
    due_on: date | None = _UNSET,
    parent_id: int | None = _UNSET,
    micro: bool | None = None,
    depends_on_id: int | None = _UNSET,
    position: int | None = None,
) -> PlanItem:
    """Change an item; arguments left out keep their value (pass None to clear a due date, a
    milestone or a dependency). A change that makes steps depend on each other in a circle is refused."""
    with ctx.db.write() as conn:
        row = _require_item(conn, actor, item_id, write=True)
        lock_client(conn, row.client_id)  # a move renumbers the plan: one renumbering at a time
        tz = client_timezone(conn, row.client_id)
        items = _items(conn, row.goal_id, tz)
        values: dict[str, Any] = {}
        if title is not None:
            values["title"] = title.strip()
        if due_on is not _UNSET:
            values["due_on"] = due_on
        if parent_id is not _UNSET:
            values["parent_id"] = parent_id
        if micro is not None:
            values["micro"] = bool(micro)
        if depends_on_id is not _UNSET:
            values["depends_on_id"] = depends_on_id
        problems = _field_problems(title, required=True) if title is not None else []
        if due_on is not _UNSET and (bad := planned_day_problem(due_on, local_now(tz), "due_on")):
            problems.append(bad)
        parent = values.get("parent_id", row.parent_id)
        dep = values.get("depends_on_id", row.depends_on_id)
        problems += _shape_problems(items, row.kind, parent, dep, item_id)
        if not problems:
            changed = [_changed(i, item_id, values) for i in items]
            problems += [
                p for p in validate_plan(_steps(changed), _milestones(changed)) if p.code == "plan-cycle"
            ]
        if problems:
            raise InvalidInput(list(dict.fromkeys(problems)))
        if values:
            conn.execute(update(plan_items).where(plan_items.c.id == item_id).values(**values))
        if position is not None:
            _place(conn, row.goal_id, item_id, position)
        audit.record(conn, actor, "update", "plan-item", item_id, row.client_id)
        return _to_item(conn.execute(select(plan_items).where(plan_items.c.id == item_id)).one(), tz)


def _changed(item: PlanItem, item_id: int, values: dict[str, Any]) -> PlanItem:
    if item.id != item_id:
        return item
    return dataclasses.replace(item, **values)


def delete_item(ctx: Context, actor: Actor, item_id: int) -> None:
    """Remove an item (a milestone takes its steps with it; dependencies on it are cleared)."""
    with ctx.db.write() as conn:
        row = _require_item(conn, actor, item_id, write=True)
        conn.execute(delete(plan_items).where(plan_items.c.id == item_id))
        audit.record(conn, actor, "delete", "plan-item", item_id, row.client_id)


def mark_done(
    ctx: Context, actor: Actor, item_id: int, *, done: bool = True, at: datetime | None = None
) -> PlanItem:
    """Mark an item done (now, or at ``at``) or, with ``done=False``, not done again."""
    with ctx.db.write() as conn:
        row = _require_item(conn, actor, item_id, write=True)
        tz = client_timezone(conn, row.client_id)
        when = None if not done else as_utc(at) if at is not None else datetime.now(UTC)
        conn.execute(update(plan_items).where(plan_items.c.id == item_id).values(done_at=when))
        audit.record(conn, actor, "update", "plan-item", item_id, row.client_id)
        return _to_item(conn.execute(select(plan_items).where(plan_items.c.id == item_id)).one(), tz)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def get_plan(ctx: Context, actor: Actor, goal_id: int, *, week_start: date | None = None) -> Plan:
    """The goal's plan in order, its next step, and the completion rate of the week from
    ``week_start`` (default: the Monday of the client's current week). Rules: ``core.action_plan``.
    The view is audited."""
    with ctx.db.write() as conn:
        goal = require_goal(conn, actor, goal_id)
        tz = client_timezone(conn, goal.client_id)
        items = _items(conn, goal_id, tz)
        start = week_start or _monday(local_now(tz))
        audit.record(conn, actor, "view", "plan", goal_id, goal.client_id)
    steps = _steps(items)
    found = next_step(steps)
    by_id = {str(i.id): i for i in items}
    return Plan(
        goal_id=goal_id,
        items=tuple(items),
        next_step=None if found is None else by_id[found.id],
        week_start=start,
        weekly_completion_rate=weekly_completion_rate(steps, start),
    )


def next_item(ctx: Context, actor: Actor, goal_id: int) -> PlanItem | None:
    """The step the client sees first: the first open step whose dependency is done."""
    return get_plan(ctx, actor, goal_id).next_step


def weekly_rate(ctx: Context, actor: Actor, goal_id: int, week_start: date | None = None) -> float | None:
    """Share of the steps due in the week that were done by its end; None when none was due."""
    return get_plan(ctx, actor, goal_id, week_start=week_start).weekly_completion_rate
