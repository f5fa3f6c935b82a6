"""The client's settings: time zone, the region of the crisis lines they see, and a calendar link.

``GET /settings`` shows them; ``POST /settings`` saves the time zone and region (a bad value is named
next to its field and nothing is stored). The calendar subscription is made on this page through the
calendar feed's own routes (``/clients/{id}/calendar-feed``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.client import timezone_names
from goalwise.core.errors import InvalidInput, NotFound
from goalwise.core.measurement import crisis
from goalwise.services.clinic import client_settings
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]


def _own_client(auth: Auth) -> int:
    if auth.actor.role != "client" or auth.actor.client_id is None:
        raise NotFound("settings are a client's own page")
    return int(auth.actor.client_id)


def _render(
    request: Request,
    ctx: Context,
    auth: Auth,
    *,
    status_code: int = 200,
    errors: dict[str, list[str]] | None = None,
    values: dict[str, str] | None = None,
    saved: bool = False,
) -> Response:
    client_id = _own_client(auth)
    current = client_settings.read_settings(ctx, auth.actor, client_id)
    zone_region = crisis.region_for_timezone(current.timezone)
    names = {r.code: r.name for r in crisis.REGIONS}
    return page(
        request,
        "settings.html",
        status_code=status_code,
        current=current,
        regions=crisis.REGIONS,
        other=crisis.OTHER,
        zone_region_name=names.get(zone_region or "", "the clinic's choice"),
        zones=timezone_names(),
        errors=errors or {},
        values=values or {"timezone": current.timezone, "crisis_region": current.chosen_region or ""},
        saved=saved,
        client_id=client_id,
    )


@router.get("/settings", response_class=HTMLResponse, openapi_extra=access("client-self"))
def settings_page(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """The client's settings."""
    return _render(request, ctx, auth)


@router.post("/settings", response_class=HTMLResponse, openapi_extra=access("client-self"))
async def save(request: Request, ctx: CtxDep, auth: AuthDep) -> Response:
    """Save the time zone and crisis region; every bad field is named beside it, nothing half stored."""
    client_id = _own_client(auth)
    form = await request.form()
    values = {
        "timezone": str(form.get("timezone") or "").strip(),
        "crisis_region": str(form.get("crisis_region") or "").strip(),
    }
    try:
        client_settings.save_settings(
            ctx, auth.actor, client_id, timezone=values["timezone"], region=values["crisis_region"]
        )
    except InvalidInput as exc:
        errors: dict[str, list[str]] = {}
        for p in exc.problems:
            errors.setdefault(p.field or "timezone", []).append(f"{p.message} {p.hint or ''}".strip())
        return _render(request, ctx, auth, status_code=422, errors=errors, values=values)
    return _render(request, ctx, auth, saved=True)
