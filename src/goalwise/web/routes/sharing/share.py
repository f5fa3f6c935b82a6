"""The supporter's read-only view of what a client shared: ``/s/{token}`` and ``/shared-with-me/{id}``.

The same content as a section of the family dashboard (``family_page.py``), under its own ``h1``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.services.cards import home_report
from goalwise.services.context import Context
from goalwise.services.sharing import family, sharing
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, client_address, context_of, get_ctx, require_auth
from goalwise.web.render import page
from goalwise.web.routes.sharing.family_page import goal_chart

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/s/{token}", response_class=HTMLResponse, openapi_extra=access("share-link"))
def shared(request: Request, token: str, ctx: Annotated[Context, Depends(get_ctx)]) -> Response:
    """Read-only; a revoked or expired link answers 404."""
    view = sharing.open_share(
        ctx, token, address=client_address(request), user_agent=request.headers.get("user-agent")
    )
    return _render(request, view, f"/s/{token}/chart.svg")


@router.get(
    "/shared-with-me/{share_id}", response_class=HTMLResponse, openapi_extra=access("supporter-share")
)
def shared_with_me(
    request: Request,
    share_id: int,
    ctx: Annotated[Context, Depends(get_ctx)],
    auth: Annotated[Auth, Depends(require_auth)],
) -> Response:
    """A supporter account reads a share addressed to it (404 once revoked or expired)."""
    view = sharing.open_share_for_supporter(ctx, auth.actor, share_id)
    return _render(request, view, f"/shared-with-me/{share_id}/chart.svg")


def _render(request: Request, view: sharing.SharedView, chart_base: str) -> Response:
    share = family.summarise_share(view)
    charts = {f"share-{i}": goal_chart(goal, f"{chart_base}?goal={i}") for i, goal in enumerate(share.goals)}
    has_card = home_report.shares_a_card(context_of(request), view)
    response = page(
        request,
        "shared.html",
        share=share,
        charts=charts,
        card_url=f"{request.url.path}/card" if has_card else None,
    )
    response.headers["cache-control"] = "no-store"
    response.headers["x-robots-tag"] = "noindex"
    return response
