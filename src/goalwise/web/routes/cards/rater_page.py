"""``/rate/{rater_token}``: the rater's phone-sized page for today's card (and a missed school day).

The token in the path is the credential (access policy ``rater-link``): no log-in, and the page shows
only the card's title, its targets and the days the link may rate, nothing else of the client's record.
Forms work without JavaScript; an unknown, revoked or expired link answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from goalwise.core.errors import InvalidInput, Problem
from goalwise.services.cards import raters
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import client_address, get_ctx
from goalwise.web.render import page, redirect

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Context, Depends(get_ctx)]


def _render(
    request: Request, ctx: Context, rater_token: str, problems: list[Problem] | None = None, chosen: str = ""
) -> Response:
    view = raters.open_rater(
        ctx, rater_token, address=client_address(request), user_agent=request.headers.get("user-agent")
    )
    return page(
        request,
        "rate.html",
        status_code=422 if problems else 200,
        view=view,
        token=rater_token,
        problems=problems or [],
        chosen=chosen or view.today.isoformat(),
    )


@router.get("/rate/{rater_token}", response_class=HTMLResponse, openapi_extra=access("rater-link"))
def rate_page(request: Request, rater_token: str, ctx: CtxDep) -> Response:
    """Today's card to rate, with what is already rated."""
    response = _render(request, ctx, rater_token)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/rate/{rater_token}", response_class=HTMLResponse, openapi_extra=access("rater-link"))
async def rate_post(request: Request, rater_token: str, ctx: CtxDep) -> Response:
    """Store the day's ratings; a second rating of the same day and period replaces the first."""
    form = await request.form()
    text = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    view = raters.open_rater(ctx, rater_token)
    chosen = text.get("on") or view.today.isoformat()
    try:
        on = date.fromisoformat(chosen)
    except ValueError:
        problem = Problem("date", "on", f"{chosen!r} is not a day.", "Choose one of the days shown.")
        return _render(request, ctx, rater_token, [problem])
    ratings = [text.get(f"t{i}", "na") for i in range(1, len(view.card.targets) + 1)]
    try:
        raters.rate_by_link(
            ctx,
            rater_token,
            on,
            ratings,
            period=text.get("period") or None,
            comment=text.get("comment"),
            address=client_address(request),
            user_agent=request.headers.get("user-agent"),
        )
    except InvalidInput as exc:
        return _render(request, ctx, rater_token, exc.problems, chosen)
    return redirect(f"/rate/{rater_token}", "card-rated")
