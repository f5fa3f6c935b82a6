"""``/clients/{client_id}/records``: what the client recorded besides their daily values.

ABC entries with their summary (antecedents and consequences per behaviour, and when in the day
each behaviour happens, in the client's time zone), episodes, the journal entries the client
shared (a therapist never sees a private one: the service filters them), therapy sessions, and
the intervention phases with a form to start a new one. ``?days=`` sets how far back (default 90).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core import instruments
from goalwise.core.errors import Conflict, InvalidInput, Problem
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.measurement import abc, episodes, journal, phases, therapy_sessions
from goalwise.services.measurement.abc import HOUR_BANDS, AbcEntry
from goalwise.services.measurement.record_store import local_now
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]


def by_time_of_day(entries: list[AbcEntry], timezone: str) -> list[tuple[str, list[int]]]:
    """Per behaviour (as the summary groups them), how many entries fell in each part of the day."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    counts: dict[str, list[int]] = {}
    for entry in entries:
        key = " ".join(entry.behaviour.split())
        row = counts.setdefault(key.casefold(), [0] * len(HOUR_BANDS))
        hour = entry.at.astimezone(zone).hour
        for i, (_, start, end) in enumerate(HOUR_BANDS):
            if start <= hour < end:
                row[i] += 1
    return [(k, v) for k, v in counts.items()]


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            [Problem("phase-start", "start_on", f"{text!r:.30} is not a date.", "Write it as YYYY-MM-DD.")]
        ) from None


def _records(
    request: Request,
    ctx: Context,
    auth: Auth,
    client_id: int,
    days: int,
    form: tuple[dict[str, str], dict[str, str]] = ({}, {}),
) -> HTMLResponse:
    errors, values = form
    actor = auth.actor
    client = clients.get_client(ctx, actor, client_id)
    start = local_now(client.timezone) - timedelta(days=days - 1)
    entries = abc.list_entries(ctx, actor, client_id, start=start)
    return page(
        request,
        "records.html",
        status_code=422 if errors else 200,
        client=client,
        days=days,
        abc_entries=entries,
        abc_summary=abc.summarise(entries, client.timezone),
        abc_by_time={k: v for k, v in by_time_of_day(entries, client.timezone)},
        bands=[name for name, _, _ in HOUR_BANDS],
        episodes=episodes.list_episodes(ctx, actor, client_id, start=start),
        journal=journal.list_entries(ctx, actor, client_id, start=start),
        sessions=therapy_sessions.list_sessions(ctx, actor, client_id),
        phases=phases.list_phases(ctx, actor, client_id),
        instrument_names={code: instruments.get(code).abbreviation for code in instruments.codes()},
        errors=errors,
        values=values,
    )


@router.get(
    "/clients/{client_id}/records", response_class=HTMLResponse, openapi_extra=access("client-record")
)
def records_page(
    request: Request,
    client_id: int,
    ctx: CtxDep,
    auth: AuthDep,
    days: Annotated[int, Query(ge=7, le=3660)] = 90,
) -> Response:
    """The client's records of the last ``days`` days, and their phases."""
    return _records(request, ctx, auth, client_id, days)


@router.post(
    "/clients/{client_id}/phases", response_class=HTMLResponse, openapi_extra=access("client-record-write")
)
def start_phase(
    request: Request,
    client_id: int,
    ctx: CtxDep,
    auth: AuthDep,
    name: Annotated[str, Form()] = "",
    start_on: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "intervention",
) -> Response:
    """Start a new phase (an intervention by default); charts then compare it with the phases before."""
    try:
        if kind not in ("intervention", "baseline"):
            hint = "Choose intervention or baseline."
            raise InvalidInput([Problem("phase-kind", "kind", f"{kind!r:.20} is not a kind of phase.", hint)])
        day = _day(start_on)
        phases.start_phase(ctx, auth.actor, client_id, name, baseline=kind == "baseline", start_on=day)
    except (InvalidInput, Conflict) as exc:
        clash = [Problem("phase-clash", "start_on", exc.message)]
        problems = exc.problems if isinstance(exc, InvalidInput) else clash
        errors = {p.field: p.message + (f" {p.hint}" if p.hint else "") for p in problems}
        values = {"name": name, "start_on": start_on, "kind": kind}
        return _records(request, ctx, auth, client_id, 90, (errors, values))
    return redirect(f"/clients/{client_id}/records", "phase-started")
