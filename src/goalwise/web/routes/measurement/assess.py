"""Questionnaires in the browser: the exact wording, one answer per item, the score at once.

A positive risk answer (PHQ-9 item 9 above zero) shows the crisis resources on the result page
immediately and leaves an alert on the therapist's caseload until it is acknowledged.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core import instruments
from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.measurement import assessments
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]


def _instrument(code: str) -> instruments.Instrument:
    if code not in instruments.codes():
        raise NotFound(f"there is no questionnaire {code!r}; choose one of {', '.join(instruments.codes())}")
    return instruments.get(code)


@router.get(
    "/clients/{client_id}/assess/{code}", response_class=HTMLResponse, openapi_extra=access("client-record")
)
def form(request: Request, client_id: int, code: str, ctx: CtxDep, auth: AuthDep) -> Response:
    """The questionnaire form."""
    client = clients.get_client(ctx, auth.actor, client_id)
    return page(request, "assess.html", client=client, instrument=_instrument(code), answers={})


def _answer(text: str) -> object:
    """A typed answer: a whole number, None when blank, else the text (which the service names as wrong).

    Only ASCII digits, and at most 18 of them: ``int()`` of "²" or of 5000 digits raises.
    """
    text = text.strip()
    if not text:
        return None
    return int(text) if re.fullmatch(r"-?[0-9]{1,18}", text) else text


@router.post(
    "/clients/{client_id}/assess/{code}",
    response_class=HTMLResponse,
    openapi_extra=access("client-record-write"),
)
async def submit(request: Request, client_id: int, code: str, ctx: CtxDep, auth: AuthDep) -> Response:
    """Score and store the answers; show the result, with crisis resources when a risk item is positive."""
    instrument = _instrument(code)
    client = clients.get_client(ctx, auth.actor, client_id)
    form_data = await request.form()
    raw = {item.number: str(form_data.get(f"item{item.number}", "")) for item in instrument.items}
    answers: list[object] = [_answer(v) for v in raw.values()]
    if instrument.extra_item is not None and str(form_data.get("extra", "")).strip():
        answers.append(_answer(str(form_data.get("extra"))))
    try:
        # The service validates every answer's type and names a typed word as "not a whole number".
        recorded = assessments.record(ctx, auth.actor, client_id, instrument.code, answers)  # type: ignore[arg-type]
    except InvalidInput as exc:
        return page(
            request,
            "assess.html",
            status_code=422,
            client=client,
            instrument=instrument,
            answers=raw,
            error=exc.message,
            problems=exc.problems,
        )
    return page(request, "assess_result.html", client=client, instrument=instrument, recorded=recorded)
