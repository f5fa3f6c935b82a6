"""``/api/v1/alerts``: open risk alerts on the caller's caseload, and acknowledging them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import alerts
from goalwise.services.measurement.alerts import Alert
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

router = APIRouter(tags=["alerts"])

ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class AlertOut(BaseModel):
    """A risk alert."""

    id: int = Field(description="Alert id.")
    client_id: int = Field(description="The client.")
    client_name: str = Field(description="The client's display name.")
    kind: str = Field(description="The risk flag, e.g. item9_positive.")
    description: str = Field(description="The rule that fired, in plain words.")
    assessment_id: int | None = Field(description="The assessment that raised it.")
    instrument: str | None = Field(description="Its instrument.")
    created_at: datetime = Field(description="When it was raised.")
    acknowledged_at: datetime | None = Field(description="When it was acknowledged; null while open.")
    acknowledged_by: int | None = Field(description="The therapist's user id.")
    acknowledged_by_name: str | None = Field(description="The therapist's name.")
    note: str | None = Field(description="The acknowledgement note (therapists only).")

    @classmethod
    def of(cls, a: Alert) -> AlertOut:
        return cls(
            id=a.id,
            client_id=a.client_id,
            client_name=a.client_name,
            kind=a.kind,
            description=a.description,
            assessment_id=a.assessment_id,
            instrument=a.instrument,
            created_at=a.created_at,
            acknowledged_at=a.acknowledged_at,
            acknowledged_by=a.acknowledged_by,
            acknowledged_by_name=a.acknowledged_by_name,
            note=a.note,
        )


class AcknowledgeIn(BaseModel):
    """The acknowledgement."""

    note: str = Field(description="What was done, e.g. 'Called the client; safety plan reviewed.' Required.")


@router.get("/alerts", response_model=list[AlertOut], openapi_extra=access("authenticated"))
def open_alerts(ctx: CtxDep, actor: ActorDep) -> list[AlertOut]:
    """Open alerts on the caller's caseload (a therapist's linked clients; a client's own), oldest first."""
    return [AlertOut.of(a) for a in alerts.open_alerts(ctx, actor)]


@router.get(
    "/clients/{client_id}/alerts", response_model=list[AlertOut], openapi_extra=access("client-record")
)
def client_alerts(
    client_id: int,
    ctx: CtxDep,
    actor: ActorDep,
    include_acknowledged: Annotated[bool, Query(description="Also list acknowledged alerts.")] = False,
) -> list[AlertOut]:
    """One client's alerts."""
    found = alerts.list_alerts(ctx, actor, client_id, include_acknowledged=include_acknowledged)
    return [AlertOut.of(a) for a in found]


@router.post(
    "/alerts/{alert_id}/acknowledge", response_model=AlertOut, openapi_extra=access("linked-therapist")
)
def acknowledge(alert_id: int, body: AcknowledgeIn, ctx: CtxDep, actor: ActorDep) -> AlertOut:
    """Acknowledge an alert with a note; only a therapist linked to the client may."""
    return AlertOut.of(alerts.acknowledge(ctx, actor, alert_id, body.note))
