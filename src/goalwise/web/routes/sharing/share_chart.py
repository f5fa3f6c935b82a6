"""A shared goal's chart as an image: ``/s/{token}/chart.svg?goal=N`` and
``/shared-with-me/{share_id}/chart.svg?goal=N``.

The share pages and the family dashboard show each chart with ``<img src=...>`` so that the page
answers at once and the drawing (matplotlib, most of the time) happens per image. Every request
checks the share is live, as the page does, without counting another view. A chart is a pure
function of its data, so each drawing is kept in memory and a repeat costs nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from goalwise.core.errors import NotFound
from goalwise.reports.charts import ChartSpec, line_chart
from goalwise.services.context import Context
from goalwise.services.sharing import family, sharing
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, client_address, get_ctx, require_auth
from goalwise.web.routes.sharing.family_page import goal_spec

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]


@lru_cache(maxsize=256)
def _svg(spec: ChartSpec) -> bytes:
    return line_chart(spec).encode("utf-8")


def _image(view: sharing.SharedView, goal: int) -> Response:
    share = family.summarise_share(view)
    if not 0 <= goal < len(share.goals):
        raise NotFound(f"this share has no goal number {goal}")
    svg = _svg(goal_spec(share.goals[goal], f"share-goal-{goal}"))
    return Response(svg, media_type="image/svg+xml", headers={"cache-control": "no-store"})


@router.get("/s/{token}/chart.svg", openapi_extra=access("share-link"))
def share_link_chart(request: Request, token: str, ctx: CtxDep, goal: int = 0) -> Response:
    """The chart of the share's goal number ``goal`` (from 0); 404 once the link is revoked or expired."""
    view = sharing.open_share(
        ctx,
        token,
        address=client_address(request),
        user_agent=request.headers.get("user-agent"),
        record=False,
    )
    return _image(view, goal)


@router.get("/shared-with-me/{share_id}/chart.svg", openapi_extra=access("supporter-share"))
def supporter_chart(
    share_id: int, ctx: CtxDep, auth: Annotated[Auth, Depends(require_auth)], goal: int = 0
) -> Response:
    """The chart of goal number ``goal`` of a share addressed to this supporter account."""
    return _image(sharing.open_share_for_supporter(ctx, auth.actor, share_id, record=False), goal)
