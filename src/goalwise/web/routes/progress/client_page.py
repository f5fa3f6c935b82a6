"""``/clients/{client_id}``: one client at a glance for their therapist (and for the client).

Fast and light: open risk alerts, reviews due, the PHQ-9 / GAD-7 outcome, each goal with a link to
its page, and the charts of mood, anxiety and the questionnaires as images served on their own
(``chart_image``), so this page runs no analysis. The values and each measure's analysis are on
``/clients/{client_id}/data``; ABC entries, episodes, journal, sessions and phases on ``records``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.services.accounts import accounts
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.measurement import alerts
from goalwise.services.progress import outcomes, overview
from goalwise.services.progress.chart_state import chart_state
from goalwise.services.reviews import due
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page
from goalwise.web.routes.progress.chart_image import chart_url

__all__ = ["OVERVIEW", "router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]
#: The measures the overview charts, when the client has values of them.
OVERVIEW = ("mood", "anxiety", "phq9", "gad7")


@router.get("/clients/{client_id}", response_class=HTMLResponse, openapi_extra=access("client-record"))
def client_page(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """The client's overview."""
    actor = auth.actor
    client = clients.get_client(ctx, actor, client_id)
    goal_rows = overview.goal_briefs(ctx, actor, client_id)
    goal_keys = tuple(g.metric_key for g in goal_rows if g.status == "active" and g.metric_key)
    state = chart_state(ctx, actor, client_id, OVERVIEW + goal_keys)
    labels = {m.key: m.label for m in state.measures}
    return page(
        request,
        "client.html",
        client=client,
        measures=[(m, chart_url(client_id, m.key)) for m in state.measures if m.key in OVERVIEW],
        goal_charts={k: (labels[k], chart_url(client_id, k)) for k in goal_keys if k in labels},
        goals=goal_rows,
        alerts=alerts.list_alerts(ctx, actor, client_id),
        due=due.client_reviews_due(ctx, actor, client_id),
        outcome=outcomes.client_outcomes(ctx, actor, client_id),
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
