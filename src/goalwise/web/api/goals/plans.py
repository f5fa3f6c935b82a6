"""``/api/v1`` action plans: a goal's milestones and steps, what comes next, and marking items done.

Routes keyed by ``goal_id`` or ``item_id`` are ``client-record`` (reads) or
``client-record-write`` (changes): the goal's client decides and everyone else gets 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx
from goalwise.web.id_range import ID_MAX

__all__ = ["router"]

router = APIRouter(tags=["plans"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]
GoalId = Annotated[int, Path(ge=1, le=ID_MAX, description="Goal id.")]
ItemId = Annotated[int, Path(ge=1, le=ID_MAX, description="Plan item id.")]


class PlanItemOut(BaseModel):
    """A milestone or a step."""

    id: int = Field(description="Item id.")
    goal_id: int = Field(description="Goal id.")
    kind: str = Field(description="milestone or step.")
    parent_id: int | None = Field(description="The milestone a step sits under, if any.")
    position: int = Field(description="Place in the plan, from 1.")
    title: str = Field(description="What to do or reach.")
    due_on: date | None = Field(description="Due date, if any.")
    micro: bool = Field(description="A micro-action: small enough to do today.")
    depends_on_id: int | None = Field(description="The step that must be done first, if any.")
    done: bool = Field(description="Whether it is done.")
    done_at: datetime | None = Field(description="When it was marked done (UTC).")
    done_on: date | None = Field(description="The client's local day it was marked done.")

    @classmethod
    def of(cls, i: goal_plans.PlanItem) -> PlanItemOut:
        return cls(
            id=i.id,
            goal_id=i.goal_id,
            kind=i.kind,
            parent_id=i.parent_id,
            position=i.position,
            title=i.title,
            due_on=i.due_on,
            micro=i.micro,
            depends_on_id=i.depends_on_id,
            done=i.done,
            done_at=i.done_at,
            done_on=i.done_on,
        )


class PlanOut(BaseModel):
    """A goal's plan: items in order, the next step, and one week's completion rate."""

    goal_id: int = Field(description="Goal id.")
    items: list[PlanItemOut] = Field(description="Milestones and steps in plan order.")
    next_step: PlanItemOut | None = Field(description="The first open step whose dependency is done.")
    week_start: date = Field(description="The first day of the week the rate is for.")
    weekly_completion_rate: float | None = Field(
        description="Share (0-1) of the steps due that week done by its end; null when none was due."
    )


class PlanItemIn(BaseModel):
    """A new milestone or step."""

    title: str = Field(max_length=200, description="What to do (a step) or reach (a milestone).")
    kind: str = Field(default="step", max_length=16, description="milestone or step.")
    due_on: date | None = Field(default=None, description="Due date.")
    parent_id: int | None = Field(
        default=None, ge=1, le=ID_MAX, description="The milestone a step sits under."
    )
    micro: bool = Field(default=False, description="A micro-action: small enough to do today.")
    depends_on_id: int | None = Field(
        default=None, ge=1, le=ID_MAX, description="A step of the same goal that must be done first."
    )
    position: int | None = Field(
        default=None, ge=1, le=100_000, description="Place in the plan; default last."
    )


class DoneIn(BaseModel):
    """Mark an item done, or not done again."""

    done: bool = Field(default=True, description="false marks it not done again.")


@router.get("/goals/{goal_id}/plan-items", response_model=PlanOut, openapi_extra=access("client-record"))
def get_plan(
    goal_id: GoalId,
    ctx: CtxDep,
    actor: ActorDep,
    week_start: Annotated[
        date | None, Query(description="First day of the week for the rate; default this week's Monday.")
    ] = None,
) -> PlanOut:
    """The goal's plan, its next step and the weekly completion rate."""
    plan = goal_plans.get_plan(ctx, actor, goal_id, week_start=week_start)
    return PlanOut(
        goal_id=plan.goal_id,
        items=[PlanItemOut.of(i) for i in plan.items],
        next_step=None if plan.next_step is None else PlanItemOut.of(plan.next_step),
        week_start=plan.week_start,
        weekly_completion_rate=plan.weekly_completion_rate,
    )


@router.post(
    "/goals/{goal_id}/plan-items",
    response_model=PlanItemOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def add_item(goal_id: GoalId, body: PlanItemIn, ctx: CtxDep, actor: ActorDep) -> PlanItemOut:
    """Add a milestone or step; 422 with every problem when it cannot be added."""
    item = goal_plans.add_item(
        ctx,
        actor,
        goal_id,
        title=body.title,
        kind=body.kind,
        due_on=body.due_on,
        parent_id=body.parent_id,
        micro=body.micro,
        depends_on_id=body.depends_on_id,
        position=body.position,
    )
    return PlanItemOut.of(item)


@router.post(
    "/plan-items/{item_id}/done", response_model=PlanItemOut, openapi_extra=access("client-record-write")
)
def mark_done(item_id: ItemId, ctx: CtxDep, actor: ActorDep, body: DoneIn | None = None) -> PlanItemOut:
    """Mark the item done now (or, with ``{"done": false}``, not done again)."""
    done = True if body is None else body.done
    return PlanItemOut.of(goal_plans.mark_done(ctx, actor, item_id, done=done))
