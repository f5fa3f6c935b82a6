"""``/api/v1/clients/{client_id}/phases``: baseline and intervention phases."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.measurement.phase import Phase
from goalwise.services.context import Context
from goalwise.services.measurement import phases
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["phases"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class PhaseIn(BaseModel):
    """A new phase."""

    name: str = Field(max_length=120, description='Name, e.g. "Baseline" or "CBT module 1".')
    baseline: bool = Field(default=False, description="True for a baseline phase.")
    days: int | None = Field(
        default=None, description="Planned length; a baseline runs 7-21 days (default 14)."
    )
    start_on: date | None = Field(
        default=None, description="First day; default today in the client's time zone."
    )


class PhaseOut(BaseModel):
    """A phase and its last day."""

    id: int = Field(description="Phase id.")
    kind: str = Field(description="baseline or intervention.")
    name: str = Field(description="Name.")
    start_on: date = Field(description="First day.")
    planned_days: int | None = Field(description="Planned length in days.")
    end_on: date | None = Field(
        description="Last day: the day before the next phase starts; null while it runs."
    )

    @classmethod
    def of(cls, p: Phase, end_on: date | None = None) -> PhaseOut:
        return cls(
            id=p.id, kind=p.kind, name=p.name, start_on=p.start_on, planned_days=p.planned_days, end_on=end_on
        )


@router.get(
    "/clients/{client_id}/phases", response_model=list[PhaseOut], openapi_extra=access("client-record")
)
def list_phases(client_id: int, ctx: CtxDep, actor: ActorDep) -> list[PhaseOut]:
    """The client's phases by start date."""
    return [PhaseOut.of(s.phase, s.end_on) for s in phases.list_phases(ctx, actor, client_id)]


@router.post(
    "/clients/{client_id}/phases",
    response_model=PhaseOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def start_phase(client_id: int, body: PhaseIn, ctx: CtxDep, actor: ActorDep) -> PhaseOut:
    """Start a baseline or intervention phase."""
    started = phases.start_phase(
        ctx, actor, client_id, body.name, baseline=body.baseline, days=body.days, start_on=body.start_on
    )
    return PhaseOut.of(started)
