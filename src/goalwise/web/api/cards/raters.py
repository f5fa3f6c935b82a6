"""Raters' private links under ``/api/v1``: invite and end them (therapist), and the link itself.

``/api/v1/rate/{rater_token}`` is the link's own API (access policy ``rater-link``): the token is the
credential; it reads today's card and rates today or a missed previous school day, nothing else.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.cards.card import card_to_dict
from goalwise.services.cards import raters
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.api.cards.cards import day_out
from goalwise.web.deps import client_address, current_actor, get_ctx

__all__ = ["router"]

router = APIRouter(tags=["cards"])
ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class RaterIn(BaseModel):
    """Who rates the card."""

    name: str = Field(max_length=120, description="e.g. Ms Patel.")
    email: str | None = Field(default=None, max_length=254)


class RaterNameIn(BaseModel):
    """The rater whose links end."""

    name: str = Field(max_length=120)


class LinkRatingIn(BaseModel):
    """The rater's ratings of today (or the missed previous school day)."""

    on: date | None = Field(default=None, description="Default: the client's today.")
    ratings: str | list[str] = Field(description='"1=yes,2=no,3=na", or one rating per target in order.')
    period: str | None = Field(default=None, max_length=40)
    comment: str | None = Field(default=None, max_length=500)


@router.post("/cards/{card_id}/raters", status_code=201, openapi_extra=access("linked-therapist"))
def invite(card_id: int, body: RaterIn, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """A private link for a rater; ``link`` is whole, built from GOALWISE_BASE_URL, and shown only now."""
    info, token = raters.invite_rater(ctx, actor, card_id, body.name, email=body.email)
    path = raters.rater_path(token)
    return {
        "id": info.id,
        "name": info.name,
        "path": path,
        "link": ctx.link(path),
        "expires_at": info.expires_at.isoformat(),
    }


@router.post("/cards/{card_id}/raters/revoke", openapi_extra=access("linked-therapist"))
def revoke(card_id: int, body: RaterNameIn, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """End the rater's live links at once; they then answer 404."""
    return {"ended": raters.revoke_rater(ctx, actor, card_id, body.name)}


@router.get("/rate/{rater_token}", openapi_extra=access("rater-link"))
def open_link(rater_token: str, request: Request, ctx: CtxDep) -> dict[str, Any]:
    """What the link opens: the card, the days it may rate and what is rated already."""
    view = raters.open_rater(
        ctx, rater_token, address=client_address(request), user_agent=request.headers.get("user-agent")
    )
    return {
        "rater": view.rater_name,
        "card": card_to_dict(view.card),
        "today": view.today.isoformat(),
        "days": [d.isoformat() for d in view.days],
        "rated": [day_out(d) for d in view.rated.values()],
    }


@router.post("/rate/{rater_token}", openapi_extra=access("rater-link"))
def rate(rater_token: str, body: LinkRatingIn, request: Request, ctx: CtxDep) -> dict[str, Any]:
    """Rate today (the default) or the missed previous school day."""
    on = body.on or raters.open_rater(ctx, rater_token).today
    day = raters.rate_by_link(
        ctx,
        rater_token,
        on,
        body.ratings,
        period=body.period,
        comment=body.comment,
        address=client_address(request),
        user_agent=request.headers.get("user-agent"),
    )
    return day_out(day)
