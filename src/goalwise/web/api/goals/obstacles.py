"""``/api/v1`` obstacles: the catalog, obstacles logged on a goal, their outcome, and suggestions.

The catalog is public data. Routes keyed by ``goal_id``, ``obstacle_id`` (a logged obstacle) or
``client_id`` are ``client-record`` (reads) or ``client-record-write`` (changes): the client of the
goal decides and everyone else gets 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.obstacle import Obstacle, Strategy
from goalwise.services.context import Context
from goalwise.services.goals import obstacles
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx
from goalwise.web.id_range import ID_MAX

__all__ = ["router"]

router = APIRouter(tags=["obstacles"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]
ClientId = Annotated[int, Path(ge=1, le=ID_MAX, description="Client id.")]
GoalId = Annotated[int, Path(ge=1, le=ID_MAX, description="Goal id.")]
LoggedId = Annotated[int, Path(ge=1, le=ID_MAX, description="Id of an obstacle logged on a goal.")]


class StrategyOut(BaseModel):
    """One way to meet an obstacle."""

    id: str = Field(description="Strategy id, used as strategy_id.")
    text: str = Field(description="What to do.")

    @classmethod
    def of(cls, s: Strategy) -> StrategyOut:
        return cls(id=s.id, text=s.text)


class ObstacleOut(BaseModel):
    """A catalog obstacle and its strategies."""

    id: str = Field(description="Obstacle id, used as obstacle_id.")
    name: str = Field(description="Name.")
    description: str = Field(description="What it looks like.")
    strategies: list[StrategyOut] = Field(description="Strategies, in the order offered.")

    @classmethod
    def of(cls, o: Obstacle) -> ObstacleOut:
        return cls(
            id=o.id,
            name=o.name,
            description=o.description,
            strategies=[StrategyOut.of(s) for s in o.strategies],
        )


class LoggedOut(BaseModel):
    """An obstacle met on a goal, the strategy chosen and whether it helped."""

    id: int = Field(description="Id of this log entry.")
    goal_id: int = Field(description="Goal id.")
    obstacle_id: str = Field(description="Catalog obstacle id.")
    obstacle_name: str = Field(description="Catalog obstacle name.")
    strategy_id: str = Field(description="Chosen strategy id ('own' for the client's own).")
    strategy_text: str = Field(description="What the strategy says.")
    note: str | None = Field(description="Note (stored encrypted).")
    logged_at: datetime = Field(description="When it was logged (UTC).")
    helped: bool | None = Field(description="Whether it helped; null until recorded.")
    outcome_at: datetime | None = Field(description="When the outcome was recorded (UTC).")

    @classmethod
    def of(cls, o: obstacles.LoggedObstacle) -> LoggedOut:
        return cls(
            id=o.id,
            goal_id=o.goal_id,
            obstacle_id=o.obstacle_id,
            obstacle_name=o.obstacle_name,
            strategy_id=o.strategy_id,
            strategy_text=o.strategy_text,
            note=o.note,
            logged_at=o.logged_at,
            helped=o.helped,
            outcome_at=o.outcome_at,
        )


class LogIn(BaseModel):
    """An obstacle met on the goal and the strategy chosen."""

    obstacle_id: str = Field(max_length=40, description="Catalog obstacle id (GET /obstacles).")
    strategy_id: str | None = Field(
        default=None, max_length=200, description="One of the obstacle's strategies, or 'own' with a note."
    )
    note: str | None = Field(default=None, max_length=20_000, description="Note (stored encrypted).")


class OutcomeIn(BaseModel):
    """Whether the strategy helped."""

    helped: bool = Field(description="true when it helped.")


class SuggestedOut(BaseModel):
    """An obstacle a pattern rule points to."""

    goal_id: int | None = Field(description="The goal it concerns; null for the client's goals as a whole.")
    obstacle_id: str = Field(description="Catalog obstacle id.")
    name: str = Field(description="Obstacle name.")
    reason: str = Field(description="What in the data points to it.")
    strategies: list[StrategyOut] = Field(description="Strategies, the ones to offer first leading.")


@router.get("/obstacles", response_model=list[ObstacleOut], openapi_extra=access("public"))
def catalog() -> list[ObstacleOut]:
    """The obstacle catalog with its strategies."""
    return [ObstacleOut.of(o) for o in obstacles.catalog()]


@router.get(
    "/goals/{goal_id}/obstacles", response_model=list[LoggedOut], openapi_extra=access("client-record")
)
def list_logged(goal_id: GoalId, ctx: CtxDep, actor: ActorDep) -> list[LoggedOut]:
    """The obstacles logged on the goal, oldest first."""
    return [LoggedOut.of(o) for o in obstacles.list_for_goal(ctx, actor, goal_id)]


@router.post(
    "/goals/{goal_id}/obstacles",
    response_model=LoggedOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def log_obstacle(goal_id: GoalId, body: LogIn, ctx: CtxDep, actor: ActorDep) -> LoggedOut:
    """Log an obstacle on the goal with the strategy chosen; 422 with every problem otherwise."""
    return LoggedOut.of(obstacles.log(ctx, actor, goal_id, body.obstacle_id, body.strategy_id, body.note))


@router.post(
    "/goal-obstacles/{obstacle_id}/outcome",
    response_model=LoggedOut,
    openapi_extra=access("client-record-write"),
)
def record_outcome(obstacle_id: LoggedId, body: OutcomeIn, ctx: CtxDep, actor: ActorDep) -> LoggedOut:
    """Record whether the strategy chosen for a logged obstacle helped."""
    return LoggedOut.of(obstacles.record_outcome(ctx, actor, obstacle_id, helped=body.helped))


@router.get(
    "/clients/{client_id}/obstacle-suggestions",
    response_model=list[SuggestedOut],
    openapi_extra=access("client-record"),
)
def suggest(
    client_id: ClientId,
    ctx: CtxDep,
    actor: ActorDep,
    goal_id: Annotated[int | None, Query(ge=1, le=ID_MAX, description="Only this goal.")] = None,
    as_of: Annotated[date | None, Query(description="Judge the data as of this day; default today.")] = None,
) -> list[SuggestedOut]:
    """Obstacles the pattern rules point to: nothing logged for days, the weekly target missed three
    weeks running, more than three active primary goals."""
    return [
        SuggestedOut(
            goal_id=s.goal_id,
            obstacle_id=s.obstacle_id,
            name=s.name,
            reason=s.reason,
            strategies=[StrategyOut.of(x) for x in s.strategies],
        )
        for s in obstacles.suggest(ctx, actor, client_id, goal_id=goal_id, as_of=as_of)
    ]
