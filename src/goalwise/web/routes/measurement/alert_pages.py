"""Acknowledging a risk alert from the caseload page, with a note."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import Response

from goalwise.services.context import Context
from goalwise.services.measurement import alerts
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.post("/alerts/{alert_id}/acknowledge", openapi_extra=access("linked-therapist"))
def acknowledge(
    alert_id: int,
    ctx: Annotated[Context, Depends(get_ctx)],
    auth: Annotated[Auth, Depends(require_auth)],
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record who acknowledged the alert, when, and what was done; the alert leaves the caseload."""
    alerts.acknowledge(ctx, auth.actor, alert_id, note)
    return redirect("/dashboard", "alert-acknowledged")
