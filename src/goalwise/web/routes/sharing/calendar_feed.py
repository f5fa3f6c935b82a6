"""Calendar subscription: make or revoke a client's private feed URL, and serve the feed.

``POST /clients/{client_id}/calendar-feed`` shows a new URL once; ``.../calendar-feed/revoke``
ends every URL of the client; ``GET /calendar/{feed_token}.ics`` is what a phone calendar fetches
(the token is the credential; 404 once revoked).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.interop.ics import client_calendar
from goalwise.services.context import Context
from goalwise.services.sharing import calendar_feeds
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, get_ctx, require_auth
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(require_auth)]


def _back(auth: Auth, client_id: int) -> str:
    """A client made the link from their Settings; a therapist from the client's page."""
    return "/settings" if auth.actor.role == "client" else f"/clients/{client_id}"


@router.post(
    "/clients/{client_id}/calendar-feed",
    response_class=HTMLResponse,
    openapi_extra=access("client-record-write"),
)
def make_feed(request: Request, client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """A new private subscription URL for the client's calendar, shown only now."""
    _, token = calendar_feeds.create_feed(ctx, auth.actor, client_id)
    url = ctx.link(f"/calendar/{token}.ics")  # the public address, not the host this request named
    webcal = "webcal://" + url.split("://", 1)[1]
    return page(request, "calendar_feed.html", url=url, webcal=webcal, back=_back(auth, client_id))


@router.post("/clients/{client_id}/calendar-feed/revoke", openapi_extra=access("client-record-write"))
def revoke_feed(client_id: int, ctx: CtxDep, auth: AuthDep) -> Response:
    """Revoke every calendar URL of the client."""
    calendar_feeds.revoke_feeds(ctx, auth.actor, client_id)
    return redirect(_back(auth, client_id), "calendar-revoked")


@router.get("/calendar/{feed_token}.ics", openapi_extra=access("calendar-feed"))
def feed(feed_token: str, ctx: CtxDep) -> Response:
    """The calendar a subscribed phone fetches: check-in reminder, questionnaires, reviews."""
    client_id, reader = calendar_feeds.feed_reader(ctx, feed_token)
    return Response(
        client_calendar(ctx, reader, client_id),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )
