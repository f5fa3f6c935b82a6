"""``/api/v1`` reviews: the 4-8 week goal review with Goal Attainment Scaling and the plan review.

Reading (the summary, the reviews held, one review with its notes, a goal's scale, the goals due)
is ``client-record``: the client and their linked therapists; a supporter never reads a review.
Recording a review and editing a goal's scale are ``linked-therapist``. The caseload's due list is
``therapist``. The bodies are REVIEW.json and GAS.json (docs/user-guide.md); every problem is
reported at once, naming its field (``goals[0].gas_level``).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.reports.charts import line_chart
from goalwise.reports.progress_chart import t_score_chart_spec
from goalwise.services.context import Context
from goalwise.services.reviews import due, gas, reviews, summary
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx
from goalwise.web.id_range import ID_MAX

__all__ = ["router"]

router = APIRouter(tags=["reviews"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]
ClientId = Annotated[int, Path(ge=1, le=ID_MAX, description="Client id.")]
GoalId = Annotated[int, Path(ge=1, le=ID_MAX, description="Goal id.")]
ReviewId = Annotated[int, Path(ge=1, le=ID_MAX, description="Review id.")]

_REVIEW = (
    'REVIEW.json: {"held_on": "YYYY-MM-DD", "kind": "goals|plan", "notes": "...", "next_review_on": '
    '"YYYY-MM-DD" (optional), "goals": [{"goal_id": N, "gas_level": -2..2, "decision": '
    '"continue|adjust|add-steps|achieved|discontinue", "target": number (adjust), "deadline_on": '
    '"YYYY-MM-DD" (adjust), "reason": "..."}], "needs": NEEDS.json (plan), "goals_fit": true|false (plan)}'
)
_REVIEW_EXAMPLE = {
    "held_on": "2026-03-02",
    "kind": "goals",
    "notes": "Fewer attacks at work.",
    "goals": [{"goal_id": 1, "gas_level": 0, "decision": "continue", "reason": "on track"}],
}
_GAS = (
    'GAS.json: {"weight": 0-9, "levels": [{"level": -2..2, "description": "...", "low": number|null, '
    '"high": number|null}] (all five)}; {"derived": true} returns to the levels derived from '
    "baseline and target"
)


class DueOut(BaseModel):
    """An active goal due for review."""

    client_id: int = Field(description="Client id.")
    goal_id: int = Field(description="Goal id.")
    title: str = Field(description="The goal's title.")
    due_on: date = Field(description="The day the review became due.")
    reason: Literal["cadence", "deadline"] = Field(description="Its cadence passed, or its deadline.")
    overdue_days: int = Field(description="Days since due_on (0 on the day).")


class ReviewGoalOut(BaseModel):
    """One goal as the review scored it."""

    goal_id: int
    title: str
    gas_level: int = Field(description="-2 much less than expected .. +2 much more.")
    suggested_level: int | None = Field(description="The level the goal's recent data pointed to.")
    weight: float = Field(description="The goal's GAS weight at the review.")
    decision: str = Field(description="continue, adjust, add-steps, achieved or discontinue.")
    reason: str | None
    new_target: float | None
    new_deadline_on: date | None


class ReviewOut(BaseModel):
    """A review held; ``notes`` only when one review is read."""

    id: int
    client_id: int
    number: int = Field(description="The client's review number, from 1.")
    kind: str = Field(description="goals (4-8 weeks) or plan (3-6 months).")
    held_on: date
    next_review_on: date | None
    t_score: float | None = Field(description="Kiresuk-Sherman GAS T-score with the goals' weights, rho 0.3.")
    notes: str | None = None
    goals: list[ReviewGoalOut]
    needs_assessment_id: int | None
    goals_fit: bool | None

    @classmethod
    def of(cls, r: reviews.Review, *, notes: bool) -> ReviewOut:
        data = asdict(r)
        if not notes:
            data["notes"] = None
        return cls(**{k: v for k, v in data.items() if k in cls.model_fields})


@router.get("/reviews-due", response_model=list[DueOut], openapi_extra=access("therapist"))
def caseload_due(ctx: CtxDep, actor: ActorDep) -> list[DueOut]:
    """Goals due for review among the therapist's clients, most overdue first."""
    return [DueOut(**asdict(d)) for d in due.therapist_reviews_due(ctx, actor)]


@router.get(
    "/clients/{client_id}/reviews-due", response_model=list[DueOut], openapi_extra=access("client-record")
)
def client_due(client_id: ClientId, ctx: CtxDep, actor: ActorDep) -> list[DueOut]:
    """The client's goals due for review."""
    return [DueOut(**asdict(d)) for d in due.client_reviews_due(ctx, actor, client_id)]


@router.get(
    "/clients/{client_id}/reviews/summary",
    response_model=dict[str, Any],
    openapi_extra=access("client-record"),
)
def review_summary(
    client_id: ClientId,
    ctx: CtxDep,
    actor: ActorDep,
    kind: Annotated[
        Literal["goals", "plan"], Query(description="goals, or plan for the needs comparison.")
    ] = "goals",
) -> dict[str, Any]:
    """What a review looks at since the last review (or the start), with the suggested GAS levels."""
    return summary.review_summary(ctx, actor, client_id, kind=kind)


@router.get(
    "/clients/{client_id}/reviews", response_model=list[ReviewOut], openapi_extra=access("client-record")
)
def list_reviews(client_id: ClientId, ctx: CtxDep, actor: ActorDep) -> list[ReviewOut]:
    """The client's reviews, oldest first, with levels and decisions (notes: read one review)."""
    return [ReviewOut.of(r, notes=False) for r in reviews.list_reviews(ctx, actor, client_id)]


@router.post(
    "/clients/{client_id}/reviews",
    response_model=ReviewOut,
    status_code=201,
    openapi_extra=access("linked-therapist"),
)
def record_review(
    client_id: ClientId,
    ctx: CtxDep,
    actor: ActorDep,
    body: Annotated[dict[str, Any], Body(description=_REVIEW, examples=[_REVIEW_EXAMPLE])],
) -> ReviewOut:
    """Record a review, whole or not at all; 422 with every problem, each naming its field."""
    return ReviewOut.of(reviews.record(ctx, actor, client_id, body), notes=True)


@router.get(
    "/clients/{client_id}/reviews/t-scores.svg",
    openapi_extra=access("client-record"),
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The chart as SVG."}},
)
def t_score_chart(client_id: ClientId, ctx: CtxDep, actor: ActorDep) -> Response:
    """The GAS T-score of each review as a line chart (50: every goal on its expected level)."""
    scores = [
        (r.held_on, r.t_score, r.kind)
        for r in reviews.list_reviews(ctx, actor, client_id)
        if r.t_score is not None
    ]
    if not scores:
        raise NotFound(f"client {client_id} has no review with a T-score yet")
    return Response(
        line_chart(t_score_chart_spec(scores)),
        media_type="image/svg+xml",
        headers={"cache-control": "private, no-store"},
    )


@router.get("/reviews/{review_id}", response_model=ReviewOut, openapi_extra=access("client-record"))
def get_review(review_id: ReviewId, ctx: CtxDep, actor: ActorDep) -> ReviewOut:
    """One review with its notes, levels and decisions."""
    return ReviewOut.of(reviews.get_review(ctx, actor, review_id), notes=True)


@router.get("/goals/{goal_id}/gas", response_model=dict[str, Any], openapi_extra=access("client-record"))
def get_gas(goal_id: GoalId, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The goal's Goal Attainment Scale (five levels with ranges) and weight."""
    return gas.get_scale(ctx, actor, goal_id).to_dict()


@router.put("/goals/{goal_id}/gas", response_model=dict[str, Any], openapi_extra=access("linked-therapist"))
def set_gas(
    goal_id: GoalId,
    ctx: CtxDep,
    actor: ActorDep,
    body: Annotated[dict[str, Any], Body(description=_GAS, examples=[{"weight": 2}])],
) -> dict[str, Any]:
    """Edit the goal's scale and/or weight; 422 with every problem."""
    return gas.set_scale(ctx, actor, goal_id, body).to_dict()
