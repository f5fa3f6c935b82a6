"""The home report: the family's view of a shared card's week.

``/s/{token}/card`` (a share link) and ``/shared-with-me/{share_id}/card`` (a supporter account) show,
for each card whose goal the share includes, the week's days with each day's percentage, colour-coded
met or not met, the reward tier reached and the rater's comment, and the week's chart with its table.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.services.cards import home_report
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, client_address, get_ctx, require_auth
from goalwise.web.render import page
from goalwise.web.routes.cards.card_pages import card_chart

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]


def _render(request: Request, found: list[home_report.HomeCard], back: str) -> Response:
    charts = [card_chart(h.card.title, h.card.goal_percent, h.recent, "phone") for h in found]
    return page(request, "home_card.html", cards=list(zip(found, charts, strict=True)), back=back)


@router.get("/s/{token}/card", response_class=HTMLResponse, openapi_extra=access("share-link"))
def home_card_link(request: Request, token: str, ctx: CtxDep) -> Response:
    """The card's week through a share link; 404 once the share is revoked or expired."""
    found = home_report.home_for_share(
        ctx, token, address=client_address(request), user_agent=request.headers.get("user-agent")
    )
    response = _render(request, found, f"/s/{token}")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get(
    "/shared-with-me/{share_id}/card", response_class=HTMLResponse, openapi_extra=access("supporter-share")
)
def home_card_supporter(
    request: Request, share_id: int, ctx: CtxDep, auth: Annotated[Auth, Depends(require_auth)]
) -> Response:
    """The same for a supporter account reading a share addressed to it."""
    found = home_report.home_for_supporter(ctx, auth.actor, share_id)
    return _render(request, found, f"/shared-with-me/{share_id}")
