"""``/api/v1/clients/{client_id}/needs``: the needs assessment and the goal templates it puts first.

``client-record`` to read and ``client-record-write`` to record; everyone else gets 404. The body
of a POST is NEEDS.json, read by ``core.need.parse_assessment`` so that every problem names its
place in the input (``concerns[0].priority``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.context import Context
from goalwise.services.goals import needs
from goalwise.web.api.access import access
from goalwise.web.api.goals.goals import SuggestionOut
from goalwise.web.deps import current_actor, get_ctx
from goalwise.web.id_range import ID_MAX

__all__ = ["router"]

router = APIRouter(tags=["needs"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]
ClientId = Annotated[int, Path(ge=1, le=ID_MAX, description="Client id.")]

_NEEDS = (
    'NEEDS.json: {"concerns": [{"area": "emotional_barriers|core_values|behavioural_patterns|'
    'support_systems|other", "impact": "high|medium|low", "priority": 1-5 (1 highest), "label": '
    '"for other"}], "needs": {"safety|autonomy|purpose|connection|playfulness": 1-5 (how well met)}, '
    '"assessed_on": "YYYY-MM-DD" (optional)}'
)
_EXAMPLE = {
    "concerns": [{"area": "support_systems", "impact": "high", "priority": 1}],
    "needs": {"connection": 1, "safety": 4},
}


class NeedsOut(BaseModel):
    """One stored assessment."""

    id: int = Field(description="Assessment id.")
    assessed_on: date = Field(description="The day it describes.")
    created_by: str = Field(description="Who recorded it (role and account id).")
    created_at: datetime = Field(description="When it was recorded (UTC).")
    assessment: dict[str, Any] = Field(description="Concerns and need ratings (NEEDS.json shape).")

    @classmethod
    def of(cls, r: needs.NeedsRecord) -> NeedsOut:
        return cls(
            id=r.id,
            assessed_on=r.assessed_on,
            created_by=r.created_by,
            created_at=r.created_at,
            assessment=needs.assessment_to_dict(r.assessment),
        )


class NeedsViewOut(BaseModel):
    """The latest assessment, the earlier ones, and the goal templates it orders first."""

    latest: NeedsOut | None = Field(description="The newest assessment, if any.")
    history: list[NeedsOut] = Field(description="Every assessment, newest first.")
    suggestions: SuggestionOut = Field(description="Templates ordered by the latest assessment.")


@router.get("/clients/{client_id}/needs", response_model=NeedsViewOut, openapi_extra=access("client-record"))
def get_needs(
    client_id: ClientId,
    ctx: CtxDep,
    actor: ActorDep,
    text: Annotated[
        str, Query(max_length=5000, description="A goal in the client's words to match templates to.")
    ] = "",
) -> NeedsViewOut:
    """The client's needs assessments and the goal templates ordered by the latest one."""
    history, suggestion = needs.overview(ctx, actor, client_id, text)
    return NeedsViewOut(
        latest=NeedsOut.of(history[0]) if history else None,
        history=[NeedsOut.of(r) for r in history],
        suggestions=SuggestionOut.of(suggestion),
    )


@router.post(
    "/clients/{client_id}/needs",
    response_model=NeedsOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def record_needs(
    client_id: ClientId,
    ctx: CtxDep,
    actor: ActorDep,
    body: Annotated[dict[str, Any], Body(description=_NEEDS, examples=[_EXAMPLE])],
) -> NeedsOut:
    """Record a needs assessment; 422 with every problem when it cannot be stored."""
    data = dict(body)
    day = data.pop("assessed_on", None)
    assessed_on = None if day is None else _day(day)
    return NeedsOut.of(needs.record(ctx, actor, client_id, data, assessed_on=assessed_on))


def _day(value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        message = f"assessed_on is '{str(value)[:40]}'; it must be an ISO date."
        raise InvalidInput(
            [Problem("date-format", "assessed_on", message, "Write the date as YYYY-MM-DD.")]
        ) from None
