"""The daily check-in on one phone-sized screen: mood, anxiety, sleep, today's goal metrics, a note.

Built to take under 30 seconds: numbers with sensible ranges, nothing required but one value,
and a retried submission (an offline phone sending twice) stores once thanks to the form's
one-time reference.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.measurement import checkins
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
STANDARD = ("mood", "anxiety", "sleep_hours")


def _form(
    request: Request, ctx: Context, auth: Auth, client_id: int, status: int = 200, **extra: object
) -> Response:
    client = clients.get_client(ctx, auth.actor, client_id)
    metrics = checkins.checkin_metrics(ctx, auth.actor, client_id)
    return page(
        request,
        "checkin.html",
        status_code=status,
        client=client,
        goal_metrics=[m for m in metrics if m.key not in STANDARD],
        ref=secrets.token_urlsafe(16),
        **extra,
    )


@router.get(
    "/clients/{client_id}/checkin", response_class=HTMLResponse, openapi_extra=access("client-record")
)
def form(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Today's check-in form."""
    return _form(request, ctx, auth, client_id)


def _number(raw: object) -> float | None:
    text = str(raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return float("nan")  # reported by the service as "not a number", naming the field


@router.post(
    "/clients/{client_id}/checkin", response_class=HTMLResponse, openapi_extra=access("client-record-write")
)
async def submit(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Store the check-in in one go; on a problem, show the form again with every problem named."""
    data = await request.form()
    goal_values = {
        key.removeprefix("goal_"): value
        for key in data
        if key.startswith("goal_") and (value := _number(data.get(key))) is not None
    }
    try:
        checkins.checkin(
            ctx,
            auth.actor,
            client_id,
            mood=_number(data.get("mood")),
            anxiety=_number(data.get("anxiety")),
            sleep_hours=_number(data.get("sleep_hours")),
            note=str(data.get("note") or "") or None,
            goal_values=goal_values or None,
            client_ref=str(data.get("ref") or "") or None,
        )
    except InvalidInput as exc:
        return _form(
            request,
            ctx,
            auth,
            client_id,
            422,
            error=exc.message,
            problems=exc.problems,
            values={k: str(v) for k, v in data.items() if k not in ("csrf_token", "ref")},
        )
    target = "/dashboard" if auth.actor.role == "client" else f"/clients/{client_id}"
    return redirect(target, "checkin-saved")
