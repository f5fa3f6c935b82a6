"""A questionnaire's history for the client and their therapist: ``/clients/{id}/assessments/{code}``.

The chart of every score coloured by its band, with a data table; the change since last time and
since the start; the reliable-change category in plain words; and "Goalwise supports care; it does
not diagnose". The result page after answering links here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.reports.charts import ChartPoint, ChartSpec
from goalwise.reports.embed import EmbeddedChart, embed
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.measurement.assessments import DISCLAIMER
from goalwise.services.progress import questionnaire_history
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page

__all__ = ["history_chart", "router"]

router = APIRouter(include_in_schema=False)
#: The same data draws the same chart (a chart is a pure function of its spec), and drawing one takes
#: most of a page's time: a reader who comes back, or a second supporter, gets it from memory.
cached_embed = lru_cache(maxsize=256)(embed)


def history_chart(found: questionnaire_history.QuestionnaireHistory) -> EmbeddedChart | None:
    """Every total by day, each point in its band's colour and shape, on the instrument's whole range."""
    if not found.scores:
        return None
    instrument = found.instrument
    better = "higher" if instrument.higher_is_better else "lower"
    return cached_embed(
        ChartSpec(
            title=f"{instrument.abbreviation} scores",
            description=f"{len(found.scores)} scores from {found.scores[0].on} to {found.scores[-1].on}; "
            f"{better} is better; latest {found.scores[-1].total_text} ({found.scores[-1].severity}).",
            points=tuple(ChartPoint(s.on, s.total, s.severity) for s in found.scores),
            y_label=f"{instrument.abbreviation} total ({better} is better)",
            trend=False,
            y_range=(float(instrument.min_total), float(instrument.max_total)),
            chart_id=f"chart-{instrument.code}-history",
            layout="phone",
        )
    )


@router.get(
    "/clients/{client_id}/assessments/{code}",
    response_class=HTMLResponse,
    openapi_extra=access("client-record"),
)
def questionnaire(
    request: Request,
    client_id: int,
    code: str,
    ctx: Annotated[Context, Depends(get_ctx)],
    auth: Annotated[Auth, Depends(require_auth)],
) -> Response:
    """The history of one questionnaire."""
    client = clients.get_client(ctx, auth.actor, client_id)
    found = questionnaire_history.history(ctx, auth.actor, client_id, code)
    return page(
        request,
        "questionnaire.html",
        client=client,
        found=found,
        chart=history_chart(found),
        disclaimer=DISCLAIMER,
        own=auth.actor.role == "client",
    )
