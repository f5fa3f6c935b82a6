"""``/clients/{client_id}``: one client at a glance for their therapist (and for the client).

Charts of mood, anxiety and the questionnaires with their phases, trends and bands; each goal
with its forecast; the PHQ-9 / GAD-7 outcome; and the actions a therapist takes from here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.analytics.summary import MetricAnalysis
from goalwise.core.errors import NotFound
from goalwise.reports.embed import EmbeddedChart, embed
from goalwise.reports.progress_chart import chart_spec
from goalwise.services.accounts import accounts
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.progress import outcomes, overview
from goalwise.services.progress.progress import analyse_metric
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
OVERVIEW = ("mood", "anxiety", "phq9", "gad7")


def _chart(ctx: Context, auth: Auth, client_id: int, key: str) -> tuple[MetricAnalysis, EmbeddedChart] | None:
    try:
        analysis = analyse_metric(ctx, auth.actor, client_id, key)
    except NotFound:
        return None  # nothing logged yet for this metric
    return analysis, embed(chart_spec(analysis))


@router.get("/clients/{client_id}", response_class=HTMLResponse, openapi_extra=access("client-record"))
def client_page(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The client's overview."""
    client = clients.get_client(ctx, auth.actor, client_id)
    goal_rows = overview.goal_briefs(ctx, auth.actor, client_id)
    charts = [c for c in (_chart(ctx, auth, client_id, key) for key in OVERVIEW) if c is not None]
    goal_charts = []
    for row in goal_rows:
        if row.status == "active" and row.metric_key is not None:
            found = _chart(ctx, auth, client_id, row.metric_key)
            if found is not None:
                goal_charts.append((row, *found))
    return page(
        request,
        "client.html",
        client=client,
        charts=charts,
        goal_charts=goal_charts,
        goals=goal_rows,
        outcome=outcomes.client_outcomes(ctx, auth.actor, client_id),
    )


@router.post(
    "/clients/{client_id}/reset-link", response_class=HTMLResponse, openapi_extra=access("linked-therapist")
)
def reset_link(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The client's therapist makes a new invitation link (a client without a password only)."""
    user, path, expires = accounts.client_reset_link(ctx, auth.actor, client_id)
    return page(
        request,
        "link_made.html",
        who=user.name,
        url=ctx.link(path),
        expires=expires,
        back=f"/clients/{client_id}",
    )
