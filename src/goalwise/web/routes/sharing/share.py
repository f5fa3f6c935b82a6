"""The supporter's read-only view of what a client shared: ``/s/{token}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.analytics.target import meets
from goalwise.reports.charts import ChartPoint, ChartSpec
from goalwise.reports.embed import EmbeddedChart, embed
from goalwise.services.context import Context
from goalwise.services.sharing import sharing
from goalwise.web.api.access import access
from goalwise.web.deps import Auth, client_address, get_ctx, require_auth
from goalwise.web.render import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _goal_chart(goal: dict[str, object], index: int) -> EmbeddedChart | None:
    daily = goal.get("daily") or []
    if not daily:
        return None
    spec = goal.get("spec") or {}
    target = spec.get("target") if isinstance(spec, dict) else None
    target_value = target.get("value") if isinstance(target, dict) else target
    comparator = str(target.get("comparator", ">=")) if isinstance(target, dict) else ">="
    numeric = isinstance(target_value, int | float)

    def label(value: float) -> str:
        if not numeric:
            return "logged"
        return "met" if meets(value, float(target_value), comparator) else "not met"  # type: ignore[arg-type]

    points = tuple(ChartPoint(on=d, value=v, label=label(v)) for d, v in daily)  # type: ignore[union-attr]
    chart = ChartSpec(
        title=str(goal["title"]),
        description=f"Daily values for the goal {goal['title']} over the last months.",
        points=points,
        target=float(target_value) if numeric else None,  # type: ignore[arg-type]
        chart_id=f"share-goal-{index}",
    )
    return embed(chart)


@router.get("/s/{token}", response_class=HTMLResponse, openapi_extra=access("share-link"))
def shared(request: Request, token: str, ctx: Annotated[Context, Depends(get_ctx)]) -> Response:
    """Read-only; a revoked or expired link answers 404."""
    view = sharing.open_share(
        ctx, token, address=client_address(request), user_agent=request.headers.get("user-agent")
    )
    return _render(request, view)


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
    return _render(request, sharing.open_share_for_supporter(ctx, auth.actor, share_id))


def _render(request: Request, view: sharing.SharedView) -> Response:
    charts = [_goal_chart(g, i) for i, g in enumerate(view.goals)]
    response = page(request, "shared.html", view=view, charts=charts)
    response.headers["cache-control"] = "no-store"
    response.headers["x-robots-tag"] = "noindex"
    return response
