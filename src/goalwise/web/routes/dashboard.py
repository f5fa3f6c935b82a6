"""``/dashboard``: where each role starts after logging in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.measurement import alerts
from goalwise.services.progress import caseload
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect
from goalwise.web.routes.progress import today_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SELF_REPORT = ("phq9", "gad7", "who5")


@router.get("/dashboard", response_class=HTMLResponse, openapi_extra=access("authenticated"))
def dashboard(
    request: Request,
    ctx: Annotated[Context, Depends(get_ctx)],
    auth: Annotated[Auth, Depends(require_auth)],
    show: str = "all",
    sort: str = "attention",
) -> Response:
    """A therapist's caseload (``show`` filters, ``sort`` orders: ``caseload.FILTERS``, ``caseload.SORTS``),
    a client's goals, a supporter's shares; admins go to /admin."""
    actor = auth.actor
    if actor.role == "admin":
        return redirect("/admin")
    if actor.role == "therapist":
        return page(
            request,
            "caseload.html",
            rows=caseload.view(ctx, actor, show=show, sort=sort),
            open_alerts=alerts.open_alerts(ctx, actor),
            zones={c.id: c.timezone for c in clients.list_clients(ctx, actor)},
            show=show,
            sort=sort,
            filters=caseload.FILTERS,
            sorts=caseload.SORTS,
            silent_days=caseload.SILENT_DAYS,
            points={"phq9": ctx.settings.phq9_reliable_change, "gad7": ctx.settings.gad7_reliable_change},
        )
    if actor.role == "client" and actor.client_id is not None:
        return today_page.client_today(request, ctx, auth)
    return redirect("/family")  # a supporter's family dashboard: every goal shared with them
