"""``/clients/{client_id}``: one client at a glance for their therapist (and for the client).

Charts of mood, anxiety and the questionnaires with their phases, trends and bands; each goal
with its forecast; the PHQ-9 / GAD-7 outcome; and the actions a therapist takes from here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from goalwise.core.errors import NotFound
from goalwise.reports.embed import EmbeddedChart, embed
from goalwise.reports.progress_chart import chart_spec
from goalwise.services import accounts, clients, outcomes
from goalwise.services.context import Context
from goalwise.services.progress import MetricAnalysis, analyse_metric
from goalwise.storage.tables import goals, metrics
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
    with ctx.db.read() as conn:
        goal_rows = conn.execute(
            select(goals.c.id, goals.c.title, goals.c.status, goals.c.metric_id)
            .where(goals.c.client_id == client_id)
            .order_by(goals.c.id)
        ).all()
    charts = [c for c in (_chart(ctx, auth, client_id, key) for key in OVERVIEW) if c is not None]
    goal_charts = []
    for row in goal_rows:
        if row.status == "active" and row.metric_id is not None:
            found = _chart(ctx, auth, client_id, _metric_key(ctx, row.metric_id))
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


def _metric_key(ctx: Context, metric_id: int) -> str:
    with ctx.db.read() as conn:
        return str(conn.execute(select(metrics.c.key).where(metrics.c.id == metric_id)).scalar_one())


@router.post(
    "/clients/{client_id}/reset-link", response_class=HTMLResponse, openapi_extra=access("linked-therapist")
)
def reset_link(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The client's therapist makes a one-time password link and passes it on."""
    user, token, expires = accounts.client_reset_link(ctx, auth.actor, client_id)
    return page(
        request,
        "link_made.html",
        who=user.name,
        path=f"/reset/{token}",
        expires=expires,
        back=f"/clients/{client_id}",
    )
