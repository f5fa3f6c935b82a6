"""``/api/v1/clients/{client_id}/cards`` and ``/api/v1/cards/{card_id}``: make, read and rate cards.

The same contract as ``goalwise card new|rate|show`` (docs/user-guide.md).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from goalwise.core.accounts.actor import Actor
from goalwise.core.cards.card import card_to_dict
from goalwise.services.cards import card_reading, cards
from goalwise.services.cards.card_days import DayView
from goalwise.services.context import Context
from goalwise.web.api.access import access
from goalwise.web.deps import current_actor, get_ctx

__all__ = ["day_out", "router"]

router = APIRouter(tags=["cards"])
ActorDep = Annotated[Actor, Depends(current_actor)]
CtxDep = Annotated[Context, Depends(get_ctx)]


class TargetIn(BaseModel):
    """One target behaviour."""

    text: str = Field(max_length=200, description='e.g. "Follows directions".')
    criterion: str = Field(default="", max_length=200, description='e.g. "with 3 or fewer reminders".')


class RewardIn(BaseModel):
    """A reward tier."""

    at_percent: float = Field(description="From 1 to 100.")
    reward: str = Field(max_length=200, description="What happens at home.")


class CardIn(BaseModel):
    """CARD.json."""

    title: str = Field(max_length=120)
    rated_by: str = Field(description="teacher, parent or client.")
    goal_percent: float = Field(description="The goal: % of targets met on a day, 1-100.")
    periods: list[str] = Field(
        default_factory=list, max_length=10, description="Optional periods of the day."
    )
    targets: list[TargetIn] = Field(max_length=8, description="1 to 8 target behaviours.")
    rewards: list[RewardIn] = Field(default_factory=list, max_length=10)


class RatingIn(BaseModel):
    """One day's (or period's) ratings."""

    on: date
    ratings: str | list[str] = Field(description='"1=yes,2=no,3=na", or one rating per target in order.')
    period: str | None = Field(default=None, max_length=40)
    comment: str | None = Field(default=None, max_length=500)


def day_out(day: DayView) -> dict[str, Any]:
    """A rated day in the contract's JSON shape."""
    reward = (
        None if day.reward is None else {"at_percent": day.reward.at_percent, "reward": day.reward.reward}
    )
    return {
        "on": day.on.isoformat(),
        "percent": day.percent,
        "yes": day.yes,
        "no": day.no,
        "met": day.met,
        "reward": reward,
        "periods": day.periods,
        "comment": day.comment,
    }


def _card_out(view: cards.CardView) -> dict[str, Any]:
    return {
        "id": view.id,
        "client_id": view.client_id,
        "goal_id": view.goal_id,
        "revision": view.revision,
        **card_to_dict(view.card),
    }


@router.post("/clients/{client_id}/cards", status_code=201, openapi_extra=access("linked-therapist"))
def create_card(client_id: int, body: CardIn, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Make a card and its goal (percentage of targets met per day, SMART-checked)."""
    return _card_out(cards.create_card(ctx, actor, client_id, body.model_dump()))


@router.get("/clients/{client_id}/cards", openapi_extra=access("client-record"))
def list_cards(client_id: int, ctx: CtxDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The client's cards."""
    return [_card_out(v) for v in cards.list_cards(ctx, actor, client_id)]


@router.get("/cards/{card_id}", openapi_extra=access("client-record"))
def show_card(card_id: int, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """The card with its days of the last eight weeks, each target's hit rate and the shaping check."""
    shown = card_reading.show(ctx, actor, card_id)
    return {
        **_card_out(shown.view),
        "days": [day_out(d) for d in shown.days],
        "hit_rates": shown.hit_rates,
        "shaping": {"suggest": shown.shaping.suggest, "message": shown.shaping.message},
    }


@router.post("/cards/{card_id}/ratings", openapi_extra=access("client-record-write"))
def rate_card(card_id: int, body: RatingIn, ctx: CtxDep, actor: ActorDep) -> dict[str, Any]:
    """Rate a day (or a period of it); a second rating of the same period replaces the first."""
    day = card_reading.rate(
        ctx, actor, card_id, body.on, body.ratings, period=body.period, comment=body.comment
    )
    return day_out(day)
