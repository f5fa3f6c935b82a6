"""A questionnaire's history for the client and their therapist: ``/clients/{id}/assessments/{code}``.

The chart of every score coloured by its band (an image of its own), with a data table; the change
since last time and since the start; the reliable-change category in plain words; and "Goalwise
supports care; it does not diagnose". The result page after answering links here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.reports.embed import EmbeddedChart
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.measurement.assessments import DISCLAIMER
from goalwise.services.progress import questionnaire_history
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page
from goalwise.web.routes.progress.chart_image import chart_url

__all__ = ["history_chart", "router"]

router = APIRouter(include_in_schema=False)


def history_chart(found: questionnaire_history.QuestionnaireHistory, client_id: int) -> EmbeddedChart | None:
    """Every total by day in its band's colour and shape, as the image ``chart_image.py`` serves (drawn
    once per change of the data, so this page answers at once), with its text alternative and table."""
    if not found.scores:
        return None
    instrument = found.instrument
    better = "higher" if instrument.higher_is_better else "lower"
    latest = found.scores[-1]
    alt = (
        f"{instrument.abbreviation} scores: {len(found.scores)} from {found.scores[0].on} to {latest.on}; "
        f"{better} is better; latest {latest.total_text} ({latest.severity})."
    )
    table: list[tuple[str, ...]] = [("Date", "Score", "Band")]
    table += [(s.on.isoformat(), s.total_text, s.severity) for s in found.scores]
    return EmbeddedChart(chart_url(client_id, instrument.code, "phone"), alt, table)


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
        chart=history_chart(found, client_id),
        disclaimer=DISCLAIMER,
        own=auth.actor.role == "client",
    )
