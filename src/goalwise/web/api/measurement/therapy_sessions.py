"""``/api/v1/clients/{client_id}/sessions``: therapy sessions and the deadline "within N sessions"."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import therapy_sessions
from goalwise.services.measurement.therapy_sessions import TherapySession
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["sessions"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]
Status = Literal["planned", "attended", "cancelled"]


class SessionIn(BaseModel):
    """A therapy session."""

    held_on: date = Field(description="The session's date.")
    status: Status = Field(default="planned", description="planned, attended or cancelled.")
    number: int | None = Field(default=None, description="Session number; default the next one.")
    instruments: list[str] = Field(default_factory=list, description="Instrument codes given, e.g. phq9.")


class SessionChange(BaseModel):
    """A change to a session; omitted fields stay as they are."""

    held_on: date | None = Field(default=None, description="A new date.")
    status: Status | None = Field(default=None, description="planned, attended or cancelled.")
    instruments: list[str] | None = Field(default=None, description="Instrument codes given.")


class SessionOut(BaseModel):
    """A stored session."""

    id: int = Field(description="Session id.")
    number: int = Field(description="Session number.")
    held_on: date = Field(description="The session's date.")
    status: str = Field(description="planned, attended or cancelled.")
    instruments: list[str] = Field(description="Instrument codes given.")

    @classmethod
    def of(cls, s: TherapySession) -> SessionOut:
        return cls(
            id=s.id, number=s.number, held_on=s.held_on, status=s.status, instruments=list(s.instruments)
        )


class DeadlineOut(BaseModel):
    """The date implied by "within N sessions"."""

    within: int = Field(description="N, the number of sessions.")
    as_of: date | None = Field(
        description="The day counted from (its own session does not count); null: today."
    )
    due_on: date | None = Field(
        description="The date of the N-th later session; null when fewer are planned."
    )


@router.get(
    "/clients/{client_id}/sessions", response_model=list[SessionOut], openapi_extra=access("client-record")
)
def list_sessions(client_id: int, ctx: CtxDep, actor: ActorDep) -> list[SessionOut]:
    """The client's sessions by number."""
    return [SessionOut.of(s) for s in therapy_sessions.list_sessions(ctx, actor, client_id)]


@router.post(
    "/clients/{client_id}/sessions",
    response_model=SessionOut,
    status_code=201,
    openapi_extra=access("client-record-write"),
)
def add_session(client_id: int, body: SessionIn, ctx: CtxDep, actor: ActorDep) -> SessionOut:
    """Add a session."""
    stored = therapy_sessions.add_session(
        ctx,
        actor,
        client_id,
        body.held_on,
        status=body.status,
        number=body.number,
        instruments_given=body.instruments,
    )
    return SessionOut.of(stored)


@router.patch(
    "/clients/{client_id}/sessions/{number}",
    response_model=SessionOut,
    openapi_extra=access("client-record-write"),
)
def change_session(
    client_id: int, number: int, body: SessionChange, ctx: CtxDep, actor: ActorDep
) -> SessionOut:
    """Mark a session attended or cancelled, move it, or record the instruments given."""
    stored = therapy_sessions.update_session(
        ctx,
        actor,
        client_id,
        number,
        status=body.status,
        held_on=body.held_on,
        instruments_given=body.instruments,
    )
    return SessionOut.of(stored)


@router.get(
    "/clients/{client_id}/sessions/deadline",
    response_model=DeadlineOut,
    openapi_extra=access("client-record"),
)
def deadline(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    within: Annotated[int, Query(ge=1, le=500, description="N in 'within N sessions' (default 1).")] = 1,
    as_of: Annotated[date | None, Query(description="The day counted from; default today.")] = None,
) -> DeadlineOut:
    """The date of the N-th planned or attended session after ``as_of``."""
    due = therapy_sessions.date_within_sessions(ctx, actor, client_id, within, as_of=as_of)
    return DeadlineOut(within=within, as_of=as_of, due_on=due)
