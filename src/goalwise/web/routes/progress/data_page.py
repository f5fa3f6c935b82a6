"""``/clients/{client_id}/data``: one measure at a time with its chart, analysis and every value.

The overview links here instead of carrying a year of values per chart. One measure is analysed
per request (``?measure=``, default the first), so the page stays quick on a long record; the
list of the client's measures links to each.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput, Problem
from goalwise.reports.charts import data_table, default_description
from goalwise.reports.progress_chart import chart_spec
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.progress.chart_state import chart_state
from goalwise.services.progress.progress import analyse_metric
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page
from goalwise.web.routes.progress.chart_image import chart_url
from goalwise.web.routes.progress.wording import for_therapist

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/clients/{client_id}/data", response_class=HTMLResponse, openapi_extra=access("client-record"))
def data_page(
    request: Request,
    client_id: int,
    ctx: Annotated[Context, Depends(get_ctx)],
    auth: Annotated[Auth, Depends(require_auth)],
    measure: str = "",
) -> Response:
    """The chosen measure's chart, forecast, phase effects, small wins and data table."""
    client = clients.get_client(ctx, auth.actor, client_id)
    state = chart_state(ctx, auth.actor, client_id)
    keys = [m.key for m in state.measures]
    if measure and measure not in keys:
        hint = "choose one of the client's measures: " + (", ".join(keys) or "none has values yet")
        raise InvalidInput([Problem("data-measure", "measure", f"{measure!r:.40} has no values", hint)])
    chosen = measure or (keys[0] if keys else "")
    analysis = analyse_metric(ctx, auth.actor, client_id, chosen, state.today) if chosen else None
    spec = chart_spec(analysis) if analysis is not None else None
    table = data_table(spec) if spec is not None else []
    alt = f"{spec.title}. {spec.description or default_description(spec)}" if spec is not None else ""
    wins = [(w.on, for_therapist(w)) for w in analysis.summary.wins] if analysis is not None else []
    return page(
        request,
        "client_data.html",
        client=client,
        measures=state.measures,
        chosen=chosen,
        analysis=analysis,
        table=table,
        alt=alt,
        wins=wins,
        src=chart_url(client_id, chosen) if chosen else None,
    )
